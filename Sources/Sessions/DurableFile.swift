import Foundation
#if canImport(Glibc)
import Glibc
#elseif canImport(Musl)
import Musl
#elseif canImport(Darwin)
import Darwin
#endif

/// A failed file-system call, described in one line with the path and the system's reason.
public struct FileSystemError: Error, CustomStringConvertible, Equatable {
    public var path: String
    public var operation: String
    public var code: Int32

    public init(path: String, operation: String, code: Int32) {
        self.path = path
        self.operation = operation
        self.code = code
    }

    public var description: String { "\(path): cannot \(operation) (\(String(cString: strerror(code))))" }
}

/// POSIX helpers for writes that survive a crash: whole-buffer writes, fsync of files and folders,
/// and atomic replacement through a temporary file.
enum DurableFile {
    /// Creates `url` and its missing parents with mode 0700, syncing each folder it creates.
    static func makeDirectory(_ url: URL) throws {
        var missing: [URL] = []
        var cursor = url.standardizedFileURL
        while !FileManager.default.fileExists(atPath: cursor.path), cursor.path != "/" {
            missing.append(cursor)
            cursor = cursor.deletingLastPathComponent()
        }
        for folder in missing.reversed() {
            if mkdir(folder.path, 0o700) != 0 && errno != EEXIST {
                throw FileSystemError(path: folder.path, operation: "create folder", code: errno)
            }
            try syncDirectory(folder.deletingLastPathComponent())
        }
    }

    /// Opens `url` for appending; with `create`, the file must not exist yet and is made with mode 0600.
    static func openForAppend(_ url: URL, create: Bool) throws -> Int32 {
        let flags = O_WRONLY | O_APPEND | O_CLOEXEC | (create ? (O_CREAT | O_EXCL) : 0)
        let fd = open(url.path, flags, 0o600)
        if fd < 0 { throw FileSystemError(path: url.path, operation: create ? "create" : "open", code: errno) }
        return fd
    }

    /// Closes a descriptor, ignoring errors (nothing useful can be done about them).
    static func closeDescriptor(_ fd: Int32) { _ = close(fd) }

    /// Writes all of `bytes` to `fd`, normally in one `write` call; retries only after a short write or EINTR.
    static func writeAll(_ fd: Int32, _ bytes: [UInt8], path: String) throws {
        var offset = 0
        while offset < bytes.count {
            let n = bytes.withUnsafeBytes { raw -> Int in
                guard let start = raw.baseAddress else { return 0 }
                return write(fd, start + offset, raw.count - offset)
            }
            if n < 0 {
                if errno == EINTR { continue }
                throw FileSystemError(path: path, operation: "write", code: errno)
            }
            offset += n
        }
    }

    /// Flushes the file's data and metadata to stable storage.
    static func sync(_ fd: Int32, path: String) throws {
        while fsync(fd) != 0 {
            if errno == EINTR { continue }
            throw FileSystemError(path: path, operation: "sync", code: errno)
        }
    }

    /// Flushes a folder so that names created or renamed in it survive a crash.
    static func syncDirectory(_ url: URL) throws {
        let fd = open(url.path, O_RDONLY | O_DIRECTORY | O_CLOEXEC)
        if fd < 0 { throw FileSystemError(path: url.path, operation: "open folder", code: errno) }
        defer { close(fd) }
        try sync(fd, path: url.path)
    }

    /// Cuts the file at `path` to `length` bytes and syncs it.
    static func truncate(_ url: URL, to length: Int) throws {
        let fd = open(url.path, O_WRONLY | O_CLOEXEC)
        if fd < 0 { throw FileSystemError(path: url.path, operation: "open", code: errno) }
        defer { close(fd) }
        if ftruncate(fd, off_t(length)) != 0 { throw FileSystemError(path: url.path, operation: "truncate", code: errno) }
        try sync(fd, path: url.path)
    }

