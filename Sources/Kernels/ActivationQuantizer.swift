import CKernels

/// Activations quantized to Q8_0 blocks of 32 (and Q8_1's sums, used with Q4_1/Q5_1 weights).
public struct Q8Activations: Sendable, Equatable {
    /// [n] quants.
    public var qs: [Int8]
    /// [n/32] block scales: f16(max|x|/127) widened to f32, the value the dot products multiply by.
    public var d: [Float]
    /// [n/32] Q8_1 sums: f16(d·Σq) widened, with the unrounded d.
    public var s: [Float]
}

/// Activations quantized to Q8_K super-blocks of 256 (used with K-quant weights).
public struct Q8KActivations: Sendable, Equatable {
    /// [n] quants in -127...127.
    public var qs: [Int8]
    /// [n/256] f32 scales (1/iscale).
    public var d: [Float]
    /// [n/16] sums of consecutive groups of 16 quants.
    public var bsums: [Int16]
}

/// The conversions llama.cpp applies to activations before its dot products.
///
/// The plain functions are the Swift reference; the `level:` forms run the C kernels' converters, which
/// must give the same bits.
public enum ActivationQuantizer {
    /// Q8_0 as llama.cpp's x86 build quantizes (`quantize_row_q8_0`, AVX path): per block of 32,
    /// d = max|x|/127 stored as f16, q = round-half-to-even(x · (127/max|x|)), saturated to -128...127.
    /// `x.count` must be a multiple of 32; trailing values beyond the last whole block are ignored.
    public static func q8_0(_ x: [Float]) -> Q8Activations {
        let nb = x.count / 32
        var out = Q8Activations(qs: [Int8](repeating: 0, count: nb * 32), d: [Float](repeating: 0, count: nb),
                                s: [Float](repeating: 0, count: nb))
        for b in 0..<nb {
            var amax: Float = 0
            for j in 0..<32 { let a = abs(x[32 * b + j]); if a > amax { amax = a } }
            let d = amax / 127
            let id: Float = amax != 0 ? 127 / amax : 0
            out.d[b] = Half.roundedToHalf(d)
            var sum = 0
            for j in 0..<32 {
                let r = (x[32 * b + j] * id).rounded(.toNearestOrEven)
                let q: Int8 = !(r >= -128) ? -128 : (r > 127 ? 127 : Int8(r))
                out.qs[32 * b + j] = q
                sum += Int(q)
            }
            out.s[b] = Half.roundedToHalf(d * Float(sum))
        }
        return out
    }

    /// Q8_K as ggml's `quantize_row_q8_K_ref`: per block of 256, max = the first value of largest magnitude,
    /// iscale = -127/max, q = min(127, nearest-even(iscale·x)), d = 1/iscale; an all-zero block gives zeros.
    public static func q8_K(_ x: [Float]) -> Q8KActivations {
        let nb = x.count / 256
        var out = Q8KActivations(qs: [Int8](repeating: 0, count: nb * 256), d: [Float](repeating: 0, count: nb),
                                 bsums: [Int16](repeating: 0, count: nb * 16))
        for b in 0..<nb {
            var amax: Float = 0, maxv: Float = 0
            for j in 0..<256 {
                let v = x[256 * b + j]
                if abs(v) > amax { amax = abs(v); maxv = v }
            }
            guard amax != 0 else { continue }
            let iscale = -127 / maxv
            for j in 0..<256 {
                let v = (iscale * x[256 * b + j]).rounded(.toNearestOrEven)
                out.qs[256 * b + j] = v.isNaN ? -128 : Int8(max(-128, min(127, v)))
            }
            for g in 0..<16 {
                var s = 0
                for l in 0..<16 { s += Int(out.qs[256 * b + 16 * g + l]) }
                out.bsums[16 * b + g] = Int16(s)
            }
            out.d[b] = 1 / iscale
        }
        return out
    }

    /// The C kernels' Q8_0 converter at `level` (identical bits to ``q8_0(_:)``).
    public static func q8_0(_ x: [Float], level: KernelLevel) -> Q8Activations {
        let nb = x.count / 32
        var out = Q8Activations(qs: [Int8](repeating: 0, count: nb * 32), d: [Float](repeating: 0, count: nb),
                                s: [Float](repeating: 0, count: nb))
        x.withUnsafeBufferPointer { xp in
            out.qs.withUnsafeMutableBufferPointer { q in
                out.d.withUnsafeMutableBufferPointer { d in
                    out.s.withUnsafeMutableBufferPointer { s in
                        nook_quantize_q8_0(Int32(level.rawValue), xp.baseAddress, Int64(nb * 32), q.baseAddress,
                                           d.baseAddress, s.baseAddress)
                    }
                }
            }
        }
        return out
    }

    /// The C kernels' Q8_K converter at `level` (identical bits to ``q8_K(_:)``).
    public static func q8_K(_ x: [Float], level: KernelLevel) -> Q8KActivations {
        let nb = x.count / 256
        var out = Q8KActivations(qs: [Int8](repeating: 0, count: nb * 256), d: [Float](repeating: 0, count: nb),
                                 bsums: [Int16](repeating: 0, count: nb * 16))
        x.withUnsafeBufferPointer { xp in
            out.qs.withUnsafeMutableBufferPointer { q in
                out.d.withUnsafeMutableBufferPointer { d in
                    out.bsums.withUnsafeMutableBufferPointer { s in
                        nook_quantize_q8_K(Int32(level.rawValue), xp.baseAddress, Int64(nb * 256), q.baseAddress,
                                           d.baseAddress, s.baseAddress)
                    }
                }
            }
        }
        return out
    }

    /// The C kernels' f16 rounding at `level`: f32(f16(x)) for each value.
    public static func roundedToHalf(_ x: [Float], level: KernelLevel) -> [Float] {
        [Float](unsafeUninitializedCapacity: x.count) { buf, n in
            x.withUnsafeBufferPointer { nook_round_f16(Int32(level.rawValue), $0.baseAddress, Int64(x.count), buf.baseAddress) }
            n = x.count
        }
    }

    /// The C kernels' bf16 rounding: f32(bf16(x)) for each value.
    public static func roundedToBF16(_ x: [Float]) -> [Float] {
        [Float](unsafeUninitializedCapacity: x.count) { buf, n in
            x.withUnsafeBufferPointer { nook_round_bf16($0.baseAddress, Int64(x.count), buf.baseAddress) }
            n = x.count
        }
    }
}
