import Conversation
import Engine
import Foundation
import Testing
import Tokenization

/// The gemma3 fixture's SentencePiece vocabulary, in Gemma 3's metadata layout (`tokenizer.ggml.model` llama,
/// add_bos true, add_space_prefix false, control turn markers, byte fallback), tokenizes as llama-tokenize does, and
/// its Jinja template is recognised as Gemma's.
@Suite struct Gemma3TokenizerTests {
    struct PromptTokens: Decodable { let prompt: String; let ids: [Int32]; let ids_no_parse_special: [Int32] }

    static let path = FixtureModels.folder.appendingPathComponent("gemma3-F32.gguf").path

    static func prompt(_ n: Int) throws -> PromptTokens {
        let url = FixtureModels.folder.appendingPathComponent("gemma3-prompt-\(n).tokens.json")
        return try JSONDecoder().decode(PromptTokens.self, from: Data(contentsOf: url))
    }

    /// The ids themselves are compared with nook's in GreedyDecodingTests (every `*.tokens.json`); here, that they
    /// start with the BOS and, without it, spell the text again (no space prefix to strip).
    @Test(arguments: 1...3)
    func idsStartWithBOSAndDetokenizeToTheText(_ n: Int) throws {
        let fixture = try Self.prompt(n)
        let tokenizer = try ModelContext.tokenizer(path: Self.path)
        #expect(fixture.ids.first == 2 && fixture.ids_no_parse_special.first == 2)
        #expect(tokenizer.bytes(of: Array(fixture.ids.dropFirst())) == Array(fixture.prompt.utf8), "prompt \(n)")
    }

    @Test func chatPromptIsGemmasAndTurnsEndAtEndOfTurn() throws {
        let context = try ModelContext(path: Self.path)
        let template = try context.chatTemplate(override: nil)
        #expect(template == .gemma)
        let messages = [Message(role: .system, content: "You are terse."),
                        Message(role: .user, content: "Hello there, how are the stars tonight?")]
        #expect(context.promptTokens(for: messages, template: template) == (try Self.prompt(1)).ids)

        let tokenizer = context.tokenizer
        #expect(tokenizer.bos == 2 && tokenizer.eos == 1)
        #expect(tokenizer.addBOS && !tokenizer.addEOS)
        let endOfTurn = try #require(tokenizer.tokenID("<end_of_turn>"))
        let startOfTurn = try #require(tokenizer.tokenID("<start_of_turn>"))
        #expect(tokenizer.attribute(of: endOfTurn) == .control)
        #expect(tokenizer.isEndOfGeneration(endOfTurn) && tokenizer.isEndOfGeneration(1))
        #expect(!tokenizer.isEndOfGeneration(startOfTurn))
    }
}
