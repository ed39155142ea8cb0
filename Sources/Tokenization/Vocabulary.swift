import GGUF

/// Token attribute bits, as llama.cpp's `llama_token_attr`.
struct AttributeBits: OptionSet, Sendable {
    let rawValue: UInt16

    static let unknown = AttributeBits(rawValue: 1 << 0)
    static let unused = AttributeBits(rawValue: 1 << 1)
    static let normal = AttributeBits(rawValue: 1 << 2)
    static let control = AttributeBits(rawValue: 1 << 3)
    static let userDefined = AttributeBits(rawValue: 1 << 4)
    static let byte = AttributeBits(rawValue: 1 << 5)
    static let lstrip = AttributeBits(rawValue: 1 << 7)
    static let rstrip = AttributeBits(rawValue: 1 << 8)

    /// From a `tokenizer.ggml.token_type` value (llama.cpp's `llama_token_type`).
    init(tokenType: Int) {
        switch tokenType {
        case 1: self = .normal
        case 2: self = .unknown
        case 3: self = .control
        case 4: self = .userDefined
        case 5: self = .unused
        case 6: self = .byte
        default: self = []
        }
    }

    init(rawValue: UInt16) { self.rawValue = rawValue }

    /// The public attribute: the first of control, user-defined, unknown, byte, unused, normal that is set.
    var publicAttribute: TokenAttribute {
        if contains(.control) { return .control }
        if contains(.userDefined) { return .userDefined }
        if contains(.unknown) { return .unknown }
        if contains(.byte) { return .byte }
        if contains(.unused) { return .unused }
        if contains(.normal) { return .normal }
        return .undefined
    }
}

/// The tokenizer algorithm family of a vocabulary (llama.cpp's `llama_vocab_type`).
enum VocabularyKind: Sendable {
    /// Byte-level BPE with merges (`gpt2`).
    case bpe
    /// SentencePiece-style BPE over scores (`llama`).
    case spm
    /// WordPiece (`bert`).
    case wpm
}

/// Ids of the special tokens llama.cpp tracks; nil when the vocabulary has none.
struct SpecialTokenIDs: Sendable {
    var bos: Int32?
    var eos: Int32?
    var eot: Int32?
    var eom: Int32?
    var unk: Int32?
    var sep: Int32?
    var pad: Int32?
    var mask: Int32?
    var fimPre: Int32?
    var fimSuf: Int32?
    var fimMid: Int32?
    var fimPad: Int32?
    var fimRep: Int32?
    var fimSep: Int32?
}

/// What llama.cpp assumes for a tokenizer model (and pre-tokenizer) when the file is silent.
struct VocabularyDefaults: Sendable {
    var ids: SpecialTokenIDs
    var addBOS: Bool
    var addEOS: Bool
    var addSpacePrefix: Bool
}

/// The token strings, types, scores and special tokens of a GGUF vocabulary, with llama.cpp's
/// load-time heuristics applied. Shared by all tokenizer models.
struct Vocabulary: Sendable {
    let path: String
    let kind: VocabularyKind
    /// Token strings by id (shape: [n]); empty strings are replaced by "[EMPTY_<id>]" as llama.cpp does.
    let texts: [String]
    /// Token string bytes → id; when strings repeat, the last id wins (llama.cpp's `token_to_id`).
    let table: ByteStringTable
    /// Attribute bits by id (shape: [n]).
    let attributes: [AttributeBits]
    /// Scores by id (shape: [n]); zero when the file has none.
    let scores: [Float]
    let ids: SpecialTokenIDs
    /// Tokens that end generation.
    let endOfGeneration: Set<Int32>
    /// Control, user-defined and unknown tokens, longest string first: the order special tokens
    /// are cut out of text (llama.cpp's `cache_special_tokens`).
    let specialTokens: [Int32]
    /// Longest token string in bytes.
    let maxTokenLength: Int
    let addBOS: Bool
    let addEOS: Bool
    let addSpacePrefix: Bool

    var count: Int { texts.count }

