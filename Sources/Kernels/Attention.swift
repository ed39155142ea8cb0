/// Scaled dot-product attention of one query head over cached keys and values.
public enum Attention {
    /// Dot product of two f32 vectors of length n.
    @inline(__always)
    public static func dot(_ a: UnsafePointer<Float>, _ b: UnsafePointer<Float>, _ n: Int) -> Float {
        let ra = UnsafeRawPointer(a), rb = UnsafeRawPointer(b)
        var acc0 = SIMD16<Float>(), acc1 = SIMD16<Float>()
        var i = 0
        while i + 32 <= n {
            acc0 = acc0.addingProduct(ra.loadUnaligned(fromByteOffset: i * 4, as: SIMD16<Float>.self),
                                      rb.loadUnaligned(fromByteOffset: i * 4, as: SIMD16<Float>.self))
            acc1 = acc1.addingProduct(ra.loadUnaligned(fromByteOffset: i * 4 + 64, as: SIMD16<Float>.self),
                                      rb.loadUnaligned(fromByteOffset: i * 4 + 64, as: SIMD16<Float>.self))
            i += 32
        }
        while i + 16 <= n {
            acc0 = acc0.addingProduct(ra.loadUnaligned(fromByteOffset: i * 4, as: SIMD16<Float>.self),
                                      rb.loadUnaligned(fromByteOffset: i * 4, as: SIMD16<Float>.self))
            i += 16
        }
        var s = (acc0 + acc1).sum()
        while i < n { s += a[i] * b[i]; i += 1 }
        return s
    }

    /// `out[i] += w * x[i]` for i in 0..<n.
    @inline(__always)
    static func axpy(_ w: Float, _ x: UnsafePointer<Float>, _ out: UnsafeMutablePointer<Float>, _ n: Int) {
        let rx = UnsafeRawPointer(x), ro = UnsafeMutableRawPointer(out)
        let wv = SIMD16<Float>(repeating: w)
        var i = 0
        while i + 16 <= n {
            let o = ro.loadUnaligned(fromByteOffset: i * 4, as: SIMD16<Float>.self)
            let v = rx.loadUnaligned(fromByteOffset: i * 4, as: SIMD16<Float>.self)
            ro.storeBytes(of: o.addingProduct(wv, v), toByteOffset: i * 4, as: SIMD16<Float>.self)
            i += 16
        }
        while i < n { out[i] += w * x[i]; i += 1 }
    }

    /// Attends one query head to `length` cached positions.
    ///
    /// - q: [headDim] query (already rotated).
    /// - keys, values: position j's vector starts at `keys + j * stride` ([length, stride], headDim used).
    /// - scores: scratch [length].
    /// - out: [headDim], overwritten with Σ_j softmax(q·k_j · scale)_j v_j.
    public static func head(q: UnsafePointer<Float>, keys: UnsafePointer<Float>, values: UnsafePointer<Float>,
                            stride: Int, length: Int, headDim: Int, scale: Float,
                            scores: UnsafeMutablePointer<Float>, out: UnsafeMutablePointer<Float>) {
        for j in 0..<length { scores[j] = dot(q, keys + j * stride, headDim) * scale }
        Ops.softmax(scores, length)
        out.update(repeating: 0, count: headDim)
        for j in 0..<length { axpy(scores[j], values + j * stride, out, headDim) }
    }
}
