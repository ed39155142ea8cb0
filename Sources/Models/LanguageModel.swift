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

/// A decoder-only language model that turns token ids into next-token logits.
public protocol LanguageModel: AnyObject {
    var hyperparameters: Hyperparameters { get }

    /// A cache for up to `capacity` positions; refused (before allocating) when it would not fit in memory.
    func makeCache(capacity: Int) throws(ModelError) -> KVCache

    /// Evaluates `tokens` at positions `cache.count…`, appending them to the cache.
    ///
    /// Returns logits as [rows, vocabularySize] f32 (rows = 1 for `.last`, tokens.count for `.all`);
    /// the buffer stays valid until the next call.
    func evaluate(_ tokens: [Int32], cache: KVCache, logits: LogitsRequest) throws(ModelError) -> UnsafeBufferPointer<Float>
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
