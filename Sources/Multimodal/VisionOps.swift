import Foundation
import Kernels

/// The element-wise steps of a vision tower, computed as ggml's CPU backend computes them.
enum VisionOps {
    /// Layer norm of each of `rows` rows of length n in place: (x − mean) / sqrt(var + eps) · weight + bias.
    static func layerNorm(_ x: UnsafeMutablePointer<Float>, rows: Int, n: Int, _ norm: NormWeights, eps: Float) {
        norm.weight.withUnsafeBufferPointer { w in
            for r in 0..<rows {
                let row = x + r * n
                var sum: Float = 0
                for i in 0..<n { sum += row[i] }
                let mean = sum / Float(n)
                var variance = 0.0
                for i in 0..<n {
                    let d = row[i] - mean
                    row[i] = d
                    variance += Double(d * d)
                }
                let scale = 1 / (Float(variance / Double(n)) + eps).squareRoot()
                for i in 0..<n { row[i] = row[i] * scale * w[i] }
                if let b = norm.bias { for i in 0..<n { row[i] += b[i] } }
            }
        }
    }

    /// RMS norm of each row in place, times `weight`.
    static func rmsNorm(_ x: UnsafeMutablePointer<Float>, rows: Int, n: Int, weight: [Float], eps: Float) {
        weight.withUnsafeBufferPointer { w in
            Ops.rmsNormRows(x, weight: w.baseAddress, eps: eps, n: n, rows: rows, out: x)
        }
    }

    /// ggml's tanh GELU as its CPU backend evaluates it: looked up in a table of f16 inputs, the result rounded to f16
    /// (|x| ≥ 10 passes through or gives 0).
    struct GELUTable: Sendable {
        let values: [UInt16]

        init(_ f: (Float) -> Float) {
            values = (0..<65536).map { Half.fromFloat(f(Half.toFloat(UInt16($0)))) }
        }

        static func tanhGELU(_ x: Float) -> Float {
            0.5 * x * (1 + tanhf(0.79788456080286535587989211986876 * x * (1 + 0.044715 * x * x)))
        }

        static func quickGELU(_ x: Float) -> Float { x * (1 / (1 + expf(-1.702 * x))) }

        /// GELU in place over n values (the tanh form clamps outside ±10, as ggml does).
        func apply(_ x: UnsafeMutablePointer<Float>, _ n: Int, clamp: Bool) {
            values.withUnsafeBufferPointer { t in
                for i in 0..<n {
                    let v = x[i]
                    if clamp && v <= -10 { x[i] = 0 }
                    else if clamp && v >= 10 { x[i] = v }
                    else { x[i] = Half.toFloat(t[Int(Half.fromFloat(v))]) }
                }
            }
        }
    }

    /// SiLU in place.
    static func silu(_ x: UnsafeMutablePointer<Float>, _ n: Int) {
        for i in 0..<n { x[i] = x[i] / (1 + expf(-x[i])) }
    }

    /// x[i] *= s[i % n] over rows of length n.
    static func scaleColumns(_ x: UnsafeMutablePointer<Float>, rows: Int, _ s: [Float]) {
        let n = s.count
        s.withUnsafeBufferPointer { s in
            for r in 0..<rows { for i in 0..<n { x[r * n + i] *= s[i] } }
        }
    }

    /// Adds `bias` to each row if there is one.
    static func addBias(_ x: UnsafeMutablePointer<Float>, rows: Int, _ bias: [Float]?) {
        guard let bias else { return }
        bias.withUnsafeBufferPointer { b in
            guard let base = b.baseAddress else { return }
            Ops.addBias(x, base, n: b.count, rows: rows)
        }
    }
}
