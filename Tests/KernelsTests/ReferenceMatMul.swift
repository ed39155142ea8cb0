import GGUF
@testable import Kernels

/// The scalar reference path with identical semantics, used by tests to check the fast paths.
///
/// Activations are converted with the Swift reference converters (``ActivationQuantizer``, ``Half``), then
/// every output is one dot product computed in the order of ggml's generic C code (`ggml_vec_dot_*_generic`):
/// exact integer sums inside a block, f32 accumulation across blocks (f64 for float weights).
enum ReferenceMatMul {
    /// output[t*w.rows + r] = Σ_c W[r,c] · x[t*w.cols + c] for t in 0..<tokens.
    /// input: tokens × w.cols f32 row-major; output: tokens × w.rows f32 row-major. An invalid matrix gives NaN.
    static func forward(_ w: WeightMatrix, input: UnsafePointer<Float>, tokens: Int, output: UnsafeMutablePointer<Float>) {
        guard w.isValid else {
            output.update(repeating: .nan, count: max(0, tokens * w.rows))
            return
        }
        for t in 0..<tokens {
            let x = Array(UnsafeBufferPointer(start: input + t * w.cols, count: w.cols))
            let out = output + t * w.rows
            switch w.type {
            case .f32, .f16, .bf16:
                let a = w.type == .f32 ? x : x.map { w.type == .f16 ? Half.roundedToHalf($0) : Half.roundedToBF16($0) }
                var row = [Float](repeating: 0, count: w.cols)
                for r in 0..<w.rows {
                    Dequantize.row(w, r, into: &row)
                    var s: Double = 0
                    for c in 0..<w.cols { s += Double(row[c] * a[c]) }
                    out[r] = Float(s)
                }
            case .q4_0, .q4_1, .q5_0, .q5_1, .q8_0:
                let a = ActivationQuantizer.q8_0(x)
                for r in 0..<w.rows { out[r] = dot32(w, r, a) }
            case .q4_K, .q5_K, .q6_K:
                let a = ActivationQuantizer.q8_K(x)
                for r in 0..<w.rows { out[r] = dotK(w, r, a) }
            default:
                for r in 0..<w.rows { out[r] = .nan }
            }
        }
    }

    /// The signed integer weights of 32-element block b of row r, its scale d and min m (0 without one).
    static func block32(_ w: WeightMatrix, _ r: Int, _ b: Int) -> (q: [Int], d: Float, m: Float) {
        let bytes = w.type.bytesPerBlock
        let p = w.data + r * w.rowBytes + b * bytes
        let d = Dequantize.half(p, 0)
        var q = [Int](repeating: 0, count: 32)
        switch w.type {
        case .q8_0:
            for j in 0..<32 { q[j] = Int(p.load(fromByteOffset: 2 + j, as: Int8.self)) }
            return (q, d, 0)
        case .q4_0, .q4_1:
            let off = w.type == .q4_0 ? 2 : 4
            for j in 0..<16 {
                let v = Dequantize.byte(p, off + j)
                q[j] = (v & 0xF) - (w.type == .q4_0 ? 8 : 0)
                q[j + 16] = (v >> 4) - (w.type == .q4_0 ? 8 : 0)
            }
            return (q, d, w.type == .q4_1 ? Dequantize.half(p, 2) : 0)
        default: // q5_0, q5_1
            let hOff = w.type == .q5_0 ? 2 : 4
            let qh = p.loadUnaligned(fromByteOffset: hOff, as: UInt32.self)
            let bias = w.type == .q5_0 ? 16 : 0
            for j in 0..<16 {
                let v = Dequantize.byte(p, hOff + 4 + j)
                q[j] = ((v & 0xF) | Int((qh >> UInt32(j)) & 1) << 4) - bias
                q[j + 16] = ((v >> 4) | Int((qh >> UInt32(j + 16)) & 1) << 4) - bias
            }
            return (q, d, w.type == .q5_1 ? Dequantize.half(p, 2) : 0)
        }
    }

