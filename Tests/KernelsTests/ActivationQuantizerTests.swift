import Testing
@testable import Kernels

@Suite struct ActivationQuantizerTests {
    /// Both the Swift reference and every C level available here.
    func q8_0All(_ x: [Float]) -> [Q8Activations] {
        [ActivationQuantizer.q8_0(x)] + KernelLevel.supported.map { ActivationQuantizer.q8_0(x, level: $0) }
    }

    func q8_KAll(_ x: [Float]) -> [Q8KActivations] {
        [ActivationQuantizer.q8_K(x)] + KernelLevel.supported.map { ActivationQuantizer.q8_K(x, level: $0) }
    }

    @Test func q8_0TiesRoundToEven() {
        // max|x| = 127 makes the multiplier exactly 1, so x·(127/max) lands on the ties themselves.
        var x = [Float](repeating: 0, count: 32)
        x[0] = 127; x[1] = 2.5; x[2] = 3.5; x[3] = -2.5; x[4] = 0.5; x[5] = -0.5; x[6] = 1.5; x[7] = -126.5
        for q in q8_0All(x) {
            #expect(Array(q.qs[0..<8]) == [127, 2, 4, -2, 0, 0, 2, -126])
            #expect(q.d == [1])
            // Q8_1 sum: f16(d · Σq) with the unrounded d = 1
            #expect(q.s == [Float(127 + 2 + 4 - 2 + 2 - 126)])
        }
    }

    @Test func q8_0ZeroAndNegativeBlocks() {
        let zeros = [Float](repeating: 0, count: 32)
        let negatives = (1...32).map { -Float($0) }          // max|x| = 32, multiplier 127/32 = 3.96875 exactly
        for q in q8_0All(zeros + negatives) {
            #expect(Array(q.qs[0..<32]) == [Int8](repeating: 0, count: 32))
            #expect(q.d[0] == 0 && q.s[0] == 0)
            let n = Array(q.qs[32..<64])
            #expect(n[0] == -4 && n[1] == -8 && n[7] == -32 && n[31] == -127)
            #expect(n[15] == -64)                              // 16 · 3.96875 = 63.5: a tie, to even
            #expect(q.d[1] == Half.roundedToHalf(32 / 127))
            let sum = n.reduce(0) { $0 + Int($1) }
            #expect(q.s[1] == Half.roundedToHalf(Float(32) / 127 * Float(sum)))
        }
    }

    @Test func q8_KUsesTheSignedMaximumAndRoundsToEven() {
        var x = [Float](repeating: 0, count: 256)
        x[0] = 1; x[1] = -1; x[2] = 2; x[3] = -2; x[4] = 0.5; x[100] = 1.75
        for q in q8_KAll(x) {
            // max = +2 (first of largest magnitude), iscale = -63.5
            #expect(Array(q.qs[0..<5]) == [-64, 64, -127, 127, -32])
            #expect(q.qs[100] == -111)                         // -111.125
            #expect(q.d == [1 / (-127 / Float(2))])
            #expect(q.bsums[0] == -64 + 64 - 127 + 127 - 32)
            #expect(q.bsums[6] == -111)
            #expect(q.bsums[1] == 0)
        }
        // The first value of largest magnitude decides the sign even when its opposite follows.
        var y = [Float](repeating: 0.25, count: 256)
        y[3] = 4; y[5] = -4
        for q in q8_KAll(y) {
            #expect(q.qs[3] == -127 && q.qs[5] == 127)
            #expect(q.d[0] == 1 / (-127 / Float(4)))
        }
        var z = [Float](repeating: 0.25, count: 256)
        z[3] = -4; z[5] = 4
        for q in q8_KAll(z) {
            #expect(q.qs[3] == -127 && q.qs[5] == 127)       // iscale = 31.75
            #expect(q.qs[0] == 8)                             // 7.9375
            #expect(q.d[0] == 1 / (127 / Float(4)))
        }
    }

    @Test func q8_KZeroBlock() {
        let x = [Float](repeating: 0, count: 256) + (0..<256).map { Float($0 % 7) - 3 }
        for q in q8_KAll(x) {
            #expect(q.d[0] == 0)
            #expect(q.qs[0..<256].allSatisfy { $0 == 0 })
            #expect(q.bsums[0..<16].allSatisfy { $0 == 0 })
            #expect(q.d[1] == 1 / (-127 / Float(-3)))
        }
    }

    @Test func cAndSwiftAgreeBitForBitOnRandomData() {
        var rng = SplitMix(seed: 42)
        for n in [256, 1536, 4096] {
            let x = (0..<n).map { _ in rng.activation() }
            let ref0 = ActivationQuantizer.q8_0(x), refK = ActivationQuantizer.q8_K(x)
            for level in KernelLevel.supported {
                let q0 = ActivationQuantizer.q8_0(x, level: level)
                #expect(q0.qs == ref0.qs, "q8_0 \(level)")
                #expect(q0.d.map(\.bitPattern) == ref0.d.map(\.bitPattern))
                #expect(q0.s.map(\.bitPattern) == ref0.s.map(\.bitPattern))
                let qk = ActivationQuantizer.q8_K(x, level: level)
                #expect(qk.qs == refK.qs, "q8_K \(level)")
                #expect(qk.d.map(\.bitPattern) == refK.d.map(\.bitPattern))
                #expect(qk.bsums == refK.bsums)
            }
        }
    }

    @Test func quantizedValuesReconstructTheInput() {
        var rng = SplitMix(seed: 3)
        let x = (0..<512).map { _ in rng.activation() }
        let q = ActivationQuantizer.q8_0(x)
        for i in 0..<512 {
            // d is the f16-rounded scale (relative error ≤ 2^-11) while q was rounded with the exact one.
            let d = q.d[i / 32]
            #expect(abs(Float(q.qs[i]) * d - x[i]) <= d * (0.5 + 127 * 0x1p-11) + 1e-6)
        }
        let k = ActivationQuantizer.q8_K(x)
        for i in 0..<512 {
            let d = abs(k.d[i / 256])
            #expect(abs(Float(k.qs[i]) * k.d[i / 256] - x[i]) <= d * 0.51)
        }
    }
}
