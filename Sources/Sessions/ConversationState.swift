import Conversation
import Foundation

/// The state of a conversation rebuilt from its events: what the next request to the model contains.
public struct ConversationState: Sendable, Equatable {
    public var model: ModelInfo
    public var persona: String
    /// The system prompt sent with every request.
    public var systemPrompt: String
    public var sampling: SamplingSettings
    public var theme: String?
    public var user: String?
    /// Messages since the start or the last reset: user and assistant turns (partial replies included).
    public var messages: [Message]
    /// User preferences set during the session.
    public var preferences: [String: String]
    /// User turns over the whole session, resets included.
    public var turnCount: Int

    /// The state right after `start`.
    public init(start: SessionStart) {
        model = start.model
        persona = start.persona
        systemPrompt = start.systemPrompt
        sampling = start.sampling
        theme = start.theme
        user = start.user
        messages = []
        preferences = [:]
        turnCount = 0
    }

    /// Replays a whole log: the state to continue the session from.
    public init(contents: SessionLogContents) {
        self.init(start: contents.start)
        for entry in contents.entries { apply(entry.event) }
    }

    /// Applies one event.
    public mutating func apply(_ event: SessionEvent) {
        switch event {
        case .start(let s): self = ConversationState(start: s)
        case .user(let turn):
            messages.append(Message(role: .user, content: turn.text, attachments: turn.attachments))
            turnCount += 1
        case .assistant(let reply): messages.append(Message(role: .assistant, content: reply.text))
        case .partial(let reply): messages.append(Message(role: .assistant, content: reply.text))
        case .failure:
            // The model never answered: the turn leaves the conversation (the log keeps it).
            if messages.last?.role == .user { messages.removeLast() }
        case .persona(let change):
            persona = change.persona
            systemPrompt = change.systemPrompt
            sampling = change.sampling
        case .model(let change): model = change.model
        case .systemPrompt(let change): systemPrompt = change.systemPrompt
        case .sampling(let change): sampling = change.sampling
        case .theme(let change): theme = change.theme
        case .preference(let update): preferences[update.key] = update.value
        case .reset: messages = []
        case .rewind(let rewind): messages = Array(messages.prefix(max(0, rewind.keep)))
        }
    }

    /// The preference that holds the profile context (the user's preferences and memories, as the prompt builder
    /// wrote them) recorded for the following replies, so that replays use what the model really saw.
    public static let profileContextKey = "profile.context"

    /// The request that asks for a reply to the conversation as it stands: the system prompt, then the recorded
    /// profile context, if any.
    public var request: ReplyRequest {
        var system = systemPrompt
        if let context = preferences[Self.profileContextKey], !context.isEmpty {
            system += system.isEmpty ? context : "\n\n" + context
        }
        return ReplyRequest(systemPrompt: system, messages: messages, sampling: sampling)
    }

    /// Whether the last message is a user turn still waiting for its reply (for example after a crash).
    public var awaitsReply: Bool { messages.last?.role == .user }
}
