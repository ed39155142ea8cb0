import GGUF
import Kernels
#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// Gemma 3 (text decoder), as llama.cpp's `gemma3` graph computes it.
///
/// One forward pass, for a batch of T rows at positions p0 ..< p0+T:
/// ```
/// x      = embed(tokens) · √dim              (encoder rows, e.g. an image, are not scaled)   [T, dim]
/// for each block (local blocks: sliding window, rope base freq_base_swa (10000), no rope scaling;
///                 global blocks: every position, rope base freq_base and its linear scaling):
///   xb   = rmsnorm(x) · attn_norm                                           [T, dim]
///   q    = Wq·xb, k = Wk·xb, v = Wv·xb                                      [T, heads·hd], [T, kvHeads·hd]
///   q, k = per-head rmsnorm · attn_q_norm / attn_k_norm, then NEOX rope
///   q   *= attentionScale                                                   (1/√hd; 1/√(dim/heads) for 27B)
///   cache[p0 ..< p0+T] = k, v
///   att  = softmax(q·Kᵀ, causal; local: only keys with p_query − p_key < window) · V     [T, heads·hd]
///   x   += rmsnorm(Wo·att) · post_attention_norm
///   xb   = rmsnorm(x) · ffn_norm
///   x   += rmsnorm(Wdown·(gelu(Wgate·xb) ⊙ Wup·xb)) · post_ffw_norm         [T, ffn] → [T, dim]
/// logits = Wout·(rmsnorm(x) · output_norm)                                  [T or 1, vocab]
/// logits = cap · tanh(logits / cap)                                         (only with final_logit_softcapping)
/// ```
/// Norm weights are used as stored: the converter already added Gemma's +1. Rows of a bidirectional chunk (an image)
/// see every row of the chunk, still within the window on local blocks. The cache keeps every position of every
/// layer; local blocks only read their window of it (so a prefix can be reused at any length).
public final class Gemma3Model: LanguageModel {
    public let hyperparameters: Hyperparameters
    let settings: Gemma3Settings
    let blocks: [Gemma3Block]
    let shared: DecoderWeights      // embedding, output norm, output head (blocks are in `blocks`)
    let globalRope: Rope
    let localRope: Rope
    let gelu = GELUTable()
    /// Keeps the mapping alive while the weights point into it.
    let file: GGUFFile
    let pool: ThreadPool
    let matmul: MatMul
    let maxBatch: Int
    let kvType: KVCacheType

    // Activations for up to maxBatch rows (B = maxBatch).
    let x: UnsafeMutablePointer<Float>            // [B, dim] residual stream
    let xb: UnsafeMutablePointer<Float>           // [B, dim] normalised input of a sub-block
    let q: UnsafeMutablePointer<Float>            // [B, heads·hd]
    let k: UnsafeMutablePointer<Float>            // [B, kvHeads·hd]
    let v: UnsafeMutablePointer<Float>            // [B, kvHeads·hd]
    let att: UnsafeMutablePointer<Float>          // [B, heads·hd] attention output
    let proj: UnsafeMutablePointer<Float>         // [B, dim] output of Wo / Wdown, then its post-norm
    let hb: UnsafeMutablePointer<Float>           // [B, ffn] gate, then gelu(gate) ⊙ up
    let hb2: UnsafeMutablePointer<Float>          // [B, ffn] up
    let cosSinGlobal: UnsafeMutablePointer<Float> // [B, ropeDims] cos/sin pairs per position, global blocks
    let cosSinLocal: UnsafeMutablePointer<Float>  // [B, ropeDims] the same for local blocks
    var logitsBuffer: UnsafeMutablePointer<Float> // [logitsRows, vocab]
    var logitsRows = 1
    var scores: UnsafeMutablePointer<Float>       // [scoreSlots, scoreCapacity] attention scratch
    var scoreCapacity = 0
    let scoreSlots: Int

    init(file: GGUFFile, hyperparameters hp: Hyperparameters, settings: Gemma3Settings, shared: DecoderWeights,
         blocks: [Gemma3Block], options: ModelOptions) {
        self.file = file
        hyperparameters = hp
        self.settings = settings
        self.shared = shared
        self.blocks = blocks
        globalRope = Rope(style: .neox, dimensions: hp.ropeDimensions, base: hp.ropeBase, frequencyScale: hp.ropeFrequencyScale)
        localRope = Rope(style: .neox, dimensions: hp.ropeDimensions, base: settings.localRopeBase)
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
        cosSinGlobal = .allocate(capacity: b * hp.ropeDimensions)
        cosSinLocal = .allocate(capacity: b * hp.ropeDimensions)
        logitsBuffer = .allocate(capacity: hp.vocabularySize)
        scoreSlots = pool.threadCount * 4
        scores = .allocate(capacity: 1)
    }

    deinit {
        for p in [x, xb, q, k, v, att, proj, hb, hb2, cosSinGlobal, cosSinLocal, logitsBuffer, scores] { p.deallocate() }
    }

