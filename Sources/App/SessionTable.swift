import Conversation
import Foundation
import Sessions

/// The two export formats of a session.
public enum ExportFormat: String, Sendable, CaseIterable {
    case markdown, json

    /// The file name ending of the default export path.
    public var fileExtension: String { self == .markdown ? "md" : "json" }

    /// The name shown in messages.
    public var displayName: String { self == .markdown ? "Markdown" : "JSON" }

    /// The export of `transcript` in this format.
    public func data(for transcript: SessionTranscript) throws -> Data {
        switch self {
        case .markdown: return Data(SessionMarkdown.render(transcript).utf8)
        case .json: return try SessionExport(transcript).jsonData()
        }
    }
}

/// Text layouts of sessions shared by `nook sessions` and the chat's `/sessions`: aligned tables and
/// the plain transcript of `nook sessions show`.
enum SessionTable {
    /// Rows joined into lines with every column but the last padded to its widest cell (two spaces
    /// between columns); columns in `rightAligned` are padded on the left.
    static func align(_ rows: [[String]], rightAligned: Set<Int> = []) -> [String] {
        let columns = rows.map(\.count).max() ?? 0
        var widths = [Int](repeating: 0, count: columns)
        for row in rows {
            for (i, cell) in row.enumerated() { widths[i] = max(widths[i], cell.count) }
        }
        return rows.map { row in
            var line = ""
            for (i, cell) in row.enumerated() {
                if i > 0 { line += "  " }
                let pad = String(repeating: " ", count: widths[i] - cell.count)
                if rightAligned.contains(i) {
                    line += pad + cell
                } else {
                    line += i == row.count - 1 ? cell : cell + pad
                }
            }
            return line.replacingOccurrences(of: "\\s+$", with: "", options: .regularExpression)
        }
    }

    /// `2025-05-01 09:30` in the local time zone (or `timeZone`).
    static func date(_ date: Date, timeZone: TimeZone = .current) -> String {
        let formatter = DateFormatter()
        formatter.locale = Locale(identifier: "en_US_POSIX")
        formatter.timeZone = timeZone
        formatter.dateFormat = "yyyy-MM-dd HH:mm"
        return formatter.string(from: date)
    }

    /// `nook sessions list`: a header, then one line per session (id, last activity, turns, persona at
    /// the end, model file, title).
    static func listing(_ sessions: [SessionSummary], timeZone: TimeZone = .current) -> [String] {
        let rows = [["ID", "UPDATED", "TURNS", "PERSONA", "MODEL", "TITLE"]] + sessions.map {
            [$0.id, date($0.updated, timeZone: timeZone), "\($0.turnCount)", $0.persona, $0.model, $0.title]
        }
        return align(rows, rightAligned: [2])
    }

    /// The chat's `/sessions` lines for `sessions`, numbered from `first`: number (right-aligned, `*`
    /// marks the current session), last activity, turns, persona, model file, `[id]` and title.
    static func chatRows(_ sessions: ArraySlice<SessionSummary>, first: Int, current: String?,
                         timeZone: TimeZone = .current) -> [String] {
        let numberWidth = String(first + sessions.count - 1).count
        let turnWidth = sessions.map { String($0.turnCount).count }.max() ?? 1
        let rows = sessions.enumerated().map { offset, s -> [String] in
            let number = String(first + offset)
            let mark = s.id == current ? "*" : " "
            let turns = String(repeating: " ", count: turnWidth - String(s.turnCount).count)
                + "\(s.turnCount) turn" + (s.turnCount == 1 ? "" : "s")
            return [mark + String(repeating: " ", count: numberWidth - number.count) + number + ".",
                    date(s.updated, timeZone: timeZone), turns, s.persona, s.model, "[\(s.id)]", s.title]
        }
        return align(rows)
    }

    /// `nook sessions show`: facts about the session, then its transcript in `nook replay`'s layout.
    static func show(_ transcript: SessionTranscript, timeZone: TimeZone = .current) -> String {
        let model = transcript.start.model
        let facts = [
            ["Session:", transcript.id + " (" + transcript.title() + ")"],
            ["Model:", transcript.modelFile + " (" + model.path + (model.template.map { ", template \($0)" } ?? "") + ")"],
            ["Persona:", transcript.persona == transcript.start.persona
                ? transcript.persona : "\(transcript.persona) (started as \(transcript.start.persona))"],
            ["Started:", date(transcript.created, timeZone: timeZone)],
            ["Updated:", date(transcript.updated, timeZone: timeZone)],
            ["Turns:", "\(transcript.turnCount)"],
        ]
        var out = align(facts).joined(separator: "\n") + "\n\n"
        for item in transcript.items {
            switch item {
            case .message(let m) where m.role == .user:
                out += m.text.split(separator: "\n", omittingEmptySubsequences: false).map { "> " + $0 + "\n" }.joined()
                out += m.attachments.map { "> [attached \($0.kind.rawValue): \($0.path)]\n" }.joined()
                out += "\n"
            case .message(let m) where m.failure != nil:
                out += "[reply failed: \(m.failure ?? "")]\n\n"
            case .message(let m):
                out += m.text + "\n"
                if m.finished == false { out += "[reply interrupted: \((m.stopReason ?? .cancelled).rawValue)]\n" }
                out += "\n"
            case .persona(let name):
                out += "[persona: \(name)]\n\n"
            case .model(let file):
                out += "[model: \(file)]\n\n"
            case .newConversation:
                out += "[new conversation]\n\n"
            }
        }
        return out
    }
}
