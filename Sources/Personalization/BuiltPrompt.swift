import Conversation
import Foundation

/// One piece of a built message.
public enum PromptPart: Sendable, Equatable {
    case text(String)
    /// A non-text attachment (image or audio) that the engine replaces with its embedding chunk: `attachment` is its
    /// index in the message's attachments.
    case media(attachment: Int, Attachment)
}

/// A message of the built prompt, as parts.
public struct PromptMessage: Sendable, Equatable {
    public var role: Role
    public var parts: [PromptPart]
    /// The message's attachments, as given (text ones are also inlined as text parts).
    public var attachments: [Attachment]

    public init(role: Role, parts: [PromptPart], attachments: [Attachment] = []) {
        self.role = role
        self.parts = parts
        self.attachments = attachments
    }

    /// The text parts joined, each media part written as `media(part)`.
    public func text(media: (Int, Attachment) -> String = { _, _ in "" }) -> String {
        parts.map { part in
            switch part {
            case .text(let text): return text
            case .media(let index, let attachment): return media(index, attachment)
            }
        }.joined()
    }
}

/// Which part of the prompt a token account is for.
public enum PromptSection: String, Sendable, Equatable {
    case persona, preference, memory, note, message, attachment
}

/// How many tokens one part of the prompt took, for `/why`.
public struct PromptAccount: Sendable, Equatable {
    public var section: PromptSection
    /// What the part is, such as `answer.length = short (stated)` or `notes.txt`.
    public var label: String
    public var tokens: Int
}

/// The prompt the model receives before its chat template: messages as parts, what went in, and what it cost.
public struct BuiltPrompt: Sendable, Equatable {
    public var messages: [PromptMessage]
    /// One entry per part, in prompt order.
    public var accounts: [PromptAccount]
    /// The preferences and memories that went in (so they can be marked used, and shown by `/why`).
    public var preferenceIds: [Int64]
    public var memoryIds: [Int64]
    /// Oldest history messages left out to fit.
    public var droppedMessages: Int
    /// The budget it was built for.
    public var budget: Int

    /// Tokens of all parts together (the chat template's own tokens not included).
    public var tokens: Int { accounts.reduce(0) { $0 + $1.tokens } }

    /// Plain messages for a text-only model: text attachments are already inlined, media parts become `media(part)`.
    public func plainMessages(media: (Int, Attachment) -> String = { _, a in "[\(a.kind.rawValue) \(URL(fileURLWithPath: a.path).lastPathComponent)]" }) -> [Message] {
        messages.map { Message(role: $0.role, content: $0.text(media: media), attachments: $0.attachments) }
    }

    /// Lines for `/why`: each part and its tokens, then the total.
    public var whyLines: [String] {
        var lines = accounts.map { "\($0.section.rawValue): \($0.label) — \($0.tokens) tokens" }
        if droppedMessages > 0 { lines.append("left out: the \(droppedMessages) oldest messages") }
        lines.append("total: \(tokens) of \(budget) tokens")
        return lines
    }
}
