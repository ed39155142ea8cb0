import Conversation
import Engine
import Foundation
import Media
import Sessions

/// Why an attachment cannot go to the model, described in one line naming the file.
public struct AttachmentProblem: Error, CustomStringConvertible, Equatable {
    public var path: String
    public var message: String

    public init(path: String, message: String) {
        self.path = path
        self.message = message
    }

    public var description: String { "\(path): \(message)" }
}

/// Checks attachments and writes them into the user's message.
///
/// Text files are inlined. Images reach the model when a vision projector is loaded (`acceptsImages`): they must
/// decode (checked from the header, within the pixel limit), and stand in the message as media markers; without a
/// projector they are refused plainly. Audio is refused. A text file must be readable, at most `maximumBytes`
/// long, and either valid UTF-8 free of NUL bytes or UTF-16 (little- or big-endian) after a byte-order mark,
/// free of NUL characters.
public struct AttachmentText: Sendable {
    /// The largest text file accepted.
    public var maximumBytes: Int
    /// Whether image attachments go to the model (a vision projector is loaded).
    public var acceptsImages: Bool

    /// The default limit: 1 MiB, far more than any context window holds.
    public static let defaultMaximumBytes = 1 << 20

    public init(maximumBytes: Int = AttachmentText.defaultMaximumBytes, acceptsImages: Bool = false) {
        self.maximumBytes = maximumBytes
        self.acceptsImages = acceptsImages
    }

    /// The refusal of an image when no vision projector is loaded.
    public static let noVisionMessage = "this model cannot see images: load a vision projector with --mmproj"

    /// Checks a file and makes its attachment (kind and SHA-256); throws a one-line problem.
    public func attachment(forFileAt path: String) throws -> Attachment {
        let url = URL(fileURLWithPath: path).standardizedFileURL
        let kind = try checkKind(url)
        if kind == .image {
            do { _ = try ImageDecoder().decode(fileAt: url.path) } catch {
                throw AttachmentProblem(path: url.path, message: Self.imageProblem(error, path: url.path))
            }
        } else {
            _ = try readText(url, kind: kind)
        }
        do {
            return try AttachmentFiles.attachment(for: url, location: url.path)
        } catch {
            throw AttachmentProblem(path: url.path, message: "cannot read the file (\(error))")
        }
    }

    /// The contents of a text attachment, checked as `attachment(forFileAt:)` does.
    public func text(of attachment: Attachment) throws -> String {
        let url = URL(fileURLWithPath: attachment.path)
        if attachment.kind != .text { throw Self.unsupported(attachment.kind, path: url.path) }
        return try readText(url, kind: .text)
    }

    /// The user message as the model sees it: one media marker per image (images first, as llama.cpp places
    /// them), each text attachment in a delimited block with its file name, then the typed text.
    public func inline(_ message: Message) throws -> Message {
        guard message.role == .user, !message.attachments.isEmpty else { return message }
        var parts: [String] = []
        let images = message.attachments.filter { $0.kind == .image }
        if !images.isEmpty {
            guard acceptsImages else { throw AttachmentProblem(path: images[0].path, message: Self.noVisionMessage) }
            parts.append(String(repeating: ModelContext.mediaMarker, count: images.count))
        }
        for attachment in message.attachments where attachment.kind != .image {
            let name = URL(fileURLWithPath: attachment.path).lastPathComponent
            var body = try text(of: attachment)
            if body.hasSuffix("\n") { body.removeLast() }
            parts.append("[file \(name)]\n\(body)\n[end of file \(name)]")
        }
        // Typed text never counts as a picture's place.
        parts.append(message.content.replacingOccurrences(of: ModelContext.mediaMarker, with: "<__media_>"))
        let joined = images.isEmpty ? parts.joined(separator: "\n\n")
            : parts[0] + parts.dropFirst().joined(separator: "\n\n")
        return Message(role: .user, content: joined, attachments: message.attachments)
    }

    /// One line for an image that does not decode, without repeating the path the caller adds.
    static func imageProblem(_ error: any Error, path: String) -> String {
        let text = "\(error)"
        return text.hasPrefix(path + ": ") ? String(text.dropFirst(path.count + 2)) : text
    }

    static func unsupported(_ kind: AttachmentKind, path: String) -> AttachmentProblem {
        AttachmentProblem(path: path, message: "\(kind.rawValue) attachments are not supported by this model yet (only text files are)")
    }

    private func checkKind(_ url: URL) throws -> AttachmentKind {
        var isDirectory: ObjCBool = false
        guard FileManager.default.fileExists(atPath: url.path, isDirectory: &isDirectory) else {
            throw AttachmentProblem(path: url.path, message: "no such file")
        }
        if isDirectory.boolValue { throw AttachmentProblem(path: url.path, message: "is a folder, not a file") }
        switch AttachmentFiles.kind(of: url) {
        case .image?:
            guard acceptsImages else { throw AttachmentProblem(path: url.path, message: Self.noVisionMessage) }
            return .image
        case .audio?: throw Self.unsupported(.audio, path: url.path)
        case .text?, nil: return .text  // nil: not UTF-8; `readText` says exactly why
        }
    }

    /// Reads a text file: size limit, then UTF-16 after a byte-order mark, or NUL bytes and UTF-8 validity.
    private func readText(_ url: URL, kind: AttachmentKind) throws -> String {
        guard FileManager.default.isReadableFile(atPath: url.path),
              let handle = FileHandle(forReadingAtPath: url.path) else {
            let exists = FileManager.default.fileExists(atPath: url.path)
            throw AttachmentProblem(path: url.path, message: exists ? "cannot read the file (permission denied)" : "no such file")
        }
        defer { try? handle.close() }
        let data: Data
        do {
            data = try handle.read(upToCount: maximumBytes + 1) ?? Data()
        } catch {
            throw AttachmentProblem(path: url.path, message: "cannot read the file (\(error.localizedDescription))")
        }
        if data.count > maximumBytes {
            throw AttachmentProblem(path: url.path, message: "is larger than \(Self.size(maximumBytes)); attach a smaller text file")
        }
        if AttachmentFiles.utf16ByteOrder(data) != nil {
            guard let text = AttachmentFiles.decodeUTF16(data) else {
                throw AttachmentProblem(path: url.path, message: "is not valid UTF-16 text (after its byte-order mark); only text files can be attached")
            }
            if text.unicodeScalars.contains("\0") {
                throw AttachmentProblem(path: url.path, message: "looks like a binary file (it contains NUL characters); only text files can be attached")
            }
            return text
        }
        if data.contains(0) {
            throw AttachmentProblem(path: url.path, message: "looks like a binary file (it contains NUL bytes); only text files can be attached")
        }
        guard let text = String(data: data, encoding: .utf8) else {
            throw AttachmentProblem(path: url.path, message: "is not UTF-8 text; only text files can be attached")
        }
        return text
    }

    /// A byte count for people: 512 B, 12 KiB, 3 MiB.
    static func size(_ bytes: Int) -> String {
        if bytes < 1024 { return "\(bytes) B" }
        if bytes < 1 << 20 { return "\(bytes >> 10) KiB" }
        return "\(bytes >> 20) MiB"
    }
}
