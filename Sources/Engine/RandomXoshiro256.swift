/// The seeded pseudo-random generator behind sampling: xoshiro256** 1.0 (Blackman and Vigna),
/// its 256-bit state filled by four outputs of SplitMix64 started at the seed.
///
/// Only integer adds, multiplies, shifts and rotations are involved, so a seed yields the same
/// sequence on every machine, compiler and run. `nextDouble()` turns the top 53 bits of an
/// output into a uniform `Double` in [0, 1).
public struct Xoshiro256StarStar: RandomNumberGenerator, Sendable, Equatable {
    /// The generator state, four 64-bit words; never all zero.
    private var s0: UInt64, s1: UInt64, s2: UInt64, s3: UInt64

    /// A generator seeded from `seed` through SplitMix64.
    public init(seed: UInt64) {
        var mixer = SplitMix64(state: seed)
        s0 = mixer.next()
        s1 = mixer.next()
        s2 = mixer.next()
        s3 = mixer.next()
        // SplitMix64 is a bijection of its counter, so four zero outputs cannot occur; stay safe anyway.
        if s0 | s1 | s2 | s3 == 0 { s0 = 0x9E37_79B9_7F4A_7C15 }
    }

    /// The next 64 random bits.
    public mutating func next() -> UInt64 {
        let result = rotateLeft(s1 &* 5, 7) &* 9
        let t = s1 << 17
        s2 ^= s0
        s3 ^= s1
        s1 ^= s2
        s0 ^= s3
        s2 ^= t
        s3 = rotateLeft(s3, 45)
        return result
    }

    /// A uniform value in [0, 1) with 53 random bits: `(next() >> 11) · 2⁻⁵³`.
    public mutating func nextDouble() -> Double {
        Double(next() >> 11) * 0x1.0p-53
    }

    private func rotateLeft(_ x: UInt64, _ k: UInt64) -> UInt64 {
        (x << k) | (x >> (64 - k))
    }
}

/// SplitMix64 (Steele, Lea and Flood), used to expand a 64-bit seed into xoshiro's state.
public struct SplitMix64: RandomNumberGenerator, Sendable, Equatable {
    /// The counter; advanced by the golden-ratio increment before each output.
    public var state: UInt64

    public init(state: UInt64) {
        self.state = state
    }

    /// The next 64 random bits.
    public mutating func next() -> UInt64 {
        state &+= 0x9E37_79B9_7F4A_7C15
        var z = state
        z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
        z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
        return z ^ (z >> 31)
    }
}
