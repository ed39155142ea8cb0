import GGUF

/// Byte-level BPE (`tokenizer.ggml.model = gpt2`): the text is cut into words by the
/// pre-tokenizer `tokenizer.ggml.pre` selects, each word's bytes are mapped to GPT-2's printable
/// characters and merged by `tokenizer.ggml.merges` rank, as llama.cpp's `llm_tokenizer_bpe`.
public final class BPETokenizer: Tokenizer, VocabularyBacked {
    let vocabulary: Vocabulary
    let preTokenizer: PreTokenizer
    /// Merges by piece-id pair.
    private let merges: MergeTable
    /// Piece id of each byte's mapped character, or -1 (shape: [256]).
    private let bytePiece: [Int32]

    init(file: GGUFFile) throws(TokenizerError) {
        let preName = file.string("tokenizer.ggml.pre")
        if file.metadata["tokenizer.ggml.pre"] != nil && preName == nil {
            throw TokenizerError(path: file.path, "tokenizer.ggml.pre must be a string")
        }
        guard let pre = PreTokenizer.named(preName) else {
            throw TokenizerError(path: file.path, "unknown tokenizer.ggml.pre '\(preName ?? "")' for a gpt2 vocabulary")
        }
        preTokenizer = pre
        let ids = SpecialTokenIDs(bos: pre.noDefaultBOS ? nil : 11, eos: 11)
        let vocabulary = try Vocabulary(file: file, kind: .bpe,
                                        defaults: VocabularyDefaults(ids: ids, addBOS: pre.addBOS, addEOS: false, addSpacePrefix: false))
        self.vocabulary = vocabulary

        guard let mergeValue = file.metadata["tokenizer.ggml.merges"] else {
            throw TokenizerError(path: file.path, "missing tokenizer.ggml.merges (needed by a gpt2 vocabulary)")
        }
        guard case .array(.string, let mergeStrings) = mergeValue else {
            throw TokenizerError(path: file.path, "tokenizer.ggml.merges must be an array of strings")
        }
        // Pieces: every vocabulary string keeps its token id; merge halves and results that are
        // not tokens get ids from the vocabulary size up.
        var pieces = vocabulary.table
        var table = MergeTable(capacity: mergeStrings.count)
        var nextPiece = Int32(vocabulary.count)
        func intern(_ bytes: UnsafeBufferPointer<UInt8>) -> Int32 {
            let id = pieces.insert(bytes, value: nextPiece, replace: false)
            if id == nextPiece { nextPiece += 1 }
            return id
        }
        for (rank, value) in mergeStrings.enumerated() {
            let bytes = Array((value.stringValue ?? "").utf8)
            // Split at the first space after the first byte, as llama.cpp; merges without one never apply.
            guard bytes.count > 1, let space = bytes[1...].firstIndex(of: 0x20) else { continue }
            bytes.withUnsafeBufferPointer { all in
                let left = intern(UnsafeBufferPointer(rebasing: all[0..<space]))
                let right = intern(UnsafeBufferPointer(rebasing: all[(space + 1)...]))
                var joined = Array(all[0..<space])
                joined.append(contentsOf: all[(space + 1)...])
                let result = joined.withUnsafeBufferPointer { intern($0) }
                table.insertIfAbsent(left: left, right: right, rank: Int32(rank), result: result)
            }
        }
        merges = table
        bytePiece = ByteLevel.encoded.map { $0.withUnsafeBufferPointer { pieces.lookup($0) ?? -1 } }
    }

    public var eos: Int32? { vocabulary.ids.eos }
    public var addBOS: Bool { vocabulary.addBOS }
    public var addEOS: Bool { vocabulary.addEOS }

    public func encode(_ text: String, addSpecial: Bool, parseSpecial: Bool) -> [Int32] {
        var output: [Int32] = []
        let bytes = Array(text.utf8)
        var scratch = Scratch()
        if addSpecial && addBOS, let bos = vocabulary.ids.bos { output.append(bos) }
        bytes.withUnsafeBufferPointer { buf in
            for fragment in SpecialTokenPartition.split(buf, vocabulary: vocabulary, parseSpecial: parseSpecial) {
                switch fragment {
                case .token(let t): output.append(t)
                case .text(let range):
                    let piece = UnsafeBufferPointer(rebasing: buf[range])
                    for word in preTokenizer.split(piece) {
                        encodeWord(UnsafeBufferPointer(rebasing: piece[word]), into: &output, scratch: &scratch)
                    }
                }
            }
        }
        if addSpecial && addEOS, let eos = vocabulary.ids.eos { output.append(eos) }
        return output
    }

