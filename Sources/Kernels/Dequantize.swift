import GGUF

/// Dequantization of whole rows (used for embedding lookups and tests).
///
/// Each value is computed exactly as ggml's `dequantize_row_*` computes it (same products and sums in f32),
/// so an embedding row equals llama.cpp's bit for bit.
public enum Dequantize {
    /// Writes row `r` of `w` as `w.cols` floats to `out` ([w.cols]).
    /// An invalid matrix or a row out of range gives NaN values instead of reading out of bounds.
    public static func row(_ w: WeightMatrix, _ r: Int, into out: UnsafeMutablePointer<Float>) {
        guard w.isValid, r >= 0, r < w.rows else {
            if w.cols > 0 { out.update(repeating: .nan, count: w.cols) }
            return
        }
        let p = w.data + r * w.rowBytes
        let n = w.cols
        switch w.type {
        case .f32: out.update(from: p.assumingMemoryBound(to: Float.self), count: n)
        case .f16: for i in 0..<n { out[i] = Half.toFloat(p.loadUnaligned(fromByteOffset: 2 * i, as: UInt16.self)) }
        case .bf16: for i in 0..<n { out[i] = Half.bf16ToFloat(p.loadUnaligned(fromByteOffset: 2 * i, as: UInt16.self)) }
        case .q4_0: for b in 0..<n / 32 { q4_0(p + 18 * b, out + 32 * b) }
        case .q4_1: for b in 0..<n / 32 { q4_1(p + 20 * b, out + 32 * b) }
        case .q5_0: for b in 0..<n / 32 { q5_0(p + 22 * b, out + 32 * b) }
        case .q5_1: for b in 0..<n / 32 { q5_1(p + 24 * b, out + 32 * b) }
        case .q8_0: for b in 0..<n / 32 { q8_0(p + 34 * b, out + 32 * b) }
        case .q4_K: for b in 0..<n / 256 { q4_K(p + 144 * b, out + 256 * b, highBits: nil) }
        case .q5_K: for b in 0..<n / 256 { q4_K(p + 176 * b, out + 256 * b, highBits: p + 176 * b + 16) }
        case .q6_K: for b in 0..<n / 256 { q6_K(p + 210 * b, out + 256 * b) }
        default: out.update(repeating: .nan, count: n)
        }
    }

    /// Row `r` of `w` as an array.
    public static func row(_ w: WeightMatrix, _ r: Int) -> [Float] {
        [Float](unsafeUninitializedCapacity: max(0, w.cols)) { buf, count in
            if let base = buf.baseAddress { row(w, r, into: base) }
            count = max(0, w.cols)
        }
    }

    @inline(__always)
    static func half(_ p: UnsafeRawPointer, _ offset: Int) -> Float {
        Half.toFloat(p.loadUnaligned(fromByteOffset: offset, as: UInt16.self))
    }

    @inline(__always)
    static func byte(_ p: UnsafeRawPointer, _ offset: Int) -> Int { Int(p.load(fromByteOffset: offset, as: UInt8.self)) }

    /// Q4_0: f16 d, 16 bytes; element j = (low nibble of byte j − 8)·d, element j+16 = (high nibble − 8)·d.
    static func q4_0(_ b: UnsafeRawPointer, _ y: UnsafeMutablePointer<Float>) {
        let d = half(b, 0)
        for j in 0..<16 {
            let q = byte(b, 2 + j)
            y[j] = Float((q & 0xF) - 8) * d
            y[j + 16] = Float((q >> 4) - 8) * d
        }
    }

    /// Q4_1: f16 d, f16 m, 16 bytes of nibbles; value = q·d + m.
    static func q4_1(_ b: UnsafeRawPointer, _ y: UnsafeMutablePointer<Float>) {
        let d = half(b, 0), m = half(b, 2)
        for j in 0..<16 {
            let q = byte(b, 4 + j)
            y[j] = Float(q & 0xF) * d + m
            y[j + 16] = Float(q >> 4) * d + m
        }
    }

    /// Q5_0: f16 d, 32 high bits qh (bit j for element j), 16 bytes of nibbles; value = (q − 16)·d.
    static func q5_0(_ b: UnsafeRawPointer, _ y: UnsafeMutablePointer<Float>) {
        let d = half(b, 0)
        let qh = b.loadUnaligned(fromByteOffset: 2, as: UInt32.self)
        for j in 0..<16 {
            let q = byte(b, 6 + j)
            let h0 = Int((qh >> UInt32(j)) & 1) << 4, h1 = Int((qh >> UInt32(j + 16)) & 1) << 4
            y[j] = Float(((q & 0xF) | h0) - 16) * d
            y[j + 16] = Float(((q >> 4) | h1) - 16) * d
        }
    }