    static func dot32(_ w: WeightMatrix, _ r: Int, _ a: Q8Activations) -> Float {
        var sum: Float = 0
        for b in 0..<w.cols / 32 {
            let (q, d, m) = block32(w, r, b)
            var si = 0
            for j in 0..<32 { si += q[j] * Int(a.qs[32 * b + j]) }
            switch w.type {
            case .q4_0: sum += Float(si) * d * a.d[b]
            case .q8_0: sum += Float(si) * (d * a.d[b])
            case .q5_0: sum += (d * a.d[b]) * Float(si)
            default: // q4_1, q5_1
                let t = (d * a.d[b]) * Float(si)
                sum += t + m * a.s[b]
            }
        }
        return sum
    }

    /// The 256 integer weights of super-block b of row r (Q4_K/Q5_K unsigned, Q6_K minus 32), the scale of each
    /// group of 16, the mins of the 8 sub-blocks, d and dmin.
    static func blockK(_ w: WeightMatrix, _ r: Int, _ b: Int) -> (q: [Int], sc: [Int], mins: [Int], d: Float, dmin: Float) {
        let p = w.data + r * w.rowBytes + b * w.type.bytesPerBlock
        var q = [Int](repeating: 0, count: 256), sc = [Int](repeating: 0, count: 16), mins = [Int](repeating: 0, count: 8)
        if w.type == .q6_K {
            for h in 0..<2 {
                let ql = p + 64 * h, qh = p + 128 + 32 * h
                for l in 0..<32 {
                    let a = Dequantize.byte(ql, l), c = Dequantize.byte(ql, l + 32), hb = Dequantize.byte(qh, l)
                    q[128 * h + l] = ((a & 0xF) | ((hb & 3) << 4)) - 32
                    q[128 * h + l + 32] = ((c & 0xF) | (((hb >> 2) & 3) << 4)) - 32
                    q[128 * h + l + 64] = ((a >> 4) | (((hb >> 4) & 3) << 4)) - 32
                    q[128 * h + l + 96] = ((c >> 4) | (((hb >> 6) & 3) << 4)) - 32
                }
            }
            for j in 0..<16 { sc[j] = Int(p.load(fromByteOffset: 192 + j, as: Int8.self)) }
            return (q, sc, mins, Dequantize.half(p, 208), 0)
        }
        let qh: UnsafeRawPointer? = w.type == .q5_K ? p + 16 : nil
        let qs = p + (w.type == .q5_K ? 48 : 16)
        for i in 0..<4 {
            for l in 0..<32 {
                let v = Dequantize.byte(qs, 32 * i + l)
                var lo = v & 0xF, hi = v >> 4
                if let qh {
                    let hb = Dequantize.byte(qh, l)
                    lo += ((hb >> (2 * i)) & 1) << 4
                    hi += ((hb >> (2 * i + 1)) & 1) << 4
                }
                q[64 * i + l] = lo
                q[64 * i + 32 + l] = hi
            }
        }
        for j in 0..<8 {
            let (s, m) = Dequantize.scaleMin(j, p + 4)
            sc[2 * j] = s
            sc[2 * j + 1] = s
            mins[j] = m
        }
        return (q, sc, mins, Dequantize.half(p, 0), Dequantize.half(p, 2))
    }

    static func dotK(_ w: WeightMatrix, _ r: Int, _ a: Q8KActivations) -> Float {
        var sums = [Float](repeating: 0, count: 8)
        var sumf: Float = 0
        for b in 0..<w.cols / 256 {
            let (q, sc, mins, d, dmin) = blockK(w, r, b)
            var aux = [Int](repeating: 0, count: 8)
            for j in stride(from: 0, to: 256, by: 8) {
                for l in 0..<8 { aux[l] += sc[j / 16] * (Int(a.qs[256 * b + j + l]) * q[j + l]) }
            }
            let dd = d * a.d[b]
            for l in 0..<8 { sums[l] += dd * Float(aux[l]) }
            if w.type != .q6_K {
                var sumi = 0
                for j in 0..<16 { sumi += Int(a.bsums[16 * b + j]) * mins[j / 2] }
                sumf -= dmin * a.d[b] * Float(sumi)
            }
        }
        for l in 0..<8 { sumf += sums[l] }
        return sumf
    }
}
