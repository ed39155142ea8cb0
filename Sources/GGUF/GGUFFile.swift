/// Description of one tensor in a GGUF file: its name, shape, type and where its data lies.
public struct GGUFTensorInfo: Sendable {
    public let name: String
    /// Shape in ggml order: `shape[0]` is the fastest-varying dimension (the row length).
    public let shape: [Int]
    public let type: GGMLType
    /// Offset of the data from the start of the file.
    public let fileOffset: Int
    /// Size of the data in bytes.
    public let byteCount: Int

    public var elementCount: Int { shape.reduce(1, *) }
}

/// A parsed, memory-mapped GGUF file (versions 2 and 3).
///
/// Parsing validates the whole header: every count, string and tensor extent is checked against
/// the file's size, so a truncated or hostile file is refused with a ``GGUFError``, never a crash.
public final class GGUFFile: @unchecked Sendable {
    public let path: String
    public let version: UInt32
    /// Metadata in file order.
    public let metadataKeys: [String]
    public let metadata: [String: GGUFValue]
    /// Tensors in file order.
    public let tensors: [GGUFTensorInfo]
    public let tensorsByName: [String: GGUFTensorInfo]
    public let alignment: Int
    /// Offset of the tensor data section.
    public let dataOffset: Int
    private let file: MappedFile

    public convenience init(path: String) throws(GGUFError) {
        try self.init(mapped: MappedFile(path: path))
    }

    public init(mapped file: MappedFile) throws(GGUFError) {
        self.file = file
        path = file.path
        var r = ByteReader(bytes: file.bytes, path: path)
        guard file.count >= 4 else { throw GGUFError(path: path, "not a GGUF file: only \(file.count) bytes") }
        let magic = try r.read(UInt32.self, "magic")
        guard magic == 0x4655_4747 else {
            throw GGUFError(path: path, "not a GGUF file: bad magic \(String(magic, radix: 16))")
        }
        version = try r.read(UInt32.self, "version")
        guard version == 2 || version == 3 else {
            throw GGUFError(path: path, "unsupported GGUF version \(version) (nook reads versions 2 and 3)")
        }
        // Each tensor info takes at least 8+4+8+4+8 bytes, each metadata pair at least 8+4+1.
        let tensorCount = try r.readCount("tensor count", minimumElementSize: 32)
        let kvCount = try r.readCount("metadata count", minimumElementSize: 13)

        var keys: [String] = []
        var meta: [String: GGUFValue] = [:]
        keys.reserveCapacity(kvCount)
        for i in 0..<kvCount {
            let key = try r.readString("metadata key #\(i)")
            let tag = try r.read(UInt32.self, "type of \(key)")
            guard let type = GGUFValueType(rawValue: tag) else {
                throw GGUFError(path: path, "corrupt header: metadata \(key) has unknown value type \(tag)")
            }
            let value = try Self.readValue(&r, type: type, key: key, depth: 0)
            if meta.updateValue(value, forKey: key) != nil {
                throw GGUFError(path: path, "corrupt header: duplicate metadata key \(key)")
            }
            keys.append(key)
        }
        metadataKeys = keys
        metadata = meta

        var align = 32
        if let a = meta["general.alignment"] {
            guard let v = a.intValue, v > 0, v & (v - 1) == 0, v <= 1 << 20 else {
                throw GGUFError(path: path, "general.alignment must be a power of two, got \(a)")
            }
            align = v
        }
        alignment = align

        struct Raw { let name: String; let shape: [Int]; let type: GGMLType; let offset: Int }
        var raws: [Raw] = []
        raws.reserveCapacity(tensorCount)
        for i in 0..<tensorCount {
            let name = try r.readString("tensor #\(i) name")
            let nDims = try r.read(UInt32.self, "rank of tensor \(name)")
            guard (1...4).contains(nDims) else {
                throw GGUFError(path: path, "tensor \(name) has \(nDims) dimensions (1 to 4 allowed)")
            }
            var shape: [Int] = []
            for d in 0..<Int(nDims) {
                let n = try r.read(UInt64.self, "dimension \(d) of tensor \(name)")
                guard n <= UInt64(Int32.max) else {
                    throw GGUFError(path: path, "tensor \(name) has an impossible dimension \(n)")
                }
                shape.append(Int(n))
            }
            let tag = try r.read(UInt32.self, "type of tensor \(name)")
            guard let type = GGMLType(rawValue: tag) else {
                throw GGUFError(path: path, "tensor \(name) has unknown tensor type \(tag)")
            }
            let off = try r.read(UInt64.self, "offset of tensor \(name)")
            guard off <= UInt64(file.count) else {
                throw GGUFError(path: path, "tensor \(name) starts at offset \(off), beyond the end of the file")
            }
            raws.append(Raw(name: name, shape: shape, type: type, offset: Int(off)))
        }
        let headerEnd = r.offset
        let data = (headerEnd + align - 1) / align * align
        dataOffset = data

        var infos: [GGUFTensorInfo] = []
        var byName: [String: GGUFTensorInfo] = [:]
        for t in raws {
            guard t.offset % align == 0 else {
                throw GGUFError(path: path, "tensor \(t.name) offset \(t.offset) is not aligned to \(align)")
            }
            var elements = 1
            for n in t.shape {
                let (m, o) = elements.multipliedReportingOverflow(by: n)
                guard !o else { throw GGUFError(path: path, "tensor \(t.name) shape \(t.shape) overflows") }
                elements = m
            }
            guard let rowBytes = t.type.rowBytes(t.shape[0]) else {
                throw GGUFError(path: path, "tensor \(t.name) row length \(t.shape[0]) is not a multiple of the \(t.type) block size \(t.type.blockSize)")
            }
            let rows = t.shape.count > 1 ? elements / max(t.shape[0], 1) : 1
            let (bytes, o) = rowBytes.multipliedReportingOverflow(by: t.shape[0] == 0 ? 0 : rows)
            let start = data + t.offset
            guard !o, start <= file.count, bytes <= file.count - start else {
                throw GGUFError(path: path, "tensor \(t.name) (\(t.type) \(t.shape)) extends beyond the end of the file: truncated?")
            }
            let info = GGUFTensorInfo(name: t.name, shape: t.shape, type: t.type, fileOffset: start, byteCount: bytes)
            guard byName.updateValue(info, forKey: t.name) == nil else {
                throw GGUFError(path: path, "duplicate tensor name \(t.name)")
            }
            infos.append(info)
        }
        tensors = infos
        tensorsByName = byName
    }

