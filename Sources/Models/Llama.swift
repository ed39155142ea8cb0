import GGUF
import Kernels

/// The llama-family decoder: pre-norm blocks of grouped-query attention with rope and a SwiGLU feed-forward.
///
/// One forward pass, for a batch of T tokens at positions p0 ..< p0+T:
/// ```
/// x      = embed(tokens)                                  [T, dim]
/// for each block:
///   xb   = rmsnorm(x) · attn_norm                         [T, dim]
///   q    = Wq·xb (+bq), k = Wk·xb (+bk), v = Wv·xb (+bv)  [T, heads·hd], [T, kvHeads·hd]
///   q, k = per-head rmsnorm (qwen3), then rope
///   cache[p0 ..< p0+T] = k, v
///   att  = softmax(q·Kᵀ/√hd, causal) · V                   [T, heads·hd]
///   x   += Wo·att
///   xb   = rmsnorm(x) · ffn_norm
///   x   += Wdown·(silu(Wgate·xb) ⊙ Wup·xb)                [T, ffn] → [T, dim]
/// logits = Wout·(rmsnorm(x) · output_norm)                [T or 1, vocab]
/// ```
public final class LlamaModel: LanguageModel {
    public let hyperparameters: Hyperparameters
    let weights: DecoderWeights
    let rope: Rope
    /// Keeps the mapping alive while the weights point into it.
    let file: GGUFFile
    let pool: ThreadPool
    let matmul: MatMul
    let maxBatch: Int
    let kvType: KVCacheType

    // Activations for up to maxBatch tokens (B = maxBatch).
    let x: UnsafeMutablePointer<Float>        // [B, dim] residual stream
    let xb: UnsafeMutablePointer<Float>       // [B, dim] normalised input of a sub-block
    let q: UnsafeMutablePointer<Float>        // [B, heads·hd]
    let k: UnsafeMutablePointer<Float>        // [B, kvHeads·hd]
    let v: UnsafeMutablePointer<Float>        // [B, kvHeads·hd]
    let att: UnsafeMutablePointer<Float>      // [B, heads·hd] attention output
    let proj: UnsafeMutablePointer<Float>     // [B, dim] output of Wo / Wdown
    let hb: UnsafeMutablePointer<Float>       // [B, ffn] gate
    let hb2: UnsafeMutablePointer<Float>      // [B, ffn] up
    let cosSin: UnsafeMutablePointer<Float>   // [B, ropeDims] cos/sin pairs per position
    var logitsBuffer: UnsafeMutablePointer<Float>  // [logitsRows, vocab]
    var logitsRows: Int
    var scores: UnsafeMutablePointer<Float>   // [scoreSlots, scoreCapacity] attention scratch
    var scoreCapacity = 0
    let scoreSlots: Int

    init(file: GGUFFile, hyperparameters hp: Hyperparameters, weights: DecoderWeights,
         ropeStyle: Rope.Style, options: ModelOptions) {
        self.file = file
        hyperparameters = hp
        self.weights = weights
        rope = Rope(style: ropeStyle, dimensions: hp.ropeDimensions, base: hp.ropeBase,
                    frequencyScale: hp.ropeFrequencyScale, frequencyFactors: weights.ropeFactors)
        pool = ThreadPool(threads: options.threads)
        matmul = MatMul(pool: pool)
        maxBatch = options.maxBatch
        kvType = options.kvType
        let b = maxBatch
        let qDim = hp.heads * hp.headDim, kvDim = hp.kvHeads * hp.headDim
        x = .allocate(capacity: b * hp.dim)
        xb = .allocate(capacity: b * hp.dim)
        q = .allocate(capacity: b * qDim)
        k = .allocate(capacity: b * kvDim)
        v = .allocate(capacity: b * kvDim)
        att = .allocate(capacity: b * qDim)
        proj = .allocate(capacity: b * hp.dim)
        hb = .allocate(capacity: b * hp.ffnDim)
        hb2 = .allocate(capacity: b * hp.ffnDim)
        cosSin = .allocate(capacity: b * hp.ropeDimensions)
        logitsRows = 1
        logitsBuffer = .allocate(capacity: hp.vocabularySize)
        scoreSlots = pool.threadCount * 4
        scores = .allocate(capacity: 1)
    }

