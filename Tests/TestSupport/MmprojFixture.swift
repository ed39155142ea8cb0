import Crypto
import Foundation
import GGUF

/// Rebuilds the random-weight GGUF files of tools/prng_gguf.py (mmproj fixtures, the e2e decoder) from their specs.
///
/// A spec (Tests/MultimodalTests/Fixtures/<name>.spec.json) lists every metadata key with its GGUF type and every
/// tensor with its splitmix64 seed, uniform scale/offset and the sha256 of its data bytes; building checks each
/// tensor and the whole file against those hashes and throws on the first mismatch.
public enum MmprojFixture {
    /// The committed specs and llama.cpp recordings.
    public static let folder = URL(fileURLWithPath: #filePath).deletingLastPathComponent()
        .deletingLastPathComponent().appendingPathComponent("MultimodalTests/Fixtures")

    /// A build or spec problem, naming the spec and what is wrong.
    public struct Failure: Error, CustomStringConvertible {
        public let description: String
        public init(_ description: String) { self.description = description }
    }

    /// Reads `<name>.spec.json` from `folder`.
    public static func spec(_ name: String) throws -> PRNGGGUFSpec {
        try spec(at: folder.appendingPathComponent("\(name).spec.json"))
    }

    /// Reads a spec from anywhere (e.g. the 12-block benchmark tower's, written next to its GGUF).
    public static func spec(at url: URL) throws -> PRNGGGUFSpec {
        guard let data = try? Data(contentsOf: url) else { throw Failure("\(url.path): cannot read the spec") }
        do {
            return try JSONDecoder().decode(PRNGGGUFSpec.self, from: data)
        } catch {
            throw Failure("\(url.path): not a valid spec: \(error)")
        }
    }

    /// Writes the spec's GGUF to `path`, checking every tensor's sha256 and the file's; returns the path.
    @discardableResult
    public static func build(_ spec: PRNGGGUFSpec, to path: String) throws -> String {
        var writer = GGUFWriter()
        writer.version = spec.gguf_version
        writer.alignment = spec.alignment
        for entry in spec.metadata { writer.add(entry.key, try entry.ggufValue(spec: spec.name)) }
        for t in spec.tensors {
            let bytes = try t.bytes(spec: spec.name)
            let digest = sha256Hex(bytes)
            guard digest == t.sha256 else {
                throw Failure("\(spec.name).spec.json: tensor \(t.name): sha256 \(digest) of the regenerated data does not match the spec's \(t.sha256)")
            }
            writer.addTensor(t.name, shape: t.shape, type: try t.ggmlType(spec: spec.name), data: bytes)
        }
        let file = writer.encode()
        let digest = sha256Hex(file)
        guard digest == spec.file_sha256 else {
            throw Failure("\(spec.name).spec.json: the rebuilt file's sha256 \(digest) does not match the spec's \(spec.file_sha256)")
        }
        do {
            try Data(file).write(to: URL(fileURLWithPath: path))
        } catch {
            throw Failure("\(path): cannot write the rebuilt \(spec.name) fixture: \(error)")
        }
        return path
    }

    /// The fixture's GGUF in a per-content temporary folder, built once and reused while its sha256 still matches.
    public static func cachedFile(_ name: String) throws -> String {
        let spec = try spec(name)
        let dir = FileManager.default.temporaryDirectory
            .appendingPathComponent("nook-prng-gguf-\(spec.file_sha256.prefix(16))")
        let path = dir.appendingPathComponent(spec.file).path
        if let data = FileManager.default.contents(atPath: path), data.count == spec.file_bytes,
           sha256Hex(data) == spec.file_sha256 {
            return path
        }
        try FileManager.default.createDirectory(at: dir, withIntermediateDirectories: true)
        let partial = "\(path).\(UUID().uuidString).partial"
        try build(spec, to: partial)
        _ = try? FileManager.default.removeItem(atPath: path)
        try FileManager.default.moveItem(atPath: partial, toPath: path)
        return path
    }

    /// Lowercase hex sha256 of bytes.
    public static func sha256Hex<D: DataProtocol>(_ bytes: D) -> String {
        SHA256.hash(data: bytes).map { String(format: "%02x", $0) }.joined()
    }
}

/// The decoded `<name>.spec.json` (field names as tools/prng_gguf.py writes them).
public struct PRNGGGUFSpec: Decodable, Sendable {
    public let format: String
    public let name: String
    public let file: String
    public let gguf_version: UInt32
    public let alignment: Int
    public let global_seed: String
    public let file_sha256: String
    public let file_bytes: Int
    public let metadata: [Metadata]
    public let tensors: [TensorSpec]

