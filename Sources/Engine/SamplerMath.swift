/// `exp` and `log` written with IEEE additions, multiplications and divisions only, so sampling
/// gives bit-identical probabilities on every platform instead of depending on the C library's
/// `exp`/`log` (whose last-bit rounding differs between glibc, musl and Apple's libm).
///
/// Both are accurate to a few units in the last place of a `Double`, far more than sampling needs.
enum SamplerMath {
    /// ln 2 split so that `k · ln2High` is exact for |k| < 2²⁰ (fdlibm's constants).
    private static let ln2High = 6.93147180369123816490e-01
    private static let ln2Low = 1.90821492927058770002e-10

    /// eˣ; exactly 0 for −∞ and tiny x, +∞ above the overflow limit, NaN for NaN.
    @inline(__always)
    static func exp(_ x: Double) -> Double {
        if !(x >= -745.2) { return x.isNaN ? x : 0 }
        if x > 709.782712893384 { return .infinity }
        // x = k·ln2 + r with |r| ≤ ln2/2, then eˣ = 2ᵏ · eʳ with eʳ from its Taylor series to r¹³.
        // Round to nearest even by adding and removing 1.5·2⁵², exact IEEE arithmetic for |x·log₂e| < 2⁵¹.
        let k = (x * 1.44269504088896338700e+00 + 0x1.8p52) - 0x1.8p52
        let r = (x - k * 6.93147180369123816490e-01) - k * 1.90821492927058770002e-10
        var p = 1.0 / 6_227_020_800
        p = p * r + 1.0 / 479_001_600
        p = p * r + 1.0 / 39_916_800
        p = p * r + 1.0 / 3_628_800
        p = p * r + 1.0 / 362_880
        p = p * r + 1.0 / 40_320
        p = p * r + 1.0 / 5040
        p = p * r + 1.0 / 720
        p = p * r + 1.0 / 120
        p = p * r + 1.0 / 24
        p = p * r + 1.0 / 6
        p = p * r + 0.5
        p = p * r + 1
        p = p * r + 1
        return scale(p, by: Int(k))
    }

    /// The natural logarithm; −∞ for 0, NaN for negative values and NaN, +∞ for +∞.
    static func log(_ x: Double) -> Double {
        if x.isNaN || x < 0 { return .nan }
        if x == 0 { return -.infinity }
        if x == .infinity { return x }
        // x = m · 2ᵉ with m in [√½, √2), then log m = 2·atanh(s), s = (m − 1)/(m + 1), |s| < 0.172.
        var m = x.significand
        var e = Double(x.exponent)
        if m > 1.4142135623730951 {
            m *= 0.5
            e += 1
        }
        let s = (m - 1) / (m + 1)
        let s2 = s * s
        var sum = 0.0
        for n in stride(from: 23, through: 3, by: -2) { sum = (sum + 1 / Double(n)) * s2 }
        let logM = 2 * s * (1 + sum)
        return (e * ln2High + logM) + e * ln2Low
    }

    /// `value · 2ⁿ`, stepping in two multiplications so subnormal results stay exact where possible.
    @inline(__always)
    private static func scale(_ value: Double, by n: Int) -> Double {
        if n >= -1022 && n <= 1023 { return value * Double(bitPattern: UInt64(n + 1023) << 52) }
        if n < -1000 {
            return value * Double(sign: .plus, exponent: -1000, significand: 1)
                * Double(sign: .plus, exponent: n + 1000, significand: 1)
        }
        if n > 1000 {
            return value * Double(sign: .plus, exponent: 1000, significand: 1)
                * Double(sign: .plus, exponent: n - 1000, significand: 1)
        }
        return value * Double(sign: .plus, exponent: n, significand: 1)
    }
}
