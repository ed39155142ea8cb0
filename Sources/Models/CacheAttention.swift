import Kernels

/// One query head attending to a run of a layer's cached positions, in the way llama.cpp's CPU flash attention
/// computes it for the cache's type; shared by every decoder.
extension KVCache {
    /// Attends the query head `q` ([headDim], already rotated) to positions `positions` of layer `layer`, KV head
    /// `kvHead`, writing [headDim] to `out`.
    ///
    /// With an f16 cache: `tiled` (batches of 64 rows or more) computes in f32, otherwise the query is rounded to f16
    /// and the values summed in f16. A q8_0 cache quantizes the query to Q8_0 and sums dequantized values in f32.
    /// `scratch` holds `max(Attention.f16Scratch(length:headDim:), Attention.q8Scratch(headDim:))` floats.
    func attendHead(q: UnsafePointer<Float>, layer: Int, kvHead: Int, positions: Range<Int>, headDim hd: Int,
                    scale: Float, tiled: Bool, scratch: UnsafeMutablePointer<Float>, out: UnsafeMutablePointer<Float>) {
        let keys = self.keys(layer: layer), values = self.values(layer: layer)
        let first = positions.lowerBound, length = positions.count
        switch type {
        case .q8_0:
            let offset = type.bytes(first * rowSize) + kvHead * hd / 32 * 34
            Attention.headQ8_0(q: q, keys: keys + offset, values: values + offset, strideBlocks: rowSize / 32,
                               length: length, headDim: hd, scale: scale, scratch: scratch, out: out)
        case .f16:
            let offset = first * rowSize + kvHead * hd
            Attention.headF16(q: q, keys: keys.assumingMemoryBound(to: UInt16.self) + offset,
                              values: values.assumingMemoryBound(to: UInt16.self) + offset, stride: rowSize,
                              length: length, headDim: hd, scale: scale, tiled: tiled, scratch: scratch, out: out)
        case .f32:
            let offset = first * rowSize + kvHead * hd
            Attention.head(q: q, keys: keys.assumingMemoryBound(to: Float.self) + offset,
                           values: values.assumingMemoryBound(to: Float.self) + offset, stride: rowSize,
                           length: length, headDim: hd, scale: scale, scores: scratch, out: out)
        }
    }

    /// The rotation sizes llama.cpp uses around a quantized cache whose head size is a multiple of 64: for keys the
    /// largest power of two dividing the head size, for values 64; nil for f16/f32 caches.
    func rotationBlocks(headDim hd: Int) -> (keys: Int, values: Int)? {
        guard type == .q8_0, hd % 64 == 0 else { return nil }
        var keys = 64
        while hd % (keys * 2) == 0 { keys *= 2 }
        return (keys, 64)
    }
}
