import Testing
@testable import Kernels
import CKernels

@Suite struct HalfTests {
#if !(os(macOS) && arch(x86_64))   // Float16 is unavailable there
    @Test func everyHalfWidensLikeFloat16() {
        for bits in 0...UInt16.max {
            let f = Half.toFloat(bits)
            let e = Float(Float16(bitPattern: bits))
            if e.isNaN {
                #expect(f.isNaN)
                #expect(f.bitPattern == (UInt32(bits & 0x8000) << 16 | 0x7f80_0000 | UInt32(bits & 0x3ff) << 13))
            } else {
                #expect(f.bitPattern == e.bitPattern, "half \(bits)")
            }
            #expect(nook_f16_to_f32(bits).bitPattern == f.bitPattern)
        }
    }

    @Test func narrowingRoundsToNearestEven() {
        // 1 + 2^-11 is halfway between 1 and the next half: ties to even (1); 1 + 3·2^-11 rounds up.
        #expect(Half.fromFloat(1 + 0x1p-11) == 0x3c00)
        #expect(Half.fromFloat(1 + 3 * 0x1p-11) == 0x3c02)
        #expect(Half.fromFloat(65504) == 0x7bff)
        #expect(Half.fromFloat(65519.99) == 0x7bff)
        #expect(Half.fromFloat(65520) == 0x7c00)
        #expect(Half.fromFloat(-.infinity) == 0xfc00)
        #expect(Half.fromFloat(0x1p-24) == 0x0001)
        #expect(Half.fromFloat(0x1p-25) == 0x0000)          // tie between 0 and the smallest subnormal → even
        #expect(Half.fromFloat(0x1.8p-24) == 0x0002)        // tie between 1 and 2 units → even
        #expect(Half.fromFloat(-0.0) == 0x8000)
        #expect(Half.fromFloat(.nan) & 0x7e00 == 0x7e00)
    }

    @Test func narrowingMatchesFloat16AndTheCKernels() {
        var rng = SplitMix(seed: 7)
        var values: [Float] = [0x1p-14, 0x1.ffcp-15, 0x1p-26, 1e-8, 3.14159, -2.71828, 1e5, 6.1e-5]
        for _ in 0..<200_000 {
            // Random bit patterns over the whole range that halves cover, and beyond.
            let e = UInt32(rng.next() % 60) + 95
            values.append(Float(bitPattern: UInt32(rng.next() & 0x8000_0000) | e << 23 | UInt32(rng.next() & 0x7f_ffff)))
        }
        for v in values {
            let h = Half.fromFloat(v)
            #expect(h == Float16(v).bitPattern, "value \(v)")
            #expect(nook_f32_to_f16(v) == h)
        }
        let rounded = ActivationQuantizer.roundedToHalf(values, level: .best)
        for (v, r) in zip(values, rounded) { #expect(r.bitPattern == Half.roundedToHalf(v).bitPattern) }
        let scalar = ActivationQuantizer.roundedToHalf(values, level: .scalar)
        #expect(scalar.map(\.bitPattern) == rounded.map(\.bitPattern))
    }
#endif

    @Test func bfloat16RoundsLikeGGML() {
        #expect(Half.bf16FromFloat(1) == 0x3f80)
        #expect(Half.bf16ToFloat(0x3f80) == 1)
        // 1 + 2^-8 is halfway between bf16 neighbours 1 and 1 + 2^-7: ties to even.
        #expect(Half.bf16FromFloat(1 + 0x1p-8) == 0x3f80)
        #expect(Half.bf16FromFloat(1 + 3 * 0x1p-8) == 0x3f82)
        #expect(Half.bf16FromFloat(-1.5) == 0xbfc0)
        #expect(Half.bf16FromFloat(Float(bitPattern: 0x7f80_0001)) == 0x7fc0)   // signalling NaN made quiet
        #expect(Half.bf16FromFloat(.infinity) == 0x7f80)
        #expect(Half.bf16FromFloat(Float.greatestFiniteMagnitude) == 0x7f80)  // rounds up to infinity, as ggml does
        var rng = SplitMix(seed: 9)
        let xs = (0..<10_000).map { _ in rng.activation() * 100 }
        let c = ActivationQuantizer.roundedToBF16(xs)
        for (x, r) in zip(xs, c) {
            #expect(r == Half.roundedToBF16(x))
            let b = Half.bf16FromFloat(x)
            let lo = Half.bf16ToFloat(b), err = abs(Double(x) - Double(lo))
            #expect(err <= Double(abs(lo)) * 0x1p-8 + 1e-38)
        }
    }

    @Test func bufferFormsConvertEveryElement() {
        let xs: [Float] = [0, 1, -2.5, 65504, 0x1p-24, 1e-3]
        var h = [UInt16](repeating: 0, count: xs.count), back = [Float](repeating: 0, count: xs.count)
        Half.fromFloat(xs, &h, count: xs.count)
        Half.toFloat(h, &back, count: xs.count)
        #expect(back == xs.map { Half.roundedToHalf($0) })
        Half.bf16FromFloat(xs, &h, count: xs.count)
        Half.bf16ToFloat(h, &back, count: xs.count)
        #expect(back == xs.map { Half.roundedToBF16($0) })
    }
}
