import Foundation
import Sessions

/// The editor's input history, kept across runs in `$XDG_DATA_HOME/nook/history`.
///
/// The file holds one JSON string per line (so multi-line inputs stay one entry), oldest first.
/// Entries are appended as they are sent; the file is rewritten with the newest `limit` entries
/// when it grows past twice that. Lines that are not JSON strings are skipped.
public struct InputHistory: Sendable {
    public var file: URL
    /// Most entries kept.
    public var limit: Int

    public init(file: URL, limit: Int = 1000) {
        self.file = file
        self.limit = limit
    }

    /// The history in nook's data folder.
    public init(paths: Paths) { self.init(file: paths.data.appendingPathComponent("history")) }

    /// The stored entries, oldest first (empty when there is no file yet).
    public func load() -> [String] {
        guard let data = FileManager.default.contents(atPath: file.path) else { return [] }
        var entries: [String] = []
        for line in data.split(separator: 0x0A) where !line.isEmpty {
            if let entry = try? JSONDecoder().decode(String.self, from: Data(line)) { entries.append(entry) }
        }
        return Array(entries.suffix(limit))
    }

    /// Appends one entry; returns a one-line problem when the file cannot be written.
    @discardableResult
    public func append(_ entry: String) -> String? {
        guard let encoded = try? JSONEncoder().encode(entry) else { return nil }
        do {
            try PrivateFolder.make(file.deletingLastPathComponent())
            let fd = open(file.path, O_WRONLY | O_APPEND | O_CREAT | O_CLOEXEC, 0o600)
            guard fd >= 0 else { throw FileSystemError(path: file.path, operation: "open", code: errno) }
            defer { close(fd) }
            let line = [UInt8](encoded) + [0x0A]
            let written = line.withUnsafeBytes { write(fd, $0.baseAddress, $0.count) }
            guard written == line.count else { throw FileSystemError(path: file.path, operation: "write", code: errno) }
            let end = lseek(fd, 0, SEEK_END)
            if end > off_t(limit) * 2 * 64 { compactIfNeeded() }
            return nil
        } catch {
            return "cannot save the input history: \(error)"
        }
    }

    /// Rewrites the file with the newest `limit` entries when it holds more than twice that.
    private func compactIfNeeded() {
        let entries = load()
        guard let data = FileManager.default.contents(atPath: file.path),
              data.split(separator: 0x0A).count > limit * 2 else { return }
        var out = Data()
        for entry in entries.suffix(limit) {
            if let encoded = try? JSONEncoder().encode(entry) { out += encoded + Data([0x0A]) }
        }
        try? AtomicFile.write(out, to: file)
    }
}