    public func piece(_ token: Int32) -> [UInt8] { vocabulary.piece(token) }

    /// Reusable buffers for merging words.
    private struct Scratch {
        var symbols: [MergeSymbol] = []
        var queue = BinaryHeap<Bigram>()
        var encoded: [UInt8] = []
    }

    /// A candidate merge of two adjacent symbols; the lowest rank goes first, then the leftmost.
    private struct Bigram: HeapElement {
        var rank: Int32
        var left: Int32
        var right: Int32
        var length: Int32
        var result: Int32

        static func outranks(_ a: Bigram, _ b: Bigram) -> Bool {
            a.rank < b.rank || (a.rank == b.rank && a.left < b.left)
        }
    }

    /// The byte-level form of raw bytes: each byte as the UTF-8 of its mapped character.
    private func byteLevel(_ raw: UnsafeBufferPointer<UInt8>, into out: inout [UInt8]) {
        out.removeAll(keepingCapacity: true)
        for b in raw { out.append(contentsOf: ByteLevel.encoded[Int(b)]) }
    }

    /// Appends the tokens of one pre-tokenized word (raw UTF-8 bytes).
    private func encodeWord(_ word: UnsafeBufferPointer<UInt8>, into output: inout [Int32], scratch: inout Scratch) {
        let n = word.count
        guard n > 0 else { return }
        if preTokenizer.ignoreMerges {
            byteLevel(word, into: &scratch.encoded)
            if let t = scratch.encoded.withUnsafeBufferPointer({ vocabulary.lookup($0) }) {
                output.append(t)
                return
            }
        }
        var symbols = scratch.symbols
        symbols.removeAll(keepingCapacity: true)
        for i in 0..<n {
            symbols.append(MergeSymbol(start: Int32(i), length: 1, prev: Int32(i - 1),
                                       next: i + 1 < n ? Int32(i + 1) : -1, piece: bytePiece[Int(word[i])]))
        }
        var queue = scratch.queue
        queue.removeAll()
        func addBigram(_ left: Int32, _ right: Int32) {
            guard left >= 0, right >= 0 else { return }
            let l = symbols[Int(left)], r = symbols[Int(right)]
            guard l.piece >= 0, r.piece >= 0, let m = merges.find(left: l.piece, right: r.piece) else { return }
            queue.push(Bigram(rank: m.rank, left: left, right: right, length: l.length + r.length, result: m.result))
        }
        for i in 1..<max(n, 1) { addBigram(Int32(i - 1), Int32(i)) }
        while let b = queue.pop() {
            let l = symbols[Int(b.left)], r = symbols[Int(b.right)]
            // Skip merges made stale by an earlier one.
            guard l.length > 0, r.length > 0, l.length + r.length == b.length else { continue }
            symbols[Int(b.left)].length = b.length
            symbols[Int(b.left)].piece = b.result
            symbols[Int(b.left)].next = r.next
            symbols[Int(b.right)].length = 0
            if r.next >= 0 { symbols[Int(r.next)].prev = b.left }
            addBigram(l.prev, b.left)
            addBigram(b.left, r.next)
        }
        var i: Int32 = 0
        while i >= 0 {
            let s = symbols[Int(i)]
            if s.piece >= 0 && Int(s.piece) < vocabulary.count {
                output.append(s.piece)
            } else {
                // No token for this text: llama.cpp looks each byte of its byte-level form up alone.
                byteLevel(UnsafeBufferPointer(rebasing: word[Int(s.start)..<Int(s.start + s.length)]), into: &scratch.encoded)
                for b in scratch.encoded {
                    if let t = [b].withUnsafeBufferPointer({ vocabulary.lookup($0) }) { output.append(t) }
                }
            }
            i = s.next
        }
        scratch.symbols = symbols
        scratch.queue = queue
    }
}
