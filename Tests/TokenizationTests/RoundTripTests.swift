import Foundation
import Testing
@testable import Tokenization

/// Byte-level BPE loses nothing: the pieces of a text's tokens spell the text again.
@Suite struct RoundTripTests {
    static let texts: [String] = [
        "Hello, world!", "  leading and trailing  ", "tabs\tand\nnewlines\r\n", "日本語のテキスト。",
        "🦙🎉👨‍👩‍👧‍👦🏳️‍🌈", "Ünïcödé façade İstanbul ß", "1234567890 3.14159", "I'm you're he'll",
        "def f(x):\n    return x ** 2\n", "\u{0000}\u{0001}\u{FEFF}\u{200B}", "مرحبا नमस्ते 안녕 สวัสดี",
        "<|im_start|>user\nhi<|im_end|>", "a\u{00A0}b\u{3000}c\u{2028}d", String(repeating: "ab ", count: 500),
    ]

    /// The BPE vocabularies: the bundled small ones, and the shared full ones when present.
    static func bpeVocabularies() -> [URL] {
        let fixtures = TestVocabularies.fixtures.appendingPathComponent("vocab")
        var urls = ["gpt2-default", "gpt2-mpt", "gpt2-starcoder", "gpt2-smollm", "gpt2-refact", "gpt2-falcon", "llama3-small"]
            .map { fixtures.appendingPathComponent("\($0).gguf") }
        urls += TestVocabularies.sharedVocabularies().filter {
            ["ggml-vocab-gpt-2.gguf", "ggml-vocab-llama-bpe.gguf", "ggml-vocab-qwen2.gguf"].contains($0.lastPathComponent)
        }
        return urls
    }

    @Test(arguments: bpeVocabularies())
    func decodeOfEncodeIsTheText(_ vocab: URL) throws {
        let tokenizer = try TestVocabularies.tokenizer(vocab)
        for text in Self.texts {
            for parseSpecial in [false, true] {
                let tokens = tokenizer.encode(text, addSpecial: false, parseSpecial: parseSpecial)
                #expect(tokenizer.decode(tokens) == text, "\(vocab.lastPathComponent): \(text.debugDescription)")
            }
        }
    }

    /// SentencePiece round trips up to the space it prefixes.
    @Test func sentencePieceRoundTripsWithPrefixSpace() throws {
        guard let folder = TestVocabularies.sharedVocabFolder else {
            print("RoundTripTests: ../shared is absent; SentencePiece round trip skipped")
            return
        }
        let tokenizer = try TestVocabularies.tokenizer(folder.appendingPathComponent("ggml-vocab-llama-spm.gguf"))
        for text in Self.texts where !text.contains("<") {
            let tokens = tokenizer.encode(text, addSpecial: false, parseSpecial: false)
            #expect(tokenizer.decode(tokens) == " " + text, "\(text.debugDescription)")
        }
    }

    /// A long input (100 KB of mixed text) tokenizes and round trips.
    @Test func longInputRoundTrips() throws {
        let tokenizer = try TestVocabularies.tokenizer(TestVocabularies.fixtures.appendingPathComponent("vocab/gpt2-smollm.gguf"))
        var text = ""
        while text.utf8.count < 100_000 { text += Self.texts.joined(separator: " ") }
        let tokens = tokenizer.encode(text, addSpecial: false, parseSpecial: false)
        #expect(tokens.count > 10_000)
        #expect(tokenizer.decode(tokens) == text)
    }
}

@Suite struct StreamingDetokenizerTests {
    static func smallVocab() throws -> any Tokenizer {
        try TestVocabularies.tokenizer(TestVocabularies.fixtures.appendingPathComponent("vocab/gpt2-mpt.gguf"))
    }

    /// A multi-byte character split over byte-level tokens comes out whole, once complete.
    @Test func holdsBackSplitCharacters() throws {
        let tokenizer = try Self.smallVocab()
        let text = "a🦙b日本"
        let tokens = tokenizer.encode(text, addSpecial: false, parseSpecial: false)
        // The small vocabulary has no merges for these characters, so they arrive byte by byte.
        #expect(tokens.count > 4)
        var stream = StreamingDetokenizer(tokenizer: tokenizer)
        var pieces: [String] = []
        for t in tokens {
            let s = stream.append(t)
            if !s.isEmpty { pieces.append(s) }
        }
        pieces.append(stream.flush())
        #expect(pieces.joined() == text)
        #expect(pieces.contains("🦙"))
        #expect(!pieces.contains { $0.contains("\u{FFFD}") })
    }

    /// Bytes that can never complete are replaced; an unfinished sequence is replaced on flush.
    @Test func replacesInvalidBytes() throws {
        let tokenizer = try Self.smallVocab()
        func byteToken(_ b: UInt8) throws -> Int32 {
            let text = String(decoding: ByteLevel.encoded[Int(b)], as: UTF8.self)
            return try #require(tokenizer.tokenID(text))
        }
        var stream = StreamingDetokenizer(tokenizer: tokenizer)
        #expect(stream.append(try byteToken(0xE6)) == "")          // lead byte of a 3-byte sequence
        #expect(stream.append(try byteToken(0x97)) == "")          // still incomplete
        #expect(stream.append(try byteToken(0x41)) == "\u{FFFD}A") // 'A' cannot continue it
        #expect(stream.append(try byteToken(0xFF)) == "\u{FFFD}")  // never valid
        #expect(stream.append(try byteToken(0xF0)) == "")
        #expect(stream.flush() == "\u{FFFD}")
        #expect(stream.flush() == "")
    }

    @Test func incompleteSuffixRules() {
        #expect(StreamingDetokenizer.incompleteSuffixLength([]) == 0)
        #expect(StreamingDetokenizer.incompleteSuffixLength([0x41, 0xE6, 0x97]) == 2)
        #expect(StreamingDetokenizer.incompleteSuffixLength([0xE6, 0x97, 0xA5]) == 0)   // complete 日
        #expect(StreamingDetokenizer.incompleteSuffixLength([0xF0, 0x9F, 0xA6]) == 3)
        #expect(StreamingDetokenizer.incompleteSuffixLength([0xE0, 0x80]) == 0)         // overlong: never valid
        #expect(StreamingDetokenizer.incompleteSuffixLength([0xED, 0xA0]) == 0)         // surrogate: never valid
        #expect(StreamingDetokenizer.incompleteSuffixLength([0xC0]) == 0)
        #expect(StreamingDetokenizer.incompleteSuffixLength([0x80, 0x80]) == 0)
    }
}
