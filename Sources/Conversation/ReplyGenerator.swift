import Foundation

/// The model behind a reply generator, as recorded in session logs.
public struct ModelInfo: Codable, Sendable, Equatable {
    /// Path of the model file.
    public var path: String
    /// Lower-case hex SHA-256 of the model file; empty when unknown.
    public var sha256: String
    /// Name of the chat template used to format the conversation, if known.
    public var template: String?
    /// The context window in tokens the replies were generated with (it decides which old turns are left out).
    public var contextLength: Int?
    /// How the KV cache stored keys and values (`f16`, `f32`); nil in logs from before the choice, which used f32.
    public var kvType: String?
    /// The vision projector that encoded image attachments, its SHA-256 and the token cap; nil without one.
    public var mmproj: String?
    public var mmprojSHA256: String?
    public var imageTokens: Int?

    public init(path: String, sha256: String, template: String? = nil, contextLength: Int? = nil, kvType: String? = nil,
                mmproj: String? = nil, mmprojSHA256: String? = nil, imageTokens: Int? = nil) {
        self.mmproj = mmproj
        self.mmprojSHA256 = mmprojSHA256
        self.imageTokens = imageTokens
        self.kvType = kvType
        self.path = path
        self.sha256 = sha256
        self.template = template
        self.contextLength = contextLength
    }
}

/// Everything a generator needs for one reply: the conversation so far and how to sample.
public struct ReplyRequest: Sendable, Equatable {
    /// The system prompt (persona prompt with style instructions), empty for none.
    public var systemPrompt: String
    /// The conversation in order, user and assistant messages only, ending with the user turn to answer.
    /// Attachments travel inside their user messages with absolute paths.
    public var messages: [Message]
    /// Sampling settings, seed included.
    public var sampling: SamplingSettings
    /// Set by the caller to stop the reply early while still listening, so the final `.done` (with the counts of
    /// what was generated) still arrives; generators that cannot stop this way simply finish. Not compared by `==`.
    public var stop: StopSignal?

    public init(systemPrompt: String, messages: [Message], sampling: SamplingSettings, stop: StopSignal? = nil) {
        self.systemPrompt = systemPrompt
        self.messages = messages
        self.sampling = sampling
        self.stop = stop
    }

    public static func == (a: ReplyRequest, b: ReplyRequest) -> Bool {
        a.systemPrompt == b.systemPrompt && a.messages == b.messages && a.sampling == b.sampling
    }

    /// The messages with the system prompt first as a `.system` message when it is not empty.
    public var messagesWithSystem: [Message] {
        systemPrompt.isEmpty ? messages : [Message(role: .system, content: systemPrompt)] + messages
    }
}

/// Something that writes assistant replies: the engine, or a deterministic fake in tests.
///
/// A generator must be deterministic for a given request (seed included) so that replays can be checked.
public protocol ReplyGenerator: Sendable {
    /// The model this generator runs, recorded at the start of session logs.
    var modelInfo: ModelInfo { get }

    /// Streams the reply to `request`: `.text` pieces, then exactly one `.done`.
    /// Ending the iteration early cancels the generation.
    func reply(to request: ReplyRequest) -> AsyncThrowingStream<TokenEvent, any Error>
}

/// A one-way switch that asks a running reply to stop; safe to set and read from any thread.
public final class StopSignal: @unchecked Sendable {
    private let lock = NSLock()
    private var stopped = false

    public init() {}

    /// Asks the reply to stop.
    public func set() {
        lock.lock()
        stopped = true
        lock.unlock()
    }

    /// Whether the reply was asked to stop.
    public var isSet: Bool {
        lock.lock()
        defer { lock.unlock() }
        return stopped
    }
}
