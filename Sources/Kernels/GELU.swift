#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// GELU (tanh approximation) as ggml's CPU backend computes it: looked up per half-precision input, result in half.
///
/// ggml builds a 65536-entry table `gelu(half) → half` and, for |x| < 10, rounds x to half and reads the table;
/// x ≤ -10 gives 0 and x ≥ 10 gives x. This type holds that table (256 KiB, one per model).
public struct GELUTable: Sendable {
    /// [65536]: the half-rounded gelu of every half bit pattern, widened to f32.
    let values: [Float]

    public init() {
        values = (0..<65536).map { bits in
            let x = Half.toFloat(UInt16(bits))
            return Half.roundedToHalf(GELUTable.exact(x))
        }
    }

    /// ggml's `ggml_gelu_f32`, 0.5·x·(1 + tanh(√(2/π)·x·(1 + 0.044715·x²))), rounded as its x86 build computes it
    /// (gcc fuses 1 + (0.044715·x)·x into one fused multiply-add): with that, every entry of the table equals ggml's.
    public static func exact(_ x: Float) -> Float {
        let sqrt2OverPi: Float = 0.79788456080286535587989211986876
        let a: Float = 0.044715
        let inner = sqrt2OverPi * x * (1 as Float).addingProduct(a * x, x)
        return 0.5 * x * (1 + tanhf(inner))
    }

    /// gelu(x) as ggml's CPU `ggml_vec_gelu_f32` returns it.
    @inline(__always)
    public func callAsFunction(_ x: Float) -> Float {
        if x <= -10 { return 0 }
        if x >= 10 { return x }
        return values[Int(Half.fromFloat(x))]
    }

    /// gelu(x) in place for n values, as ggml's `ggml_vec_gelu_f32` (inputs narrowed to halves in vectorized runs).
    public func apply(_ x: UnsafeMutablePointer<Float>, _ n: Int) {
        withUnsafeTemporaryAllocation(of: UInt16.self, capacity: 1024) { halves in
            guard let h = halves.baseAddress else { return }
            values.withUnsafeBufferPointer { table in
                var start = 0
                while start < n {
                    let count = min(1024, n - start)
                    Half.fromFloat(x + start, h, count: count)
                    for i in 0..<count {
                        let v = x[start + i]
                        x[start + i] = v <= -10 ? 0 : (v >= 10 ? v : table[Int(h[i])])
                    }
                    start += count
                }
            }
        }
    }

    /// GELU-gated product in place, as ggml's `geglu`: `gate[i] = gelu(gate[i]) · up[i]`; gate and up: [n].
    public func geglu(_ gate: UnsafeMutablePointer<Float>, _ up: UnsafePointer<Float>, _ n: Int) {
        values.withUnsafeBufferPointer { table in
            for i in 0..<n {
                let x = gate[i]
                gate[i] = x <= -10 ? 0 : (x >= 10 ? x : table[Int(Half.fromFloat(x))]) * up[i]
            }
        }
    }
}