    /// One metadata key: its GGUF type ("array" with item_type for arrays) and JSON value.
    public struct Metadata: Decodable, Sendable {
        public let key: String
        public let type: String
        public let item_type: String?
        public let value: JSONValue

        /// The value as the GGUF module represents it.
        public func ggufValue(spec: String) throws -> GGUFValue {
            let fail = MmprojFixture.Failure("\(spec).spec.json: metadata \(key): value does not fit type \(type)")
            if type == "array" {
                guard let itemType = item_type, let tag = GGUFValueType(name: itemType),
                      case .array(let items) = value else { throw fail }
                return .array(tag, try items.map { try $0.scalar(itemType, or: fail) })
            }
            return try value.scalar(type, or: fail)
        }
    }

    /// One tensor: ggml shape (ne0 first), type, splitmix64 seed, uniform scale/offset and data sha256.
    public struct TensorSpec: Decodable, Sendable {
        public let name: String
        public let shape: [Int]
        public let type: String
        public let seed: String
        public let scale: Double
        public let offset: Double
        public let sha256: String

        func ggmlType(spec: String) throws -> GGMLType {
            switch type {
            case "f32": return .f32
            case "f16": return .f16
            default: throw MmprojFixture.Failure("\(spec).spec.json: tensor \(name): unsupported type \(type)")
            }
        }

        func bytes(spec: String) throws -> [UInt8] {
            guard seed.hasPrefix("0x"), let s = UInt64(seed.dropFirst(2), radix: 16) else {
                throw MmprojFixture.Failure("\(spec).spec.json: tensor \(name): seed \(seed) is not 0x-prefixed hex")
            }
            let count = shape.reduce(1, *)
            return PRNGTensorFill.bytes(seed: s, count: count, scale: scale, offset: offset,
                                        half: try ggmlType(spec: spec) == .f16)
        }
    }
}

/// A JSON value as the spec carries it (integers kept exact).
public enum JSONValue: Decodable, Sendable {
    case bool(Bool), int(Int64), uint(UInt64), double(Double), string(String), array([JSONValue])

    public init(from decoder: Decoder) throws {
        let c = try decoder.singleValueContainer()
        if let b = try? c.decode(Bool.self) { self = .bool(b) }
        else if let u = try? c.decode(UInt64.self) { self = .uint(u) }
        else if let i = try? c.decode(Int64.self) { self = .int(i) }
        else if let d = try? c.decode(Double.self) { self = .double(d) }
        else if let s = try? c.decode(String.self) { self = .string(s) }
        else { self = .array(try c.decode([JSONValue].self)) }
    }

    var double: Double? {
        switch self {
        case .int(let i): return Double(i)
        case .uint(let u): return Double(u)
        case .double(let d): return d
        default: return nil
        }
    }

    var int: Int64? {
        switch self {
        case .int(let i): return i
        case .uint(let u): return Int64(exactly: u)
        default: return nil
        }
    }

    /// The value as a GGUF scalar of the named type.
    func scalar(_ type: String, or fail: Error) throws -> GGUFValue {
        switch (type, self) {
        case ("bool", .bool(let b)): return .bool(b)
        case ("string", .string(let s)): return .string(s)
        case ("float32", _): if let d = double { return .float32(Float(d)) }
        case ("float64", _): if let d = double { return .float64(d) }
        case ("uint64", .uint(let u)): return .uint64(u)
        case ("uint8", _): if let i = int, let v = UInt8(exactly: i) { return .uint8(v) }
        case ("int8", _): if let i = int, let v = Int8(exactly: i) { return .int8(v) }
        case ("uint16", _): if let i = int, let v = UInt16(exactly: i) { return .uint16(v) }
        case ("int16", _): if let i = int, let v = Int16(exactly: i) { return .int16(v) }
        case ("uint32", _): if let i = int, let v = UInt32(exactly: i) { return .uint32(v) }
        case ("int32", _): if let i = int, let v = Int32(exactly: i) { return .int32(v) }
        case ("int64", _): if let i = int { return .int64(i) }
        default: break
        }
        throw fail
    }
}

extension GGUFValueType {
    /// The type named as tools/prng_gguf.py names it ("uint32", "float32", "string", ...).
    init?(name: String) {
        let names: [String: GGUFValueType] = [
            "uint8": .uint8, "int8": .int8, "uint16": .uint16, "int16": .int16, "uint32": .uint32, "int32": .int32,
            "float32": .float32, "bool": .bool, "string": .string, "uint64": .uint64, "int64": .int64,
            "float64": .float64,
        ]
        guard let t = names[name] else { return nil }
        self = t
    }
}
