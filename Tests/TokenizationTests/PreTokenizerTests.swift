import Testing
@testable import Tokenization

/// The pre-tokenizers' word splits on small inputs, worked out by hand from llama.cpp's patterns.
/// (The recorded llama.cpp cases check them end to end on many more texts.)
@Suite struct PreTokenizerTests {
    func words(_ pre: String, _ text: String) throws -> [String] {
        let p = try #require(PreTokenizer.named(pre))
        let bytes = Array(text.utf8)
        return bytes.withUnsafeBufferPointer { buf in
            p.split(buf).map { String(decoding: bytes[$0], as: UTF8.self) }
        }
    }

    @Test func gpt2() throws {
        #expect(try words("gpt-2", "Hello  world") == ["Hello", " ", " world"])
        #expect(try words("gpt-2", "I'm can't 'RE") == ["I", "'m", " can", "'t", " '", "RE"])
        #expect(try words("gpt-2", "a\t\tb") == ["a", "\t", "\t", "b"])
        #expect(try words("gpt-2", "x1234 !!?") == ["x", "1234", " !!?"])
        #expect(try words("mpt", "end   ") == ["end", "   "])
    }

    @Test func llama3() throws {
        #expect(try words("llama-bpe", "12345") == ["123", "45"])
        #expect(try words("llama-bpe", "Hello\n\nworld") == ["Hello", "\n\n", "world"])
        #expect(try words("llama3", "x !!\n y") == ["x", " !!\n", " y"])
        #expect(try words("llama3", "I'M") == ["I", "'M"])
        #expect(try words("llama3", "\tTab") == ["\tTab"])
    }

    @Test func qwen2AndQwen35() throws {
        #expect(try words("qwen2", "12345") == ["1", "2", "3", "4", "5"])
        #expect(try words("qwen2", "e\u{301}") == ["e", "\u{301}"])
        #expect(try words("qwen35", "e\u{301}") == ["e\u{301}"])
    }

    @Test func starcoderFamilyIsolatesDigits() throws {
        for pre in ["starcoder", "smollm", "refact"] {
            #expect(try words(pre, "abc123 def") == ["abc", "1", "2", "3", " def"])
        }
    }

    @Test func defaultSplitsPunctuationAndDigitTriplets() throws {
        #expect(try words("default", "a...b 1234567") == ["a", "...", "b", " ", "123", "456", "7"])
        #expect(try words("falcon", "a``b") == ["a", "``", "b"])
        #expect(try words("default", "a``b") == ["a", "``", "b"])
    }

    @Test func unknownNamesAreRefused() {
        #expect(PreTokenizer.named("no-such-pre") == nil)
        #expect(PreTokenizer.named(nil) != nil)
    }
}
