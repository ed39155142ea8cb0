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

    /// Attends one query head to `length` positions of a Q8_0 cache, as llama.cpp's CPU flash attention does (a Q8_0
    /// query, block dot products, f32 online softmax). keys, values: position j at `+ j * strideBlocks` blocks of
    /// 34 bytes; headDim % 32 == 0; scratch: ``q8Scratch(headDim:)`` floats.
    public static func headQ8_0(q: UnsafePointer<Float>, keys: UnsafeRawPointer, values: UnsafeRawPointer,
                                strideBlocks: Int, length: Int, headDim: Int, scale: Float,
                                scratch: UnsafeMutablePointer<Float>, out: UnsafeMutablePointer<Float>) {
        nook_attention_head_q8_0(q, keys, values, Int64(strideBlocks), Int64(length), Int64(headDim), scale, scratch, out)
    }

    /// Floats of scratch ``headQ8_0(q:keys:values:strideBlocks:length:headDim:scale:scratch:out:)`` needs.
    public static func q8Scratch(headDim: Int) -> Int { Int(nook_attention_q8_scratch(Int64(headDim))) }

    /// Quantizes `count` values (a multiple of 32) into Q8_0 blocks at `blocks`, as ggml stores a q8_0 cache.
    public static func storeQ8_0(_ x: UnsafePointer<Float>, into blocks: UnsafeMutableRawPointer, count: Int) {
        nook_store_q8_0_row(x, blocks, Int64(count))
    }

    /// Rotates each run of `block` values (a power of two) by the orthonormal Walsh-Hadamard matrix, in place.
    public static func hadamard(_ x: UnsafeMutablePointer<Float>, count: Int, block: Int) {
        nook_hadamard_rows(x, Int64(count), Int64(block))
    }

    /// c[i][j] = Σ_p a[i][p] · b[p][j] for i < m, j < n, p < k (row-major f32, row strides in elements).
    public static func product(a: UnsafePointer<Float>, lda: Int, b: UnsafePointer<Float>, ldb: Int,
                               c: UnsafeMutablePointer<Float>, ldc: Int, m: Int, n: Int, k: Int) {
        nook_gemm_nn_f32(a, Int64(lda), b, Int64(ldb), c, Int64(ldc), Int64(m), Int64(n), Int64(k))
    }

    /// softmax(scale · x) of one row of n values, in place.
    public static func softmax(_ x: UnsafeMutablePointer<Float>, count n: Int, scale: Float) {
        nook_softmax_scaled(x, Int64(n), scale)
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
