import Foundation
import GGUF
import Kernels

/// Which positions of an evaluated batch need logits.
public enum LogitsRequest: Sendable {
    /// Only the last token's (generation).
    case last
    /// Every token's (scoring, `nook logits`).
    case all
}

/// Prompt rows that come from an encoder instead of the vocabulary: an image's or a clip's projected embeddings.
public struct EmbeddingRows: Sendable, Equatable {
    /// [count, width] f32, row-major; width is the model's embedding width.
    public var values: [Float]
    public var count: Int
    /// The rows attend to each other in both directions (Gemma 3 images), not only causally.
    public var bidirectional: Bool

    public init(values: [Float], count: Int, bidirectional: Bool = false) {
        self.values = values
        self.count = count
        self.bidirectional = bidirectional
    }
}

/// What one call to ``LanguageModel/evaluate(_:cache:logits:)`` appends to the cache.
public enum ModelInput: Sendable {
    /// Token ids, embedded through the model's vocabulary table.
    case tokens([Int32])
    /// Rows already in the model's embedding space.
    case embeddings(EmbeddingRows)

    /// How many positions the input fills.
    public var count: Int {
        switch self {
        case .tokens(let t): return t.count
        case .embeddings(let e): return e.count
        }
    }

    /// Refuses input a model of shape `hp` cannot evaluate into `cache`: too long, ids outside the vocabulary, rows of
    /// the wrong width, or a bidirectional chunk longer than one batch of `maxBatch`.
    func check(_ hp: Hyperparameters, cache: KVCache, maxBatch: Int, path: String) throws(ModelError) {
        guard cache.count + count <= cache.capacity else {
            throw .contextFull(capacity: cache.capacity, needed: cache.count + count)
        }
        switch self {
        case .tokens(let tokens):
            for t in tokens where t < 0 || Int(t) >= hp.vocabularySize {
                throw .tokenOutOfRange(t, vocabularySize: hp.vocabularySize)
            }
        case .embeddings(let e):
            guard e.values.count == e.count * hp.dim else {
                throw .invalid(path: path, "\(e.values.count) embedding values do not make \(e.count) rows of this model's width \(hp.dim)")
            }
            if e.bidirectional, e.count > maxBatch {
                throw .invalid(path: path, "an image of \(e.count) rows that attend both ways does not fit one batch of \(maxBatch)")
            }
        }
    }
}

extension ModelInput {
    /// Puts the input into `x` a batch of at most `maxBatch` rows at a time (token ids through `embed(id, row)`,
    /// embedding rows copied) and calls `forward(count, bidirectional, logitsRow)` after each: the batch's size,
    /// whether its rows attend both ways, and where its logits go (every row from that index for `.all`, the last
    /// batch's last row at 0 for `.last`, nil for none).
    func forEachBatch(maxBatch: Int, width: Int, logits request: LogitsRequest, into x: UnsafeMutablePointer<Float>,
                      embed: (Int32, UnsafeMutablePointer<Float>) -> Void,
                      forward: (_ count: Int, _ bidirectional: Bool, _ logitsRow: Int?) -> Void) {
        let total = count
        var start = 0
        while start < total {
            let n = min(maxBatch, total - start)
            let out: Int? = request == .all ? start : (start + n == total ? 0 : nil)
            switch self {
            case .tokens(let tokens):
                for (i, tok) in tokens[start..<start + n].enumerated() { embed(tok, x + i * width) }
                forward(n, false, out)
            case .embeddings(let e):
                e.values.withUnsafeBufferPointer { src in
                    guard let base = src.baseAddress else { return }
                    x.update(from: base + start * width, count: n * width)
                }
                forward(n, e.bidirectional, out)
            }
            start += n
        }
    }
}

extension KVCache {
    /// The cache of a decoder shaped `hp` (every layer, its KV heads × head size a row); a q8_0 cache needs head
    /// sizes in multiples of 32.
    static func forDecoder(_ hp: Hyperparameters, capacity: Int, type: KVCacheType, path: String) throws(ModelError) -> KVCache {
        if type == .q8_0, hp.headDim % 32 != 0 {
            throw .invalid(path: path, "a q8_0 KV cache needs a head size that is a multiple of 32 (this model's is \(hp.headDim)): use --kv-type f16")
        }
        return try KVCache(capacity: capacity, layers: hp.layers, rowSize: hp.kvHeads * hp.headDim, type: type)
    }
}

/// A decoder-only language model that turns token ids (and encoder rows) into next-token logits.
public protocol LanguageModel: AnyObject {
    var hyperparameters: Hyperparameters { get }

    /// A cache for up to `capacity` positions; refused (before allocating) when it would not fit in memory.
    func makeCache(capacity: Int) throws(ModelError) -> KVCache

    /// Evaluates `input` at positions `cache.count…`, appending it to the cache.
    ///
    /// Returns logits as [rows, vocabularySize] f32 (rows = 1 for `.last`, input.count for `.all`);
    /// the buffer stays valid until the next call.
    func evaluate(_ input: ModelInput, cache: KVCache, logits: LogitsRequest) throws(ModelError) -> UnsafeBufferPointer<Float>
}

extension LanguageModel {
    /// Evaluates token ids: ``evaluate(_:cache:logits:)`` with `.tokens`.
    public func evaluate(_ tokens: [Int32], cache: KVCache, logits: LogitsRequest) throws(ModelError) -> UnsafeBufferPointer<Float> {
        try evaluate(.tokens(tokens), cache: cache, logits: logits)
    }
}

/// Options for loading a model.
public struct ModelOptions: Sendable {
    /// Worker threads for matrix products (including the caller's).
    public var threads: Int
    /// Largest number of tokens evaluated in one pass; longer inputs are split.
    public var maxBatch: Int
    /// How the KV cache stores keys and values (f16 by default, as llama.cpp).
    public var kvType: KVCacheType

    public init(threads: Int = ModelOptions.defaultThreads, maxBatch: Int = 512, kvType: KVCacheType = .f16) {
        self.threads = max(1, threads)
        self.maxBatch = max(1, maxBatch)
        self.kvType = kvType
    }

    /// One thread per core.
    public static var defaultThreads: Int { max(1, ProcessInfo.processInfo.activeProcessorCount) }
}
