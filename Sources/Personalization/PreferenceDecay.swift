import Foundation

/// How inferred preferences fade when unused: their confidence halves every `halfLifeDays` since they were last
/// used or changed. Stated preferences never decay.
public struct PreferenceDecay: Sendable, Equatable {
    public var halfLifeDays: Double
    /// Below this effective confidence an inferred preference is removed by `prune`.
    public var floor: Double

    public init(halfLifeDays: Double = 30, floor: Double = 0.1) {
        self.halfLifeDays = halfLifeDays
        self.floor = floor
    }

    /// The confidence of `preference` at `now`, after decay.
    public func effectiveConfidence(of preference: Preference, at now: Date) -> Double {
        guard preference.source != .stated else { return preference.confidence }
        let since = max(preference.lastUsed ?? preference.updated, preference.updated)
        let days = max(0, now.timeIntervalSince(since)) / 86_400
        return preference.confidence * pow(0.5, days / max(halfLifeDays, 1e-9))
    }

    /// Removes the user's inferred preferences that have faded below `floor` (kept in the history); returns their keys.
    @discardableResult
    public func prune(_ profile: UserProfile) throws -> [String] {
        let now = profile.store.clock()
        var removed: [String] = []
        for pref in try profile.preferences() where effectiveConfidence(of: pref, at: now) < floor {
            guard let id = pref.id else { continue }
            try profile.removePreference(id: id, reason: "decayed: unused since \(pref.lastUsed ?? pref.updated)")
            removed.append(pref.key)
        }
        return removed
    }
}
