import Foundation

/// What `/sessions` shows about one session.
public struct SessionSummary: Sendable, Equatable {
    public var id: String
    /// The first user message as the session reads now, on one line and shortened; "(no messages)" when there is none.
    public var title: String
    public var created: Date
    /// Time of the last event.
    public var updated: Date
    /// Number of user messages the session holds now (one sent again by `/regen` or `/edit` counts once).
    public var turnCount: Int
    /// File name of the model.
    public var model: String
    /// The persona at the end of the session, after every switch.
    public var persona: String
}

/// The folder of session logs: creating, listing, opening and resuming sessions by id.
public struct SessionStore: Sendable {
    /// The folder holding `<id>.jsonl` files.
    public var folder: URL

    public init(folder: URL) { self.folder = folder }

    /// The store at `$XDG_DATA_HOME/nook/sessions`.
    public init(paths: Paths) { self.init(folder: paths.sessions) }

    /// The log file of session `id`.
    public func url(for id: String) throws -> URL {
        let valid = !id.isEmpty && !id.hasPrefix(".") && !id.contains("/") && !id.contains("\0")
        guard valid else { throw SessionLogError.badID(id) }
        return folder.appendingPathComponent(id + ".jsonl")
    }

    /// Creates a new session whose id sorts by creation time, e.g. `20250501-093000-7f3a9c`.
    public func create(start: SessionStart, at time: Date = Date()) throws -> SessionLog {
        for _ in 0..<8 {
            let id = Self.newID(at: time)
            do {
                return try SessionLog.create(at: try url(for: id), start: start, time: time)
            } catch SessionLogError.alreadyExists {
                continue
            }
        }
        throw SessionLogError.alreadyExists(file: folder.path)
    }

    /// Reads session `id`.
    public func open(id: String) throws -> SessionLogContents {
        try SessionLogReader.read(try url(for: id))
    }

    /// Reopens session `id` for appending with its conversation state rebuilt.
    public func resume(id: String) throws -> (log: SessionLog, state: ConversationState, warnings: [String]) {
        let (log, contents) = try SessionLog.resume(at: try url(for: id))
        return (log, ConversationState(contents: contents), contents.warnings)
    }

    /// Every readable session, most recently active first; unreadable files become warnings.
    public func list() -> (sessions: [SessionSummary], warnings: [String]) {
        let names = (try? FileManager.default.contentsOfDirectory(atPath: folder.path)) ?? []
        var sessions: [SessionSummary] = []
        var warnings: [String] = []
        for name in names where name.hasSuffix(".jsonl") && !name.hasPrefix(".") {
            do {
                let contents = try SessionLogReader.read(folder.appendingPathComponent(name))
                sessions.append(Self.summary(of: contents))
                warnings += contents.warnings
            } catch {
                warnings.append("\(error)")
            }
        }
        sessions.sort { ($0.updated, $0.id) > ($1.updated, $1.id) }
        return (sessions, warnings)
    }

    /// The summary of a read log: the title and turns as the session reads now (after `/edit` and
    /// `/regen`), and the persona at its end.
    public static func summary(of contents: SessionLogContents, titleLength: Int = 60) -> SessionSummary {
        let transcript = SessionTranscript(contents: contents)
        return SessionSummary(id: transcript.id, title: transcript.title(limit: titleLength),
                              created: contents.created, updated: contents.updated, turnCount: transcript.turnCount,
                              model: transcript.modelFile, persona: transcript.persona)
    }

    /// `text` on one line with runs of whitespace collapsed, cut to `limit` characters with an ellipsis.
    static func shorten(_ text: String, to limit: Int) -> String {
        let words = text.split(whereSeparator: { $0.isWhitespace || $0.isNewline })
        let line = words.joined(separator: " ")
        guard line.count > limit else { return line.isEmpty ? "(empty message)" : line }
        return String(line.prefix(max(limit - 1, 0))) + "…"
    }

    /// A new id: UTC creation time then 6 random hex digits.
    static func newID(at time: Date) -> String {
        var calendar = Calendar(identifier: .gregorian)
        calendar.timeZone = TimeZone(secondsFromGMT: 0) ?? calendar.timeZone
        let c = calendar.dateComponents([.year, .month, .day, .hour, .minute, .second], from: time)
        func two(_ v: Int?) -> String { String(format: "%02d", v ?? 0) }
        let random = String(format: "%06x", UInt32.random(in: 0..<0x100_0000))
        return "\(c.year ?? 0)\(two(c.month))\(two(c.day))-\(two(c.hour))\(two(c.minute))\(two(c.second))-\(random)"
    }
}
