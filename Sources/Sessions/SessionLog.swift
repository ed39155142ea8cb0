import Foundation
#if canImport(Glibc)
import Glibc
#elseif canImport(Musl)
import Musl
#elseif canImport(Darwin)
import Darwin
#endif

/// An open, append-only session log file.
///
/// Every `append` writes one JSON line with a single `write`, then `fsync`s the file before returning,
/// so a crash or kill loses at most an event that was still being written. Creating a log also syncs
/// its folder so the new name survives a crash. Safe to share between tasks: appends are serialised.
public final class SessionLog: @unchecked Sendable {
    /// The log file.
    public let url: URL
    private let lock = NSLock()
    /// Open descriptor, -1 once closed; guarded by `lock`.
    private var fd: Int32

    private init(url: URL, fd: Int32) {
        self.url = url
        self.fd = fd
    }

    deinit { if fd >= 0 { DurableFile.closeDescriptor(fd) } }

    /// The session id: the file name without `.jsonl`.
    public var id: String { url.deletingPathExtension().lastPathComponent }

    /// Creates a new log at `url` (which must not exist) and durably writes its start event.
    public static func create(at url: URL, start: SessionStart, time: Date = Date()) throws -> SessionLog {
        let folder = url.deletingLastPathComponent()
        try DurableFile.makeDirectory(folder)
        let bytes = try SessionLineCoder.encode(SessionRecord(time: time, event: .start(start)))
        let fd: Int32
        do {
            fd = try DurableFile.openForAppend(url, create: true)
        } catch let error as FileSystemError where error.code == EEXIST {
            throw SessionLogError.alreadyExists(file: url.path)
        }
        let log = SessionLog(url: url, fd: fd)
        try DurableFile.syncDirectory(folder)
        try log.appendLine(bytes)
        return log
    }

    /// Opens an existing log to continue it: reads it, cuts off an unfinished last line left by a crash
    /// (reported in the contents' warnings), and returns the log ready for appending.
    public static func resume(at url: URL) throws -> (log: SessionLog, contents: SessionLogContents) {
        let contents = try SessionLogReader.read(url)
        let size = (try? FileManager.default.attributesOfItem(atPath: url.path)[.size] as? Int) ?? contents.validLength
        if size != contents.validLength {
            try DurableFile.truncate(url, to: contents.validLength)
        }
        let log = SessionLog(url: url, fd: try DurableFile.openForAppend(url, create: false))
        if contents.missingFinalNewline {
            try log.appendLine([0x0A])
        }
        return (log, contents)
    }

    /// Durably appends `event`, stamped with `time`.
    public func append(_ event: SessionEvent, at time: Date = Date()) throws {
        try appendLine(try SessionLineCoder.encode(SessionRecord(time: time, event: event)))
    }

    /// Closes the file; later appends throw.
    public func close() {
        lock.lock()
        defer { lock.unlock() }
        if fd >= 0 { DurableFile.closeDescriptor(fd) }
        fd = -1
    }

    private func appendLine(_ bytes: [UInt8]) throws {
        lock.lock()
        defer { lock.unlock() }
        guard fd >= 0 else { throw FileSystemError(path: url.path, operation: "append to closed log", code: EBADF) }
        try DurableFile.writeAll(fd, bytes, path: url.path)
        try DurableFile.sync(fd, path: url.path)
    }
}
