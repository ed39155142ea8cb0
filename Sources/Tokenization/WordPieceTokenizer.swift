import GGUF

/// WordPiece (`tokenizer.ggml.model = bert`), as llama.cpp's `llm_tokenizer_wpm`.
///
/// Text is split at whitespace; control characters are dropped; accents are stripped and letters
/// lowercased (`tokenizer.ggml.normalizer.*`, both on by default); punctuation, ASCII symbols and
/// CJK ideographs stand alone. Each word, prefixed with ▁ (the converter's mark for a word start; a
/// "##" continuation is stored without it), is covered greedily by the longest tokens; a word that
/// cannot be covered becomes [UNK]. With `addSpecial`, [CLS] (``bos``) starts the sequence and
/// [SEP] (``eos``) ends it, always, as in llama.cpp.
public final class WordPieceTokenizer: Tokenizer, VocabularyBacked {
    let vocabulary: Vocabulary
    private let lowercase: Bool
    private let stripAccents: Bool

    init(file: GGUFFile) throws(TokenizerError) {
        let ids = SpecialTokenIDs(bos: 101, unk: 100, sep: 102, pad: 0, mask: 103)
        vocabulary = try Vocabulary(file: file, kind: .wpm,
                                    defaults: VocabularyDefaults(ids: ids, addBOS: true, addEOS: false, addSpacePrefix: false))
        func flag(_ key: String) throws(TokenizerError) -> Bool? {
            guard let v = file.metadata[key] else { return nil }
            if let b = v.boolValue { return b }
            throw TokenizerError(path: file.path, "\(key) must be a bool")
        }
        lowercase = try flag("tokenizer.ggml.normalizer.lowercase") ?? true
        stripAccents = try flag("tokenizer.ggml.normalizer.strip_accents") ?? lowercase
    }

    /// The [SEP] token that ends a sequence (`tokenizer.ggml.seperator_token_id`).
    public var sep: Int32? { vocabulary.ids.sep }
    /// The token that ends a sequence: [SEP].
    public var eos: Int32? { vocabulary.ids.sep }
    /// llama.cpp always starts a BERT sequence with [CLS].
    public var addBOS: Bool { true }
    /// llama.cpp always ends a BERT sequence with [SEP].
    public var addEOS: Bool { true }

    public func encode(_ text: String, addSpecial: Bool, parseSpecial: Bool) -> [Int32] {
        var output: [Int32] = []
        let bytes = Array(text.utf8)
        if addSpecial, let bos = vocabulary.ids.bos { output.append(bos) }
        bytes.withUnsafeBufferPointer { buf in
            for fragment in SpecialTokenPartition.split(buf, vocabulary: vocabulary, parseSpecial: parseSpecial) {
                switch fragment {
                case .token(let t): output.append(t)
                case .text(let range): tokenize(UnsafeBufferPointer(rebasing: buf[range]), into: &output)
                }
            }
        }
        if addSpecial, let sep = vocabulary.ids.sep { output.append(sep) }
        return output
    }

    public func piece(_ token: Int32) -> [UInt8] { vocabulary.piece(token) }

    /// Appends the tokens of a text fragment.
    private func tokenize(_ text: UnsafeBufferPointer<UInt8>, into output: inout [Int32]) {
        let maxLength = vocabulary.maxTokenLength
        for word in words(text) {
            var candidate: [UInt8] = [0xE2, 0x96, 0x81]
            candidate.append(contentsOf: word)
            let n = candidate.count
            let before = output.count
            candidate.withUnsafeBufferPointer { w in
                var i = 0
                while i < n {
                    var matched = false
                    var j = min(n, i + maxLength + 1)
                    while j > i {
                        if let t = vocabulary.lookup(UnsafeBufferPointer(rebasing: w[i..<j])) {
                            output.append(t)
                            matched = true
                            i = j
                            break
                        }
                        j -= 1
                    }
                    if !matched {
                        output.removeSubrange(before...)
                        break
                    }
                }
            }
            if output.count == before, let unk = vocabulary.ids.unk { output.append(unk) }
        }
    }

    /// The normalized words of a text fragment (UTF-8 each).
    private func words(_ text: UnsafeBufferPointer<UInt8>) -> [[UInt8]] {
        let table = UnicodeTables.shared
        let (cpts, _) = UTF8Scan.decode(text)
        var words: [[UInt8]] = []
        var current: [UInt8] = []
        func finish() {
            if !current.isEmpty { words.append(current); current.removeAll(keepingCapacity: true) }
        }
        for original in cpts {
            let cpt = stripAccents ? table.nfd(original) : original
            let flags = table.flags(cpt)
            if flags.contains(.whitespace) { finish(); continue }
            if cpt == 0 || cpt == 0xFFFD || flags.contains(.control) { continue }
            if stripAccents && flags.contains(.accentMark) { continue }
            let mapped = lowercase ? table.lowercase(cpt) : cpt
            if flags.contains(.punctuation) || (cpt < 0x7F && flags.contains(.symbol)) || Self.isCJK(cpt) {
                finish()
                UTF8Scan.append(mapped, to: &current)
                finish()
            } else {
                UTF8Scan.append(mapped, to: &current)
            }
        }
        finish()
        return words
    }

    /// The CJK ideograph ranges BERT isolates (llama.cpp's `is_chinese_char`, including its 0x2B920 start).
    static func isCJK(_ cpt: UInt32) -> Bool {
        (0x4E00...0x9FFF).contains(cpt) || (0x3400...0x4DBF).contains(cpt) || (0x20000...0x2A6DF).contains(cpt)
            || (0x2A700...0x2B73F).contains(cpt) || (0x2B740...0x2B81F).contains(cpt) || (0x2B920...0x2CEAF).contains(cpt)
            || (0xF900...0xFAFF).contains(cpt) || (0x2F800...0x2FA1F).contains(cpt)
    }
}
