import CKernels
#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// Element-wise and row-wise operations of the decoder: norms, rope, softmax, activations.
///
/// All buffers are plain f32 arrays addressed through pointers; every function documents the shapes it expects.
public enum Ops {
    /// Sum of squares of `x[0..<n]`.
    @inline(__always)
    static func sumOfSquares(_ x: UnsafePointer<Float>, _ n: Int) -> Float {
        nook_sum_squares_f32(x, Int64(n))
    }

    /// RMS normalisation of one row: `out[i] = x[i] / sqrt(mean(x²) + eps) * weight[i]` (weight may be nil).
    /// x, out: [n] (may alias); weight: [n].
    public static func rmsNorm(_ x: UnsafePointer<Float>, weight: UnsafePointer<Float>?, eps: Float, n: Int,
                               out: UnsafeMutablePointer<Float>) {
        let scale = 1 / (sumOfSquares(x, n) / Float(n) + eps).squareRoot()
        if let weight {
            for i in 0..<n { out[i] = x[i] * scale * weight[i] }
        } else {
            for i in 0..<n { out[i] = x[i] * scale }
        }
    }

    /// RMS normalisation of `rows` consecutive rows of length n. x, out: [rows, n]; weight: [n].
    public static func rmsNormRows(_ x: UnsafePointer<Float>, weight: UnsafePointer<Float>?, eps: Float,
                                   n: Int, rows: Int, out: UnsafeMutablePointer<Float>) {
        for r in 0..<rows { rmsNorm(x + r * n, weight: weight, eps: eps, n: n, out: out + r * n) }
    }

    /// `x[i] += y[i]` for i in 0..<n.
    public static func add(_ x: UnsafeMutablePointer<Float>, _ y: UnsafePointer<Float>, _ n: Int) {
        var i = 0
        let rx = UnsafeMutableRawPointer(x), ry = UnsafeRawPointer(y)
        while i + 16 <= n {
            let a = rx.loadUnaligned(fromByteOffset: i * 4, as: SIMD16<Float>.self)
            let b = ry.loadUnaligned(fromByteOffset: i * 4, as: SIMD16<Float>.self)
            rx.storeBytes(of: a + b, toByteOffset: i * 4, as: SIMD16<Float>.self)
            i += 16
        }
        while i < n { x[i] += y[i]; i += 1 }
    }

    /// Adds a bias row to each of `rows` rows: x: [rows, n], bias: [n].
    public static func addBias(_ x: UnsafeMutablePointer<Float>, _ bias: UnsafePointer<Float>, n: Int, rows: Int) {
        for r in 0..<rows { add(x + r * n, bias, n) }
    }

    /// SiLU-gated product in place: `gate[i] = silu(gate[i]) * up[i]`, gate and up: [n].
    public static func swiglu(_ gate: UnsafeMutablePointer<Float>, _ up: UnsafePointer<Float>, _ n: Int) {
        for i in 0..<n {
            let g = gate[i]
            gate[i] = g / (1 + expf(-g)) * up[i]
        }
    }

    /// Numerically stable softmax of `x[0..<n]` in place.
    public static func softmax(_ x: UnsafeMutablePointer<Float>, _ n: Int) {
        var m = -Float.infinity
        for i in 0..<n where x[i] > m { m = x[i] }
        var s: Float = 0
        for i in 0..<n { let e = expf(x[i] - m); x[i] = e; s += e }
        let inv = 1 / s
        for i in 0..<n { x[i] *= inv }
    }
}

/// Rotary position embedding as ggml computes it (angles accumulated in f32, as the reference does).
public struct Rope: Sendable {
    /// How the rotated pairs are formed within a head.
    public enum Style: Sendable {
        /// Adjacent pairs (x[2i], x[2i+1]): llama.
        case normal
        /// Split halves (x[i], x[i + n/2]): GPT-NeoX, qwen2, qwen3, phi3.
        case neox
    }

    public let style: Style
    /// Number of leading dimensions of each head that are rotated (the rest pass through).
    public let dimensions: Int
    public let base: Float
    /// Multiplies every angle (1 / linear scaling factor).
    public let frequencyScale: Float
    /// Optional per-pair divisors of the angle (llama3 rope scaling `rope_freqs`): [dimensions / 2].
    public let frequencyFactors: [Float]?

    public init(style: Style, dimensions: Int, base: Float, frequencyScale: Float = 1, frequencyFactors: [Float]? = nil) {
        self.style = style
        self.dimensions = dimensions
        self.base = base
        self.frequencyScale = frequencyScale
        self.frequencyFactors = frequencyFactors
    }

    /// Fills `cosSin` ([dimensions/2, 2]: cos then sin for each pair) for one position.
    public func angles(position: Int, into cosSin: UnsafeMutablePointer<Float>) {
        let thetaScale = powf(base, -2 / Float(dimensions))
        var theta = Float(position)
        for i in 0..<dimensions / 2 {
            var t = frequencyScale * theta
            if let f = frequencyFactors { t /= f[i] }
            cosSin[2 * i] = cosf(t)
            cosSin[2 * i + 1] = sinf(t)
            theta *= thetaScale
        }
    }

    /// Rotates `heads` heads of size headDim stored consecutively in x ([heads, headDim]) with precomputed angles.
    public func apply(_ x: UnsafeMutablePointer<Float>, heads: Int, headDim: Int, cosSin: UnsafePointer<Float>) {
        let half = dimensions / 2
        for h in 0..<heads {
            let v = x + h * headDim
            switch style {
            case .normal:
                for i in 0..<half {
                    let c = cosSin[2 * i], s = cosSin[2 * i + 1]
                    let a = v[2 * i], b = v[2 * i + 1]
                    v[2 * i] = a * c - b * s
                    v[2 * i + 1] = a * s + b * c
                }
            case .neox:
                for i in 0..<half {
                    let c = cosSin[2 * i], s = cosSin[2 * i + 1]
                    let a = v[i], b = v[i + half]
                    v[i] = a * c - b * s
                    v[i + half] = a * s + b * c
                }
            }
        }
    }
}
