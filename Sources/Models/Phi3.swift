import GGUF
import Kernels

/// Phi-3: the llama decoder with NEOX rope, a fused QKV projection and a fused gate/up projection.
enum Phi3 {
    static func load(_ l: WeightLoader, _ hp: Hyperparameters) throws(ModelError) -> DecoderWeights {
        let qDim = hp.heads * hp.headDim, kvDim = hp.kvHeads * hp.headDim
        var blocks: [BlockWeights] = []
        for i in 0..<hp.layers {
            let p = "blk.\(i)."
            // attn_qkv rows: [q | k | v]; ffn_up rows: [gate | up].
            let qkv = try l.matrix(p + "attn_qkv.weight", cols: hp.dim, rows: qDim + 2 * kvDim)
            let gateUp = try l.matrix(p + "ffn_up.weight", cols: hp.dim, rows: 2 * hp.ffnDim)
            blocks.append(BlockWeights(
                attnNorm: try l.vector(p + "attn_norm.weight", count: hp.dim),
                wq: qkv.rows(0, qDim), wk: qkv.rows(qDim, kvDim), wv: qkv.rows(qDim + kvDim, kvDim),
                bq: nil, bk: nil, bv: nil, qNorm: nil, kNorm: nil,
                wo: try l.matrix(p + "attn_output.weight", cols: qDim, rows: hp.dim),
                ffnNorm: try l.vector(p + "ffn_norm.weight", count: hp.dim),
                gate: gateUp.rows(0, hp.ffnDim), up: gateUp.rows(hp.ffnDim, hp.ffnDim),
                down: try l.matrix(p + "ffn_down.weight", cols: hp.ffnDim, rows: hp.dim)))
        }
        if l.has("rope_factors_long.weight") || l.has("blk.0.rope_factors_long.weight") {
            throw .invalid(path: l.file.path, "Phi-3 long-context rope factors (128k variants) are not supported yet")
        }
        return try DecoderWeights.loadShared(l, hp, blocks: blocks)
    }
}
