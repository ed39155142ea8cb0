import CKernels
import Foundation
import Testing
@testable import Kernels

/// Attention over an f16 cache, in llama.cpp's two ways, against Swift emulations of the same algorithms.
@Suite struct AttentionF16Tests {
    struct Case {
        let q: [Float]
        let keys: [UInt16]
        let values: [UInt16]
        let stride: Int
        let length: Int
        let headDim: Int
        let scale: Float
    }

    static func makeCase(headDim: Int, length: Int, seed: UInt64) -> Case {
        var rng = SplitMix(seed: seed)
        let stride = headDim * 2
        let q = (0..<headDim).map { _ in rng.float() * 2 }
        let keys = (0..<length * stride).map { _ in Half.fromFloat(rng.float() * 2) }
        let values = (0..<length * stride).map { _ in Half.fromFloat(rng.float() * 2) }
        return Case(q: q, keys: keys, values: values, stride: stride, length: length, headDim: headDim,
                    scale: 1 / Float(headDim).squareRoot())
    }

    /// The kernel's answer, reading the second head of each row (offset headDim) to exercise the stride.
    static func run(_ c: Case, tiled: Bool) -> [Float] {
        var scratch = [Float](repeating: 0, count: Attention.f16Scratch(length: c.length, headDim: c.headDim))
        var out = [Float](repeating: .nan, count: c.headDim)
        c.keys.withUnsafeBufferPointer { k in
            c.values.withUnsafeBufferPointer { v in
                Attention.headF16(q: c.q, keys: k.baseAddress! + c.headDim, values: v.baseAddress! + c.headDim,
                                  stride: c.stride, length: c.length, headDim: c.headDim, scale: c.scale, tiled: tiled,
                                  scratch: &scratch, out: &out)
            }
        }
        return out
    }

    func key(_ c: Case, _ j: Int, _ d: Int) -> Float { Half.toFloat(c.keys[j * c.stride + c.headDim + d]) }
    func value(_ c: Case, _ j: Int, _ d: Int) -> Float { Half.toFloat(c.values[j * c.stride + c.headDim + d]) }

    @Test(arguments: [8, 40, 64, 128])
    func oneChunkFollowsLlamaCppsF16Accumulator(headDim: Int) {
        for length in [1, 2, 9, 33, 130] {
            let c = Self.makeCase(headDim: headDim, length: length, seed: UInt64(headDim * 1000 + length))
            // ggml's one-chunk flash attention: f16 query, online softmax, f16 accumulator rounded at every step.
            let qh = c.q.map(Half.roundedToHalf)
            var acc = [Float](repeating: 0, count: headDim)
            var m = -Float.infinity, sum: Float = 0
            for j in 0..<length {
                var dot: Float = 0
                for d in 0..<headDim { dot += qh[d] * key(c, j, d) }
                let s = dot * c.scale
                var ms: Float = 1, vs: Float = 1
                if s > m {
                    ms = expf(m - s)
                    m = s
                    acc = acc.map { Half.roundedToHalf($0 * ms) }
                } else {
                    vs = expf(s - m)
                }
                for d in 0..<headDim { acc[d] = Half.roundedToHalf(fmaf(value(c, j, d), vs, acc[d])) }
                sum = sum * ms + vs
            }
            let expected = acc.map { $0 * (1 / sum) }
            let got = Self.run(c, tiled: false)
            for d in 0..<headDim {
                // The dot products' f32 sums may differ in order, so an f16 rounding can land one step apart.
                #expect(abs(got[d] - expected[d]) <= 2e-3 * max(1, abs(expected[d])), "d=\(headDim) L=\(length) i=\(d)")
            }
        }
    }

    @Test(arguments: [8, 40, 64, 128])
    func tiledIsF32AttentionOverTheF16Values(headDim: Int) {
        for length in [1, 7, 64, 130] {
            let c = Self.makeCase(headDim: headDim, length: length, seed: UInt64(headDim * 7 + length))
            var s = (0..<length).map { j in (0..<headDim).reduce(0.0) { $0 + Double(c.q[$1]) * Double(key(c, j, $1)) } * Double(c.scale) }
            let m = s.max() ?? 0
            s = s.map { exp($0 - m) }
            let total = s.reduce(0, +)
            let got = Self.run(c, tiled: true)
            for d in 0..<headDim {
                let expected = (0..<length).reduce(0.0) { $0 + s[$1] / total * Double(value(c, $1, d)) }
                #expect(abs(Double(got[d]) - expected) < 1e-5, "d=\(headDim) L=\(length) i=\(d)")
            }
        }
    }

    @Test func rowsRoundToHalfLikeTheScalarConversion() {
        var rng = SplitMix(seed: 5)
        let x = (0..<77).map { _ in rng.float() * 70000 } + [0, -0, .infinity, -.infinity, 65520, 1e-8]
        var out = [UInt16](repeating: 0, count: x.count)
        x.withUnsafeBufferPointer { Half.roundRow($0.baseAddress!, into: &out, count: x.count) }
        #expect(out == x.map(Half.fromFloat))
    }
}
