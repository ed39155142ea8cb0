import Foundation

/// Why a session log cannot be read; each description is one line naming the file.
public enum SessionLogError: Error, CustomStringConvertible, Equatable {
    case unreadable(file: String, reason: String)
    /// The file has no complete line (a crash right after it was created).
    case empty(file: String)
    case newerVersion(file: String, found: Int, supported: Int)
    /// A line is not JSON at all: the file is not a JSON Lines event log.
    case notJSONLines(file: String, line: Int, reason: String)
    case notASession(file: String, reason: String)
    case invalidEvent(file: String, line: Int, reason: String)
    case alreadyExists(file: String)
    case badID(String)

    public var description: String {
        switch self {
        case .unreadable(let file, let reason): return "\(file): cannot read session (\(reason))"
        case .empty(let file): return "\(file): empty session log (no complete event)"
        case .newerVersion(let file, let found, let supported):
            return "\(file): session format version \(found) is newer than this nook supports (version \(supported)); update nook"
        case .notJSONLines(let file, let line, let reason):
            return "\(file):\(line): not a JSON Lines session log (\(reason))"
        case .notASession(let file, let reason): return "\(file): not a nook session log (\(reason))"
        case .invalidEvent(let file, let line, let reason): return "\(file):\(line): invalid session event (\(reason))"
        case .alreadyExists(let file): return "\(file): session already exists"
        case .badID(let id): return "invalid session id '\(id)'"
        }
    }
}

/// One event read from a log, with the line it came from.
public struct SessionLogEntry: Sendable, Equatable {
    public var line: Int
    public var time: Date
    public var event: SessionEvent
}

/// The readable part of a session log.
public struct SessionLogContents: Sendable {
    public var url: URL
    /// The start event and when it was written (the session's creation time).
    public var start: SessionStart
    public var created: Date
    /// The events after the start, in order.
    public var entries: [SessionLogEntry]
    /// Problems that were tolerated, such as a truncated last line; one line each.
    public var warnings: [String]
    /// Bytes from the file's start to the end of the last complete event.
    public var validLength: Int
    /// Whether the last complete event lacks its newline (hand-edited file).
    public var missingFinalNewline: Bool

    /// The time of the last event.
    public var updated: Date { entries.last?.time ?? created }
}

/// Reads session logs, tolerating only what a crash can leave behind: an unfinished last line.
public enum SessionLogReader {
    /// Reads and checks the log at `url`.
    public static func read(_ url: URL) throws -> SessionLogContents {
        let data: Data
        do {
            data = try Data(contentsOf: url)
        } catch {
            let exists = FileManager.default.fileExists(atPath: url.path)
            throw SessionLogError.unreadable(file: url.path, reason: exists ? error.localizedDescription : "no such file")
        }
        return try parse(data, url: url)
    }

    /// Parses log bytes; `url` only names the file in errors and warnings.
    public static func parse(_ data: Data, url: URL) throws -> SessionLogContents {
        let file = url.path
        let bytes = [UInt8](data)
        var warnings: [String] = []
        var start: (SessionStart, Date)?
        var entries: [SessionLogEntry] = []
        var validLength = 0
        var missingNewline = false
        var lineStart = 0
        var lineNumber = 0
        while lineStart < bytes.count {
            lineNumber += 1
            let newline = bytes[lineStart...].firstIndex(of: 0x0A)
            let lineEnd = newline ?? bytes.count
            let line = bytes[lineStart..<lineEnd]
            defer { lineStart = lineEnd + 1 }
            if line.allSatisfy({ $0 == 0x20 || $0 == 0x09 || $0 == 0x0D }) {
                if newline != nil { validLength = lineEnd + 1 }
                continue
            }
            if newline == nil, line.allSatisfy({ $0 == 0 }) {
                warnings.append("\(file):\(lineNumber): ignored \(line.count) zero bytes at the end (unfinished write)")
                break
            }
            let record: SessionRecord
            do {
                record = try decodeLine(line, file: file, lineNumber: lineNumber, isFirst: start == nil)
            } catch SessionLogError.notJSONLines(let f, let n, let reason) {
                // Only an unfinished last line (no newline, starts like an event) is a crash artifact.
                guard newline == nil, line.first == UInt8(ascii: "{") else {
                    throw SessionLogError.notJSONLines(file: f, line: n, reason: reason)
                }
                warnings.append("\(file):\(lineNumber): ignored a truncated last line (\(line.count) bytes; the session was interrupted while writing)")
                break
            }
            if case .start(let s) = record.event {
                guard start == nil else {
                    throw SessionLogError.invalidEvent(file: file, line: lineNumber, reason: "a second start event")
                }
                start = (s, record.time)
            } else {
                entries.append(SessionLogEntry(line: lineNumber, time: record.time, event: record.event))
            }
            validLength = newline == nil ? lineEnd : lineEnd + 1
            missingNewline = newline == nil
        }
        guard let (s, created) = start else { throw SessionLogError.empty(file: file) }
        return SessionLogContents(url: url, start: s, created: created, entries: entries, warnings: warnings,
                                  validLength: validLength, missingFinalNewline: missingNewline)
    }

    /// Decodes one line; the first line must be a start event of a supported version.
    private static func decodeLine(_ line: ArraySlice<UInt8>, file: String, lineNumber: Int,
                                   isFirst: Bool) throws -> SessionRecord {
        let data = Data(line)
        let object: Any
        do {
            object = try JSONSerialization.jsonObject(with: data, options: [])
        } catch {
            throw SessionLogError.notJSONLines(file: file, line: lineNumber, reason: "not valid JSON")
        }
        guard let fields = object as? [String: Any] else {
            throw SessionLogError.notJSONLines(file: file, line: lineNumber, reason: "not a JSON object")
        }
        if isFirst {
            guard fields["type"] as? String == "start" else {
                throw SessionLogError.notASession(file: file, reason: "the first event, on line \(lineNumber), is not a start event")
            }
            guard let version = fields["formatVersion"] as? Int else {
                throw SessionLogError.notASession(file: file, reason: "the start event on line \(lineNumber) has no formatVersion")
            }
            if version > SessionFormat.version {
                throw SessionLogError.newerVersion(file: file, found: version, supported: SessionFormat.version)
            }
        }
        do {
            return try SessionLineCoder.decode(data)
        } catch {
            throw SessionLogError.invalidEvent(file: file, line: lineNumber, reason: DecodingFailure.reason(error))
        }
    }
}
