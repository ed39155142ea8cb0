import Foundation
import Testing
@testable import Engine

@Suite struct SamplerRandomTests {
    /// Outputs of the reference C code (prng.di.unimi.it/splitmix64.c, xoshiro256starstar.c) compiled with gcc.
    @Test func splitMix64MatchesTheReference() {
        var g = SplitMix64(state: 0)
        #expect((0..<4).map { _ in g.next() } == [
            0xE220_A839_7B1D_CDAF, 0x6E78_9E6A_A1B9_65F4, 0x06C4_5D18_8009_454F, 0xF88B_B8A8_724C_81EC,
        ])
    }

    @Test func xoshiroSeededThroughSplitMixMatchesTheReference() {
        var zero = Xoshiro256StarStar(seed: 0)
        #expect((0..<5).map { _ in zero.next() } == [
            0x99EC_5F36_CB75_F2B4, 0xBF6E_1F78_4956_452A, 0x1A5F_849D_4933_E6E0, 0x6AA5_94F1_262D_2D2C,
            0xBBA5_AD4A_1F84_2E59,
        ])
        var fortyTwo = Xoshiro256StarStar(seed: 42)
        #expect((0..<5).map { _ in fortyTwo.next() } == [
            0x1578_0B2E_0C2E_C716, 0x6104_D986_6D11_3A7E, 0xAE17_5332_39E4_99A1, 0xECB8_AD47_03B3_60A1,
            0xFDE6_DC7F_E2EC_5E64,
        ])
    }

    @Test func nextDoubleIsTheTop53BitsInTheUnitInterval() {
        var a = Xoshiro256StarStar(seed: 7)
        var b = Xoshiro256StarStar(seed: 7)
        for _ in 0..<10_000 {
            let d = a.nextDouble()
            #expect(d >= 0 && d < 1)
            #expect(d == Double(b.next() >> 11) / 9_007_199_254_740_992)
        }
    }

    @Test func portableExpIsAccurate() {
        var g = Xoshiro256StarStar(seed: 1)
        var worst = 0.0
        for _ in 0..<20_000 {
            let x = -700 * g.nextDouble() + 20
            let reference = Foundation.exp(x)
            worst = max(worst, abs(SamplerMath.exp(x) - reference) / reference)
        }
        #expect(worst < 4e-16)
        #expect(SamplerMath.exp(0) == 1)
        #expect(SamplerMath.exp(-.infinity) == 0)
        #expect(SamplerMath.exp(-800) == 0)
        #expect(SamplerMath.exp(710) == .infinity)
        #expect(SamplerMath.exp(.nan).isNaN)
        // Deep in the subnormal range the result still tracks the C library.
        #expect(abs(SamplerMath.exp(-740) - Foundation.exp(-740)) <= Foundation.exp(-740) * 1e-3)
    }

    @Test func portableLogIsAccurate() {
        var g = Xoshiro256StarStar(seed: 2)
        var worst = 0.0
        for _ in 0..<20_000 {
            let x = Foundation.exp(-30 * g.nextDouble() + 5)
            let reference = Foundation.log(x)
            worst = max(worst, abs(SamplerMath.log(x) - reference) / max(abs(reference), 1))
        }
        #expect(worst < 4e-16)
        #expect(SamplerMath.log(1) == 0)
        #expect(SamplerMath.log(0) == -.infinity)
        #expect(SamplerMath.log(-1).isNaN)
        for p: Float in [0.01, 0.05, 0.1, 0.5, 0.9] {
            #expect(Float(SamplerMath.log(Double(p))) == Foundation.logf(p))
        }
    }
}