    /// Builds a Gemma 3 model from a parsed `gemma3` file.
    static let builder: ModelBuilder = { file, options throws(ModelError) in
        let hp = try Hyperparameters(file: file, architecture: "gemma3")
        let settings = try Gemma3Settings(file: file, hyperparameters: hp)
        let l = WeightLoader(file: file)
        let standard = try DecoderWeights.loadStandard(l, hp, requireBiases: false, qkNorm: true)
        var blocks: [Gemma3Block] = []
        for (i, base) in standard.blocks.enumerated() {
            blocks.append(Gemma3Block(
                base: base,
                postAttentionNorm: try l.vector("blk.\(i).post_attention_norm.weight", count: hp.dim),
                postFeedForwardNorm: try l.vector("blk.\(i).post_ffw_norm.weight", count: hp.dim)))
        }
        return Gemma3Model(file: file, hyperparameters: hp, settings: settings, shared: standard, blocks: blocks, options: options)
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
        let embeddingScale = Float(hp.dim).squareRoot()
        input.forEachBatch(maxBatch: maxBatch, width: hp.dim, logits: request, into: x, embed: { tok, row in
            Dequantize.row(shared.embedding, Int(tok), into: row)
            for j in 0..<hp.dim { row[j] *= embeddingScale }   // token rows only: image rows come scaled as they are
        }, forward: { n, bidirectional, out in
            forwardBatch(count: n, bidirectional: bidirectional, cache: cache, logitsRow: out, allRows: request == .all)
        })
        return UnsafeBufferPointer(start: logitsBuffer, count: rows * hp.vocabularySize)
    }

    /// Runs one batch of `t` ≤ maxBatch rows already embedded in `x`; writes logits at `logitsRow` (all rows or the
    /// last one).
    private func forwardBatch(count t: Int, bidirectional: Bool, cache: KVCache, logitsRow: Int?, allRows: Bool) {
        let hp = hyperparameters
        let dim = hp.dim, hd = hp.headDim, eps = hp.rmsEps
        let qDim = hp.heads * hd, kvDim = hp.kvHeads * hd
        let p0 = cache.count

        for i in 0..<t {
            globalRope.angles(position: p0 + i, into: cosSinGlobal + i * hp.ropeDimensions)
            localRope.angles(position: p0 + i, into: cosSinLocal + i * hp.ropeDimensions)
        }
        ensureScores(capacity: max(Attention.f16Scratch(length: p0 + t, headDim: hd), Attention.q8Scratch(headDim: hd)))
        let rotation = cache.rotationBlocks(headDim: hd)

        for (l, block) in blocks.enumerated() {
            let w = block.base
            let local = settings.isLocal[l]
            // Attention.
            Ops.rmsNormRows(x, weight: w.attnNorm, eps: eps, n: dim, rows: t, out: xb)
            matmul.forward([w.wq, w.wk, w.wv], input: xb, tokens: t, outputs: [q, k, v])
            if let b = w.bq { Ops.addBias(q, b, n: qDim, rows: t) }
            if let b = w.bk { Ops.addBias(k, b, n: kvDim, rows: t) }
            if let b = w.bv { Ops.addBias(v, b, n: kvDim, rows: t) }
            if let qn = w.qNorm { Ops.rmsNormRows(q, weight: qn, eps: eps, n: hd, rows: t * hp.heads, out: q) }
            if let kn = w.kNorm { Ops.rmsNormRows(k, weight: kn, eps: eps, n: hd, rows: t * hp.kvHeads, out: k) }
            let (rope, cosSin) = local ? (localRope, cosSinLocal) : (globalRope, cosSinGlobal)
            for i in 0..<t {
                let cs = cosSin + i * hp.ropeDimensions
                rope.apply(q + i * qDim, heads: hp.heads, headDim: hd, cosSin: cs)
                rope.apply(k + i * kvDim, heads: hp.kvHeads, headDim: hd, cosSin: cs)
            }
            // llama.cpp scales the query before attention (and attends with scale 1), so an f16 query rounds after it.
            for j in 0..<t * qDim { q[j] *= settings.attentionScale }
            // A quantized cache holds rotated keys and values, as llama.cpp's (see LlamaModel).
            if let r = rotation {
                Attention.hadamard(q, count: t * qDim, block: r.keys)
                Attention.hadamard(k, count: t * kvDim, block: r.keys)
                Attention.hadamard(v, count: t * kvDim, block: r.values)
            }
            cache.write(layer: l, position: p0, keys: k, values: v, rows: t)
            attend(tokens: t, start: p0, bidirectional: bidirectional, window: local ? settings.window : nil,
                   cache: cache, layer: l)
            if let r = rotation { Attention.hadamard(att, count: t * qDim, block: r.values) }
            matmul.forward(w.wo, input: att, tokens: t, output: proj)
            Ops.rmsNormRows(proj, weight: block.postAttentionNorm, eps: eps, n: dim, rows: t, out: proj)
            Ops.add(x, proj, t * dim)

            // Feed-forward.
            Ops.rmsNormRows(x, weight: w.ffnNorm, eps: eps, n: dim, rows: t, out: xb)
            matmul.forward([w.gate, w.up], input: xb, tokens: t, outputs: [hb, hb2])
            gelu.geglu(hb, hb2, t * hp.ffnDim)
            matmul.forward(w.down, input: hb, tokens: t, output: proj)
            Ops.rmsNormRows(proj, weight: block.postFeedForwardNorm, eps: eps, n: dim, rows: t, out: proj)
            Ops.add(x, proj, t * dim)
        }
        cache.count = p0 + t

        guard let row = logitsRow else { return }
        let first = allRows ? 0 : t - 1
        let n = t - first
        let logits = logitsBuffer + row * hp.vocabularySize
        Ops.rmsNormRows(x + first * dim, weight: shared.outputNorm, eps: eps, n: dim, rows: n, out: xb)
        matmul.forward(shared.output, input: xb, tokens: n, output: logits)
        if let cap = settings.finalLogitSoftcap {
            let inverse = 1 / cap
            for j in 0..<n * hp.vocabularySize { logits[j] = tanhf(logits[j] * inverse) * cap }
        }
    }