    deinit {
        for p in [x, xb, q, k, v, att, proj, hb, hb2, cosSin, logitsBuffer, scores] { p.deallocate() }
    }

    /// A builder for the llama-family architectures that differ only in rope style and which tensors they carry.
    static func builder(ropeStyle: Rope.Style,
                        weights: @escaping @Sendable (WeightLoader, Hyperparameters) throws(ModelError) -> DecoderWeights) -> ModelBuilder {
        { file, options throws(ModelError) in
            let hp = try Hyperparameters(file: file, architecture: file.string("general.architecture") ?? "")
            let w = try weights(WeightLoader(file: file), hp)
            return LlamaModel(file: file, hyperparameters: hp, weights: w, ropeStyle: ropeStyle, options: options)
        }
    }

    public func makeCache(capacity: Int) throws(ModelError) -> KVCache {
        try KVCache.forDecoder(hyperparameters, capacity: capacity, type: kvType, path: file.path)
    }

    public func evaluate(_ input: ModelInput, cache: KVCache, logits request: LogitsRequest) throws(ModelError) -> UnsafeBufferPointer<Float> {
        let hp = hyperparameters
        let total = input.count
        try input.check(hp, cache: cache, maxBatch: maxBatch, path: file.path)
        let rows = request == .all ? total : 1
        if rows > logitsRows {
            logitsBuffer.deallocate()
            logitsBuffer = .allocate(capacity: rows * hp.vocabularySize)
            logitsRows = rows
        }
        input.forEachBatch(maxBatch: maxBatch, width: hp.dim, logits: request, into: x, embed: { tok, row in
            Dequantize.row(weights.embedding, Int(tok), into: row)
        }, forward: { n, bidirectional, out in
            forwardBatch(count: n, bidirectional: bidirectional, cache: cache, logitsRow: out, allRows: request == .all)
        })
        return UnsafeBufferPointer(start: logitsBuffer, count: rows * hp.vocabularySize)
    }

