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
        /// Keys transposed per head [heads, hd, n], and one head's scores [n, n].
        let headKT, scores: Buffer<Float>

        init(tokens n: Int, width d: Int, ffn: Int, headDim hd: Int) {
            x = Buffer(n * d); h = Buffer(n * d); q = Buffer(n * d); k = Buffer(n * d); v = Buffer(n * d)
            attn = Buffer(n * d); ff = Buffer(n * ffn); gate = Buffer(n * ffn)
            headKT = Buffer(d * n); scores = Buffer(n * n)
        }
    }

    /// Runs `body(r)` for every row r < n, rows split in contiguous runs over the pool's threads.
    private func eachRow(_ n: Int, _ pool: ThreadPool, _ body: (Int) -> Void) {
        let runs = min(n, max(1, pool.threadCount * 4))
        pool.parallelFor(runs) { i in
            for r in (i * n / runs)..<((i + 1) * n / runs) { body(r) }
        }
    }

    private func block(_ b: VisionBlock, n: Int, matmul: MatMul, _ s: Scratch) {
        let d = hp.width, f = hp.feedForward, eps = hp.eps, pool = matmul.pool
        let x = s.x.p, h = s.h.p
        // Attention sub-layer: h = norm1(x); q, k, v; attention; x += ls1 · (out(attn) + bias).
        eachRow(n, pool) { r in
            (h + r * d).update(from: x + r * d, count: d)
            VisionOps.layerNorm(h + r * d, rows: 1, n: d, b.norm1, eps: eps)
        }
        matmul.forward([b.q, b.k, b.v], input: h, tokens: n, outputs: [s.q.p, s.k.p, s.v.p])
        eachRow(n, pool) { r in
            VisionOps.addBias(s.q.p + r * d, rows: 1, b.qBias)
            VisionOps.addBias(s.k.p + r * d, rows: 1, b.kBias)
            VisionOps.addBias(s.v.p + r * d, rows: 1, b.vBias)
            Half.roundToHalf(s.k.p + r * d, count: d)
            Half.roundToHalf(s.v.p + r * d, count: d)
        }
        attention(n: n, matmul: matmul, s)
        matmul.forward(b.out, input: s.attn.p, tokens: n, output: h)
        // Then, row by row: the residual, and norm2 of it for the feed-forward sub-layer.
        eachRow(n, pool) { r in
            let hr = h + r * d, xr = x + r * d
            VisionOps.addBias(hr, rows: 1, b.outBias)
            if let ls = b.attnScale { VisionOps.scaleColumns(hr, rows: 1, ls) }
            Ops.add(xr, hr, d)
            hr.update(from: xr, count: d)
            VisionOps.layerNorm(hr, rows: 1, n: d, b.norm2, eps: eps)
        }
        // Feed-forward sub-layer: x += ls2 · (down(act(up(h) + bias) [· gate]) + bias).
        matmul.forward(b.up, input: h, tokens: n, output: s.ff.p)
        if let gate = b.gate { matmul.forward(gate, input: h, tokens: n, output: s.gate.p) }
        eachRow(n, pool) { r in
            let up = s.ff.p + r * f
            VisionOps.addBias(up, rows: 1, b.upBias)
            if b.gate != nil {
                let g = s.gate.p + r * f
                VisionOps.addBias(g, rows: 1, b.gateBias)
                activate(g, f)
                for i in 0..<f { up[i] *= g[i] }
            } else {
                activate(up, f)
            }
        }
        matmul.forward(b.down, input: s.ff.p, tokens: n, output: h)
        eachRow(n, pool) { r in
            let hr = h + r * d
            VisionOps.addBias(hr, rows: 1, b.downBias)
            if let ls = b.ffnScale { VisionOps.scaleColumns(hr, rows: 1, ls) }
            Ops.add(x + r * d, hr, d)
        }
    }

    private func activate(_ x: UnsafeMutablePointer<Float>, _ count: Int) {
        switch hp.activation {
        case .gelu: VisionOps.gelu(x, count, gelu)
        case .quickGELU: quickGELU?.apply(x, count)
        case .silu: VisionOps.silu(x, count)
        }
    }

    /// Full (bidirectional) multi-head attention of q over k, v into `attn`, head by head: scores = q·kᵀ, softmax,
    /// then scores·v, with k and v rounded to f16 and the rest in f32 — what llama.cpp's tiled flash attention
    /// computes for batches this large. Blocks of query rows are split over the pool's threads.
    private func attention(n: Int, matmul: MatMul, _ s: Scratch) {
        let d = hp.width, hd = hp.headDim
        let scale = 1 / Float(hd).squareRoot()
        let q = s.q.p, k = s.k.p, v = s.v.p, o = s.attn.p, kt = s.headKT.p, scores = s.scores.p
        let rowsPerTask = 16
        // Every head's keys transposed at once ([heads, hd, n]), split by head over the threads.
        matmul.pool.parallelFor(hp.heads) { head in
            let off = head * hd, dst = kt + head * hd * n
            for t in 0..<n { for c in 0..<hd { dst[c * n + t] = k[t * d + off + c] } }
        }
        for head in 0..<hp.heads {
            let off = head * hd, kt = kt + head * hd * n
            matmul.pool.parallelFor((n + rowsPerTask - 1) / rowsPerTask) { task in
                let r0 = task * rowsPerTask, rows = min(rowsPerTask, n - r0)
                let srows = scores + r0 * n
                Attention.product(a: q + r0 * d + off, lda: d, b: kt, ldb: n, c: srows, ldc: n, m: rows, n: n, k: hd)
                for r in 0..<rows { Attention.softmax(srows + r * n, count: n, scale: scale) }
                Attention.product(a: srows, lda: n, b: v + off, ldb: d, c: o + r0 * d + off, ldc: d, m: rows, n: hd, k: n)
            }
        }
    }
}
