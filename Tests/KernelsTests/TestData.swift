import GGUF
@testable import Kernels

/// A small deterministic generator (SplitMix64) so that failures reproduce.
struct SplitMix {
    var state: UInt64

    init(seed: UInt64) { state = seed }

    mutating func next() -> UInt64 {
        state &+= 0x9E37_79B9_7F4A_7C15
        var z = state
        z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
        z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
        return z ^ (z >> 31)
    }

    /// Uniform in [-1, 1).
    mutating func float() -> Float { Float(next() >> 40) / Float(1 << 23) - 1 }

    /// Roughly normal values with occasional outliers, like activations.
    mutating func activation() -> Float {
        let v = (float() + float() + float()) * 1.5
        return next() % 97 == 0 ? v * 8 : v
    }

    mutating func floats(_ n: Int, scale: Float = 1) -> [Float] { (0..<n).map { _ in float() * scale } }

    mutating func byte() -> UInt8 { UInt8(truncatingIfNeeded: next()) }
}

/// Bytes of a weight matrix kept alive for the lifetime of a test, with the matrix that points into them.
final class OwnedMatrix {
    let bytes: UnsafeMutableRawPointer
    let matrix: WeightMatrix

    init(type: GGMLType, rows: Int, cols: Int, data: [UInt8]) {
        let p = UnsafeMutableRawPointer.allocate(byteCount: max(1, data.count), alignment: 64)
        data.withUnsafeBytes { p.copyMemory(from: $0.baseAddress!, byteCount: data.count) }
        bytes = p
        matrix = WeightMatrix(type: type, rows: rows, cols: cols, data: UnsafeRawPointer(p))
    }

    deinit { bytes.deallocate() }
}

/// Simple weight quantizers for tests, following ggml's `quantize_row_*_ref` for the 32-element types and a
/// plain round-to-nearest for K-quants (valid encodings, not ggml's search for the best scales).
enum TestQuantizer {
    static func f16(_ v: Float) -> [UInt8] { le(Half.fromFloat(v)) }

    static func le(_ v: UInt16) -> [UInt8] { [UInt8(v & 0xFF), UInt8(v >> 8)] }

    static func nearest(_ v: Float) -> Int { Int(v.rounded(.toNearestOrEven)) }

    /// One row of `x.count` values in `type`.
    static func row(_ x: [Float], _ type: GGMLType) -> [UInt8] {
        switch type {
        case .f32: return x.flatMap { v in withUnsafeBytes(of: v.bitPattern.littleEndian) { Array($0) } }
        case .f16: return x.flatMap { f16($0) }
        case .bf16: return x.flatMap { le(Half.bf16FromFloat($0)) }
        case .q8_0: return blocks(x, 32, q8_0)
        case .q4_0: return blocks(x, 32, q4_0)
        case .q4_1: return blocks(x, 32, q4_1)
        case .q5_0: return blocks(x, 32, q5_0)
        case .q5_1: return blocks(x, 32, q5_1)
        case .q4_K: return blocks(x, 256) { k4(Array($0), bits: 4) }
        case .q5_K: return blocks(x, 256) { k4(Array($0), bits: 5) }
        case .q6_K: return blocks(x, 256) { q6_K(Array($0)) }
        default: return []
        }
    }

    static func blocks(_ x: [Float], _ n: Int, _ f: (ArraySlice<Float>) -> [UInt8]) -> [UInt8] {
        stride(from: 0, to: x.count, by: n).flatMap { f(x[$0..<$0 + n]) }
    }

    static func q8_0(_ x: ArraySlice<Float>) -> [UInt8] {
        let amax = x.map(abs).max()!
        let d = amax / 127, id: Float = d != 0 ? 1 / d : 0
        return f16(d) + x.map { UInt8(bitPattern: Int8(($0 * id).rounded(.toNearestOrAwayFromZero))) }
    }

    static func signedMax(_ x: ArraySlice<Float>) -> Float {
        var amax: Float = 0, m: Float = 0
        for v in x where abs(v) > amax { amax = abs(v); m = v }
        return m
    }

