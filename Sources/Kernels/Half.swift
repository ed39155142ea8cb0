import CKernels

/// IEEE half and bfloat16 conversion (round to nearest even), scalar and buffer forms.
///
/// These match the x86 F16C instructions and ggml's bf16 conversion bit for bit, NaN payloads included.
public enum Half {
    /// The f32 value of IEEE half bits `h` (exact: every half is a float).
    @inlinable
    public static func toFloat(_ h: UInt16) -> Float {
        let sign = UInt32(h & 0x8000) << 16
        let exp = UInt32(h >> 10) & 0x1f, man = UInt32(h & 0x3ff)
        if exp == 0 {
            // zero or subnormal: man × 2^-24, exact in f32
            return Float(bitPattern: (Float(man) * 0x1p-24).bitPattern | sign)
        }
        if exp == 31 { return Float(bitPattern: sign | 0x7f80_0000 | man << 13) }
        return Float(bitPattern: sign | (exp + 112) << 23 | man << 13)
    }

    /// The nearest half to `f` (ties to even); overflow gives ±infinity, NaN stays a quiet NaN.
    @inlinable
    public static func fromFloat(_ f: Float) -> UInt16 {
        let x = f.bitPattern
        let sign = (x >> 16) & 0x8000, ax = x & 0x7fff_ffff
        if ax > 0x7f80_0000 { return UInt16(sign | 0x7e00 | ((ax >> 13) & 0x3ff)) }
        if ax >= 0x477f_f000 { return UInt16(sign | 0x7c00) }
        if ax < 0x3880_0000 {
            // below the smallest normal half: count units of 2^-24, rounding to nearest even
            let units = Float(bitPattern: ax) * 0x1p24
            let r = (units + 0x1p23) - 0x1p23
            return UInt16(sign | UInt32(r))
        }
        let rounded = ax &+ 0x0fff &+ ((ax >> 13) & 1)
        return UInt16(sign | ((rounded &- 0x3800_0000) >> 13))
    }

    /// The f32 value of bfloat16 bits `b`.
    @inlinable
    public static func bf16ToFloat(_ b: UInt16) -> Float { Float(bitPattern: UInt32(b) << 16) }

    /// The nearest bfloat16 to `f` (ties to even), NaN made quiet, as ggml rounds.
    @inlinable
    public static func bf16FromFloat(_ f: Float) -> UInt16 {
        let u = f.bitPattern
        if u & 0x7fff_ffff > 0x7f80_0000 { return UInt16((u >> 16) | 64) }
        return UInt16((u &+ (0x7fff &+ ((u >> 16) & 1))) >> 16)
    }

    /// `f` rounded to half precision and widened back.
    @inlinable
    public static func roundedToHalf(_ f: Float) -> Float { toFloat(fromFloat(f)) }

    /// `f` rounded to bfloat16 precision and widened back.
    @inlinable
    public static func roundedToBF16(_ f: Float) -> Float { bf16ToFloat(bf16FromFloat(f)) }

    /// Widens `count` halves: src [count] → dst [count].
    public static func toFloat(_ src: UnsafePointer<UInt16>, _ dst: UnsafeMutablePointer<Float>, count: Int) {
        for i in 0..<count { dst[i] = toFloat(src[i]) }
    }

    /// Narrows `count` floats to halves (nearest even, vectorized where the CPU allows): src [count] → dst [count].
    public static func fromFloat(_ src: UnsafePointer<Float>, _ dst: UnsafeMutablePointer<UInt16>, count: Int) {
        nook_f32_to_f16_row(src, dst, Int64(count))
    }

    /// Rounds `count` floats in place to the nearest values a half can hold (as an f16 cache stores them).
    public static func roundToHalf(_ x: UnsafeMutablePointer<Float>, count: Int) {
        nook_round_f16(Int32(KernelLevel.best.rawValue), x, Int64(count), x)
    }

    /// Widens `count` bfloat16 values: src [count] → dst [count].
    public static func bf16ToFloat(_ src: UnsafePointer<UInt16>, _ dst: UnsafeMutablePointer<Float>, count: Int) {
        for i in 0..<count { dst[i] = bf16ToFloat(src[i]) }
    }

    /// Narrows `count` floats to bfloat16: src [count] → dst [count].
    public static func bf16FromFloat(_ src: UnsafePointer<Float>, _ dst: UnsafeMutablePointer<UInt16>, count: Int) {
        for i in 0..<count { dst[i] = bf16FromFloat(src[i]) }
    }

    /// Rounds `count` f32 values to f16 bits (nearest even), as ggml stores an f16 KV cache; vectorised when it can.
    public static func roundRow(_ x: UnsafePointer<Float>, into out: UnsafeMutablePointer<UInt16>, count: Int) {
        nook_f32_to_f16_row(x, out, Int64(count))
    }
}
