import Foundation

/// Turns feedback on a reply into small changes of confidence in the style preferences that shaped it.
///
/// Only inferred and feedback-learned preferences move; what the user stated stays as stated. An edit that shortens
/// a reply by at least a third is read as a wish for short answers.
public struct FeedbackNudges: Sendable {
    /// How each kind of feedback moves the confidence of the style preferences used in the reply.
    public static let deltas: [FeedbackKind: Double] = [.good: 0.05, .bad: -0.1, .regenerate: -0.05, .edit: -0.05]
    /// Preference keys that are about style, and so are nudged.
    public static func isStyle(_ key: String) -> Bool {
        ["answer.length", "emoji", "language", "tone", "format"].contains(key) || key.hasPrefix("instruction:")
    }

    public init() {}

    /// Records `kind` and nudges the style preferences among `usedPreferences` (ids from the reply's prompt);
    /// `shortenedTo` is the fraction of the reply's length an edit kept. Returns the preferences it changed.
    @discardableResult
    public func apply(_ kind: FeedbackKind, usedPreferences: [Int64], shortenedTo fraction: Double? = nil,
                      to profile: UserProfile, sessionId: String? = nil, turn: Int? = nil) throws -> [Preference] {
        try profile.recordFeedback(kind, sessionId: sessionId, turn: turn, detail: fraction.map { String(format: "kept %.2f", $0) })
        var changed: [Preference] = []
        let delta = Self.deltas[kind] ?? 0
        for pref in try profile.preferences() where usedPreferences.contains(pref.id ?? -1) && Self.isStyle(pref.key) && pref.source != .stated {
            guard let id = pref.id else { continue }
            if let p = try profile.setConfidence(pref.confidence + delta, ofPreference: id, reason: "feedback: \(kind.rawValue)") {
                changed.append(p)
            }
        }
        if kind == .edit, let fraction, fraction <= 2.0 / 3.0 {
            let existing = try profile.preference(key: "answer.length", scope: .global)
            if let existing, let id = existing.id {
                if existing.source != .stated {
                    let step = existing.value == "short" ? 0.1 : -0.1
                    if let p = try profile.setConfidence(existing.confidence + step, ofPreference: id, reason: "feedback: edit shortened the reply") {
                        changed.append(p)
                    }
                }
            } else {
                changed.append(try profile.setPreference(key: "answer.length", value: "short", source: .feedback, confidence: 0.3,
                                                         reason: "feedback: edit shortened the reply"))
            }
        }
        return changed
    }
}
