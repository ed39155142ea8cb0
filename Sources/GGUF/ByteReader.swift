/// A bounds-checked little-endian cursor over the bytes of a GGUF header.
struct ByteReader {
    let bytes: UnsafeRawBufferPointer
    let path: String
    var offset = 0

    var remaining: Int { bytes.count - offset }

    func fail(_ what: String) -> GGUFError {
        GGUFError(path: path, "truncated or corrupt header: \(what) at byte \(offset) runs past end of file (\(bytes.count) bytes)")
    }

    mutating func read<T: FixedWidthInteger>(_: T.Type, _ what: @autoclosure () -> String) throws(GGUFError) -> T {
        let n = MemoryLayout<T>.size
        guard remaining >= n else { throw fail(what()) }
        let v = bytes.loadUnaligned(fromByteOffset: offset, as: T.self)
        offset += n
        return T(littleEndian: v)
    }

    mutating func readCount(_ what: @autoclosure () -> String, minimumElementSize: Int) throws(GGUFError) -> Int {
        let raw = try read(UInt64.self, what())
        // Every element takes at least `minimumElementSize` bytes, so a count larger than what is left is corrupt.
        guard raw <= UInt64(remaining / max(1, minimumElementSize)) else {
            throw GGUFError(path: path, "corrupt header: \(what()) is \(raw), more than the \(remaining) bytes left can hold")
        }
        return Int(raw)
    }

    mutating func readString(_ what: @autoclosure () -> String) throws(GGUFError) -> String {
        let n = try readCount(what() + " length", minimumElementSize: 1)
        let s = String(decoding: UnsafeRawBufferPointer(rebasing: bytes[offset..<offset + n]), as: UTF8.self)
        offset += n
        return s
    }
}
