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

    /// ggml's quick GELU, x·σ(1.702·x), as its CPU backend evaluates it: looked up per f16 input in a table of
    /// f16 results (no clamping, unlike the tanh form).
    struct QuickGELUTable: Sendable {
        let values: [UInt16]

        init() {
            values = (0..<65536).map { bits in
                let x = Half.toFloat(UInt16(bits))
                return Half.fromFloat(x * (1 / (1 + expf(-1.702 * x))))
            }
        }

        /// Quick GELU in place over n values.
        func apply(_ x: UnsafeMutablePointer<Float>, _ n: Int) {
            values.withUnsafeBufferPointer { t in
                for i in 0..<n { x[i] = Half.toFloat(t[Int(Half.fromFloat(x[i]))]) }
            }
        }
    }

    /// ggml's tanh GELU in place over n values (Kernels' table of f16 inputs, clamped outside ±10).
    static func gelu(_ x: UnsafeMutablePointer<Float>, _ n: Int, _ table: GELUTable) {
        table.apply(x, n)
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
