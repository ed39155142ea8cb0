import Conversation
import Foundation

/// The session log format this nook writes and the newest it reads.
///
/// Version 2 added the `failure` and `model` events, `model.contextLength` and the sampling penalties; version 1 logs read as
/// they always did (`rewind` came late in version 1).
public enum SessionFormat {
    public static let version = 2
}

/// The first event of every session: who, with what model, prompt and settings.
public struct SessionStart: Codable, Sendable, Equatable {
    /// Version of the event log format (`SessionFormat.version` when written).
    public var formatVersion: Int
    /// Version of nook that created the session.
    public var nookVersion: String
    /// Model path, file SHA-256 and chat template.
    public var model: ModelInfo
    /// Sampling settings, seed included, at the start.
    public var sampling: SamplingSettings
    /// Name of the active persona.
    public var persona: String
    /// The system prompt actually sent (persona prompt plus style and personalisation).
    public var systemPrompt: String
    /// Name of the UI theme, if any.
    public var theme: String?
    /// The user's name, if known.
    public var user: String?

    public init(formatVersion: Int = SessionFormat.version, nookVersion: String = NookVersion.current,
                model: ModelInfo, sampling: SamplingSettings, persona: String, systemPrompt: String,
                theme: String? = nil, user: String? = nil) {
        self.formatVersion = formatVersion
        self.nookVersion = nookVersion
        self.model = model
        self.sampling = sampling
        self.persona = persona
        self.systemPrompt = systemPrompt
        self.theme = theme
        self.user = user
    }
}

/// A user message with its attachments.
public struct UserTurn: Codable, Sendable, Equatable {
    public var text: String
    public var attachments: [Attachment]

    public init(text: String, attachments: [Attachment] = []) {
        self.text = text
        self.attachments = attachments
    }
}

/// A finished assistant reply.
public struct AssistantReply: Codable, Sendable, Equatable {
    public var text: String
    public var stopReason: StopReason
    /// Token counts and timings.
    public var stats: GenerationStats

    public init(text: String, stopReason: StopReason, stats: GenerationStats) {
        self.text = text
        self.stopReason = stopReason
        self.stats = stats
    }
}

/// A reply that did not finish (cancelled by the user or cut by an error); its text stays in the conversation.
public struct PartialReply: Codable, Sendable, Equatable {
    public var text: String
    public var reason: StopReason
    /// Counts and timings up to the interruption, when known.
    public var stats: GenerationStats?

    public init(text: String, reason: StopReason = .cancelled, stats: GenerationStats? = nil) {
        self.text = text
        self.reason = reason
        self.stats = stats
    }
}

/// A reply that could not be generated at all (the prompt did not fit, the model failed): the user turn before it
/// stays in the log but leaves the conversation, as the model never answered it.
public struct ReplyFailure: Codable, Sendable, Equatable {
    /// The error, in one line.
    public var message: String

    public init(message: String) { self.message = message }
}

/// A switch to another persona, with the prompt and sampling it brought.
public struct PersonaSwitch: Codable, Sendable, Equatable {
    public var persona: String
    public var systemPrompt: String
    public var sampling: SamplingSettings

    public init(persona: String, systemPrompt: String, sampling: SamplingSettings) {
        self.persona = persona
        self.systemPrompt = systemPrompt
        self.sampling = sampling
    }
}

/// A switch to another model mid-session (`/model` in the chat); later replies come from it.
public struct ModelSwitch: Codable, Sendable, Equatable {
    public var model: ModelInfo

    public init(model: ModelInfo) { self.model = model }
}

/// A new system prompt set directly (for example by `/system`).
public struct SystemPromptChange: Codable, Sendable, Equatable {
    public var systemPrompt: String

    public init(systemPrompt: String) { self.systemPrompt = systemPrompt }
}

/// New sampling settings (for example after `/seed` or `/temp`).
public struct SamplingChange: Codable, Sendable, Equatable {
    public var sampling: SamplingSettings

    public init(sampling: SamplingSettings) { self.sampling = sampling }
}

/// A switch to another UI theme.
public struct ThemeSwitch: Codable, Sendable, Equatable {
    public var theme: String

    public init(theme: String) { self.theme = theme }
}

/// A user preference learned or set during the session; a nil value removes it.
public struct PreferenceUpdate: Codable, Sendable, Equatable {
    public var key: String
    public var value: String?

    public init(key: String, value: String?) {
        self.key = key
        self.value = value
    }
}

/// The conversation was cut back to its first `keep` messages (since the start or the last reset),
/// for example to regenerate the last reply (`/regen`) or to edit and resend the last message (`/edit`).
public struct Rewind: Codable, Sendable, Equatable {
    /// How many messages stay; later ones are dropped from the conversation.
    public var keep: Int

    public init(keep: Int) { self.keep = keep }
}

/// One event of a session log.
public enum SessionEvent: Sendable, Equatable {
    case start(SessionStart)
    case user(UserTurn)
    case assistant(AssistantReply)
    /// Marker of a cancelled or interrupted reply.
    case partial(PartialReply)
    /// The reply to the last user turn failed before any text.
    case failure(ReplyFailure)
    case persona(PersonaSwitch)
    case model(ModelSwitch)
    case systemPrompt(SystemPromptChange)
    case sampling(SamplingChange)
    case theme(ThemeSwitch)
    case preference(PreferenceUpdate)
    /// The conversation was cleared (`/new`); settings stay.
    case reset
    /// The conversation was cut back to its first messages (`/regen`, `/edit`).
    case rewind(Rewind)

    /// The value of the line's `type` field.
    public var typeName: String {
        switch self {
        case .start: return "start"
        case .user: return "user"
        case .assistant: return "assistant"
        case .partial: return "partial"
        case .failure: return "failure"
        case .persona: return "persona"
        case .model: return "model"
        case .systemPrompt: return "system"
        case .sampling: return "sampling"
        case .theme: return "theme"
        case .preference: return "preference"
        case .reset: return "reset"
        case .rewind: return "rewind"
        }
    }
}

/// One line of a session log: when it happened and what.
public struct SessionRecord: Sendable, Equatable {
    public var time: Date
    public var event: SessionEvent

    public init(time: Date, event: SessionEvent) {
        self.time = time
        self.event = event
    }
}
