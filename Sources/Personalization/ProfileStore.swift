import Foundation
import GRDB

/// The profile database (`$XDG_DATA_HOME/nook/profile.sqlite`): one SQLite file in WAL mode, mode 0600,
/// holding every local user's preferences, memories, feedback and change history.
public final class ProfileStore: Sendable {
    /// Where the database lives.
    public let url: URL
    let queue: DatabaseQueue
    /// The current time; injected so tests are deterministic.
    let clock: @Sendable () -> Date

    /// Opens (creating when missing) the database at `url` and brings its schema up to date.
    ///
    /// Throws a one-line `ProfileError` for a file that is not a nook profile, a corrupt one, or one written by a
    /// newer nook; the file is never changed in those cases.
    public init(url: URL, clock: @escaping @Sendable () -> Date = { Date() }) throws {
        self.url = url
        self.clock = clock
        try ProfileStore.prepareFile(at: url)
        var config = Configuration()
        config.journalMode = .wal
        config.foreignKeysEnabled = true
        config.prepareDatabase { db in
            // Freed pages are zeroed, so deleted words do not linger between vacuums.
            try db.execute(sql: "PRAGMA secure_delete = ON")
        }
        let path = url.path
        do {
            queue = try DatabaseQueue(path: path, configuration: config)
            try ProfileStore.checkAndMigrate(queue, path: path)
        } catch let error as ProfileError {
            throw error
        } catch let error as DatabaseError {
            throw ProfileStore.describe(error, path: path)
        }
    }

    /// The current time by the store's clock.
    public var now: Date { clock() }

    /// The handle for one user's profile, creating the user on first use.
    public func profile(for name: String) throws -> UserProfile {
        try ProfileUser.validate(name)
        let now = clock()
        let id: Int64 = try write { db in
            if let id = try Int64.fetchOne(db, sql: "SELECT id FROM user WHERE name = ?", arguments: [name]) { return id }
            try db.execute(sql: "INSERT INTO user (name, created) VALUES (?, ?)", arguments: [name, now])
            return db.lastInsertedRowID
        }
        return UserProfile(store: self, userId: id, name: name)
    }

    /// The handle for `name`'s profile when the user exists; nil otherwise (nothing is created).
    public func existingProfile(for name: String) throws -> UserProfile? {
        guard let id = try read({ try Int64.fetchOne($0, sql: "SELECT id FROM user WHERE name = ?", arguments: [name]) }) else { return nil }
        return UserProfile(store: self, userId: id, name: name)
    }

    /// The names of the users with a profile, sorted.
    public func users() throws -> [String] {
        try read { try String.fetchAll($0, sql: "SELECT name FROM user ORDER BY name") }
    }

    /// Deletes `name`'s whole profile and compacts the file so none of it remains on disk; false when no such user.
    @discardableResult
    public func forgetUser(_ name: String) throws -> Bool {
        let removed: Bool = try write { db in
            guard let id = try Int64.fetchOne(db, sql: "SELECT id FROM user WHERE name = ?", arguments: [name]) else { return false }
            try db.execute(sql: "DELETE FROM memory_fts WHERE rowid IN (SELECT id FROM memory WHERE userId = ?)", arguments: [id])
            try db.execute(sql: "DELETE FROM user WHERE id = ?", arguments: [id])
            return true
        }
        try compact()
        return removed
    }

    /// Rewrites the full-text index, vacuums and truncates the WAL, so deleted rows leave no bytes in any file.
    public func compact() throws {
        try wrap {
            try queue.writeWithoutTransaction { db in
                try db.execute(sql: "INSERT INTO memory_fts(memory_fts) VALUES ('rebuild')")
                try db.execute(sql: "VACUUM")
                try db.checkpoint(.truncate)
            }
        }
    }

    /// Runs `body` in a write transaction, turning database errors into one-line `ProfileError`s.
    func write<T>(_ body: (Database) throws -> T) throws -> T {
        try wrap { try queue.write(body) }
    }

    /// Runs `body` in a read transaction, turning database errors into one-line `ProfileError`s.
    func read<T>(_ body: (Database) throws -> T) throws -> T {
        try wrap { try queue.read(body) }
    }

    private func wrap<T>(_ body: () throws -> T) throws -> T {
        do {
            return try body()
        } catch let error as DatabaseError {
            throw ProfileStore.describe(error, path: url.path)
        }
    }

    /// Creates the folder (0700) and an empty file (0600) when missing, and tightens an existing file to 0600.
    private static func prepareFile(at url: URL) throws {
        let fm = FileManager.default
        let folder = url.deletingLastPathComponent()
        do {
            if !fm.fileExists(atPath: folder.path) {
                try fm.createDirectory(at: folder, withIntermediateDirectories: true, attributes: [.posixPermissions: 0o700])
            }
            if !fm.fileExists(atPath: url.path) {
                guard fm.createFile(atPath: url.path, contents: nil, attributes: [.posixPermissions: 0o600]) else {
                    throw ProfileError("\(url.path): cannot create the profile database (\(problem(creating: url)))")
                }
            } else {
                try fm.setAttributes([.posixPermissions: 0o600], ofItemAtPath: url.path)
            }
        } catch let error as ProfileError {
            throw error
        } catch {
            throw ProfileError("\(url.path): cannot create the profile database (\(problem(creating: url)))")
        }
    }

    /// Why a file cannot be created at `url`, in words: the first ancestor that is a file, or the permissions.
    private static func problem(creating url: URL) -> String {
        var ancestor = url.deletingLastPathComponent()
        while ancestor.path != "/" && !ancestor.path.isEmpty {
            var isFolder: ObjCBool = false
            if FileManager.default.fileExists(atPath: ancestor.path, isDirectory: &isFolder) {
                return isFolder.boolValue ? "no permission to write in \(ancestor.path)" : "\(ancestor.path) is a file, not a folder"
            }
            ancestor.deleteLastPathComponent()
        }
        return "no folder can be made for it"
    }

    /// Refuses foreign and newer databases, then applies the migrations this nook knows.
    private static func checkAndMigrate(_ queue: DatabaseQueue, path: String) throws {
        let migrator = ProfileSchema.migrator
        try queue.read { db in
            let tables = try Int.fetchOne(db, sql: "SELECT count(*) FROM sqlite_master") ?? 0
            let appId = try Int32.fetchOne(db, sql: "PRAGMA application_id") ?? 0
            if tables > 0 && appId != ProfileSchema.applicationId {
                throw ProfileError("\(path): not a nook profile database (another SQLite file); move it away to start a new profile")
            }
            if try migrator.hasBeenSuperseded(db) {
                let known = Set(migrator.migrations)
                let unknown = try String.fetchAll(db, sql: "SELECT identifier FROM grdb_migrations").filter { !known.contains($0) }
                throw ProfileError("\(path): the profile was written by a newer nook (unknown migrations \(unknown.joined(separator: ", "))); upgrade nook to use it")
            }
        }
        try migrator.migrate(queue)
    }

    /// One line for a database error, naming the file.
    static func describe(_ error: DatabaseError, path: String) -> ProfileError {
        switch error.resultCode {
        case .SQLITE_NOTADB, .SQLITE_CORRUPT:
            return ProfileError("\(path): the profile database is corrupt or not an SQLite file; move it away to start a new profile")
        case .SQLITE_BUSY, .SQLITE_LOCKED:
            return ProfileError("\(path): the profile database is busy (another nook is writing it); try again")
        default:
            return ProfileError("\(path): profile database error: \(error.message ?? "\(error.resultCode)")")
        }
    }
}
