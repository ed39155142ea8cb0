import CKernels
import GGUF

/// Matrix products with activations converted the way llama.cpp converts them before the dot product.
///
/// F32 weights use the f32 activations; F16 and BF16 weights see activations rounded to that type; Q4_0, Q5_0 and
/// Q8_0 weights see them quantized to Q8_0, Q4_1 and Q5_1 to Q8_1, K-quants to Q8_K. The integer sums inside a block
/// are exact, so results differ from ggml's only by the order of f32 additions across blocks.
///
/// A `MatMul` owns its scratch buffers for the converted activations and reuses them across calls; use it from one
/// thread at a time. The work of each call is split over the pool's threads by rows and token tiles.
public final class MatMul {
    public let pool: ThreadPool
    /// The instruction-set level of the kernels (the best the CPU supports unless chosen at init).
    public let level: KernelLevel
    /// The C entry point that runs a product: `nook_matmul`, or a test's stand-in with its signature.
    typealias Runner = @convention(c) (OpaquePointer?, Int32, UnsafePointer<nook_mat>?, Int32, Int64,
                                       UnsafePointer<Float>?, Int64, UnsafeMutableRawPointer?, Int) -> Void
    private let runner: Runner
    private var scratch: UnsafeMutableRawPointer?
    private var scratchBytes = 0
    private var mats: [nook_mat] = []

    /// A product engine on `pool`, using the fastest kernels this CPU supports.
    public convenience init(pool: ThreadPool) { self.init(pool: pool, level: .best) }

    /// A product engine on `pool` using kernels of `level` (an unsupported level falls back to `.scalar`).
    public convenience init(pool: ThreadPool, level: KernelLevel) {
        self.init(pool: pool, level: level, runner: nook_matmul)
    }

    /// A product engine whose products run through `runner` (tests substitute their own kernels).
    init(pool: ThreadPool, level: KernelLevel, runner: Runner) {
        self.pool = pool
        self.level = level.isSupported ? level : .scalar
        self.runner = runner
        mats.reserveCapacity(8)
    }

    deinit { scratch?.deallocate() }

    /// output[t*w.rows + r] = Σ_c W[r,c] · x[t*w.cols + c] for t in 0..<tokens.
    /// input: tokens × w.cols f32 row-major; output: tokens × w.rows f32 row-major (must not overlap input).
    /// An invalid matrix (see ``WeightMatrix/validate()``) fills the output with NaN.
    public func forward(_ w: WeightMatrix, input: UnsafePointer<Float>, tokens: Int, output: UnsafeMutablePointer<Float>) {
        guard tokens > 0 else { return }
        mats.removeAll(keepingCapacity: true)
        mats.append(Self.describe(w, output))
        run(cols: w.cols, input: input, tokens: tokens)
    }

    /// Several products of the same input in one parallel region (for example the q, k and v projections, or gate
    /// and up): the activations are converted once per kind and all rows of all matrices are split together.
    /// Every matrix must have `cols` equal to the first one's; outputs[i]: tokens × weights[i].rows.
    /// Matrices whose `cols` differ, or that are invalid, get NaN outputs.
    public func forward(_ weights: [WeightMatrix], input: UnsafePointer<Float>, tokens: Int,
                        outputs: [UnsafeMutablePointer<Float>]) {
        guard tokens > 0, let cols = weights.first?.cols else { return }
        mats.removeAll(keepingCapacity: true)
        for (w, out) in zip(weights, outputs) {
            if w.cols != cols || !w.isValid {
                out.update(repeating: .nan, count: max(0, tokens * w.rows))
                continue
            }
            mats.append(Self.describe(w, out))
        }
        if mats.isEmpty { return }
        run(cols: cols, input: input, tokens: tokens)
    }

    private static func describe(_ w: WeightMatrix, _ out: UnsafeMutablePointer<Float>) -> nook_mat {
        nook_mat(type: Int32(w.type.rawValue), data: w.data, row_bytes: Int64(w.rowBytes), rows: Int64(w.rows), out: out)
    }

    private func run(cols: Int, input: UnsafePointer<Float>, tokens: Int) {
        let n = Int32(mats.count)
        mats.withUnsafeBufferPointer { m in
            let need = nook_matmul_scratch_size(m.baseAddress, n, Int64(cols), Int64(tokens))
            if need > scratchBytes {
                scratch?.deallocate()
                scratchBytes = max(need, scratchBytes * 2)
                scratch = .allocate(byteCount: scratchBytes, alignment: 64)
            }
            runner(pool.raw, Int32(level.rawValue), m.baseAddress, n, Int64(cols), input, Int64(tokens),
                   scratch, scratchBytes)
        }
    }
}