    init(file: GGUFFile, kind: VocabularyKind, defaults: VocabularyDefaults) throws(TokenizerError) {
        let path = file.path
        self.path = path
        self.kind = kind

        guard let tokenValue = file.metadata["tokenizer.ggml.tokens"] else {
            throw TokenizerError(path: path, "missing tokenizer.ggml.tokens (the vocabulary)")
        }
        guard case .array(.string, let tokenArray) = tokenValue else {
            throw TokenizerError(path: path, "tokenizer.ggml.tokens must be an array of strings")
        }
        let n = tokenArray.count
        guard n > 0 else { throw TokenizerError(path: path, "tokenizer.ggml.tokens is empty") }
        guard n <= Int(Int32.max) else { throw TokenizerError(path: path, "tokenizer.ggml.tokens has \(n) entries, too many") }

        var scores = [Float](repeating: 0, count: n)
        if let v = file.metadata["tokenizer.ggml.scores"] {
            guard case .array(let type, let a) = v, type == .float32 || type == .int32 else {
                throw TokenizerError(path: path, "tokenizer.ggml.scores must be an array of float32 or int32")
            }
            guard a.count >= n else {
                throw TokenizerError(path: path, "tokenizer.ggml.scores has \(a.count) entries but tokenizer.ggml.tokens has \(n)")
            }
            for i in 0..<n { scores[i] = Float(a[i].doubleValue ?? 0) }
        }

        var attributes = [AttributeBits](repeating: .normal, count: n)
        if let v = file.metadata["tokenizer.ggml.token_type"] {
            guard case .array(_, let a) = v, a.allSatisfy({ $0.intValue != nil }) else {
                throw TokenizerError(path: path, "tokenizer.ggml.token_type must be an array of integers")
            }
            guard a.count >= n else {
                throw TokenizerError(path: path, "tokenizer.ggml.token_type has \(a.count) entries but tokenizer.ggml.tokens has \(n)")
            }
            for i in 0..<n { attributes[i] = AttributeBits(tokenType: a[i].intValue ?? 0) }
        }

        var texts: [String] = []
        texts.reserveCapacity(n)
        var table = ByteStringTable(capacity: n)
        var maxLength = 0
        for i in 0..<n {
            var s = tokenArray[i].stringValue ?? ""
            if s.isEmpty { s = "[EMPTY_\(i)]" }
            let bytes = Array(s.utf8)
            table.insert(bytes, value: Int32(i), replace: true)  // a later duplicate wins
            maxLength = max(maxLength, bytes.count)
            texts.append(s)
        }
        self.texts = texts
        self.table = table
        self.scores = scores
        maxTokenLength = maxLength

        var ids = defaults.ids
        try Self.readSpecialIDs(file, count: n, into: &ids)

        func flag(_ key: String, _ fallback: Bool) throws(TokenizerError) -> Bool {
            guard let v = file.metadata[key] else { return fallback }
            if let b = v.boolValue { return b }
            if let i = v.intValue { return i != 0 }
            throw TokenizerError(path: path, "\(key) must be a bool")
        }
        addBOS = try flag("tokenizer.ggml.add_bos_token", defaults.addBOS)
        addEOS = try flag("tokenizer.ggml.add_eos_token", defaults.addEOS)
        addSpacePrefix = try flag("tokenizer.ggml.add_space_prefix", defaults.addSpacePrefix)

        var heuristics = VocabularyHeuristics(texts: texts, table: table, attributes: attributes, ids: ids)
        heuristics.run(file: file)
        self.attributes = heuristics.attributes
        self.ids = heuristics.ids
        endOfGeneration = heuristics.endOfGeneration
        specialTokens = heuristics.specialTokens
    }

    /// Applies the special-token ids the file names. Ids llama.cpp uses while tokenizing or
    /// generating (bos, eos, eot, eom, unk, sep) must lie in the vocabulary; others out of range are ignored.
    private static func readSpecialIDs(_ file: GGUFFile, count n: Int, into ids: inout SpecialTokenIDs) throws(TokenizerError) {
        // Defaults outside the vocabulary are disabled, as in llama.cpp.
        let all: [WritableKeyPath<SpecialTokenIDs, Int32?>] = [
            \.bos, \.eos, \.eot, \.eom, \.unk, \.sep, \.pad, \.mask,
            \.fimPre, \.fimSuf, \.fimMid, \.fimPad, \.fimRep, \.fimSep,
        ]
        for k in all {
            if let id = ids[keyPath: k], id < 0 || Int(id) >= n { ids[keyPath: k] = nil }
        }
        let keys: [(String, WritableKeyPath<SpecialTokenIDs, Int32?>, Bool)] = [
            ("bos_token_id", \.bos, true), ("eos_token_id", \.eos, true),
            ("eot_token_id", \.eot, true), ("eom_token_id", \.eom, true),
            ("unknown_token_id", \.unk, true), ("seperator_token_id", \.sep, true),
            ("padding_token_id", \.pad, false), ("mask_token_id", \.mask, false),
            ("fim_pre_token_id", \.fimPre, false), ("fim_suf_token_id", \.fimSuf, false),
            ("fim_mid_token_id", \.fimMid, false), ("fim_pad_token_id", \.fimPad, false),
            ("fim_rep_token_id", \.fimRep, false), ("fim_sep_token_id", \.fimSep, false),
            ("prefix_token_id", \.fimPre, false), ("suffix_token_id", \.fimSuf, false),
            ("middle_token_id", \.fimMid, false),
        ]
        for (name, keyPath, required) in keys {
            let key = "tokenizer.ggml." + name
            guard let value = file.metadata[key] else { continue }
            guard let id = value.intValue else {
                throw TokenizerError(path: file.path, "\(key) must be an integer token id")
            }
            if id >= 0 && id < n {
                ids[keyPath: keyPath] = Int32(id)
            } else if required {
                throw TokenizerError(path: file.path, "\(key) = \(id) is outside the vocabulary of \(n) tokens")
            }
        }
    }

    /// Whether an id names a token.
    @inline(__always)
    func contains(_ token: Int32) -> Bool { token >= 0 && Int(token) < texts.count }

    /// Id of a token string given as bytes.
    @inline(__always)
    func lookup(_ bytes: UnsafeBufferPointer<UInt8>) -> Int32? { table.lookup(bytes) }

    /// Id of a token string.
    func lookup(_ text: String) -> Int32? {
        Array(text.utf8).withUnsafeBufferPointer { table.lookup($0) }
    }

    func attribute(of token: Int32) -> TokenAttribute {
        contains(token) ? attributes[Int(token)].publicAttribute : .undefined
    }

    func text(of token: Int32) -> String {
        contains(token) ? texts[Int(token)] : ""
    }

    func isEndOfGeneration(_ token: Int32) -> Bool { endOfGeneration.contains(token) }
}
