import Foundation

/// Who said a message.
public enum Role: String, Codable, Sendable, CaseIterable {
    case system, user, assistant
}

/// The kind of an attached file.
public enum AttachmentKind: String, Codable, Sendable {
    case image, audio, text
}

/// A file attached to a user turn, identified by path and content hash.
public struct Attachment: Codable, Sendable, Equatable {
    public var path: String
    public var kind: AttachmentKind
    /// Lower-case hex SHA-256 of the file's bytes at the time it was attached.
    public var sha256: String

    public init(path: String, kind: AttachmentKind, sha256: String) {
        self.path = path
        self.kind = kind
        self.sha256 = sha256
    }
}

/// One message of a conversation.
public struct Message: Codable, Sendable, Equatable {
    public var role: Role
    public var content: String
    public var attachments: [Attachment]

    public init(role: Role, content: String, attachments: [Attachment] = []) {
        self.role = role
        self.content = content
        self.attachments = attachments
    }
}

/// Why a generation stopped.
public enum StopReason: String, Codable, Sendable {
    /// The model produced an end-of-generation token.
    case endOfGeneration
    /// A stop string appeared in the output.
    case stopString
    /// The requested number of tokens was reached.
    case tokenLimit
    /// The user cancelled.
    case cancelled
    /// The context window is full.
    case contextFull
}

/// Timing and counts of one finished reply.
public struct GenerationStats: Codable, Sendable, Equatable {
    public var promptTokens: Int
    public var generatedTokens: Int
    public var promptSeconds: Double
    public var generationSeconds: Double

    public init(promptTokens: Int, generatedTokens: Int, promptSeconds: Double, generationSeconds: Double) {
        self.promptTokens = promptTokens
        self.generatedTokens = generatedTokens
        self.promptSeconds = promptSeconds
        self.generationSeconds = generationSeconds
    }

    public var promptTokensPerSecond: Double { promptSeconds > 0 ? Double(promptTokens) / promptSeconds : 0 }
    public var generationTokensPerSecond: Double { generationSeconds > 0 ? Double(generatedTokens) / generationSeconds : 0 }
}

/// One event of a streamed reply.
public enum TokenEvent: Sendable, Equatable {
    /// A piece of text, always whole UTF-8 characters.
    case text(String)
    /// The reply finished.
    case done(StopReason, GenerationStats)
    /// A note on preparing the reply ("encoding image 1 of 2: tile 3 of 13"); not part of the reply.
    case status(String)
}
