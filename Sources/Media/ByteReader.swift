/// Bounds-checked reads of little- and big-endian integers.
struct ByteReader {
    let bytes: [UInt8]

    init(_ bytes: [UInt8]) {
        self.bytes = bytes
    }

    func u8(at offset: Int) -> Int? {
        offset >= 0 && offset < bytes.count ? Int(bytes[offset]) : nil
    }

    func u16(at offset: Int, little: Bool = true) -> Int? {
        guard offset >= 0, offset <= bytes.count - 2 else { return nil }
        let (a, b) = (Int(bytes[offset]), Int(bytes[offset + 1]))
        return little ? a | b << 8 : a << 8 | b
    }

    func u32(at offset: Int, little: Bool = true) -> Int? {
        guard let low = u16(at: offset + (little ? 0 : 2), little: little),
              let high = u16(at: offset + (little ? 2 : 0), little: little) else { return nil }
        return low | high << 16
    }

    func i32(at offset: Int) -> Int? {
        u32(at: offset).map { Int(Int32(truncatingIfNeeded: $0)) }
    }
}
