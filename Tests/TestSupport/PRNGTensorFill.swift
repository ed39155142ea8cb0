import Foundation

/// The tensor values of tools/prng_gguf.py: a splitmix64 stream per tensor, uniform in offset ± scale.
public enum PRNGTensorFill {
    /// 64-bit FNV-1a of a string's UTF-8 bytes (the per-tensor seed before the global seed is mixed in).
    public static func fnv1a64(_ text: String) -> UInt64 {
        var h: UInt64 = 0xCBF2_9CE4_8422_2325
        for b in text.utf8 { h = (h ^ UInt64(b)) &* 0x100_0000_01B3 }
        return h
    }

    /// The stored bytes of `count` elements (little-endian f32, or f16 when `half`) drawn from `seed`.
    public static func bytes(seed: UInt64, count: Int, scale: Double, offset: Double, half: Bool) -> [UInt8] {
        let width = half ? 2 : 4
        var out = [UInt8](repeating: 0, count: count * width)
        out.withUnsafeMutableBytes { raw in
            var state = seed
            for i in 0..<count {
                state = state &+ 0x9E37_79B9_7F4A_7C15
                var z = state
                z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
                z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
                z = z ^ (z >> 31)
                let u = Double(z >> 40) * 0x1p-24
                let value = Float(offset + scale * (2 * u - 1))
                if half {
                    raw.storeBytes(of: halfBits(value).littleEndian, toByteOffset: i * 2, as: UInt16.self)
                } else {
                    raw.storeBytes(of: value.bitPattern.littleEndian, toByteOffset: i * 4, as: UInt32.self)
                }
            }
        }
        return out
    }

    /// IEEE binary16 bits of a float, rounded to nearest even (subnormals, overflow to infinity, NaN kept).
    public static func halfBits(_ f: Float) -> UInt16 {
        let x = f.bitPattern
        let sign = UInt16(truncatingIfNeeded: (x >> 16) & 0x8000)
        let exponent = Int((x >> 23) & 0xFF)
        let mantissa = x & 0x7F_FFFF
        if exponent == 0xFF { return sign | 0x7C00 | (mantissa != 0 ? 0x200 : 0) }
        let e = exponent - 127 + 15
        if e >= 0x1F { return sign | 0x7C00 }
        if e <= 0 {
            if e < -10 { return sign }
            let full = mantissa | 0x80_0000
            let shift = UInt32(14 - e)
            var h = full >> shift
            let rest = full & ((1 << shift) - 1)
            let halfway = UInt32(1) << (shift - 1)
            if rest > halfway || (rest == halfway && h & 1 != 0) { h += 1 }
            return sign | UInt16(h)
        }
        var h = UInt32(e) << 10 | mantissa >> 13
        let rest = mantissa & 0x1FFF
        if rest > 0x1000 || (rest == 0x1000 && h & 1 != 0) { h += 1 }
        return sign | UInt16(h)
    }
}
