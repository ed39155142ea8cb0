import Testing
import Tokenization

@Suite struct ChatTemplateResolverTests {
    @Test func overrideWinsOverTheFilesTemplate() throws {
        let t = try ChatTemplateResolver.resolve(override: "gemma", jinja: JinjaSamples.smolLM2, modelPath: "m.gguf")
        #expect(t == .gemma)
        #expect(try ChatTemplateResolver.resolve(override: "mistral", jinja: nil, modelPath: "m.gguf") == .mistralV7)
    }

    @Test func detectsFromJinjaWithoutOverride() throws {
        #expect(try ChatTemplateResolver.resolve(override: nil, jinja: JinjaSamples.llama31, modelPath: "m.gguf") == .llama3)
        #expect(try ChatTemplateResolver.resolve(override: nil, jinja: JinjaSamples.qwen25, modelPath: "m.gguf") == .chatml)
    }

    @Test func unknownOverrideNameListsValidNames() {
        let error = #expect(throws: ChatTemplateError.self) {
            try ChatTemplateResolver.resolve(override: "alpaca", jinja: JinjaSamples.smolLM2, modelPath: "model.gguf")
        }
        #expect(error?.kind == .unknownName("alpaca"))
        let text = error?.description ?? ""
        #expect(text.hasPrefix("model.gguf: unknown chat template name 'alpaca' (valid: chatml|"))
        #expect(text.contains("|llama3|") && text.contains("|gemma|") && text.contains("|mistral"))
        #expect(!text.contains("\n"))
    }

    @Test func unrecognisedJinjaIsAnError() {
        let error = #expect(throws: ChatTemplateError.self) {
            try ChatTemplateResolver.resolve(override: nil, jinja: "{{ messages }}", modelPath: "/models/odd.gguf")
        }
        #expect(error?.kind == .unknownTemplate)
        #expect(error?.description.hasPrefix("/models/odd.gguf: unknown chat template (use --template chatml|") == true)
    }

    @Test func missingTemplateWithoutOverrideIsAnError() {
        for jinja in [nil, ""] as [String?] {
            let error = #expect(throws: ChatTemplateError.self) {
                try ChatTemplateResolver.resolve(override: nil, jinja: jinja, modelPath: "bare.gguf")
            }
            #expect(error?.kind == .missingTemplate)
            #expect(error?.description.hasPrefix("bare.gguf: no chat template in the file (use --template ") == true)
        }
    }
}
