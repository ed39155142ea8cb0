import Conversation
import Foundation

/// One message of a session as it reads now (rewound messages left out), for showing and exporting.
public struct SessionMessage: Sendable, Equatable {
    /// `user` or `assistant`.
    public var role: Role
    public var text: String
    /// When the message was logged (for a reply: when it finished or was stopped).
    public var time: Date
    /// 1 for the first conversation of the session, one more after each `/new`.
    public var conversation: Int
    /// The persona that wrote a reply; nil for user messages.
    public var persona: String?
    /// Files sent with a user message; empty for replies.
    public var attachments: [Attachment]
    /// Why a reply ended; nil for user messages.
    public var stopReason: StopReason?
    /// Token counts and timings of a reply, when recorded.
    public var stats: GenerationStats?
    /// False for a reply that did not finish (stopped, or cut by a failure); nil for user messages.
    public var finished: Bool?
    /// For a reply that failed before any text: the error (the reply's text is then empty).
    public var failure: String?

    public init(role: Role, text: String, time: Date, conversation: Int, persona: String? = nil,
                attachments: [Attachment] = [], stopReason: StopReason? = nil, stats: GenerationStats? = nil,
                finished: Bool? = nil, failure: String? = nil) {
        self.failure = failure
        self.role = role
        self.text = text
        self.time = time
        self.conversation = conversation
        self.persona = persona
        self.attachments = attachments
        self.stopReason = stopReason
        self.stats = stats
        self.finished = finished
    }
}

/// A session log read as the conversation it holds now: messages in order, persona switches and
/// `/new` marks, with what `/regen` and `/edit` rewound left out.
public struct SessionTranscript: Sendable {
    /// One thing the transcript shows.
    public enum Item: Sendable, Equatable {
        case message(SessionMessage)
        /// A switch to the named persona.
        case persona(String)
        /// A switch to another model (its file name).
        case model(String)
        /// `/new`: a fresh conversation starts here.
        case newConversation
    }

    /// The session id (file name without `.jsonl`).
    public var id: String
    public var start: SessionStart
    public var created: Date
    /// Time of the last event.
    public var updated: Date
    public var items: [Item]
    /// The persona at the end of the session, after every switch.
    public var persona: String

    /// Rebuilds the transcript from a read log.
    public init(contents: SessionLogContents) {
        id = contents.url.deletingPathExtension().lastPathComponent
        start = contents.start
        created = contents.created
        updated = contents.updated
        persona = contents.start.persona
        var items: [Item] = []
        /// Index in `items` of each message of the current conversation, for rewinds.
        var positions: [Int] = []
        var conversation = 1
        func add(_ message: SessionMessage) {
            positions.append(items.count)
            items.append(.message(message))
        }
        for entry in contents.entries {
            switch entry.event {
            case .user(let turn):
                add(SessionMessage(role: .user, text: turn.text, time: entry.time, conversation: conversation,
                                   attachments: turn.attachments))
            case .assistant(let reply):
                add(SessionMessage(role: .assistant, text: reply.text, time: entry.time, conversation: conversation,
                                   persona: persona, stopReason: reply.stopReason, stats: reply.stats, finished: true))
            case .partial(let reply):
                add(SessionMessage(role: .assistant, text: reply.text, time: entry.time, conversation: conversation,
                                   persona: persona, stopReason: reply.reason, stats: reply.stats, finished: false))
            case .failure(let failure):
                // The failed turn left the conversation: later rewinds count without it.
                if let last = positions.last, case .message(let m) = items[last], m.role == .user { positions.removeLast() }
                items.append(.message(SessionMessage(role: .assistant, text: "", time: entry.time, conversation: conversation,
                                                     persona: persona, finished: false, failure: failure.message)))
            case .persona(let change):
                persona = change.persona
                items.append(.persona(change.persona))
            case .model(let change):
                items.append(.model(URL(fileURLWithPath: change.model.path).lastPathComponent))
            case .reset:
                conversation += 1
                positions = []
                items.append(.newConversation)
            case .rewind(let rewind):
                let keep = max(0, rewind.keep)
                if keep < positions.count {
                    items.removeSubrange(positions[keep]...)
                    positions.removeSubrange(keep...)
                }
            case .start, .systemPrompt, .sampling, .theme, .preference:
                break
            }
        }
        self.items = items
    }

    /// Reads the log at `url` and rebuilds its transcript.
    public init(contentsOf url: URL) throws {
        self.init(contents: try SessionLogReader.read(url))
    }

    /// The messages in order, across every conversation of the session.
    public var messages: [SessionMessage] {
        items.compactMap { if case .message(let m) = $0 { return m } else { return nil } }
    }

    /// The user messages the session holds now (a message sent again by `/regen` or `/edit` counts once).
    public var turnCount: Int { messages.filter { $0.role == .user }.count }

    /// The first user message on one line, cut to `limit` characters; "(no messages)" when there is none.
    public func title(limit: Int = 60) -> String {
        messages.first { $0.role == .user }.map { SessionStore.shorten($0.text, to: limit) } ?? "(no messages)"
    }

    /// The file name of the recorded model.
    public var modelFile: String { URL(fileURLWithPath: start.model.path).lastPathComponent }
}
