import GGUF

/// SentencePiece-style BPE (`tokenizer.ggml.model = llama`): spaces become ▁, a space is
/// prefixed to text that follows a special token (or starts the input) when
/// `tokenizer.ggml.add_space_prefix` says so, and adjacent symbols merge best score first; text
/// no token covers falls back to `<0xAB>` byte tokens. As llama.cpp's `llm_tokenizer_spm`.
public final class SentencePieceTokenizer: Tokenizer, VocabularyBacked {
    let vocabulary: Vocabulary
    /// Token of each byte for byte fallback, or -1 (shape: [256]).
    private let byteTokens: [Int32]

    init(file: GGUFFile) throws(TokenizerError) {
        let ids = SpecialTokenIDs(bos: 1, eos: 2, unk: 0)
        let vocabulary = try Vocabulary(file: file, kind: .spm,
                                        defaults: VocabularyDefaults(ids: ids, addBOS: true, addEOS: false, addSpacePrefix: true))
        self.vocabulary = vocabulary
        let hex = Array("0123456789ABCDEF".utf8)
        byteTokens = (0..<256).map { b in
            let name: [UInt8] = [UInt8(ascii: "<"), UInt8(ascii: "0"), UInt8(ascii: "x"), hex[b >> 4], hex[b & 15], UInt8(ascii: ">")]
            if let t = name.withUnsafeBufferPointer({ vocabulary.lookup($0) }) { return t }
            return [UInt8(b)].withUnsafeBufferPointer { vocabulary.lookup($0) } ?? -1
        }
    }

    public var eos: Int32? { vocabulary.ids.eos }
    public var addBOS: Bool { vocabulary.addBOS }
    public var addEOS: Bool { vocabulary.addEOS }

    public func encode(_ text: String, addSpecial: Bool, parseSpecial: Bool) -> [Int32] {
        var output: [Int32] = []
        let bytes = Array(text.utf8)
        var previousWasSpecial = true
        if addSpecial && addBOS, let bos = vocabulary.ids.bos { output.append(bos) }
        bytes.withUnsafeBufferPointer { buf in
            for fragment in SpecialTokenPartition.split(buf, vocabulary: vocabulary, parseSpecial: parseSpecial) {
                switch fragment {
                case .token(let t):
                    output.append(t)
                    previousWasSpecial = true
                case .text(let range):
                    var escaped: [UInt8] = []
                    escaped.reserveCapacity(range.count + 3)
                    if vocabulary.addSpacePrefix && previousWasSpecial { escaped.append(contentsOf: [0xE2, 0x96, 0x81]) }
                    for b in buf[range] {
                        if b == 0x20 { escaped.append(contentsOf: [0xE2, 0x96, 0x81]) } else { escaped.append(b) }
                    }
                    escaped.withUnsafeBufferPointer { tokenize($0, into: &output) }
                    previousWasSpecial = false
                }
            }
        }
        if addSpecial && addEOS, let eos = vocabulary.ids.eos { output.append(eos) }
        return output
    }

    public func piece(_ token: Int32) -> [UInt8] { vocabulary.piece(token) }

    /// A candidate merge; the best score goes first, then the leftmost.
    private struct Bigram: HeapElement {
        var score: Float
        var left: Int32
        var right: Int32
        var length: Int32

        static func outranks(_ a: Bigram, _ b: Bigram) -> Bool {
            a.score > b.score || (a.score == b.score && a.left < b.left)
        }
    }

    /// Appends the tokens of escaped text (spaces already ▁).
    private func tokenize(_ text: UnsafeBufferPointer<UInt8>, into output: inout [Int32]) {
        guard !text.isEmpty else { return }
        var symbols: [MergeSymbol] = []
        var offset = 0
        while offset < text.count {
            let length = min(UTF8Scan.sequenceLength(text[offset]), text.count - offset)
            let index = Int32(symbols.count)
            symbols.append(MergeSymbol(start: Int32(offset), length: Int32(length), prev: index - 1,
                                       next: offset + length == text.count ? -1 : index + 1, piece: -1))
            offset += length
        }
        var queue = BinaryHeap<Bigram>()
        func addBigram(_ left: Int32, _ right: Int32) {
            guard left >= 0, right >= 0 else { return }
            let l = symbols[Int(left)], r = symbols[Int(right)]
            let span = UnsafeBufferPointer(rebasing: text[Int(l.start)..<Int(l.start + l.length + r.length)])
            guard let t = vocabulary.lookup(span) else { return }
            queue.push(Bigram(score: vocabulary.scores[Int(t)], left: left, right: right, length: l.length + r.length))
        }
        for i in 1..<max(symbols.count, 1) { addBigram(Int32(i - 1), Int32(i)) }
        while let b = queue.pop() {
            let l = symbols[Int(b.left)], r = symbols[Int(b.right)]
            guard l.length > 0, r.length > 0, l.length + r.length == b.length else { continue }
            symbols[Int(b.left)].length = b.length
            symbols[Int(b.left)].next = r.next
            symbols[Int(b.right)].length = 0
            if r.next >= 0 { symbols[Int(r.next)].prev = b.left }
            addBigram(l.prev, b.left)
            addBigram(b.left, r.next)
        }
        var i: Int32 = 0
        while i >= 0 {
            let s = symbols[Int(i)]
            let span = UnsafeBufferPointer(rebasing: text[Int(s.start)..<Int(s.start + s.length)])
            if let t = vocabulary.lookup(span) {
                output.append(t)
            } else {
                // Byte fallback. llama.cpp fails when a byte has no token; here the unknown token stands in.
                for byte in span {
                    let t = byteTokens[Int(byte)]
                    if t >= 0 { output.append(t) } else if let unk = vocabulary.ids.unk { output.append(unk) }
                }
            }
            i = s.next
        }
    }
}
