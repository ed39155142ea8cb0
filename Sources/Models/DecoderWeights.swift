import GGUF
import Kernels

/// The weights of one transformer block of the llama family.
struct BlockWeights {
    var attnNorm: [Float]          // [dim]
    var wq: WeightMatrix           // dim → heads·headDim
    var wk: WeightMatrix           // dim → kvHeads·headDim
    var wv: WeightMatrix           // dim → kvHeads·headDim
    var bq: [Float]?               // [heads·headDim]
    var bk: [Float]?               // [kvHeads·headDim]
    var bv: [Float]?               // [kvHeads·headDim]
    var qNorm: [Float]?            // [headDim], per-head RMS norm of queries (qwen3)
    var kNorm: [Float]?            // [headDim]
    var wo: WeightMatrix           // heads·headDim → dim
    var ffnNorm: [Float]           // [dim]
    var gate: WeightMatrix         // dim → ffnDim
    var up: WeightMatrix           // dim → ffnDim
    var down: WeightMatrix         // ffnDim → dim
}

/// All weights of a llama-family decoder, pointing into the memory-mapped file.
struct DecoderWeights {
    var embedding: WeightMatrix    // vocab rows of dim
    var blocks: [BlockWeights]
    var outputNorm: [Float]        // [dim]
    var output: WeightMatrix       // dim → vocab (the embedding when tied)
    var ropeFactors: [Float]?      // [ropeDimensions / 2]

    /// Loads the standard llama/qwen2/qwen3 tensor set.
    static func loadStandard(_ l: WeightLoader, _ hp: Hyperparameters, requireBiases: Bool, qkNorm: Bool) throws(ModelError) -> DecoderWeights {
        let qDim = hp.heads * hp.headDim, kvDim = hp.kvHeads * hp.headDim
        var blocks: [BlockWeights] = []
        for i in 0..<hp.layers {
            let p = "blk.\(i)."
            let bias: (String, Int) throws(ModelError) -> [Float]? = { name, n throws(ModelError) in
                requireBiases ? try l.vector(p + name, count: n) : try l.optionalVector(p + name, count: n)
            }
            blocks.append(BlockWeights(
                attnNorm: try l.vector(p + "attn_norm.weight", count: hp.dim),
                wq: try l.matrix(p + "attn_q.weight", cols: hp.dim, rows: qDim),
                wk: try l.matrix(p + "attn_k.weight", cols: hp.dim, rows: kvDim),
                wv: try l.matrix(p + "attn_v.weight", cols: hp.dim, rows: kvDim),
                bq: try bias("attn_q.bias", qDim),
                bk: try bias("attn_k.bias", kvDim),
                bv: try bias("attn_v.bias", kvDim),
                qNorm: qkNorm ? try l.vector(p + "attn_q_norm.weight", count: hp.headDim) : nil,
                kNorm: qkNorm ? try l.vector(p + "attn_k_norm.weight", count: hp.headDim) : nil,
                wo: try l.matrix(p + "attn_output.weight", cols: qDim, rows: hp.dim),
                ffnNorm: try l.vector(p + "ffn_norm.weight", count: hp.dim),
                gate: try l.matrix(p + "ffn_gate.weight", cols: hp.dim, rows: hp.ffnDim),
                up: try l.matrix(p + "ffn_up.weight", cols: hp.dim, rows: hp.ffnDim),
                down: try l.matrix(p + "ffn_down.weight", cols: hp.ffnDim, rows: hp.dim)))
        }
        return try loadShared(l, hp, blocks: blocks)
    }

    /// Embedding, final norm, output head (tied to the embedding when absent) and rope factors.
    static func loadShared(_ l: WeightLoader, _ hp: Hyperparameters, blocks: [BlockWeights]) throws(ModelError) -> DecoderWeights {
        let embedding = try l.matrix("token_embd.weight", cols: hp.dim, rows: hp.vocabularySize)
        let output = l.has("output.weight")
            ? try l.matrix("output.weight", cols: hp.dim, rows: hp.vocabularySize) : embedding
        return DecoderWeights(
            embedding: embedding, blocks: blocks,
            outputNorm: try l.vector("output_norm.weight", count: hp.dim),
            output: output,
            ropeFactors: try l.optionalVector("rope_freqs.weight", count: hp.ropeDimensions / 2))
    }
}
