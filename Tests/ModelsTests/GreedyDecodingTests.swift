import Conversation
import Engine
import Foundation
import Testing
import Tokenization

/// Greedy decoding and tokenization on the fixture models reproduce what llama.cpp produced.
@Suite struct GreedyDecodingTests {
    struct Greedy: Decodable {
        struct Run: Decodable { let prompt_tokens: [Int32]; let generated: [Int32] }
        let prompt: String
        let runs: [String: Run]
    }

    struct PromptTokens: Decodable { let prompt: String; let model: String; let ids: [Int32]; let ids_no_parse_special: [Int32] }

    @Test func greedyTokensMatchLlamaCpp() throws {
        let greedy = try JSONDecoder().decode(Greedy.self, from: Data(contentsOf: FixtureModels.folder.appendingPathComponent("greedy.json")))
        #expect(greedy.runs.count >= 3)
        #expect(Set(greedy.runs.keys.compactMap { $0.split(separator: "-").first }).isSuperset(of: ["llama", "qwen2", "phi3"]))
        for (model, run) in greedy.runs {
            // A continuation that repeats one token cannot tell a broken KV cache from a working one.
            #expect(Set(run.generated).count >= 8, "\(model): the recorded continuation varies too little to test the cache")
            let context = try ModelContext(path: FixtureModels.folder.appendingPathComponent(model).path)
            #expect(context.tokenizer.encode(greedy.prompt, addSpecial: false, parseSpecial: true) == run.prompt_tokens)
            // llama.cpp did not stop at end-of-generation tokens, so evaluate token by token here.
            let lm = context.model
            let cache = try lm.makeCache(capacity: 64)
            var logits = try lm.evaluate(run.prompt_tokens, cache: cache, logits: .last)
            var produced: [Int32] = []
            var sampler = Sampler(.greedy, vocabularySize: lm.hyperparameters.vocabularySize)
            for _ in run.generated {
                let t = sampler.sample(logits: logits)
                produced.append(t)
                logits = try lm.evaluate([t], cache: cache, logits: .last)
            }
            #expect(produced == run.generated, "\(model)")
        }
    }

    @Test func fixtureTokenizerMatchesLlamaCpp() throws {
        let files = try FileManager.default.contentsOfDirectory(atPath: FixtureModels.folder.path)
            .filter { $0.hasSuffix(".tokens.json") }
        #expect(files.count >= 3)
        for f in files {
            let p = try JSONDecoder().decode(PromptTokens.self, from: Data(contentsOf: FixtureModels.folder.appendingPathComponent(f)))
            let tok = try TokenizerFactory.make(path: FixtureModels.folder.appendingPathComponent(p.model).path)
            // llama-tokenize adds BOS/EOS as the vocabulary's flags say (no BOS for the shared one, one for gemma3's).
            #expect(tok.encode(p.prompt, addSpecial: true, parseSpecial: true) == p.ids, "\(f)")
            #expect(tok.encode(p.prompt, addSpecial: true, parseSpecial: false) == p.ids_no_parse_special, "\(f)")
        }
    }

    @Test func generatorIsReproducibleWithASeed() throws {
        let context = try ModelContext(path: FixtureModels.folder.appendingPathComponent("llama-gqa-Q8_0.gguf").path)
        let prompt = context.tokenizer.encode("The river", addSpecial: true, parseSpecial: false)
        var params = SamplingSettings()
        params.seed = 42
        params.temperature = 1.0
        func run() throws -> [Int32] {
            let g = try Generator(context: context, contextLength: 64)
            return try g.generate(GenerationRequest(prompt: prompt, maxTokens: 12, sampling: params)) { _ in }.tokens
        }
        let a = try run(), b = try run()
        #expect(a == b)
        #expect(a.count == 12)
    }

    @Test func generatorStopsWhenTheContextIsFull() throws {
        let context = try ModelContext(path: FixtureModels.folder.appendingPathComponent("llama-gqa-Q8_0.gguf").path)
        let g = try Generator(context: context, contextLength: 16)
        let prompt: [Int32] = [297, 80, 261, 294, 346]
        var params = SamplingSettings.greedy
        params.repeatPenalty = 1.3
        let r = try g.generate(GenerationRequest(prompt: prompt, maxTokens: 100, sampling: params)) { _ in }
        #expect(r.reason == .contextFull || r.reason == .endOfGeneration)
        #expect(throws: GenerationError.self) {
            try g.generate(GenerationRequest(prompt: [Int32](repeating: 300, count: 20), sampling: params)) { _ in }
        }
    }
}
