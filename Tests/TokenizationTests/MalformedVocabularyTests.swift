import Foundation
import Engine
import GGUF
import Testing
import TestSupport
@testable import Tokenization

/// Bad vocabularies are refused with one line naming the file and the problem; nothing crashes.
@Suite struct MalformedVocabularyTests {
    /// A tiny valid gpt2 vocabulary: the 256 byte characters, one merge and one control token.
    static func gpt2Writer(pre: String? = "gpt-2") -> GGUFWriter {
        var w = GGUFWriter()
        w.add("general.architecture", .string("gpt2"))
        w.add("tokenizer.ggml.model", .string("gpt2"))
        if let pre { w.add("tokenizer.ggml.pre", .string(pre)) }
        var tokens = ByteLevel.encoded.map { GGUFValue.string(String(decoding: $0, as: UTF8.self)) }
        tokens.append(.string("he"))
        tokens.append(.string("<|endoftext|>"))
        w.add("tokenizer.ggml.tokens", .array(.string, tokens))
        w.add("tokenizer.ggml.token_type", .array(.int32, Array(repeating: .int32(1), count: 257) + [.int32(3)]))
        w.add("tokenizer.ggml.merges", .array(.string, [.string("h e")]))
        return w
    }

    static func load(_ w: GGUFWriter, name: String) throws -> any Tokenizer {
        try TokenizerFactory.make(from: GGUFFile(path: try w.write(name: name)))
    }

    /// The error a vocabulary gives, as text, or nil when it loads.
    static func failure(_ w: GGUFWriter, name: String) throws -> String? {
        do {
            _ = try load(w, name: name)
            return nil
        } catch let e as TokenizerError {
            #expect(e.path.hasSuffix("\(name).gguf"))
            #expect(!e.description.contains("\n"))
            return e.description
        }
    }

    @Test func tinyVocabularyWorks() throws {
        let t = try Self.load(Self.gpt2Writer(), name: "tiny")
        #expect(t.vocabularySize == 258)
        #expect(t.encode("hehe", addSpecial: false, parseSpecial: false) == [256, 256])
        #expect(t.encode("<|endoftext|>", addSpecial: false, parseSpecial: true) == [257])
        #expect(t.isEndOfGeneration(257))
        #expect(t.attribute(of: 257) == .control)
        #expect(t.text(of: 999) == "" && t.piece(999) == [] && t.piece(-1) == [] && t.attribute(of: -5) == .undefined)
    }

    @Test func missingTokens() throws {
        var w = GGUFWriter()
        w.add("tokenizer.ggml.model", .string("llama"))
        let message = try #require(try Self.failure(w, name: "no-tokens"))
        #expect(message.contains("missing tokenizer.ggml.tokens"))
    }

    @Test func missingModel() throws {
        var w = GGUFWriter()
        w.add("general.architecture", .string("llama"))
        let message = try #require(try Self.failure(w, name: "no-model"))
        #expect(message.contains("missing tokenizer.ggml.model"))
    }

    @Test func unknownModel() throws {
        var w = GGUFWriter()
        w.add("tokenizer.ggml.model", .string("rwkv"))
        w.add("tokenizer.ggml.tokens", .array(.string, [.string("a")]))
        let message = try #require(try Self.failure(w, name: "rwkv"))
        #expect(message.contains("unknown tokenizer.ggml.model 'rwkv'"))
    }

    @Test func unknownPreTokenizer() throws {
        let message = try #require(try Self.failure(Self.gpt2Writer(pre: "no-such-pre"), name: "bad-pre"))
        #expect(message.contains("unknown tokenizer.ggml.pre 'no-such-pre'"))
    }

    @Test func missingPreTokenizerMeansDefault() throws {
        let t = try Self.load(Self.gpt2Writer(pre: nil), name: "no-pre")
        #expect(t.encode("he", addSpecial: false, parseSpecial: false) == [256])
    }

    @Test func missingMerges() throws {
        var w = GGUFWriter()
        w.add("tokenizer.ggml.model", .string("gpt2"))
        w.add("tokenizer.ggml.tokens", .array(.string, [.string("a")]))
        let message = try #require(try Self.failure(w, name: "no-merges"))
        #expect(message.contains("missing tokenizer.ggml.merges"))
    }

    @Test func tokensOfWrongType() throws {
        var w = GGUFWriter()
        w.add("tokenizer.ggml.model", .string("llama"))
        w.add("tokenizer.ggml.tokens", .array(.int32, [.int32(1)]))
        let message = try #require(try Self.failure(w, name: "int-tokens"))
        #expect(message.contains("tokenizer.ggml.tokens must be an array of strings"))
    }

    @Test func shortScores() throws {
        var w = GGUFWriter()
        w.add("tokenizer.ggml.model", .string("llama"))
        w.add("tokenizer.ggml.tokens", .array(.string, [.string("a"), .string("b"), .string("c")]))
        w.add("tokenizer.ggml.scores", .array(.float32, [.float32(0), .float32(1)]))
        let message = try #require(try Self.failure(w, name: "short-scores"))
        #expect(message.contains("tokenizer.ggml.scores has 2 entries but tokenizer.ggml.tokens has 3"))
    }

