import Conversation
import Testing
import Tokenization

@Suite struct ChatTemplateTests {
    /// A short conversation with a system prompt, spelled out per template below.
    private let chat: [Message] = [
        Message(role: .system, content: "Be kind."),
        Message(role: .user, content: "Hi"),
        Message(role: .assistant, content: "Hello!"),
        Message(role: .user, content: "How are you?"),
    ]

    private func render(_ t: ChatTemplate, _ messages: [Message], prefix: Bool = true,
                        bos: String = "<s>", eos: String = "</s>") -> String {
        t.render(messages, addAssistantPrefix: prefix, bosToken: bos, eosToken: eos)
    }

    @Test func chatml() {
        #expect(render(.chatml, chat) == """
            <|im_start|>system\nBe kind.<|im_end|>\n<|im_start|>user\nHi<|im_end|>\n\
            <|im_start|>assistant\nHello!<|im_end|>\n<|im_start|>user\nHow are you?<|im_end|>\n\
            <|im_start|>assistant\n
            """)
    }

    @Test func llama3TrimsEveryMessage() {
        let padded = chat.map { Message(role: $0.role, content: "  \($0.content)\n") }
        #expect(render(.llama3, padded) == """
            <|start_header_id|>system<|end_header_id|>\n\nBe kind.<|eot_id|>\
            <|start_header_id|>user<|end_header_id|>\n\nHi<|eot_id|>\
            <|start_header_id|>assistant<|end_header_id|>\n\nHello!<|eot_id|>\
            <|start_header_id|>user<|end_header_id|>\n\nHow are you?<|eot_id|>\
            <|start_header_id|>assistant<|end_header_id|>\n\n
            """)
    }

    @Test func phi3() {
        #expect(render(.phi3, chat) == """
            <|system|>\nBe kind.<|end|>\n<|user|>\nHi<|end|>\n<|assistant|>\nHello!<|end|>\n\
            <|user|>\nHow are you?<|end|>\n<|assistant|>\n
            """)
    }

    @Test func gemmaFoldsTheSystemPromptIntoTheFirstUserTurn() {
        #expect(render(.gemma, chat) == """
            <start_of_turn>user\nBe kind.\n\nHi<end_of_turn>\n<start_of_turn>model\nHello!<end_of_turn>\n\
            <start_of_turn>user\nHow are you?<end_of_turn>\n<start_of_turn>model\n
            """)
    }

    @Test func mistralVariantsPlaceTheSystemPromptDifferently() {
        #expect(render(.mistralV7, chat) == """
            [SYSTEM_PROMPT] Be kind.[/SYSTEM_PROMPT][INST] Hi[/INST] Hello!</s>[INST] How are you?[/INST]
            """)
        #expect(render(.mistralV7Tekken, chat) == """
            [SYSTEM_PROMPT]Be kind.[/SYSTEM_PROMPT][INST]Hi[/INST]Hello!</s>[INST]How are you?[/INST]
            """)
        #expect(render(.mistralV3, chat) == "[INST] Be kind.\n\nHi[/INST] Hello!</s>[INST] How are you?[/INST]")
        #expect(render(.mistralV1, chat) == " [INST] Be kind.\n\nHi [/INST] Hello!</s> [INST] How are you? [/INST]")
        #expect(ChatTemplate.mistral == .mistralV7)
    }

    @Test func llama2FamilyNeverAddsAnAssistantPrefix() {
        for t in [ChatTemplate.llama2, .llama2Sys, .llama2SysBos, .llama2SysStrip, .mistralV1, .mistralV3, .mistralV7] {
            #expect(render(t, chat, prefix: true) == render(t, chat, prefix: false), "\(t.rawValue)")
        }
        #expect(render(.llama2Sys, chat) == "[INST] <<SYS>>\nBe kind.\n<</SYS>>\n\nHi [/INST]Hello!</s>[INST] How are you? [/INST]")
    }

    @Test func bosAndEosStandForLlamaCppsLiteralMarkers() {
        #expect(render(.mistralV7, chat, eos: "<|end|>") == """
            [SYSTEM_PROMPT] Be kind.[/SYSTEM_PROMPT][INST] Hi[/INST] Hello!<|end|>[INST] How are you?[/INST]
            """)
        #expect(render(.llama2SysBos, chat, bos: "<B>", eos: "<E>") == """
            [INST] <<SYS>>\nBe kind.\n<</SYS>>\n\nHi [/INST]Hello!<E><B>[INST] How are you? [/INST]
            """)
        #expect(render(.monarch, chat, bos: "<B>", eos: "<E>") == """
            system\nBe kind.<E>\n<B>user\nHi<E>\n<B>assistant\nHello!<E>\n<B>user\nHow are you?<E>\n<B>assistant\n
            """)
        // Empty tokens fall back to llama.cpp's literals; templates without these markers ignore them.
        #expect(render(.mistralV3, chat, bos: "", eos: "") == render(.mistralV3, chat))
        #expect(render(.chatml, chat, bos: "<B>", eos: "<E>") == render(.chatml, chat))
    }

    @Test func emptyConversationGivesOnlyTheAssistantPrefix() {
        #expect(render(.chatml, []) == "<|im_start|>assistant\n")
        #expect(render(.llama3, [], prefix: false) == "")
        #expect(render(.llama2, []) == "[INST] ")
        #expect(render(.smolvlm, [], prefix: false) == "<|im_start|>")
    }

    @Test func trimmingIsByteWiseAndKeepsNonASCIISpace() {
        // U+00A0 is not C-locale whitespace; \u{0B} (vertical tab) and \u{0C} (form feed) are.
        let messages = [Message(role: .user, content: "\u{0B}\u{0C}\r\n\u{00A0}é\u{00A0} \t")]
        #expect(render(.llama3, messages, prefix: false)
                == "<|start_header_id|>user<|end_header_id|>\n\n\u{00A0}é\u{00A0}<|eot_id|>")
        // Content that is all whitespace trims to nothing.
        #expect(render(.gemma, [Message(role: .user, content: " \n ")], prefix: false)
                == "<start_of_turn>user\n<end_of_turn>\n")
    }

    @Test func attachmentsAreNotRendered() {
        let withFile = [Message(role: .user, content: "Look", attachments: [
            Attachment(path: "/tmp/a.png", kind: .image, sha256: String(repeating: "0", count: 64)),
        ])]
        #expect(render(.chatml, withFile) == "<|im_start|>user\nLook<|im_end|>\n<|im_start|>assistant\n")
    }

    @Test func stopStringsEndTheAssistantTurn() {
        #expect(ChatTemplate.chatml.stopStrings == ["<|im_end|>"])
        #expect(ChatTemplate.llama3.stopStrings == ["<|eot_id|>"])
        #expect(ChatTemplate.phi3.stopStrings == ["<|end|>"])
        #expect(ChatTemplate.gemma.stopStrings == ["<end_of_turn>"])
        #expect(ChatTemplate.mistralV7.stopStrings.contains("</s>"))
        // For templates with an explicit turn end, the first stop string closes a rendered reply.
        let reply = [Message(role: .user, content: "q"), Message(role: .assistant, content: "REPLY")]
        for t in ChatTemplate.allCases {
            #expect(!t.stopStrings.isEmpty, "\(t.rawValue)")
            let text = render(t, reply, prefix: false)
            guard let after = text.range(of: "REPLY")?.upperBound, t != .falcon3, t != .minicpm,
                  t != .chatglm3, t != .chatglm4, t != .glmedge else { continue }
            #expect(text[after...].hasPrefix(t.stopStrings[0]) || text[after...].hasPrefix("\n" + t.stopStrings[0]),
                    "\(t.rawValue)")
        }
    }

    @Test func namesAndAliases() {
        for t in ChatTemplate.allCases { #expect(ChatTemplate(name: t.rawValue) == t) }
        #expect(ChatTemplate(name: "mistral") == .mistralV7)
        #expect(ChatTemplate(name: "llama3") == .llama3)
        #expect(ChatTemplate(name: "Llama3") == nil)
        #expect(ChatTemplate.validNames.contains("mistral"))
        #expect(ChatTemplate.validNames.count == ChatTemplate.allCases.count + ChatTemplate.aliases.count)
    }
}