    static func q4_0(_ x: ArraySlice<Float>) -> [UInt8] {
        let v = Array(x)
        let d = signedMax(x) / -8, id: Float = d != 0 ? 1 / d : 0
        var out = f16(d)
        for j in 0..<16 {
            let a = min(15, Int(Int8(v[j] * id + 8.5))), b = min(15, Int(Int8(v[j + 16] * id + 8.5)))
            out.append(UInt8(a | b << 4))
        }
        return out
    }

    static func q4_1(_ x: ArraySlice<Float>) -> [UInt8] {
        let v = Array(x)
        let lo = v.min()!, hi = v.max()!
        let d = (hi - lo) / 15, id: Float = d != 0 ? 1 / d : 0
        var out = f16(d) + f16(lo)
        for j in 0..<16 {
            let a = min(15, Int(Int8((v[j] - lo) * id + 0.5))), b = min(15, Int(Int8((v[j + 16] - lo) * id + 0.5)))
            out.append(UInt8(a | b << 4))
        }
        return out
    }

    static func q5_0(_ x: ArraySlice<Float>) -> [UInt8] {
        let v = Array(x)
        let d = signedMax(x) / -16, id: Float = d != 0 ? 1 / d : 0
        var qh: UInt32 = 0, qs: [UInt8] = []
        for j in 0..<16 {
            let a = min(31, Int(Int8(v[j] * id + 16.5))), b = min(31, Int(Int8(v[j + 16] * id + 16.5)))
            qs.append(UInt8((a & 15) | (b & 15) << 4))
            qh |= UInt32(a >> 4) << UInt32(j) | UInt32(b >> 4) << UInt32(j + 16)
        }
        return f16(d) + withUnsafeBytes(of: qh.littleEndian) { Array($0) } + qs
    }

    static func q5_1(_ x: ArraySlice<Float>) -> [UInt8] {
        let v = Array(x)
        let lo = v.min()!, hi = v.max()!
        let d = (hi - lo) / 31, id: Float = d != 0 ? 1 / d : 0
        var qh: UInt32 = 0, qs: [UInt8] = []
        for j in 0..<16 {
            let a = Int(UInt8((v[j] - lo) * id + 0.5)), b = Int(UInt8((v[j + 16] - lo) * id + 0.5))
            qs.append(UInt8((a & 15) | (b & 15) << 4))
            qh |= UInt32(a >> 4 & 1) << UInt32(j) | UInt32(b >> 4 & 1) << UInt32(j + 16)
        }
        return f16(d) + f16(lo) + withUnsafeBytes(of: qh.littleEndian) { Array($0) } + qs
    }

    /// Packs 8 six-bit scales and mins the way ggml's Q4_K/Q5_K store them.
    static func packScales(_ ls: [Int], _ lm: [Int]) -> [UInt8] {
        var s = [UInt8](repeating: 0, count: 12)
        for j in 0..<8 {
            if j < 4 {
                s[j] = UInt8(ls[j])
                s[j + 4] = UInt8(lm[j])
            } else {
                s[j + 4] = UInt8((ls[j] & 0xF) | (lm[j] & 0xF) << 4)
                s[j - 4] |= UInt8((ls[j] >> 4) << 6)
                s[j] |= UInt8((lm[j] >> 4) << 6)
            }
        }
        return s
    }

