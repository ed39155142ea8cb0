import Conversation
import Foundation
import Sessions
import TerminalUI

/// Turns a session log back into what the chat shows: the conversation since the last `/new`,
/// with persona and theme switches as notes.
public enum TranscriptRebuilder {
    public static func messages(for contents: SessionLogContents, personas: PersonaCatalog,
                                userLabel: String) -> [TranscriptMessage] {
        var out: [TranscriptMessage] = []
        /// Transcript index of each conversation message, for rewinds.
        var positions: [Int] = []
        var personaLabel = label(contents.start.persona, personas)
        for entry in contents.entries {
            switch entry.event {
            case .user(let turn):
                positions.append(out.count)
                out.append(TranscriptMessage(role: .user, label: userLabel, text: turn.text,
                                             detail: AttachmentHeader.detail(for: turn.attachments)))
            case .assistant(let reply):
                positions.append(out.count)
                let detail = reply.stats.generatedTokens > 0 ? ChatApp.detail(reason: reply.stopReason, stats: reply.stats) : ""
                out.append(TranscriptMessage(role: .assistant, label: personaLabel, text: reply.text, detail: detail))
            case .partial(let reply):
                positions.append(out.count)
                out.append(TranscriptMessage(role: .assistant, label: personaLabel, text: reply.text, detail: "stopped"))
            case .failure(let failure):
                if !positions.isEmpty, positions.last == out.count - 1, out.last?.role == .user { positions.removeLast() }
                out.append(TranscriptMessage(role: .error, label: "error", text: "the reply failed: \(failure.message)", format: .plain))
            case .persona(let change):
                personaLabel = label(change.persona, personas)
                out.append(note("persona: \(personaLabel)"))
            case .theme(let change):
                out.append(note("theme: \(change.theme)"))
            case .model(let change):
                out.append(note("model: \(URL(fileURLWithPath: change.model.path).lastPathComponent)"))
            case .systemPrompt:
                out.append(note("system prompt changed"))
            case .reset:
                out = [note("new conversation")]
                positions = []
            case .rewind(let rewind):
                let keep = max(0, rewind.keep)
                if keep < positions.count {
                    out.removeSubrange(positions[keep]...)
                    positions.removeSubrange(keep...)
                }
            case .start, .sampling, .preference:
                break
            }
        }
        return out
    }

    static func label(_ name: String, _ personas: PersonaCatalog) -> String {
        (try? personas.persona(named: name).shownName) ?? name
    }

    static func note(_ text: String) -> TranscriptMessage {
        TranscriptMessage(role: .system, label: "nook", text: text, format: .plain)
    }
}
