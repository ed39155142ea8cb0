import Conversation
import Foundation

/// The Markdown export of a session: a heading and facts, then one `## Turn N` section per user
/// message with its reply, attachments by file name and reply statistics.
public enum SessionMarkdown {
    /// The whole document, ending with one newline.
    public static func render(_ transcript: SessionTranscript) -> String {
        let start = transcript.start
        var facts = ["- Session: `\(transcript.id)`",
                     "- Model: `\(transcript.modelFile)`" + (start.model.template.map { " (template \($0))" } ?? ""),
                     "- Persona: " + (transcript.persona == start.persona
                                      ? start.persona : "\(transcript.persona) (started as \(start.persona))"),
                     "- Started: \(date(transcript.created))",
                     "- Last activity: \(date(transcript.updated))",
                     "- Turns: \(transcript.turnCount)"]
        if let user = start.user { facts.insert("- User: \(user)", at: 3) }
        var blocks = ["# \(transcript.title())", facts.joined(separator: "\n")]
        let userLabel = start.user ?? "You"
        var turn = 0
        for item in transcript.items {
            switch item {
            case .message(let message) where message.role == .user:
                turn += 1
                blocks.append("## Turn \(turn)")
                let names = message.attachments.map { "`" + URL(fileURLWithPath: $0.path).lastPathComponent + "`" }
                blocks.append("**\(userLabel)**" + (names.isEmpty ? "" : " · attached " + names.joined(separator: ", ")))
                blocks.append(body(message.text))
            case .message(let message) where message.failure != nil:
                blocks.append("**\(message.persona ?? start.persona)** · failed")
                blocks.append("*The reply failed: \(message.failure ?? "")*")
            case .message(let message):
                let stats = replyStats(message)
                blocks.append("**\(message.persona ?? start.persona)**" + (stats.isEmpty ? "" : " · " + stats))
                blocks.append(body(message.text))
            case .persona(let name):
                blocks.append("*Persona: \(name)*")
            case .model(let file):
                blocks.append("*Model: `\(file)`*")
            case .newConversation:
                blocks.append("---")
                blocks.append("*New conversation*")
            }
        }
        return blocks.joined(separator: "\n\n") + "\n"
    }

    /// Token counts, speed and how a reply ended, e.g. `57 tokens · 27.1 tok/s · prompt 212 tokens`.
    public static func replyStats(_ message: SessionMessage) -> String {
        var parts: [String] = []
        if let s = message.stats, s.generatedTokens > 0 || s.promptTokens > 0 {
            parts.append("\(s.generatedTokens) token\(s.generatedTokens == 1 ? "" : "s")")
            if s.generatedTokens > 0, s.generationSeconds > 0 {
                parts.append(String(format: "%.1f tok/s", s.generationTokensPerSecond))
            }
            parts.append("prompt \(s.promptTokens) token\(s.promptTokens == 1 ? "" : "s")")
        }
        switch message.stopReason {
        case .cancelled?: parts.append("stopped")
        case .contextFull?: parts.append("context full")
        case .tokenLimit?: parts.append("token limit")
        case .endOfGeneration?, .stopString?, nil:
            if message.finished == false { parts.append("unfinished") }
        }
        return parts.joined(separator: " · ")
    }

    private static func body(_ text: String) -> String {
        let trimmed = text.trimmingCharacters(in: .newlines)
        return trimmed.isEmpty ? "*(no text)*" : trimmed
    }

    /// `2025-05-01 09:30:00 UTC`.
    static func date(_ date: Date) -> String {
        var calendar = Calendar(identifier: .gregorian)
        calendar.timeZone = TimeZone(secondsFromGMT: 0) ?? calendar.timeZone
        let c = calendar.dateComponents([.year, .month, .day, .hour, .minute, .second], from: date)
        return String(format: "%04d-%02d-%02d %02d:%02d:%02d UTC", c.year ?? 0, c.month ?? 0, c.day ?? 0,
                      c.hour ?? 0, c.minute ?? 0, c.second ?? 0)
    }
}