    /// Runs one batch of `t` ≤ maxBatch rows already embedded in `x`; writes logits at `logitsRow` (all rows or the
    /// last one). Bidirectional rows see the whole batch, not only the rows before them.
    private func forwardBatch(count t: Int, bidirectional: Bool, cache: KVCache, logitsRow: Int?, allRows: Bool) {
        let hp = hyperparameters
        let dim = hp.dim, hd = hp.headDim
        let qDim = hp.heads * hd, kvDim = hp.kvHeads * hd
        let p0 = cache.count

        for i in 0..<t { rope.angles(position: p0 + i, into: cosSin + i * hp.ropeDimensions) }
        ensureScores(capacity: max(Attention.f16Scratch(length: p0 + t, headDim: hp.headDim), Attention.q8Scratch(headDim: hp.headDim)))

        for (l, w) in weights.blocks.enumerated() {
            // Attention.
            Ops.rmsNormRows(x, weight: w.attnNorm, eps: hp.rmsEps, n: dim, rows: t, out: xb)
            matmul.forward([w.wq, w.wk, w.wv], input: xb, tokens: t, outputs: [q, k, v])
            if let b = w.bq { Ops.addBias(q, b, n: qDim, rows: t) }
            if let b = w.bk { Ops.addBias(k, b, n: kvDim, rows: t) }
            if let b = w.bv { Ops.addBias(v, b, n: kvDim, rows: t) }
            if let qn = w.qNorm { Ops.rmsNormRows(q, weight: qn, eps: hp.rmsEps, n: hd, rows: t * hp.heads, out: q) }
            if let kn = w.kNorm { Ops.rmsNormRows(k, weight: kn, eps: hp.rmsEps, n: hd, rows: t * hp.kvHeads, out: k) }
            for i in 0..<t {
                let cs = cosSin + i * hp.ropeDimensions
                rope.apply(q + i * qDim, heads: hp.heads, headDim: hd, cosSin: cs)
                rope.apply(k + i * kvDim, heads: hp.kvHeads, headDim: hd, cosSin: cs)
            }
            // A quantized cache holds rotated keys and values, as llama.cpp's (attn_rot_k / attn_rot_v): the rotation
            // spreads outliers before quantization and cancels out in q·k and, rotated back, in the output.
            let rotation = cache.rotationBlocks(headDim: hd)
            if let r = rotation {
                Attention.hadamard(q, count: t * qDim, block: r.keys)
                Attention.hadamard(k, count: t * kvDim, block: r.keys)
                Attention.hadamard(v, count: t * kvDim, block: r.values)
            }
            cache.write(layer: l, position: p0, keys: k, values: v, rows: t)
            attend(tokens: t, start: p0, bidirectional: bidirectional, cache: cache, layer: l)
            if let r = rotation { Attention.hadamard(att, count: t * qDim, block: r.values) }
            matmul.forward(w.wo, input: att, tokens: t, output: proj)
            Ops.add(x, proj, t * dim)

            // Feed-forward.
            Ops.rmsNormRows(x, weight: w.ffnNorm, eps: hp.rmsEps, n: dim, rows: t, out: xb)
            matmul.forward([w.gate, w.up], input: xb, tokens: t, outputs: [hb, hb2])
            Ops.swiglu(hb, hb2, t * hp.ffnDim)
            matmul.forward(w.down, input: hb, tokens: t, output: proj)
            Ops.add(x, proj, t * dim)
        }
        cache.count = p0 + t

        guard let row = logitsRow else { return }
        let first = allRows ? 0 : t - 1
        let n = t - first
        Ops.rmsNormRows(x + first * dim, weight: weights.outputNorm, eps: hp.rmsEps, n: dim, rows: n, out: xb)
        matmul.forward(weights.output, input: xb, tokens: n, output: logitsBuffer + row * hp.vocabularySize)
    }

    /// Causal (or, inside a bidirectional batch, full) attention of every (token, head) pair, split over the thread pool
    /// (the arithmetic of each cache type: ``KVCache/attendHead(q:layer:kvHead:positions:headDim:scale:tiled:scratch:out:)``).
    private func attend(tokens t: Int, start p0: Int, bidirectional: Bool, cache: KVCache, layer: Int) {
        let tiled = t >= 64
        let hp = hyperparameters
        let hd = hp.headDim, qDim = hp.heads * hd
        let group = hp.heads / hp.kvHeads
        let scale = 1 / Float(hd).squareRoot()
        let items = t * hp.heads
        let slots = min(scoreSlots, items)
        let (q, att, scores, cap) = (self.q, self.att, self.scores, scoreCapacity)
        pool.parallelFor(slots) { slot in
            let scratch = scores + slot * cap
            var item = slot * items / slots
            let end = (slot + 1) * items / slots
            while item < end {
                let i = item / hp.heads, h = item % hp.heads
                let length = bidirectional ? p0 + t : p0 + i + 1
                cache.attendHead(q: q + i * qDim + h * hd, layer: layer, kvHead: h / group, positions: 0..<length,
                                 headDim: hd, scale: scale, tiled: tiled, scratch: scratch, out: att + i * qDim + h * hd)
                item += 1
            }
        }
    }

    private func ensureScores(capacity: Int) {
        guard capacity > scoreCapacity else { return }
        scores.deallocate()
        scoreCapacity = max(capacity, 256)
        scores = .allocate(capacity: scoreSlots * scoreCapacity)
    }
}
