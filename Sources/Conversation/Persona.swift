import Foundation

/// How long a persona's answers should be.
public enum ResponseLength: String, Codable, Sendable, CaseIterable {
    case short, medium, long

    /// The instruction added to the system prompt for this length.
    public var instruction: String {
        switch self {
        case .short: return "Keep your answers short: a few sentences at most."
        case .medium: return "Keep your answers to a moderate length: a few short paragraphs at most."
        case .long: return "Give thorough, detailed answers."
        }
    }
}

/// Style preferences a persona adds to its system prompt.
public struct StylePreferences: Codable, Sendable, Equatable {
    /// Preferred answer length; nil leaves it to the model.
    public var length: ResponseLength?
    /// Free-form tone such as "friendly" or "formal"; nil leaves it to the model.
    public var tone: String?

    public init(length: ResponseLength? = nil, tone: String? = nil) {
        self.length = length
        self.tone = tone
    }

    /// The style instructions as sentences, empty when no preference is set.
    public var instructions: String {
        var parts: [String] = []
        if let length { parts.append(length.instruction) }
        if let tone, !tone.isEmpty { parts.append("Use a \(tone) tone.") }
        return parts.joined(separator: " ")
    }
}

/// A persona: who the assistant is (system prompt, greeting) and how it samples and writes.
public struct Persona: Codable, Sendable, Equatable {
    /// Identifier used by `/persona NAME` and for overriding: lower-case letters, digits, `-` and `_`.
    public var name: String
    /// Name shown to the user and substituted for `{{char}}`; nil means `name`.
    public var displayName: String?
    /// One-line description for persona lists.
    public var description: String
    /// The persona's own system prompt; may contain `{{char}}` and `{{user}}`.
    public var systemPrompt: String
    /// Optional first assistant message shown when a conversation starts.
    public var greeting: String?
    /// Sampling values this persona prefers.
    public var sampling: SamplingDefaults
    /// Style preferences appended to the system prompt.
    public var style: StylePreferences
    /// Free-form tags (for example from an imported character card).
    public var tags: [String]

    public init(name: String, displayName: String? = nil, description: String = "", systemPrompt: String,
                greeting: String? = nil, sampling: SamplingDefaults = SamplingDefaults(),
                style: StylePreferences = StylePreferences(), tags: [String] = []) {
        self.name = name
        self.displayName = displayName
        self.description = description
        self.systemPrompt = systemPrompt
        self.greeting = greeting
        self.sampling = sampling
        self.style = style
        self.tags = tags
    }

    /// The name shown to the user.
    public var shownName: String { displayName ?? name }

    /// The system prompt sent to the model: the persona's prompt followed by its style instructions,
    /// with `{{char}}` replaced by the shown name and `{{user}}` by `userName` (or "User").
    public func effectiveSystemPrompt(userName: String? = nil) -> String {
        let style = style.instructions
        let prompt = systemPrompt.trimmingCharacters(in: .whitespacesAndNewlines)
        let combined = [prompt, style].filter { !$0.isEmpty }.joined(separator: "\n\n")
        return substitute(combined, userName: userName)
    }

    /// The greeting with `{{char}}` and `{{user}}` replaced, nil when the persona has none.
    public func effectiveGreeting(userName: String? = nil) -> String? {
        greeting.map { substitute($0, userName: userName) }
    }

    private func substitute(_ text: String, userName: String?) -> String {
        text.replacingOccurrences(of: "{{char}}", with: shownName)
            .replacingOccurrences(of: "{{user}}", with: userName ?? "User")
    }
}
