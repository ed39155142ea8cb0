import Foundation
#if canImport(Glibc)
import Glibc
#elseif canImport(Musl)
import Musl
#elseif canImport(Darwin)
import Darwin
#endif

/// Why a session cannot be found, renamed or exported; each description is one line.
public enum SessionStoreError: Error, CustomStringConvertible, Equatable {
    case notFound(String)
    case nameTaken(String)
    case invalidName(String, reason: String)
    /// An export target that exists and was not to be replaced.
    case fileExists(String)

    public var description: String {
        switch self {
        case .notFound(let name): return "no session named \(name)"
        case .nameTaken(let name): return "a session named \(name) exists already: choose another name"
        case .invalidName(let name, let reason): return "'\(name)' is not a valid session name: \(reason)"
        case .fileExists(let path): return "\(path) exists already (--force replaces it)"
        }
    }
}

extension SessionStore {
    /// The log of an existing session `name` (an id, or a name given by `/save` or `rename`).
    public func existing(_ name: String) throws -> URL {
        let url = try url(for: name)
        guard FileManager.default.fileExists(atPath: url.path) else { throw SessionStoreError.notFound(name) }
        return url
    }

    /// Deletes session `name`'s log and nothing else; returns the file that was removed.
    @discardableResult
    public func remove(_ name: String) throws -> URL {
        let url = try existing(name)
        if unlink(url.path) != 0 {
            if errno == ENOENT { throw SessionStoreError.notFound(name) }
            throw FileSystemError(path: url.path, operation: "remove", code: errno)
        }
        try DurableFile.syncDirectory(folder)
        return url
    }

    /// Renames session `name` to `newName` in one atomic step; an existing session is never replaced.
    @discardableResult
    public func rename(_ name: String, to newName: String) throws -> URL {
        try Self.checkName(newName)
        let source = try existing(name)
        let target = try url(for: newName)
        if FileManager.default.fileExists(atPath: target.path) { throw SessionStoreError.nameTaken(newName) }
        do {
            try DurableFile.renameExclusively(source, to: target)
        } catch let error as FileSystemError where error.code == EEXIST {
            throw SessionStoreError.nameTaken(newName)
        } catch let error as FileSystemError where error.code == ENOENT {
            throw SessionStoreError.notFound(name)
        }
        return target
    }

    /// Refuses a name that would not make a plain, visible file name: letters, digits, '-', '_' and
    /// '.' (not first), at most 100 characters, without the `.jsonl` ending.
    public static func checkName(_ name: String) throws {
        let allowed = name.unicodeScalars.allSatisfy {
            ("a"..."z").contains($0) || ("A"..."Z").contains($0) || ("0"..."9").contains($0) || "-_.".unicodeScalars.contains($0)
        }
        let reason: String?
        if name.isEmpty {
            reason = "it is empty"
        } else if !allowed {
            reason = "use only letters, digits, '-', '_' and '.'"
        } else if name.hasPrefix(".") || name.hasPrefix("-") {
            reason = "it must start with a letter, a digit or '_'"
        } else if name.count > 100 {
            reason = "it is longer than 100 characters"
        } else if name.lowercased().hasSuffix(".jsonl") {
            reason = "leave out the .jsonl ending"
        } else {
            reason = nil
        }
        if let reason { throw SessionStoreError.invalidName(name, reason: reason) }
    }
}

/// Writes exported sessions: whole or not at all, and never over an existing file unless asked.
public enum ExportFile {
    /// Writes `data` to `url` (mode 0600); an existing file is replaced only with `overwrite`, atomically.
    public static func write(_ data: Data, to url: URL, overwrite: Bool) throws {
        let bytes = [UInt8](data)
        var isDirectory: ObjCBool = false
        if FileManager.default.fileExists(atPath: url.path, isDirectory: &isDirectory) {
            guard overwrite, !isDirectory.boolValue else {
                throw isDirectory.boolValue ? FileSystemError(path: url.path, operation: "write over a folder", code: EISDIR)
                                            : SessionStoreError.fileExists(url.path)
            }
            return try DurableFile.writeAtomically(bytes, to: url)
        }
        do {
            try DurableFile.writeNew(bytes, to: url)
        } catch let error as FileSystemError where error.code == EEXIST && error.path == url.path {
            throw SessionStoreError.fileExists(url.path)
        }
    }
}