    @Test func shortTokenTypes() throws {
        var v = GGUFWriter()
        v.add("tokenizer.ggml.model", .string("bert"))
        v.add("tokenizer.ggml.tokens", .array(.string, [.string("[PAD]"), .string("a")]))
        v.add("tokenizer.ggml.token_type", .array(.int32, [.int32(3)]))
        let message = try #require(try Self.failure(v, name: "short-types"))
        #expect(message.contains("tokenizer.ggml.token_type has 1 entries but tokenizer.ggml.tokens has 2"))
    }

    @Test func specialTokenOutOfRange() throws {
        var w = Self.gpt2Writer()
        w.add("tokenizer.ggml.eos_token_id", .uint32(5000))
        let message = try #require(try Self.failure(w, name: "eos-range"))
        #expect(message.contains("tokenizer.ggml.eos_token_id = 5000 is outside the vocabulary of 258 tokens"))
    }

    @Test func ignoredSpecialTokenOutOfRangeStillLoads() throws {
        var w = Self.gpt2Writer()
        w.add("tokenizer.ggml.padding_token_id", .uint32(9999))
        let t = try Self.load(w, name: "pad-range")
        #expect(t.vocabularySize == 258)
        #expect(t.encode("hehe", addSpecial: false, parseSpecial: false) == [256, 256])
        #expect(t.attribute(of: 9999) == .undefined && t.text(of: 9999) == "")
    }

    /// Flipped bits anywhere in a vocabulary file: each file is refused with a one-line error naming it (a
    /// GGUFError from the reader or a TokenizerError), or it loads and still works as a tokenizer should.
    @Test func everyBitFlipLoadsAWorkingTokenizerOrGivesTheTypedError() throws {
        let bytes = Self.gpt2Writer().encode()
        var rng = SplitMix64(state: 0x766f_6361_62)
        let path = FileManager.default.temporaryDirectory.appendingPathComponent("nook-vocab-flip-\(UUID().uuidString).gguf").path
        defer { try? FileManager.default.removeItem(atPath: path) }
        var loaded = 0, refused = 0
        for n in 0..<300 {
            var b = bytes
            let i = Int.random(in: 0..<b.count, using: &rng), bit = UInt8.random(in: 0..<8, using: &rng)
            b[i] ^= UInt8(1) << bit
            try Data(b).write(to: URL(fileURLWithPath: path))
            let flip = "flip \(n) (byte \(i), bit \(bit))"
            let tokenizer: any Tokenizer
            do {
                tokenizer = try TokenizerFactory.make(from: GGUFFile(path: path))
            } catch let e as GGUFError {
                refused += 1
                #expect(e.path == path && !e.description.contains("\n"), "\(flip): \(e)")
                continue
            } catch let e as TokenizerError {
                refused += 1
                #expect(e.path == path && !e.description.contains("\n"), "\(flip): \(e)")
                continue
            }
            loaded += 1
            // A tokenizer that loaded keeps its contract: ids inside the vocabulary, and text that decodes to UTF-8.
            for text in ["hehe", "hello, world", "日本語 🍣", "<|endoftext|>"] {
                let ids = tokenizer.encode(text, addSpecial: true, parseSpecial: true)
                #expect(ids.allSatisfy { $0 >= 0 && Int($0) < tokenizer.vocabularySize }, "\(flip): \(text) gave \(ids)")
                _ = ids.map { tokenizer.piece($0) }
            }
        }
        print("MalformedVocabularyTests: of 300 bit flips, \(refused) were refused with a typed error and \(loaded) loaded and worked")
        #expect(refused > 0 && loaded > 0, "the flips should exercise both outcomes")
    }

    @Test func flagOfWrongType() throws {
        var w = Self.gpt2Writer()
        w.add("tokenizer.ggml.add_bos_token", .string("yes"))
        let message = try #require(try Self.failure(w, name: "bad-flag"))
        #expect(message.contains("tokenizer.ggml.add_bos_token must be a bool"))
    }

    /// Empty strings, odd merges and a missing byte-fallback token are tolerated as llama.cpp tolerates them.
    @Test func oddButLegalVocabulary() throws {
        var w = GGUFWriter()
        w.add("tokenizer.ggml.model", .string("llama"))
        w.add("tokenizer.ggml.tokens", .array(.string, [.string("<unk>"), .string(""), .string("▁a"), .string("▁")]))
        w.add("tokenizer.ggml.scores", .array(.float32, [.float32(0), .float32(0), .float32(-1), .float32(-2)]))
        w.add("tokenizer.ggml.token_type", .array(.int32, [.int32(2), .int32(1), .int32(1), .int32(1)]))
        let t = try Self.load(w, name: "odd")
        #expect(t.text(of: 1) == "[EMPTY_1]")
        // "z" has no token and no <0x7A> byte token: the unknown token stands in.
        #expect(t.encode("a z", addSpecial: false, parseSpecial: false) == [2, 3, 0])
        // Without tokenizer.ggml.bos_token_id, llama.cpp's SentencePiece default BOS is id 1.
        #expect(t.encode("a", addSpecial: true, parseSpecial: false) == [1, 2])
    }
}
