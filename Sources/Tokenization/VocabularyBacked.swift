/// A tokenizer built on a ``Vocabulary``: the parts of ``Tokenizer`` all models share.
protocol VocabularyBacked {
    var vocabulary: Vocabulary { get }
}

extension VocabularyBacked {
    public var vocabularySize: Int { vocabulary.count }
    public var bos: Int32? { vocabulary.ids.bos }
    public func text(of token: Int32) -> String { vocabulary.text(of: token) }
    public func attribute(of token: Int32) -> TokenAttribute { vocabulary.attribute(of: token) }
    public func isEndOfGeneration(_ token: Int32) -> Bool { vocabulary.isEndOfGeneration(token) }
    public func tokenID(_ text: String) -> Int32? { vocabulary.lookup(text) }

    /// The end-of-turn token (`tokenizer.ggml.eot_token_id`, or found by its text).
    public var eot: Int32? { vocabulary.ids.eot }
    /// The unknown token.
    public var unknown: Int32? { vocabulary.ids.unk }
}

extension Vocabulary {
    /// llama.cpp's `token_to_piece` with special tokens rendered: control, user-defined and
    /// unknown tokens as their text; normal tokens decoded (byte-level for BPE, ▁ as space for
    /// SentencePiece and WordPiece); byte tokens `<0xAB>` as the byte; anything else as nothing.
    func piece(_ token: Int32) -> [UInt8] {
        guard contains(token) else { return [] }
        let attr = attributes[Int(token)]
        let text = texts[Int(token)]
        if !attr.isDisjoint(with: [.unknown, .control, .userDefined]) { return Array(text.utf8) }
        if attr.contains(.normal) {
            switch kind {
            case .bpe: return ByteLevel.decode(text)
            case .spm, .wpm: return Self.unescapeWhitespace(text)
            }
        }
        if attr.contains(.byte) { return [Self.byteValue(text)] }
        return []
    }

    /// The text's UTF-8 with every ▁ (U+2581) turned into a space.
    static func unescapeWhitespace(_ text: String) -> [UInt8] {
        var out: [UInt8] = []
        let bytes = Array(text.utf8)
        out.reserveCapacity(bytes.count)
        var i = 0
        while i < bytes.count {
            if i + 2 < bytes.count && bytes[i] == 0xE2 && bytes[i + 1] == 0x96 && bytes[i + 2] == 0x81 {
                out.append(0x20)
                i += 3
            } else {
                out.append(bytes[i])
                i += 1
            }
        }
        return out
    }

    /// The byte of a `<0xAB>` token: up to two hex digits read from the fourth character on,
    /// as llama.cpp's `strtol(text.substr(3, 2), 16)`.
    static func byteValue(_ text: String) -> UInt8 {
        var value: UInt8 = 0
        for b in Array(text.utf8).dropFirst(3).prefix(2) {
            let digit: UInt8
            switch b {
            case UInt8(ascii: "0")...UInt8(ascii: "9"): digit = b - UInt8(ascii: "0")
            case UInt8(ascii: "a")...UInt8(ascii: "f"): digit = b - UInt8(ascii: "a") + 10
            case UInt8(ascii: "A")...UInt8(ascii: "F"): digit = b - UInt8(ascii: "A") + 10
            default: return value
            }
            value = value << 4 | digit
        }
        return value
    }
}
