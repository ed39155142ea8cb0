import Foundation
import Kernels
import Testing

/// The attention kernel against a double-precision softmax(q·K/√d)·V.
@Suite struct AttentionTests {
    @Test(arguments: [8, 40, 64, 96, 128])
    func matchesDoublePrecision(headDim: Int) {
        var rng = SplitMix(seed: UInt64(headDim))
        for length in [1, 2, 7, 8, 9, 33, 130] {
            let stride = headDim * 3
            let q = (0..<headDim).map { _ in rng.float() * 2 }
            let keys = (0..<length * stride).map { _ in rng.float() * 2 }
            let values = (0..<length * stride).map { _ in rng.float() * 2 }
            let scale = 1 / Float(headDim).squareRoot()
            var scores = [Float](repeating: 0, count: length)
            var out = [Float](repeating: .nan, count: headDim)
            // Read the second KV head of each row (offset headDim) to exercise the stride.
            keys.withUnsafeBufferPointer { k in
                values.withUnsafeBufferPointer { v in
                    Attention.head(q: q, keys: k.baseAddress! + headDim, values: v.baseAddress! + headDim,
                                   stride: stride, length: length, headDim: headDim, scale: scale,
                                   scores: &scores, out: &out)
                }
            }
            var s = (0..<length).map { j in
                (0..<headDim).reduce(0.0) { $0 + Double(q[$1]) * Double(keys[j * stride + headDim + $1]) } * Double(scale)
            }
            let m = s.max()!
            s = s.map { exp($0 - m) }
            let total = s.reduce(0, +)
            for i in 0..<headDim {
                let expected = (0..<length).reduce(0.0) { $0 + s[$1] / total * Double(values[$1 * stride + headDim + i]) }
                #expect(abs(Double(out[i]) - expected) < 1e-5, "d=\(headDim) L=\(length) i=\(i)")
            }
        }
    }

    @Test func dotProduct() {
        let a: [Float] = (0..<37).map { Float($0) * 0.5 }
        let b: [Float] = (0..<37).map { Float(37 - $0) }
        let expected = zip(a, b).reduce(Float(0)) { $0 + $1.0 * $1.1 }
        #expect(abs(Attention.dot(a, b, 37) - expected) < 1e-3)
    }
}

