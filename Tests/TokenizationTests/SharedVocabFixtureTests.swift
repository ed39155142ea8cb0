import Foundation
import Testing
@testable import Tokenization

/// llama.cpp's own tokenizer test vectors (`../shared/fixtures/vocab`): every string must encode
/// to exactly the recorded ids with addSpecial and parseSpecial off.
@Suite struct SharedVocabFixtureTests {
    static let vocabularies = TestVocabularies.sharedVocabularies()

    @Test func sharedFixturesArePresent() {
        if TestVocabularies.sharedVocabFolder == nil {
            print("SharedVocabFixtureTests: ../shared is absent; llama.cpp vocabulary fixtures skipped")
            return
        }
        #expect(Self.vocabularies.count >= 6, "expected the six ggml-vocab fixtures in ../shared/fixtures/vocab")
    }

    @Test(arguments: vocabularies)
    func encodesLikeLlamaCpp(_ vocab: URL) throws {
        let tokenizer = try TestVocabularies.tokenizer(vocab)
        let file = try VocabTestFile(vocab: vocab)
        try #require(file.inputs.count == file.expected.count, "\(vocab.lastPathComponent): .inp and .out disagree in length")
        var passed = 0
        for (text, want) in zip(file.inputs, file.expected) {
            let got = tokenizer.encode(text, addSpecial: false, parseSpecial: false)
            #expect(got == want, "\(vocab.lastPathComponent): \(text.debugDescription)")
            if got == want { passed += 1 }
        }
        print("\(vocab.lastPathComponent): \(passed)/\(file.inputs.count) llama.cpp test strings match")
    }
}
