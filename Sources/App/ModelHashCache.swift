import Foundation
import Sessions

/// Remembers the SHA-256 of model files so that starting a session does not re-read gigabytes.
///
/// Entries are keyed by absolute path and trusted only while the file's size and modification
/// time are unchanged. The cache is a small JSON file (`$XDG_CACHE_HOME/nook/model-hashes.json`);
/// a missing or unreadable cache just means hashing again.
public struct ModelHashCache: Sendable {
    /// The cache file.
    public var file: URL

    struct Entry: Codable, Equatable {
        var size: Int64
        var modified: Double
        var sha256: String
    }

    public init(file: URL) { self.file = file }

    /// The cache in nook's cache folder.
    public init(paths: Paths) { self.init(file: paths.cache.appendingPathComponent("model-hashes.json")) }

    /// The SHA-256 of the file at `path`, from the cache when the file is unchanged, else computed
    /// and stored.
    public func sha256(ofFileAt path: String) throws -> String {
        let url = URL(fileURLWithPath: path).standardizedFileURL
        let attributes = try FileManager.default.attributesOfItem(atPath: url.path)
        let size = (attributes[.size] as? NSNumber)?.int64Value ?? -1
        let modified = (attributes[.modificationDate] as? Date)?.timeIntervalSince1970 ?? 0
        var entries = load()
        if let entry = entries[url.path], entry.size == size, entry.modified == modified {
            return entry.sha256
        }
        let hash = try FileHash.sha256(of: url)
        entries[url.path] = Entry(size: size, modified: modified, sha256: hash)
        save(entries)
        return hash
    }

    private func load() -> [String: Entry] {
        guard let data = FileManager.default.contents(atPath: file.path),
              let entries = try? JSONDecoder().decode([String: Entry].self, from: data) else { return [:] }
        return entries
    }

    /// Writes the cache through a temporary file and a rename; failures are ignored (it is a cache).
    private func save(_ entries: [String: Entry]) {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys, .withoutEscapingSlashes]
        guard let data = try? encoder.encode(entries) else { return }
        try? PrivateFolder.make(file.deletingLastPathComponent())
        try? AtomicFile.write(data, to: file)
    }
}