    private static func readValue(_ r: inout ByteReader, type: GGUFValueType, key: String, depth: Int) throws(GGUFError) -> GGUFValue {
        switch type {
        case .uint8: return .uint8(try r.read(UInt8.self, key))
        case .int8: return .int8(try r.read(Int8.self, key))
        case .uint16: return .uint16(try r.read(UInt16.self, key))
        case .int16: return .int16(try r.read(Int16.self, key))
        case .uint32: return .uint32(try r.read(UInt32.self, key))
        case .int32: return .int32(try r.read(Int32.self, key))
        case .uint64: return .uint64(try r.read(UInt64.self, key))
        case .int64: return .int64(try r.read(Int64.self, key))
        case .float32: return .float32(Float(bitPattern: try r.read(UInt32.self, key)))
        case .float64: return .float64(Double(bitPattern: try r.read(UInt64.self, key)))
        case .bool:
            let b = try r.read(UInt8.self, key)
            guard b <= 1 else { throw GGUFError(path: r.path, "corrupt header: metadata \(key) has bool value \(b)") }
            return .bool(b == 1)
        case .string: return .string(try r.readString(key))
        case .array:
            guard depth < 8 else { throw GGUFError(path: r.path, "corrupt header: metadata \(key) nests arrays too deeply") }
            let tag = try r.read(UInt32.self, "element type of \(key)")
            guard let elem = GGUFValueType(rawValue: tag) else {
                throw GGUFError(path: r.path, "corrupt header: metadata \(key) has unknown array element type \(tag)")
            }
            let n = try r.readCount("element count of \(key)", minimumElementSize: elem.minimumSize)
            var out: [GGUFValue] = []
            out.reserveCapacity(n)
            for _ in 0..<n { out.append(try readValue(&r, type: elem, key: key, depth: depth + 1)) }
            return .array(elem, out)
        }
    }

    /// Pointer to the raw data of a tensor inside the mapping.
    ///
    /// Parsing checked that fileOffset + byteCount fits the file; a tensor of another file, or of an empty mapping,
    /// is a typed error rather than a wild pointer.
    public func data(of tensor: GGUFTensorInfo) throws(GGUFError) -> UnsafeRawPointer {
        guard let base = file.base, tensor.fileOffset >= 0, tensor.fileOffset <= file.count,
              tensor.byteCount <= file.count - tensor.fileOffset else {
            throw GGUFError(path: path, "tensor \(tensor.name) lies outside the file's data")
        }
        return base.advanced(by: tensor.fileOffset)
    }

    public func tensor(_ name: String) -> GGUFTensorInfo? { tensorsByName[name] }

    // MARK: typed metadata access

    public func string(_ key: String) -> String? { metadata[key]?.stringValue }
    public func int(_ key: String) -> Int? { metadata[key]?.intValue }
    public func double(_ key: String) -> Double? { metadata[key]?.doubleValue }
    public func bool(_ key: String) -> Bool? { metadata[key]?.boolValue }

    /// A required integer, or an error naming the missing key.
    public func requireInt(_ key: String) throws(GGUFError) -> Int {
        guard let v = int(key) else { throw GGUFError(path: path, "missing or non-integer metadata \(key)") }
        return v
    }

    /// A string array (such as `tokenizer.ggml.tokens`), or nil when absent or of another type.
    public func stringArray(_ key: String) -> [String]? {
        guard case .array(.string, let a)? = metadata[key] else { return nil }
        return a.map { $0.stringValue ?? "" }
    }

    /// A numeric array as Float values, or nil when absent or not numeric.
    public func floatArray(_ key: String) -> [Float]? {
        guard let a = metadata[key]?.arrayValue else { return nil }
        var out: [Float] = []
        out.reserveCapacity(a.count)
        for v in a { guard let d = v.doubleValue else { return nil }; out.append(Float(d)) }
        return out
    }

    /// A numeric array as Int values, or nil when absent or not integral.
    public func intArray(_ key: String) -> [Int]? {
        guard let a = metadata[key]?.arrayValue else { return nil }
        var out: [Int] = []
        out.reserveCapacity(a.count)
        for v in a { guard let d = v.intValue else { return nil }; out.append(d) }
        return out
    }
}
