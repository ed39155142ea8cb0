import Conversation
import Foundation

/// An attachment that cannot be used, described in one line naming the file.
public enum AttachmentError: Error, CustomStringConvertible, Equatable {
    case missing(path: String, location: String)
    case changed(path: String, location: String, recorded: String, found: String)
    case unknownKind(path: String, location: String)

    public var description: String {
        switch self {
        case .missing(let path, let location): return "\(location): attached file \(path) does not exist"
        case .changed(let path, let location, let recorded, let found):
            return "\(location): attached file \(path) changed since it was recorded (SHA-256 \(recorded.prefix(12))…, now \(found.prefix(12))…)"
        case .unknownKind(let path, let location):
            return "\(location): cannot tell whether \(path) is an image, audio or text (unknown extension and not UTF-8 text)"
        }
    }
}

/// Makes `Attachment` values from files: kind from the extension (or UTF-8 content) and SHA-256.
public enum AttachmentFiles {
    static let imageExtensions: Set<String> = ["png", "jpg", "jpeg", "gif", "bmp", "webp", "tga", "pnm", "ppm", "pgm"]
    static let audioExtensions: Set<String> = ["wav", "mp3", "flac", "ogg", "oga", "opus", "m4a"]

    /// The attachment for the file at `url`; `location` (file:line or a description) prefixes errors.
    public static func attachment(for url: URL, location: String) throws -> Attachment {
        guard FileManager.default.fileExists(atPath: url.path) else {
            throw AttachmentError.missing(path: url.path, location: location)
        }
        guard let kind = kind(of: url) else { throw AttachmentError.unknownKind(path: url.path, location: location) }
        return Attachment(path: url.path, kind: kind, sha256: try FileHash.sha256(of: url))
    }

    /// Checks that a recorded attachment's file still exists with the same content.
    public static func verify(_ attachment: Attachment, location: String) throws {
        let url = URL(fileURLWithPath: attachment.path)
        guard FileManager.default.fileExists(atPath: url.path) else {
            throw AttachmentError.missing(path: attachment.path, location: location)
        }
        let found = try FileHash.sha256(of: url)
        if found != attachment.sha256 {
            throw AttachmentError.changed(path: attachment.path, location: location, recorded: attachment.sha256, found: found)
        }
    }

    /// The kind by extension; files with other extensions count as text when their first 64 KiB are UTF-8,
    /// or UTF-16 after a byte-order mark.
    public static func kind(of url: URL) -> AttachmentKind? {
        let ext = url.pathExtension.lowercased()
        if imageExtensions.contains(ext) { return .image }
        if audioExtensions.contains(ext) { return .audio }
        guard let handle = FileHandle(forReadingAtPath: url.path) else { return nil }
        defer { try? handle.close() }
        let head = (try? handle.read(upToCount: 65536)) ?? Data()
        return looksLikeUTF8(head) || looksLikeUTF16(head) ? .text : nil
    }

    /// Whether `bytes` start with a UTF-16 byte-order mark: true for big-endian (FE FF), false for
    /// little-endian (FF FE), nil without one.
    public static func utf16ByteOrder(_ bytes: Data) -> Bool? {
        guard bytes.count >= 2 else { return nil }
        switch (bytes[bytes.startIndex], bytes[bytes.startIndex + 1]) {
        case (0xFE, 0xFF): return true
        case (0xFF, 0xFE): return false
        default: return nil
        }
    }

    /// The text of UTF-16 `bytes` after their byte-order mark, or nil when there is no mark, the length is
    /// odd or a surrogate is unpaired. NUL characters are kept for the caller to judge.
    public static func decodeUTF16(_ bytes: Data) -> String? {
        guard let bigEndian = utf16ByteOrder(bytes), bytes.count % 2 == 0 else { return nil }
        let start = bytes.startIndex + 2
        let units = stride(from: start, to: bytes.endIndex, by: 2).map { i -> UInt16 in
            let (first, second) = (UInt16(bytes[i]), UInt16(bytes[i + 1]))
            return bigEndian ? first << 8 | second : second << 8 | first
        }
        var scalars = String.UnicodeScalarView()
        var iterator = units.makeIterator()
        var codec = UTF16()
        while true {
            switch codec.decode(&iterator) {
            case .scalarValue(let scalar): scalars.append(scalar)
            case .emptyInput: return String(scalars)
            case .error: return nil
            }
        }
    }

    /// Whether `bytes` are UTF-16 with a byte-order mark and no NUL characters, allowing a cut at the end.
    static func looksLikeUTF16(_ bytes: Data) -> Bool {
        guard utf16ByteOrder(bytes) != nil else { return false }
        for cut in 0...min(3, bytes.count - 2) {
            if let text = decodeUTF16(bytes.prefix(bytes.count - cut)) { return !text.unicodeScalars.contains("\0") }
        }
        return false
    }

    /// Whether `bytes` are UTF-8 without NUL bytes, allowing a character cut at the end.
    static func looksLikeUTF8(_ bytes: Data) -> Bool {
        if bytes.contains(0) { return false }
        for cut in 0...min(3, bytes.count) {
            if String(data: bytes.prefix(bytes.count - cut), encoding: .utf8) != nil { return true }
        }
        return false
    }
}
