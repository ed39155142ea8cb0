import Foundation
import Sessions

/// Remembers which broken-file warnings `nook run` printed, so that each is printed once per change of its file.
///
/// The memory is a small JSON file (`$XDG_CACHE_HOME/nook/reported-warnings.json`) of path, size, modification
/// time and message, replaced atomically; a missing or corrupt one just means the warnings are printed again.
public struct ReportedWarnings: Sendable {
    /// The memory file.
    public var file: URL

    struct Entry: Codable, Equatable {
        var path: String
        var stamp: FileStamp
        var message: String
    }

    public init(file: URL) { self.file = file }

    /// The memory in nook's cache folder.
    public init(paths: Paths) { self.init(file: paths.cache.appendingPathComponent("reported-warnings.json")) }

    /// The messages of `warnings` not yet reported for their file as it is now; all of `warnings` are remembered
    /// for next time (and the files no longer warned about are forgotten).
    public func unreported(_ warnings: [FileWarning]) -> [String] {
        let known = load()
        var current: [Entry] = []
        var fresh: [String] = []
        for warning in warnings {
            let entry = Entry(path: warning.file.path, stamp: FileStamp(of: warning.file) ?? FileStamp(size: -1, modified: 0, inode: 0),
                              message: warning.message)
            if known?.contains(entry) != true { fresh.append(warning.message) }
            current.append(entry)
        }
        if known != current { save(current) }
        return fresh
    }

    /// The remembered entries; nil when there is no memory, or it cannot be read.
    private func load() -> [Entry]? {
        guard let data = FileManager.default.contents(atPath: file.path) else { return nil }
        return try? JSONDecoder().decode([Entry].self, from: data)
    }

    /// Writes the memory crash-safely; failures are ignored (the warnings are just printed again next time).
    private func save(_ entries: [Entry]) {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys, .withoutEscapingSlashes]
        guard let data = try? encoder.encode(entries) else { return }
        try? PrivateFolder.make(file.deletingLastPathComponent())
        try? AtomicFile.write(data, to: file)
    }
}
