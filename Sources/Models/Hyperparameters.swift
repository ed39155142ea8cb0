import GGUF
import Kernels

/// The shape and constants of a decoder-only transformer, read from `<arch>.*` GGUF metadata.
public struct Hyperparameters: Sendable, Equatable {
    public var architecture: String
    /// Model width (`embedding_length`).
    public var dim: Int
    public var layers: Int
    public var heads: Int
    public var kvHeads: Int
    /// Per-head size of queries and keys (`attention.key_length`, else dim / heads).
    public var headDim: Int
    /// Hidden width of the feed-forward block.
    public var ffnDim: Int
    public var vocabularySize: Int
    /// Training context length (`context_length`).
    public var contextLength: Int
    public var rmsEps: Float
    public var ropeBase: Float
    /// Rotated dimensions per head (`rope.dimension_count`, else headDim).
    public var ropeDimensions: Int
    /// 1 / linear rope scaling factor.
    public var ropeFrequencyScale: Float

    /// Reads the hyperparameters of architecture `arch`; vocabulary size comes from the embedding tensor.
    public init(file: GGUFFile, architecture arch: String) throws(ModelError) {
        func req(_ k: String) throws(ModelError) -> Int {
            guard let v = file.int("\(arch).\(k)") else {
                if file.metadata["\(arch).\(k)"]?.arrayValue != nil {
                    throw .invalid(path: file.path, "\(arch).\(k) varies per layer, which nook does not support")
                }
                throw .invalid(path: file.path, "missing metadata \(arch).\(k)")
            }
            guard v > 0, v < 1 << 24 else { throw .invalid(path: file.path, "metadata \(arch).\(k) = \(v) is out of range") }
            return v
        }
        architecture = arch
        dim = try req("embedding_length")
        layers = try req("block_count")
        heads = try req("attention.head_count")
        kvHeads = file.int("\(arch).attention.head_count_kv") ?? heads
        ffnDim = try req("feed_forward_length")
        contextLength = try req("context_length")
        headDim = file.int("\(arch).attention.key_length") ?? (dim / heads)
        let valueDim = file.int("\(arch).attention.value_length") ?? headDim
        guard kvHeads > 0, heads % kvHeads == 0 else {
            throw .invalid(path: file.path, "head_count \(heads) is not a multiple of head_count_kv \(kvHeads)")
        }
        guard headDim > 0, valueDim == headDim, headDim % 2 == 0 else {
            throw .invalid(path: file.path, "unsupported head size (key \(headDim), value \(valueDim))")
        }
        rmsEps = Float(file.double("\(arch).attention.layer_norm_rms_epsilon") ?? 1e-5)
        ropeBase = Float(file.double("\(arch).rope.freq_base") ?? 10000)
        ropeDimensions = file.int("\(arch).rope.dimension_count") ?? headDim
        guard ropeDimensions > 0, ropeDimensions <= headDim, ropeDimensions % 2 == 0 else {
            throw .invalid(path: file.path, "rope.dimension_count \(ropeDimensions) does not fit head size \(headDim)")
        }
        ropeFrequencyScale = 1
        switch file.string("\(arch).rope.scaling.type") {
        case nil, "none": break
        case "linear":
            let f = file.double("\(arch).rope.scaling.factor") ?? 1
            if f > 0 { ropeFrequencyScale = Float(1 / f) }
        case let other?:
            throw .invalid(path: file.path, "rope scaling type \(other) is not supported")
        }
        guard let embd = file.tensor("token_embd.weight"), embd.shape.count == 2, embd.shape[0] == dim else {
            throw .invalid(path: file.path, "missing tensor token_embd.weight of width \(dim)")
        }
        vocabularySize = embd.shape[1]
    }
}