    /// Q5_1: f16 d, f16 m, qh, nibbles; value = q·d + m.
    static func q5_1(_ b: UnsafeRawPointer, _ y: UnsafeMutablePointer<Float>) {
        let d = half(b, 0), m = half(b, 2)
        let qh = b.loadUnaligned(fromByteOffset: 4, as: UInt32.self)
        for j in 0..<16 {
            let q = byte(b, 8 + j)
            let h0 = Int((qh >> UInt32(j)) & 1) << 4, h1 = Int((qh >> UInt32(j + 16)) & 1) << 4
            y[j] = Float((q & 0xF) | h0) * d + m
            y[j + 16] = Float((q >> 4) | h1) * d + m
        }
    }

    /// Q8_0: f16 d, 32 signed bytes; value = q·d.
    static func q8_0(_ b: UnsafeRawPointer, _ y: UnsafeMutablePointer<Float>) {
        let d = half(b, 0)
        for j in 0..<32 { y[j] = Float(b.load(fromByteOffset: 2 + j, as: Int8.self)) * d }
    }

    /// The 6-bit scale and min of sub-block j of a Q4_K/Q5_K super-block (12 packed bytes at `s`).
    @inline(__always)
    static func scaleMin(_ j: Int, _ s: UnsafeRawPointer) -> (Int, Int) {
        if j < 4 { return (byte(s, j) & 63, byte(s, j + 4) & 63) }
        return ((byte(s, j + 4) & 0xF) | ((byte(s, j - 4) >> 6) << 4), (byte(s, j + 4) >> 4) | ((byte(s, j) >> 6) << 4))
    }

    /// Q4_K (highBits nil) and Q5_K: f16 d, f16 dmin, 12 bytes of scales/mins, [Q5_K: 32 bytes qh], 128 bytes of
    /// nibbles. Each 64 elements use 32 bytes: low nibbles first (sub-block 2i), then high nibbles (2i+1);
    /// value = d·sc·q − dmin·m, with Q5_K's fifth bit from qh bit 2i (low) or 2i+1 (high).
    static func q4_K(_ b: UnsafeRawPointer, _ y: UnsafeMutablePointer<Float>, highBits qh: UnsafeRawPointer?) {
        let d = half(b, 0), dmin = half(b, 2)
        let scales = b + 4
        let qs = b + (qh == nil ? 16 : 48)
        for i in 0..<4 {
            let (sc1, m1) = scaleMin(2 * i, scales), (sc2, m2) = scaleMin(2 * i + 1, scales)
            let d1 = d * Float(sc1), mm1 = dmin * Float(m1)
            let d2 = d * Float(sc2), mm2 = dmin * Float(m2)
            for l in 0..<32 {
                let q = byte(qs, 32 * i + l)
                var lo = q & 0xF, hi = q >> 4
                if let qh {
                    let h = byte(qh, l)
                    lo += (h >> (2 * i)) & 1 == 1 ? 16 : 0
                    hi += (h >> (2 * i + 1)) & 1 == 1 ? 16 : 0
                }
                y[64 * i + l] = d1 * Float(lo) - mm1
                y[64 * i + 32 + l] = d2 * Float(hi) - mm2
            }
        }
    }

    /// Q6_K: 128 bytes ql, 64 bytes qh, 16 int8 scales, f16 d. Per half of 128 elements, element l (0..<32) takes
    /// ql[l] low nibble with qh[l] bits 0-1, l+32: ql[l+32] low / bits 2-3, l+64: ql[l] high / bits 4-5,
    /// l+96: ql[l+32] high / bits 6-7; value = d·scale[e/16]·(q − 32).
    static func q6_K(_ b: UnsafeRawPointer, _ y: UnsafeMutablePointer<Float>) {
        let d = half(b, 208)
        for h in 0..<2 {
            let ql = b + 64 * h, qh = b + 128 + 32 * h
            let sc = b + 192 + 8 * h
            let out = y + 128 * h
            for l in 0..<32 {
                let s0 = l / 16
                let a = byte(ql, l), c = byte(ql, l + 32), hb = byte(qh, l)
                let q1 = ((a & 0xF) | ((hb & 3) << 4)) - 32
                let q2 = ((c & 0xF) | (((hb >> 2) & 3) << 4)) - 32
                let q3 = ((a >> 4) | (((hb >> 4) & 3) << 4)) - 32
                let q4 = ((c >> 4) | (((hb >> 6) & 3) << 4)) - 32
                out[l] = d * Float(sc.load(fromByteOffset: s0, as: Int8.self)) * Float(q1)
                out[l + 32] = d * Float(sc.load(fromByteOffset: s0 + 2, as: Int8.self)) * Float(q2)
                out[l + 64] = d * Float(sc.load(fromByteOffset: s0 + 4, as: Int8.self)) * Float(q3)
                out[l + 96] = d * Float(sc.load(fromByteOffset: s0 + 6, as: Int8.self)) * Float(q4)
            }
        }
    }
}
