import Kernels

/// Where a CLIP-style class token sits in the sequence the blocks see.
enum ClassTokenPlacement: Sendable {
    case none, first, last
}

/// The forward pass of a CLIP/SigLIP vision tower (llama.cpp's `build_vit`), one image tile at a time.
///
/// Buffers for a tile of n tokens (patches, plus the class token if any) and width d:
///   x        [n, d]   the residual stream
///   h        [n, d]   the normed input of a sub-layer, then a sub-layer's output
///   q, k, v  [n, d]   the projections; k and v are rounded to f16 for the attention, as llama.cpp's flash
///                     attention stores them
///   attn     [n, d]   the attention output before its projection
///   ff, gate [n, ffn] the feed-forward hidden layer
final class VisionTransformer: @unchecked Sendable {
    let hp: VisionHyperparameters
    let weights: VisionTowerWeights
    let classToken: ClassTokenPlacement
    private let gelu = GELUTable()
    private let quickGELU: VisionOps.QuickGELUTable?

    init(hp: VisionHyperparameters, weights: VisionTowerWeights, classToken: ClassTokenPlacement) {
        self.hp = hp
        self.weights = weights
        self.classToken = weights.classEmbedding == nil ? .none : classToken
        quickGELU = hp.activation == .quickGELU ? VisionOps.QuickGELUTable() : nil
    }

    /// The tower's output for one tile of planar pixels ([3, height, width]): [tokens, width] with tokens = patches
    /// (+1 with a class token). `blocks` limits how many blocks run; `postNorm` applies `v.post_ln` when present.
    func forward(_ pixels: [Float], width: Int, height: Int, matmul: MatMul, blocks: Int? = nil,
                 postNorm: Bool = true) throws(MultimodalError) -> [Float] {
        let p = hp.patchSize, d = hp.width
        let patches = (width / p) * (height / p)
        let n = patches + (classToken == .none ? 0 : 1)
        guard n <= weights.positionCount else {
            throw MultimodalError("an image of \(width)×\(height) gives \(n) positions; the encoder has \(weights.positionCount)")
        }
        let s = Scratch(tokens: n, width: d, ffn: hp.feedForward, headDim: hp.headDim)
        let x = s.x.p
        let cols = Buffer<Float>(im2col(pixels, width: width, height: height))
        let patchStart = classToken == .first ? 1 : 0
        matmul.forward(weights.patchEmbedding, input: cols.p, tokens: patches, output: x + patchStart * d)
        VisionOps.addBias(x + patchStart * d, rows: patches, weights.patchBias)
        if let cls = weights.classEmbedding {
            let at = classToken == .first ? 0 : patches
            for i in 0..<d { x[at * d + i] = cls[i] }
        }
        weights.positions.withUnsafeBufferPointer { pos in for i in 0..<(n * d) { x[i] += pos[i] } }
        if let pre = weights.preNorm { VisionOps.layerNorm(x, rows: n, n: d, pre, eps: hp.eps) }
        let count = min(blocks ?? weights.blocks.count, weights.blocks.count)
        for b in weights.blocks.prefix(count) { block(b, n: n, matmul: matmul, s) }
        if postNorm, let post = weights.postNorm { VisionOps.layerNorm(x, rows: n, n: d, post, eps: hp.eps) }
        return Array(UnsafeBufferPointer(start: x, count: n * d))
    }

    /// Patches as im2col rows [patches, 3·p·p]: x fastest, then y, then channel (the kernel's layout).
    private func im2col(_ pixels: [Float], width: Int, height: Int) -> [Float] {
        let p = hp.patchSize, nx = width / p, ny = height / p, k = 3 * p * p
        var out = [Float](repeating: 0, count: nx * ny * k)
        let plane = width * height
        for py in 0..<ny {
            for px in 0..<nx {
                let row = (py * nx + px) * k
                for c in 0..<3 {
                    for ky in 0..<p {
                        let src = c * plane + (py * p + ky) * width + px * p
                        let dst = row + (c * p + ky) * p
                        for kx in 0..<p { out[dst + kx] = pixels[src + kx] }
                    }
                }
            }
        }
        return out
    }

    /// Work buffers of one tile.
    private final class Scratch {
        let x, h, q, k, v, attn, ff, gate: Buffer<Float>
        /// One head at a time: its queries [n, hd], scores [n, n], values transposed [hd, n] and output [n, hd].
        let headQ, scores, headVT, headOut: Buffer<Float>

