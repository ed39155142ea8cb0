import CKernels

/// Scaled dot-product attention of one query head over cached keys and values.
public enum Attention {
    /// Dot product of two f32 vectors of length n.
    @inline(__always)
    public static func dot(_ a: UnsafePointer<Float>, _ b: UnsafePointer<Float>, _ n: Int) -> Float {
        nook_dot_f32(a, b, Int64(n))
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
        nook_attention_head(q, keys, values, Int64(stride), Int64(length), Int64(headDim), scale, scores, out)
    }
}
