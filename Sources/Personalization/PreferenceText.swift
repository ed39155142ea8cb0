/// How a preference reads in the system prompt: one sentence per known key, "key: value" for the rest.
enum PreferenceText {
    /// Sentences for the keys the extractor knows.
    static let sentences: [String: @Sendable (String) -> String] = [
        "name": { "Address the user as \($0)." },
        "answer.length": { $0 == "short" ? "Keep answers short." : "Give detailed, thorough answers." },
        "emoji": { $0 == "never" ? "Never use emoji." : "Emoji are welcome." },
        "language": { "Answer in \($0)." },
        "diet": { "The user is \($0)." },
    ]

    static func sentence(for pref: Preference) -> String {
        if let make = sentences[pref.key] { return make(pref.value) }
        if pref.key.hasPrefix("instruction:") { return "The user asked: \"\(pref.value)\"" }
        return "\(pref.key): \(pref.value)"
    }
}