    /// Attention of every (row, head) pair over the keys its mask keeps, split over the thread pool: positions up to
    /// its own (or, in a bidirectional batch, up to the batch's last), and with a `window` only those less than
    /// `window` positions behind it (llama.cpp's `p1 - p0 >= n_swa` is masked).
    private func attend(tokens t: Int, start p0: Int, bidirectional: Bool, window: Int?, cache: KVCache, layer: Int) {
        let tiled = t >= 64
        let hp = hyperparameters
        let hd = hp.headDim, qDim = hp.heads * hd
        let group = hp.heads / hp.kvHeads
        let items = t * hp.heads
        let slots = min(scoreSlots, items)
        let (q, att, scores, cap) = (self.q, self.att, self.scores, scoreCapacity)
        pool.parallelFor(slots) { slot in
            let scratch = scores + slot * cap
            var item = slot * items / slots
            let end = (slot + 1) * items / slots
            while item < end {
                let i = item / hp.heads, h = item % hp.heads
                let position = p0 + i
                let first = window.map { max(0, position - $0 + 1) } ?? 0
                let last = bidirectional ? p0 + t : position + 1
                cache.attendHead(q: q + i * qDim + h * hd, layer: layer, kvHead: h / group, positions: first..<last,
                                 headDim: hd, scale: 1, tiled: tiled, scratch: scratch, out: att + i * qDim + h * hd)
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

/// The weights of one Gemma 3 block: the llama-family set (with per-head Q/K norms) and two post-norms.
struct Gemma3Block {
    var base: BlockWeights
    var postAttentionNorm: [Float]     // [dim], on the attention output before the residual add
    var postFeedForwardNorm: [Float]   // [dim], on the feed-forward output before the residual add
}

/// What Gemma 3 reads beyond the common hyperparameters, with llama.cpp's defaults.
struct Gemma3Settings: Sendable, Equatable {
    /// Positions a local block sees, its own included (`attention.sliding_window`); nil when the file has none.
    var window: Int?
    /// Per block: whether it is local (sliding window). Without a window every block is global.
    var isLocal: [Bool]
    /// Rope base of local blocks (`rope.freq_base_swa`, else 10000).
    var localRopeBase: Float
    /// Multiplies the query: 1/√key_length, or 1/√(dim/heads) for the 62-block 27B (query_pre_attn_scalar).
    var attentionScale: Float
    /// `final_logit_softcapping` when present and non-zero.
    var finalLogitSoftcap: Float?

    init(file: GGUFFile, hyperparameters hp: Hyperparameters) throws(ModelError) {
        let arch = hp.architecture
        let n = file.int("\(arch).attention.sliding_window") ?? 0
        if n > 0 {
            window = n
            let key = "\(arch).attention.sliding_window_pattern"
            if let flags = file.metadata[key]?.arrayValue {
                // One flag per block, true for a local block.
                guard flags.count == hp.layers else {
                    throw .invalid(path: file.path, "\(key) has \(flags.count) entries for \(hp.layers) blocks")
                }
                isLocal = flags.map { ($0.boolValue ?? (($0.intValue ?? 0) != 0)) }
            } else {
                // Every `pattern`-th block is global, the others local (0: all local).
                let pattern = file.int(key) ?? 6
                isLocal = (0..<hp.layers).map { pattern == 0 || $0 % pattern < pattern - 1 }
            }
        } else {
            window = nil
            isLocal = Array(repeating: false, count: hp.layers)
        }
        localRopeBase = Float(file.double("\(arch).rope.freq_base_swa") ?? 10000)
        let scaleDim = hp.layers == 62 ? hp.dim / hp.heads : hp.headDim
        attentionScale = 1 / Float(scaleDim).squareRoot()
        let cap = Float(file.double("\(arch).final_logit_softcapping") ?? 0)
        finalLogitSoftcap = cap != 0 ? cap : nil
    }
}
