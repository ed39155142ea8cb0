import Conversation
import Foundation
import Sessions

/// `nook run`: one prompt (with attachments) answered by one reply, streamed as it is written,
/// and recorded as a session of one turn.
public struct PromptRunner: Sendable {
    public var generator: any ReplyGenerator
    public var persona: Persona
    public var userName: String?
    public var sampling: SamplingSettings
    /// Where the session is recorded; nil records nothing.
    public var store: SessionStore?
    /// The profile context to send after the system prompt (recorded before the turn), if any.
    public var profileContext: String?

    public init(generator: any ReplyGenerator, persona: Persona, userName: String? = nil,
                sampling: SamplingSettings, store: SessionStore?) {
        self.generator = generator
        self.persona = persona
        self.userName = userName
        self.sampling = sampling
        self.store = store
    }

    /// What came of a run.
    public struct Outcome: Sendable {
        public var text: String
        /// nil when the reply was interrupted.
        public var stopReason: StopReason?
        public var stats: GenerationStats?
        public var sessionID: String?
        public var sessionURL: URL?
    }

    /// Sends `prompt` with `attachments`; `onText` gets each piece of the reply. Cancelling the
    /// calling task stops the reply and keeps (and records) what was written.
    public func run(prompt: String, attachments: [Attachment],
                    onText: @Sendable (String) -> Void) async throws -> Outcome {
        let start = SessionStart(model: generator.modelInfo, sampling: sampling, persona: persona.name,
                                 systemPrompt: persona.effectiveSystemPrompt(userName: userName), user: userName)
        var state = ConversationState(start: start)
        let log = try store?.create(start: start)
        defer { log?.close() }
        if let context = profileContext, !context.isEmpty {
            let event = SessionEvent.preference(PreferenceUpdate(key: ConversationState.profileContextKey, value: context))
            state.apply(event)
            try log?.append(event)
        }
        let turn = SessionEvent.user(UserTurn(text: prompt, attachments: attachments))
        state.apply(turn)
        try log?.append(turn)
        var text = ""
        var finished: (StopReason, GenerationStats)?
        do {
            for try await event in generator.reply(to: state.request) {
                switch event {
                case .text(let piece):
                    text += piece
                    onText(piece)
                case .done(let reason, let stats):
                    finished = (reason, stats)
                case .status:
                    break
                }
            }
        } catch is CancellationError {
            finished = nil
        } catch {
            // Recorded, so that a replay of the session fails the same way rather than stopping there.
            if text.isEmpty { try? log?.append(.failure(ReplyFailure(message: "\(error)"))) }
            throw error
        }
        if let (reason, stats) = finished, reason != .cancelled {
            try log?.append(.assistant(AssistantReply(text: text, stopReason: reason, stats: stats)))
            return Outcome(text: text, stopReason: reason, stats: stats, sessionID: log?.id, sessionURL: log?.url)
        }
        try log?.append(.partial(PartialReply(text: text, reason: .cancelled, stats: finished?.1)))
        return Outcome(text: text, stopReason: nil, stats: finished?.1, sessionID: log?.id, sessionURL: log?.url)
    }
}