        init(tokens n: Int, width d: Int, ffn: Int, headDim hd: Int) {
            x = Buffer(n * d); h = Buffer(n * d); q = Buffer(n * d); k = Buffer(n * d); v = Buffer(n * d)
            attn = Buffer(n * d); ff = Buffer(n * ffn); gate = Buffer(n * ffn)
            headQ = Buffer(n * hd); scores = Buffer(n * n); headVT = Buffer(hd * n); headOut = Buffer(n * hd)
        }
    }

    private func block(_ b: VisionBlock, n: Int, matmul: MatMul, _ s: Scratch) {
        let d = hp.width, f = hp.feedForward
        let x = s.x.p, h = s.h.p
        // Attention sub-layer.
        h.update(from: x, count: n * d)
        VisionOps.layerNorm(h, rows: n, n: d, b.norm1, eps: hp.eps)
        matmul.forward([b.q, b.k, b.v], input: h, tokens: n, outputs: [s.q.p, s.k.p, s.v.p])
        VisionOps.addBias(s.q.p, rows: n, b.qBias)
        VisionOps.addBias(s.k.p, rows: n, b.kBias)
        VisionOps.addBias(s.v.p, rows: n, b.vBias)
        attention(n: n, matmul: matmul, s)
        matmul.forward(b.out, input: s.attn.p, tokens: n, output: h)
        VisionOps.addBias(h, rows: n, b.outBias)
        if let ls = b.attnScale { VisionOps.scaleColumns(h, rows: n, ls) }
        Ops.add(x, h, n * d)
        // Feed-forward sub-layer.
        h.update(from: x, count: n * d)
        VisionOps.layerNorm(h, rows: n, n: d, b.norm2, eps: hp.eps)
        matmul.forward(b.up, input: h, tokens: n, output: s.ff.p)
        VisionOps.addBias(s.ff.p, rows: n, b.upBias)
        if let gate = b.gate {
            matmul.forward(gate, input: h, tokens: n, output: s.gate.p)
            VisionOps.addBias(s.gate.p, rows: n, b.gateBias)
            activate(s.gate.p, n * f)
            for i in 0..<(n * f) { s.ff.p[i] *= s.gate.p[i] }
        } else {
            activate(s.ff.p, n * f)
        }
        matmul.forward(b.down, input: s.ff.p, tokens: n, output: h)
        VisionOps.addBias(h, rows: n, b.downBias)
        if let ls = b.ffnScale { VisionOps.scaleColumns(h, rows: n, ls) }
        Ops.add(x, h, n * d)
    }

    private func activate(_ x: UnsafeMutablePointer<Float>, _ count: Int) {
        switch hp.activation {
        case .gelu: VisionOps.gelu(x, count, gelu)
        case .quickGELU: quickGELU?.apply(x, count)
        case .silu: VisionOps.silu(x, count)
        }
    }

    /// Full (bidirectional) multi-head attention of q over k, v into `attn`, head by head as two matrix products
    /// (scores = q·kᵀ, then softmax, then scores·v) with k and v rounded to f16 and the rest in f32, which is what
    /// llama.cpp's tiled flash attention computes for batches this large.
    private func attention(n: Int, matmul: MatMul, _ s: Scratch) {
        let d = hp.width, hd = hp.headDim
        let scale = 1 / Float(hd).squareRoot()
        Half.roundToHalf(s.k.p, count: n * d)
        Half.roundToHalf(s.v.p, count: n * d)
        let q = s.headQ.p, scores = s.scores.p, vt = s.headVT.p, out = s.headOut.p
        for head in 0..<hp.heads {
            let off = head * hd
            for t in 0..<n { (q + t * hd).update(from: s.q.p + t * d + off, count: hd) }
            for t in 0..<n { for c in 0..<hd { vt[c * n + t] = s.v.p[t * d + off + c] } }
            var keys = WeightMatrix(type: .f32, rows: n, cols: hd, data: UnsafeRawPointer(s.k.p + off))
            keys.rowBytes = d * MemoryLayout<Float>.stride
            matmul.forward(keys, input: q, tokens: n, output: scores)
            matmul.pool.parallelFor(n) { t in Attention.softmax(scores + t * n, count: n, scale: scale) }
            matmul.forward(WeightMatrix(type: .f32, rows: hd, cols: n, data: UnsafeRawPointer(vt)), input: scores,
                           tokens: n, output: out)
            for t in 0..<n { (s.attn.p + t * d + off).update(from: out + t * hd, count: hd) }
        }
    }
}
