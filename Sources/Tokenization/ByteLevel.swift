/// GPT-2's byte-to-character mapping: every byte becomes a printable code point, so that
/// byte-level BPE vocabularies can be stored as text.
///
/// Bytes `!`…`~`, `¡`…`¬` and `®`…`ÿ` map to themselves; the other 68 bytes map to U+0100 and up,
/// in byte order.
enum ByteLevel {
    /// UTF-8 of the code point each byte maps to (shape: [256], 1 or 2 bytes each).
    static let encoded: [[UInt8]] = mapping.map { cpt in
        var bytes: [UInt8] = []
        UTF8Scan.append(cpt, to: &bytes)
        return bytes
    }

    /// The code point each byte maps to (shape: [256]).
    static let mapping: [UInt32] = {
        var map = [UInt32](repeating: 0, count: 256)
        var n: UInt32 = 0
        for b in 0..<256 {
            if (0x21...0x7E).contains(b) || (0xA1...0xAC).contains(b) || (0xAE...0xFF).contains(b) {
                map[b] = UInt32(b)
            } else {
                map[b] = 256 + n
                n += 1
            }
        }
        return map
    }()

    /// The byte a mapped code point stands for, or -1 (shape: [324], indexed by code point).
    static let inverse: [Int16] = {
        var inv = [Int16](repeating: -1, count: 324)
        for (b, cpt) in mapping.enumerated() { inv[Int(cpt)] = Int16(b) }
        return inv
    }()

    /// The bytes a byte-level token string stands for (llama.cpp's `llama_decode_text`).
    ///
    /// A code point outside the mapping yields llama.cpp's marker
    /// `[UNK_BYTE_0x<utf-8 hex><token text>]` in its place.
    static func decode(_ text: String) -> [UInt8] {
        var out: [UInt8] = []
        out.reserveCapacity(text.utf8.count)
        for scalar in text.unicodeScalars {
            let cpt = scalar.value
            if cpt < 324, inverse[Int(cpt)] >= 0 {
                out.append(UInt8(inverse[Int(cpt)]))
            } else {
                out.append(contentsOf: Array("[UNK_BYTE_0x".utf8))
                var utf8: [UInt8] = []
                UTF8Scan.append(cpt, to: &utf8)
                for b in utf8 {
                    let hex = Array("0123456789abcdef".utf8)
                    out.append(hex[Int(b >> 4)])
                    out.append(hex[Int(b & 15)])
                }
                out.append(contentsOf: Array(text.utf8))
                out.append(UInt8(ascii: "]"))
            }
        }
        return out
    }
}
