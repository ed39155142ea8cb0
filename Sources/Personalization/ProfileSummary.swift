import Foundation

/// Profiles written for people: `nook profile show` and `nook profile export` without `--json`.
public enum ProfileSummary {
    /// A Markdown rendering of the whole profile.
    public static func markdown(_ doc: ProfileDocument) -> String {
        var lines = ["# nook profile: \(doc.user)", "", "## Preferences", ""]
        if doc.preferences.isEmpty { lines.append("(none)") }
        for p in doc.preferences {
            lines.append("- \(preferenceLine(p))")
        }
        lines += ["", "## Memories", ""]
        if doc.memories.isEmpty { lines.append("(none)") }
        for m in doc.memories {
            lines.append("- \(memoryLine(m))")
        }
        lines += ["", "## Activity", "",
                  "- \(doc.feedback.count) feedback event\(doc.feedback.count == 1 ? "" : "s")",
                  "- \(doc.history.count) change\(doc.history.count == 1 ? "" : "s") in the history",
                  "- \(doc.sessions.count) session\(doc.sessions.count == 1 ? "" : "s") learned from"]
        return lines.joined(separator: "\n") + "\n"
    }

    /// One preference: `#3 answer.length = short (global, stated, confidence 0.90)`.
    static func preferenceLine(_ p: ProfileDocument.PreferenceEntry) -> String {
        let scope = p.persona.map { "persona \($0)" } ?? "global"
        return "#\(p.id) \(p.key) = \(p.value) (\(scope), \(p.source.rawValue), confidence \(String(format: "%.2f", p.confidence)))"
    }

    /// One memory: `#7 "I live in Osaka" (session s1, turn 2)`.
    static func memoryLine(_ m: ProfileDocument.MemoryEntry) -> String {
        var origin: [String] = []
        if let s = m.sessionId { origin.append("session \(s)") }
        if let t = m.turn { origin.append("turn \(t)") }
        return "#\(m.id) \"\(m.text)\"" + (origin.isEmpty ? "" : " (\(origin.joined(separator: ", ")))")
    }
}
