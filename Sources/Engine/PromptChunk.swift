import Models

/// A run of the prompt: token ids, or rows of encoder embeddings (an image tile) placed at consecutive positions.
public enum PromptChunk: Sendable, Equatable {
    case tokens([Int32])
    /// Embedding rows with an identity (`key`) that tells whether a cached copy of them can be reused.
    case embeddings(EmbeddingRows, key: String)

    /// Positions the chunk fills.
    public var count: Int {
        switch self {
        case .tokens(let t): t.count
        case .embeddings(let e, _): e.count
        }
    }
}

/// What one cached position holds, for matching a new prompt against the cache.
enum CachedItem: Equatable {
    case token(Int32)
    /// Row `row` of the embedding block named `key`.
    case row(key: String, row: Int, of: Int)
}

extension [PromptChunk] {
    /// Every position of the prompt as a cache item.
    var items: [CachedItem] {
        var out: [CachedItem] = []
        for c in self {
            switch c {
            case .tokens(let t): out += t.map(CachedItem.token)
            case .embeddings(let e, let key): out += (0..<e.count).map { .row(key: key, row: $0, of: e.count) }
            }
        }
        return out
    }

    /// The token ids of the text chunks, in order.
    var textTokens: [Int32] {
        flatMap { c -> [Int32] in if case .tokens(let t) = c { t } else { [] } }
    }

    /// The chunks from position `start` on (a chunk split at `start` keeps its tail).
    func dropping(positions start: Int) -> [PromptChunk] {
        var out: [PromptChunk] = [], at = 0
        for c in self {
            let n = c.count
            defer { at += n }
            if at + n <= start { continue }
            let skip = Swift.max(0, start - at)
            switch c {
            case .tokens(let t): out.append(.tokens([Int32](t[skip...])))
            case .embeddings(let e, let key):
                let w = e.count == 0 ? 0 : e.values.count / e.count
                let rows = EmbeddingRows(values: [Float](e.values[(skip * w)...]), count: e.count - skip,
                                         bidirectional: e.bidirectional)
                out.append(.embeddings(rows, key: key))
            }
        }
        return out
    }
}