    /// Replaces `url` with `bytes` atomically: a temporary file in the same folder is written, synced
    /// and renamed over `url`, then the folder is synced. Readers see the old or the new file, never a mix.
    /// With `permissions`, the new file gets exactly that mode (else 0600 less the umask).
    static func writeAtomically(_ bytes: [UInt8], to url: URL, permissions: mode_t? = nil) throws {
        let folder = url.deletingLastPathComponent()
        let temp = folder.appendingPathComponent(".\(url.lastPathComponent).\(getpid()).\(UInt32.random(in: 0...UInt32.max)).tmp")
        let fd = open(temp.path, O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0o600)
        if fd < 0 { throw FileSystemError(path: temp.path, operation: "create", code: errno) }
        do {
            if let permissions, fchmod(fd, permissions) != 0 {
                throw FileSystemError(path: temp.path, operation: "set the mode of", code: errno)
            }
            try writeAll(fd, bytes, path: temp.path)
            try sync(fd, path: temp.path)
            close(fd)
        } catch {
            close(fd)
            unlink(temp.path)
            throw error
        }
        if rename(temp.path, url.path) != 0 {
            let code = errno
            unlink(temp.path)
            throw FileSystemError(path: url.path, operation: "rename \(temp.lastPathComponent) to", code: code)
        }
        try syncDirectory(folder)
    }

    /// Gives `source` the name `target` in one step, failing with `EEXIST` rather than replacing an
    /// existing `target`; the folder is synced afterwards.
    ///
    /// Uses `renameat2(RENAME_NOREPLACE)` where the system has it; elsewhere `link(2)` (which also
    /// refuses an existing name) then `unlink(2)`, so a crash between them leaves both names, never neither.
    static func renameExclusively(_ source: URL, to target: URL) throws {
        var code: Int32 = ENOSYS
        #if os(Linux)
        if let symbol = dlsym(UnsafeMutableRawPointer(bitPattern: 0), "renameat2") {
            typealias RenameAt2 = @convention(c) (Int32, UnsafePointer<CChar>?, Int32, UnsafePointer<CChar>?, UInt32) -> Int32
            let renameat2 = unsafeBitCast(symbol, to: RenameAt2.self)
            let noReplace: UInt32 = 1
            code = renameat2(AT_FDCWD, source.path, AT_FDCWD, target.path, noReplace) == 0 ? 0 : errno
        }
        #endif
        if code == ENOSYS || code == EINVAL || code == ENOTSUP {
            // No renameat2, or a file system without RENAME_NOREPLACE.
            code = link(source.path, target.path) == 0 ? 0 : errno
            if code == 0, unlink(source.path) != 0 {
                let failed = errno
                unlink(target.path)
                throw FileSystemError(path: source.path, operation: "remove the old name", code: failed)
            }
        }
        guard code == 0 else { throw FileSystemError(path: target.path, operation: "rename \(source.lastPathComponent) to", code: code) }
        try syncDirectory(target.deletingLastPathComponent())
    }

    /// Writes `bytes` to a new file at `url` (mode 0600) that appears whole or not at all: a temporary
    /// file is written, synced and linked to `url`, which fails with `EEXIST` if `url` exists.
    static func writeNew(_ bytes: [UInt8], to url: URL) throws {
        let folder = url.deletingLastPathComponent()
        let temp = folder.appendingPathComponent(".\(url.lastPathComponent).\(getpid()).\(UInt32.random(in: 0...UInt32.max)).tmp")
        let fd = open(temp.path, O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0o600)
        if fd < 0 { throw FileSystemError(path: temp.path, operation: "create", code: errno) }
        defer { unlink(temp.path) }
        do {
            try writeAll(fd, bytes, path: temp.path)
            try sync(fd, path: temp.path)
            close(fd)
        } catch {
            close(fd)
            throw error
        }
        if link(temp.path, url.path) != 0 { throw FileSystemError(path: url.path, operation: "create", code: errno) }
        try syncDirectory(folder)
    }
}

/// Folders for the user's private files (mode 0700), with errors in words.
public enum PrivateFolder {
    /// Creates `url` and its missing parents, each durably; a parent that is a file is a `FileSystemError`.
    public static func make(_ url: URL) throws {
        try DurableFile.makeDirectory(url)
    }
}

/// Small files replaced whole and crash-safely (configuration, caches).
public enum AtomicFile {
    /// Replaces `url` with `data`: a temporary file in the same folder is written, synced and renamed over it,
    /// then the folder is synced; `permissions` gives the new file that mode (else 0600).
    public static func write(_ data: Data, to url: URL, permissions: mode_t? = nil) throws {
        try DurableFile.writeAtomically([UInt8](data), to: url, permissions: permissions)
    }
}
