import CKernels

/// Scaled dot-product attention of one query head over cached keys and values.
public enum Attention {
    /// Dot product of two f32 vectors of length n.
    @inline(__always)
    public static func dot(_ a: UnsafePointer<Float>, _ b: UnsafePointer<Float>, _ n: Int) -> Float {
        nook_dot_f32(a, b, Int64(n))
    }

    /// Attends one query head to `length` positions of an f16 cache, as llama.cpp's CPU flash attention does
    /// (`tiled`: f32 after the f16 keys and values, for batches of 64 rows or more; else an f16 query and
    /// accumulator). keys, values: f16 bits, position j at `+ j * stride`; scratch: ``f16Scratch(length:headDim:)``.
    public static func headF16(q: UnsafePointer<Float>, keys: UnsafePointer<UInt16>, values: UnsafePointer<UInt16>,
                               stride: Int, length: Int, headDim: Int, scale: Float, tiled: Bool,
                               scratch: UnsafeMutablePointer<Float>, out: UnsafeMutablePointer<Float>) {
        nook_attention_head_f16(q, keys, values, Int64(stride), Int64(length), Int64(headDim), scale, tiled ? 1 : 0,
                                scratch, out)
    }

    /// Floats of scratch ``headF16(q:keys:values:stride:length:headDim:scale:tiled:scratch:out:)`` needs.
    public static func f16Scratch(length: Int, headDim: Int) -> Int {
        Int(nook_attention_f16_scratch(Int64(length), Int64(headDim)))
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