    /// Q4_K (bits 4) or Q5_K (bits 5) by plain rounding: per sub-block of 32, min m ≤ 0 and scale (max − m)/levels.
    static func k4(_ x: [Float], bits: Int) -> [UInt8] {
        let levels = Float((1 << bits) - 1)
        var scales = [Float](), mins = [Float]()
        for j in 0..<8 {
            let sub = x[32 * j..<32 * j + 32]
            let mn = -min(0, sub.min()!)
            scales.append((sub.max()! + mn) / levels)
            mins.append(mn)
        }
        let d = scales.max()! / 63, dmin = mins.max()! / 63
        let dh = Half.roundedToHalf(d), dminh = Half.roundedToHalf(dmin)
        let ls = scales.map { dh > 0 ? min(63, nearest($0 / dh)) : 0 }
        let lm = mins.map { dminh > 0 ? min(63, nearest($0 / dminh)) : 0 }
        var q = [Int](repeating: 0, count: 256)
        for j in 0..<8 {
            let sc = dh * Float(ls[j]), m = dminh * Float(lm[j])
            for l in 0..<32 where sc > 0 {
                q[32 * j + l] = max(0, min(Int(levels), nearest((x[32 * j + l] + m) / sc)))
            }
        }
        var qs = [UInt8](repeating: 0, count: 128), qh = [UInt8](repeating: 0, count: 32)
        for i in 0..<4 {
            for l in 0..<32 {
                let lo = q[64 * i + l], hi = q[64 * i + 32 + l]
                qs[32 * i + l] = UInt8((lo & 15) | (hi & 15) << 4)
                if bits == 5 {
                    qh[l] |= UInt8((lo >> 4) << (2 * i)) | UInt8((hi >> 4) << (2 * i + 1))
                }
            }
        }
        return f16(d) + f16(dmin) + packScales(ls, lm) + (bits == 5 ? qh : []) + qs
    }

    /// Q6_K by plain rounding: per group of 16, scale = max|x|/31, int8 scales of d = max scale/127.
    static func q6_K(_ x: [Float]) -> [UInt8] {
        let scales = (0..<16).map { g in x[16 * g..<16 * g + 16].map(abs).max()! / 31 }
        let dh = Half.roundedToHalf(scales.max()! / 127)
        let ls = scales.map { dh > 0 ? min(127, nearest($0 / dh)) : 0 }
        var q = [Int](repeating: 32, count: 256)
        for g in 0..<16 {
            let sc = dh * Float(ls[g])
            for l in 0..<16 where sc > 0 { q[16 * g + l] = max(-32, min(31, nearest(x[16 * g + l] / sc))) + 32 }
        }
        var ql = [UInt8](repeating: 0, count: 128), qh = [UInt8](repeating: 0, count: 64)
        for h in 0..<2 {
            for l in 0..<32 {
                let q1 = q[128 * h + l], q2 = q[128 * h + l + 32], q3 = q[128 * h + l + 64], q4 = q[128 * h + l + 96]
                ql[64 * h + l] = UInt8((q1 & 15) | (q3 & 15) << 4)
                ql[64 * h + l + 32] = UInt8((q2 & 15) | (q4 & 15) << 4)
                qh[32 * h + l] = UInt8((q1 >> 4) | (q2 >> 4) << 2 | (q3 >> 4) << 4 | (q4 >> 4) << 6)
            }
        }
        return ql + qh + ls.map { UInt8(bitPattern: Int8($0)) } + f16(dh)
    }

    /// Random bytes shaped as valid blocks of `type`: every quant pattern, with moderate f16 scales.
    static func randomRow(_ type: GGMLType, cols: Int, _ rng: inout SplitMix) -> [UInt8] {
        let nb = cols / type.blockSize
        var out: [UInt8] = []
        for _ in 0..<nb {
            var b = (0..<type.bytesPerBlock).map { _ in rng.byte() }
            func setHalf(_ at: Int, _ v: Float) { let h = f16(v); b[at] = h[0]; b[at + 1] = h[1] }
            switch type {
            case .q8_0, .q4_0, .q5_0: setHalf(0, rng.float() * 0.05)
            case .q4_1, .q5_1: setHalf(0, abs(rng.float()) * 0.05); setHalf(2, rng.float() * 0.5)
            case .q4_K, .q5_K: setHalf(0, abs(rng.float()) * 0.002); setHalf(2, abs(rng.float()) * 0.002)
            case .q6_K: setHalf(208, rng.float() * 0.001)
            default: break
            }
            out += b
        }
        return out
    }
}
