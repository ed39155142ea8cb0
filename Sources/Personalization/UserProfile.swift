import Foundation
import GRDB

/// One user's profile in a `ProfileStore`: their preferences, memories, feedback and change history.
public struct UserProfile: Sendable {
    public let store: ProfileStore
    public let userId: Int64
    public let name: String

    /// The user's preferences: all of them when `persona` is nil, else the global ones and that persona's.
    public func preferences(persona: String? = nil) throws -> [Preference] {
        try store.read { db in
            var request = Preference.filter(Column("userId") == userId)
            if let persona { request = request.filter([PreferenceScope.global.column, persona].contains(Column("persona"))) }
            return try request.order(Column("key"), Column("persona")).fetchAll(db)
        }
    }

    /// The preference stored under `key` in `scope`, if any.
    public func preference(key: String, scope: PreferenceScope) throws -> Preference? {
        try store.read { db in try fetchPreference(db, key: key, scope: scope) }
    }

    /// Sets `key` to `value` (secrets redacted) in `scope`, adding it or updating it in place; the change is kept in the history.
    @discardableResult
    public func setPreference(key: String, value: String, scope: PreferenceScope = .global, source: PreferenceSource,
                              confidence: Double, evidence: [String] = [], reason: String) throws -> Preference {
        let now = store.clock()
        let value = Redactor().redact(value).text
        return try store.write { db in
            if var existing = try fetchPreference(db, key: key, scope: scope) {
                let before = existing
                existing.value = value
                existing.source = source
                existing.confidence = confidence.clamped
                existing.evidence = Array(Set(existing.evidence + evidence)).sorted()
                existing.updated = now
                try existing.update(db)
                try recordHistory(db, entity: .preference, id: existing.id, action: .update, before: before, after: existing, reason: reason)
                return existing
            }
            var added = Preference(id: nil, userId: userId, key: key, value: value, persona: scope.column,
                                   confidence: confidence.clamped, source: source, evidence: evidence.sorted(),
                                   created: now, updated: now, lastUsed: nil)
            try added.insert(db)
            try recordHistory(db, entity: .preference, id: added.id, action: .add, before: nil as Preference?, after: added, reason: reason)
            return added
        }
    }

    /// Changes a preference's confidence (kept in the history); nil when there is no such preference.
    @discardableResult
    public func setConfidence(_ confidence: Double, ofPreference id: Int64, reason: String) throws -> Preference? {
        let now = store.clock()
        return try store.write { db in
            guard var pref = try Preference.filter(Column("userId") == userId && Column("id") == id).fetchOne(db) else { return nil }
            let before = pref
            pref.confidence = confidence.clamped
            pref.updated = now
            try pref.update(db)
            try recordHistory(db, entity: .preference, id: id, action: .update, before: before, after: pref, reason: reason)
            return pref
        }
    }

    /// Removes a preference, keeping it in the history so it can be undone; false when there is no such preference.
    @discardableResult
    public func removePreference(id: Int64, reason: String) throws -> Bool {
        try store.write { db in
            guard let pref = try Preference.filter(Column("userId") == userId && Column("id") == id).fetchOne(db) else { return false }
            try pref.delete(db)
            try recordHistory(db, entity: .preference, id: id, action: .delete, before: pref, after: nil as Preference?, reason: reason)
            return true
        }
    }

    /// Marks preferences as used now (they then do not decay).
    public func touchPreferences(_ ids: [Int64]) throws {
        guard !ids.isEmpty else { return }
        let now = store.clock()
        try store.write { db in
            try Preference.filter(Column("userId") == userId && ids.contains(Column("id"))).updateAll(db, Column("lastUsed").set(to: now))
        }
    }

    /// Records a feedback event on a reply.
    @discardableResult
    public func recordFeedback(_ kind: FeedbackKind, sessionId: String? = nil, turn: Int? = nil, detail: String? = nil) throws -> FeedbackEvent {
        let now = store.clock()
        return try store.write { db in
            var event = FeedbackEvent(id: nil, userId: userId, kind: kind, sessionId: sessionId, turn: turn,
                                      detail: detail.map { Redactor().redact($0).text }, at: now)
            try event.insert(db)
            return event
        }
    }

    /// The user's feedback events, oldest first.
    public func feedback() throws -> [FeedbackEvent] {
        try store.read { db in try FeedbackEvent.filter(Column("userId") == userId).order(Column("id")).fetchAll(db) }
    }

    /// Deletes this user's whole profile and compacts the database file.
    public func forgetAll() throws {
        try store.forgetUser(name)
    }

    func fetchPreference(_ db: Database, key: String, scope: PreferenceScope) throws -> Preference? {
        try Preference.filter(Column("userId") == userId && Column("key") == key && Column("persona") == scope.column).fetchOne(db)
    }
}

extension Double {
    /// The value limited to 0...1.
    var clamped: Double { Swift.min(1, Swift.max(0, self)) }
}
