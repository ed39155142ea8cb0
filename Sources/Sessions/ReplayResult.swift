import Conversation
import Foundation

/// One line of a replay transcript.
public struct TranscriptEntry: Codable, Sendable, Equatable {
    public enum Kind: String, Codable, Sendable {
        /// A user message.
        case user
        /// A finished reply.
        case assistant
        /// A reply that did not finish (cancelled in the recording or during the replay).
        case partial
        /// A change of persona, theme, system prompt, settings, or a new conversation.
        case note
        /// A reply that failed before any text (its error is the text).
        case failure
    }

    public var kind: Kind
    public var text: String
    /// `file:line` the entry comes from.
    public var location: String
    public var attachments: [Attachment]
    public var stopReason: StopReason?
    public var stats: GenerationStats?

    public init(kind: Kind, text: String, location: String, attachments: [Attachment] = [],
                stopReason: StopReason? = nil, stats: GenerationStats? = nil) {
        self.kind = kind
        self.text = text
        self.location = location
        self.attachments = attachments
        self.stopReason = stopReason
        self.stats = stats
    }
}

/// A replay check that failed: what was expected, what came, and a readable diff.
public struct CheckFailure: Codable, Sendable, Equatable {
    /// `file:line` of the recorded reply or the `/expect` line.
    public var location: String
    /// The user turn (1-based) whose reply was checked.
    public var turn: Int
    /// `recorded`, `equals` (`/expect`) or `contains` (`/expect-contains`).
    public var kind: String
    public var expected: String
    public var actual: String
    /// Unified-style diff, or the missing text for `contains`.
    public var diff: String

    /// The failure in a few lines: where, what, then the diff.
    public var report: String {
        let what: String
        switch kind {
        case "recorded": what = "reply to turn \(turn) differs from the recording"
        case "equals": what = "reply to turn \(turn) does not match /expect"
        case "failure": what = "reply to turn \(turn) failed in the recording, but not the same way in the replay"
        default: what = "reply to turn \(turn) does not contain the /expect-contains text"
        }
        return "\(location): \(what)\n\(diff)"
    }
}

/// A replay's transcript in plain text or JSON.
public struct Transcript: Codable, Sendable, Equatable {
    /// The replayed file.
    public var source: String
    public var entries: [TranscriptEntry]

    /// Readable text: notes in brackets, user lines quoted with `> `, replies as they are.
    public var plainText: String {
        var out: [String] = []
        for entry in entries {
            switch entry.kind {
            case .note: out.append("[\(entry.text)]")
            case .user:
                out += entry.text.split(separator: "\n", omittingEmptySubsequences: false).map { "> " + $0 }
                out += entry.attachments.map { "> [attached \($0.kind.rawValue): \($0.path)]" }
                out.append("")
            case .assistant:
                out.append(entry.text)
                out.append("")
            case .partial:
                out.append(entry.text)
                out.append("[reply interrupted: \(entry.stopReason?.rawValue ?? StopReason.cancelled.rawValue)]")
                out.append("")
            case .failure:
                out.append("[reply failed: \(entry.text)]")
                out.append("")
            }
        }
        return out.joined(separator: "\n")
    }
}

/// The outcome of a replay: transcript, checks, and whether it passed (for the exit status).
public struct ReplayResult: Sendable {
    public var transcript: Transcript
    /// Whether replies were compared (check mode).
    public var checkMode: Bool
    /// How many comparisons were made.
    public var checksRun: Int
    public var failures: [CheckFailure]
    /// Tolerated problems: a truncated log line, a different model.
    public var warnings: [String]
    /// The session this run was recorded as, when recording was asked for.
    public var sessionID: String?

    /// True when no check failed.
    public var passed: Bool { failures.isEmpty }
    public var firstFailure: CheckFailure? { failures.first }

    /// A short summary: PASS/FAIL with counts, then the first failure's report.
    public var summary: String {
        guard checkMode else { return "replayed \(transcript.source)" }
        if let first = firstFailure {
            return "FAIL \(transcript.source): \(failures.count) of \(checksRun) checks failed\n\(first.report)"
        }
        return "PASS \(transcript.source): \(checksRun) checks"
    }

    /// The JSON form: source, passed, checks, failures, warnings and transcript entries (sorted keys).
    public func jsonData() throws -> Data {
        struct Form: Encodable {
            var source: String
            var passed: Bool
            var checkMode: Bool
            var checksRun: Int
            var failures: [CheckFailure]
            var warnings: [String]
            var sessionID: String?
            var entries: [TranscriptEntry]
        }
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys, .prettyPrinted, .withoutEscapingSlashes]
        return try encoder.encode(Form(source: transcript.source, passed: passed, checkMode: checkMode, checksRun: checksRun,
                                       failures: failures, warnings: warnings, sessionID: sessionID,
                                       entries: transcript.entries))
    }
}
