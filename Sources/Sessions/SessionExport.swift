import Conversation
import Foundation

/// The JSON export of a session (`nook sessions export ID --json`, `/export --json`): a stable,
/// documented object with the start event and the messages in order (docs/session-format.md).
public struct SessionExport: Codable, Sendable, Equatable {
    /// The version of this object's layout; fields are only added within a version.
    public static let currentVersion = 1

    public var exportVersion: Int
    public var id: String
    /// The first user message on one line, at most 60 characters.
    public var title: String
    public var created: Date
    public var updated: Date
    /// User messages in `messages`.
    public var turns: Int
    /// The persona at the end of the session.
    public var persona: String
    /// The session's start event as logged: model, sampling, persona, system prompt, theme, user.
    public var start: SessionStart
    /// Every message the session holds now, in order, across `/new`.
    public var messages: [SessionMessage]

    /// The export of a transcript.
    public init(_ transcript: SessionTranscript) {
        exportVersion = Self.currentVersion
        id = transcript.id
        title = transcript.title()
        created = transcript.created
        updated = transcript.updated
        turns = transcript.turnCount
        persona = transcript.persona
        start = transcript.start
        messages = transcript.messages
    }

    private enum Keys: String, CodingKey {
        case exportVersion, id, title, created, updated, turns, persona, start, messages
    }

    public init(from decoder: any Decoder) throws {
        let c = try decoder.container(keyedBy: Keys.self)
        exportVersion = try c.decode(Int.self, forKey: .exportVersion)
        id = try c.decode(String.self, forKey: .id)
        title = try c.decode(String.self, forKey: .title)
        created = try SessionTime.decode(c, .created)
        updated = try SessionTime.decode(c, .updated)
        turns = try c.decode(Int.self, forKey: .turns)
        persona = try c.decode(String.self, forKey: .persona)
        start = try c.decode(SessionStart.self, forKey: .start)
        messages = try c.decode([SessionMessage].self, forKey: .messages)
    }

    public func encode(to encoder: any Encoder) throws {
        var c = encoder.container(keyedBy: Keys.self)
        try c.encode(exportVersion, forKey: .exportVersion)
        try c.encode(id, forKey: .id)
        try c.encode(title, forKey: .title)
        try c.encode(SessionTime.format(created), forKey: .created)
        try c.encode(SessionTime.format(updated), forKey: .updated)
        try c.encode(turns, forKey: .turns)
        try c.encode(persona, forKey: .persona)
        try c.encode(start, forKey: .start)
        try c.encode(messages, forKey: .messages)
    }

    /// Pretty-printed UTF-8 JSON with sorted keys and a final newline.
    public func jsonData() throws -> Data {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.prettyPrinted, .sortedKeys, .withoutEscapingSlashes]
        return try encoder.encode(self) + Data("\n".utf8)
    }

    /// Reads an export back.
    public static func decode(_ data: Data) throws -> SessionExport {
        try JSONDecoder().decode(SessionExport.self, from: data)
    }
}

/// JSON form of a message: `role`, `text`, `time`, `conversation`; `attachments` on user messages;
/// `persona`, `stopReason`, `finished` and (when recorded) `stats` on replies; `failure` on a reply that failed.
extension SessionMessage: Codable {
    private enum Keys: String, CodingKey {
        case role, text, time, conversation, persona, attachments, stopReason, stats, finished, failure
    }

    public init(from decoder: any Decoder) throws {
        let c = try decoder.container(keyedBy: Keys.self)
        self.init(role: try c.decode(Role.self, forKey: .role), text: try c.decode(String.self, forKey: .text),
                  time: try SessionTime.decode(c, .time), conversation: try c.decode(Int.self, forKey: .conversation),
                  persona: try c.decodeIfPresent(String.self, forKey: .persona),
                  attachments: try c.decodeIfPresent([Attachment].self, forKey: .attachments) ?? [],
                  stopReason: try c.decodeIfPresent(StopReason.self, forKey: .stopReason),
                  stats: try c.decodeIfPresent(GenerationStats.self, forKey: .stats),
                  finished: try c.decodeIfPresent(Bool.self, forKey: .finished),
                  failure: try c.decodeIfPresent(String.self, forKey: .failure))
    }

    public func encode(to encoder: any Encoder) throws {
        var c = encoder.container(keyedBy: Keys.self)
        try c.encode(role, forKey: .role)
        try c.encode(text, forKey: .text)
        try c.encode(SessionTime.format(time), forKey: .time)
        try c.encode(conversation, forKey: .conversation)
        if role == .user { try c.encode(attachments, forKey: .attachments) }
        try c.encodeIfPresent(persona, forKey: .persona)
        try c.encodeIfPresent(stopReason, forKey: .stopReason)
        try c.encodeIfPresent(stats, forKey: .stats)
        try c.encodeIfPresent(finished, forKey: .finished)
        try c.encodeIfPresent(failure, forKey: .failure)
    }
}

extension SessionTime {
    /// Decodes a timestamp field written by `format`.
    static func decode<K: CodingKey>(_ container: KeyedDecodingContainer<K>, _ key: K) throws -> Date {
        let text = try container.decode(String.self, forKey: key)
        guard let date = parse(text) else {
            throw DecodingError.dataCorruptedError(forKey: key, in: container, debugDescription: "bad time '\(text)'")
        }
        return date
    }
}
