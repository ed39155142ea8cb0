import Foundation

/// Encoded pictures kept on disk (`$XDG_CACHE_HOME/nook/media/`), so that asking again about the same picture,
/// regenerating, resuming or replaying does not encode it twice.
///
/// Entries are keyed by a caller-made string that names the projector file's hash, the image file's hash and the
/// settings. Each file carries its key and a checksum: a damaged or foreign entry reads as absent (and is
/// removed), never as wrong rows. Writes go to a temporary file renamed into place. The folder is kept under
/// `maxBytes` by evicting the least recently used entries (reads refresh an entry's time).
public final class MediaCache: @unchecked Sendable {
    public let folder: URL
    public let maxBytes: Int
    private let lock = NSLock()
    private static let magic = Array("NOOKEMB1".utf8)

    /// The default bound: 1 GiB, a few hundred pictures.
    public static let defaultMaxBytes = 1 << 30

    public init(folder: URL, maxBytes: Int = MediaCache.defaultMaxBytes) {
        self.folder = folder
        self.maxBytes = maxBytes
    }

    /// nook's cache folder for encoded media: `$XDG_CACHE_HOME/nook/media`, else `~/.cache/nook/media`.
    public static func defaultFolder(environment: [String: String]) -> URL {
        let base = environment["XDG_CACHE_HOME"].flatMap { $0.isEmpty ? nil : $0 }
            ?? ((environment["HOME"].flatMap { $0.isEmpty ? nil : $0 } ?? NSHomeDirectory()) + "/.cache")
        return URL(fileURLWithPath: base).appendingPathComponent("nook/media")
    }

    private func url(for key: String) -> URL {
        folder.appendingPathComponent(String(format: "%016llx.emb", Self.fnv1a(Array(key.utf8))))
    }

    /// The encoded picture stored under `key`, or nil when there is none or it is damaged.
    public func image(for key: String) -> EncodedImage? {
        lock.lock()
        defer { lock.unlock() }
        let file = url(for: key)
        guard let data = try? Data(contentsOf: file) else { return nil }
        guard let image = Self.decode([UInt8](data), key: key) else {
            try? FileManager.default.removeItem(at: file)
            return nil
        }
        try? FileManager.default.setAttributes([.modificationDate: Date()], ofItemAtPath: file.path)
        return image
    }

    /// Stores `image` under `key`, then evicts old entries past the size bound. Failures to write are ignored
    /// (the cache is an optimisation; the picture is simply encoded again next time).
    public func store(_ image: EncodedImage, for key: String) {
        lock.lock()
        defer { lock.unlock() }
        let fm = FileManager.default
        do {
            try fm.createDirectory(at: folder, withIntermediateDirectories: true, attributes: [.posixPermissions: 0o700])
            let file = url(for: key)
            let temp = folder.appendingPathComponent(".\(file.lastPathComponent).\(UUID().uuidString).tmp")
            try Data(Self.encode(image, key: key)).write(to: temp)
            if fm.fileExists(atPath: file.path) { try fm.removeItem(at: file) }
            try fm.moveItem(at: temp, to: file)
        } catch {
            return
        }
        evict()
    }

    /// Removes least recently used entries until the folder holds at most `maxBytes`.
    private func evict() {
        let fm = FileManager.default
        guard let names = try? fm.contentsOfDirectory(atPath: folder.path) else { return }
        var entries: [(path: String, size: Int, date: Date)] = []
        for name in names where name.hasSuffix(".emb") {
            let path = folder.appendingPathComponent(name).path
            guard let a = try? fm.attributesOfItem(atPath: path) else { continue }
            entries.append((path, (a[.size] as? NSNumber)?.intValue ?? 0, a[.modificationDate] as? Date ?? .distantPast))
        }
        var total = entries.reduce(0) { $0 + $1.size }
        for e in entries.sorted(by: { $0.date < $1.date }) where total > maxBytes {
            try? fm.removeItem(atPath: e.path)
            total -= e.size
        }
    }

    // MARK: - File format: magic, key, pieces, FNV-1a checksum of everything after the magic.

    /// The bytes of an entry (public for tests that size the cache).
    public static func encode(_ image: EncodedImage, key: String) -> [UInt8] {
        var out = magic
        func u32(_ v: Int) { withUnsafeBytes(of: UInt32(v).littleEndian) { out += $0 } }
        func string(_ s: String) { let b = Array(s.utf8); u32(b.count); out += b }
        string(key)
        u32(image.pieces.count)
        for piece in image.pieces {
            switch piece {
            case .text(let s): out.append(0); string(s)
            case .token(let s): out.append(1); string(s)
            case .embeddings(let b):
                out.append(2)
                u32(b.count); u32(b.width); out.append(b.bidirectional ? 1 : 0)
                b.values.withUnsafeBytes { out += $0 }
            }
        }
        withUnsafeBytes(of: fnv1a(out[magic.count...]).littleEndian) { out += $0 }
        return out
    }

    static func decode(_ bytes: [UInt8], key: String) -> EncodedImage? {
        guard bytes.count >= magic.count + 8, Array(bytes.prefix(magic.count)) == magic else { return nil }
        let body = bytes[magic.count..<(bytes.count - 8)]
        var sum: UInt64 = 0
        for (i, b) in bytes.suffix(8).enumerated() { sum |= UInt64(b) << (8 * UInt64(i)) }
        guard fnv1a(body) == sum else { return nil }
        var at = body.startIndex
        func u32() -> Int? {
            guard at + 4 <= body.endIndex else { return nil }
            var v: UInt32 = 0
            for i in 0..<4 { v |= UInt32(body[at + i]) << (8 * UInt32(i)) }
            at += 4
            return Int(v)
        }
        func string() -> String? {
            guard let n = u32(), at + n <= body.endIndex else { return nil }
            defer { at += n }
            return String(decoding: body[at..<(at + n)], as: UTF8.self)
        }
        guard string() == key, let count = u32() else { return nil }
        var pieces: [ImagePromptPiece] = []
        for _ in 0..<count {
            guard at < body.endIndex else { return nil }
            let kind = body[at]
            at += 1
            switch kind {
            case 0: guard let s = string() else { return nil }; pieces.append(.text(s))
            case 1: guard let s = string() else { return nil }; pieces.append(.token(s))
            case 2:
                guard let n = u32(), let w = u32(), at < body.endIndex else { return nil }
                let bidirectional = body[at] == 1
                at += 1
                let bytesNeeded = n * w * 4
                guard at + bytesNeeded <= body.endIndex else { return nil }
                var values = [Float](repeating: 0, count: n * w)
                values.withUnsafeMutableBytes { dst in
                    body[at..<(at + bytesNeeded)].withUnsafeBytes { dst.copyMemory(from: $0) }
                }
                at += bytesNeeded
                pieces.append(.embeddings(EmbeddingBlock(values: values, count: n, width: w, bidirectional: bidirectional)))
            default: return nil
            }
        }
        guard at == body.endIndex else { return nil }
        return EncodedImage(pieces: pieces)
    }

    static func fnv1a<C: Collection>(_ bytes: C) -> UInt64 where C.Element == UInt8 {
        var h: UInt64 = 0xcbf2_9ce4_8422_2325
        for b in bytes { h = (h ^ UInt64(b)) &* 0x0000_0100_0000_01b3 }
        return h
    }
}
