import Foundation
import GRDB

extension UserProfile {
    /// The whole profile as a document for `nook profile export`.
    public func export() throws -> ProfileDocument {
        try store.read { db in
            let prefs = try Preference.filter(Column("userId") == userId).order(Column("id")).fetchAll(db)
            let memories = try Memory.filter(Column("userId") == userId).order(Column("id")).fetchAll(db)
            let feedback = try FeedbackEvent.filter(Column("userId") == userId).order(Column("id")).fetchAll(db)
            let history = try HistoryEntry.filter(Column("userId") == userId).order(Column("id")).fetchAll(db)
            let sessions = try Row.fetchAll(db, sql: "SELECT sessionId, processedTurns, updated FROM sessionProgress WHERE userId = ? ORDER BY sessionId",
                                            arguments: [userId])
            return ProfileDocument(
                format: "nook-profile", version: ProfileDocument.currentVersion, user: name,
                preferences: prefs.map {
                    .init(id: $0.id ?? 0, key: $0.key, value: $0.value, persona: $0.persona.isEmpty ? nil : $0.persona,
                          confidence: $0.confidence, source: $0.source, evidence: $0.evidence, created: $0.created,
                          updated: $0.updated, lastUsed: $0.lastUsed)
                },
                memories: memories.map {
                    .init(id: $0.id ?? 0, key: $0.key, text: $0.text, sessionId: $0.sessionId, turn: $0.turn, importance: $0.importance,
                          created: $0.created, lastUsed: $0.lastUsed, embedding: $0.embedding)
                },
                feedback: feedback.map { .init(kind: $0.kind, sessionId: $0.sessionId, turn: $0.turn, detail: $0.detail, at: $0.at) },
                history: history.map {
                    .init(entity: $0.entity, entityId: $0.entityId, action: $0.action, before: $0.before, after: $0.after,
                          reason: $0.reason, at: $0.at)
                },
                sessions: try sessions.map { .init(sessionId: $0["sessionId"], processedTurns: $0["processedTurns"], updated: try Self.date($0["updated"])) })
        }
    }

    private static func date(_ value: Date?) throws -> Date {
        guard let value else { throw ProfileError("a session progress row has no date") }
        return value
    }
}

extension ProfileStore {
    /// Restores an exported profile as user `name` (default: the document's user), which must have no profile yet
    /// unless `replace` is set (its profile is then forgotten first). Ids are kept where they are free.
    @discardableResult
    public func importProfile(_ doc: ProfileDocument, as name: String? = nil, replace: Bool = false) throws -> UserProfile {
        let user = name ?? doc.user
        try ProfileUser.validate(user)
        if try users().contains(user) {
            guard replace else {
                throw ProfileError("user \(user) already has a profile: forget it first (nook profile forget --all --user \(user)) or use --replace")
            }
            try forgetUser(user)
        }
        let profile = try self.profile(for: user)
        let redactor = Redactor()
        try write { db in
            var memoryIds: [Int64: Int64] = [:]
            var preferenceIds: [Int64: Int64] = [:]
            for p in doc.preferences {
                let free = try Preference.fetchOne(db, key: p.id) == nil
                var row = Preference(id: free ? p.id : nil, userId: profile.userId, key: p.key, value: redactor.redact(p.value).text,
                                     persona: p.persona ?? "", confidence: p.confidence.clamped, source: p.source, evidence: p.evidence,
                                     created: p.created, updated: p.updated, lastUsed: p.lastUsed)
                try row.insert(db)
                preferenceIds[p.id] = row.id
            }
            for m in doc.memories {
                let free = try Memory.fetchOne(db, key: m.id) == nil
                var row = Memory(id: free ? m.id : nil, userId: profile.userId, key: m.key, text: redactor.redact(m.text).text,
                                 sessionId: m.sessionId, turn: m.turn, importance: m.importance.clamped, created: m.created,
                                 lastUsed: m.lastUsed, embedding: m.embedding)
                try row.insert(db)
                try MemoryIndex.insert(db, row)
                memoryIds[m.id] = row.id
            }
            for f in doc.feedback {
                var row = FeedbackEvent(id: nil, userId: profile.userId, kind: f.kind, sessionId: f.sessionId, turn: f.turn,
                                        detail: f.detail.map { redactor.redact($0).text }, at: f.at)
                try row.insert(db)
            }
            for h in doc.history {
                let mapped = (h.entity == .memory ? memoryIds[h.entityId] : preferenceIds[h.entityId]) ?? h.entityId
                var row = HistoryEntry(id: nil, userId: profile.userId, entity: h.entity, entityId: mapped, action: h.action,
                                       before: h.before.map { redactor.redact($0).text }, after: h.after.map { redactor.redact($0).text },
                                       reason: redactor.redact(h.reason).text, at: h.at)
                try row.insert(db)
            }
            for s in doc.sessions {
                try db.execute(sql: "INSERT INTO sessionProgress (userId, sessionId, processedTurns, updated) VALUES (?, ?, ?, ?)",
                               arguments: [profile.userId, s.sessionId, s.processedTurns, s.updated])
            }
        }
        return profile
    }
}
