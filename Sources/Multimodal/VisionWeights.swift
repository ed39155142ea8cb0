import Kernels

/// A layer norm's scale and optional shift.
struct NormWeights: Sendable {
    var weight: [Float]
    var bias: [Float]?
}

/// One transformer block of a CLIP/SigLIP-style vision tower (`v.blk.N.*`).
struct VisionBlock: @unchecked Sendable {
    var norm1: NormWeights
    var q, k, v, out: WeightMatrix
    var qBias, kBias, vBias, outBias: [Float]?
    /// InternViT's per-channel scales of the attention and feed-forward outputs.
    var attnScale, ffnScale: [Float]?
    var norm2: NormWeights
    var up, down: WeightMatrix
    var upBias, downBias: [Float]?
    var gate: WeightMatrix?
    var gateBias: [Float]?
}

/// The weights of the vision tower shared by every projector family: patch embedding, positions, blocks, norms.
struct VisionTowerWeights: @unchecked Sendable {
    /// [width rows, 3·patch² inputs] in im2col order (x fastest, then y, then channel).
    var patchEmbedding: WeightMatrix
    var patchBias: [Float]?
    /// [width] prepended (or appended) to the patches, CLIP style.
    var classEmbedding: [Float]?
    /// [positions, width].
    var positions: [Float]
    var positionCount: Int
    var preNorm: NormWeights?
    var postNorm: NormWeights?
    var blocks: [VisionBlock]

    /// Reads the tower, `blockCount` blocks of it, from `reader`.
    init(_ reader: TensorReader, _ hp: VisionHyperparameters, blockCount: Int) throws(MultimodalError) {
        let w = hp.width, p = hp.patchSize
        patchEmbedding = try reader.matrix("v.patch_embd.weight", cols: 3 * p * p, rows: w)
        patchBias = try reader.optionalValues("v.patch_embd.bias", count: w)
        classEmbedding = try reader.optionalValues("v.class_embd", count: w)
        let posShape = try reader.shape("v.position_embd.weight")
        guard posShape.count == 2, posShape[0] == w else {
            throw .file(reader.file.path, "tensor v.position_embd.weight has shape \(posShape), expected [\(w), positions]")
        }
        positionCount = posShape[1]
        positions = try reader.values("v.position_embd.weight", count: w * positionCount)
        func norm(_ prefix: String) throws(MultimodalError) -> NormWeights? {
            guard reader.has("\(prefix).weight") else { return nil }
            return NormWeights(weight: try reader.values("\(prefix).weight", count: w),
                               bias: try reader.optionalValues("\(prefix).bias", count: w))
        }
        preNorm = try norm("v.pre_ln")
        postNorm = try norm("v.post_ln")
        var blocks: [VisionBlock] = []
        for i in 0..<blockCount {
            let b = "v.blk.\(i)"
            guard let n1 = try norm("\(b).ln1"), let n2 = try norm("\(b).ln2") else {
                throw .file(reader.file.path, "missing tensor \(b).ln1.weight or \(b).ln2.weight")
            }
            // Some converters swap the names of the up and down projections: tell them apart by shape.
            var upName = "\(b).ffn_up", downName = "\(b).ffn_down"
            if try reader.shape("\(upName).weight").first == hp.feedForward { swap(&upName, &downName) }
            let gate = reader.has("\(b).ffn_gate.weight")
                ? try reader.matrix("\(b).ffn_gate.weight", cols: w, rows: hp.feedForward) : nil
            blocks.append(VisionBlock(
                norm1: n1,
                q: try reader.matrix("\(b).attn_q.weight", cols: w, rows: w),
                k: try reader.matrix("\(b).attn_k.weight", cols: w, rows: w),
                v: try reader.matrix("\(b).attn_v.weight", cols: w, rows: w),
                out: try reader.matrix("\(b).attn_out.weight", cols: w, rows: w),
                qBias: try reader.optionalValues("\(b).attn_q.bias", count: w),
                kBias: try reader.optionalValues("\(b).attn_k.bias", count: w),
                vBias: try reader.optionalValues("\(b).attn_v.bias", count: w),
                outBias: try reader.optionalValues("\(b).attn_out.bias", count: w),
                attnScale: try reader.optionalValues("\(b).ls1.weight", count: w),
                ffnScale: try reader.optionalValues("\(b).ls2.weight", count: w),
                norm2: n2,
                up: try reader.matrix("\(upName).weight", cols: w, rows: hp.feedForward),
                down: try reader.matrix("\(downName).weight", cols: hp.feedForward, rows: w),
                upBias: try reader.optionalValues("\(upName).bias", count: hp.feedForward),
                downBias: try reader.optionalValues("\(downName).bias", count: w),
                gate: gate,
                gateBias: gate == nil ? nil : try reader.optionalValues("\(b).ffn_gate.bias", count: hp.feedForward)))
        }
        self.blocks = blocks
    }
}
