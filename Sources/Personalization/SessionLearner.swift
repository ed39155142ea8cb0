import Conversation
import Foundation
import GRDB

/// The update after a session (or on `/remember`): extracts candidates from the user's turns not yet learned from,
/// reconciles them with the profile, and records how far the session was processed, so a session that ended by a
/// crash is finished at the next start and none is learned from twice.
public struct SessionLearner: Sendable {
    public var extractor = StatementExtractor()
    public var reconciler = Reconciler()
    public var decay = PreferenceDecay()

    public init() {}

    /// Learns from the user messages of session `sessionId` after the ones already processed.
    @discardableResult
    public func learn(from messages: [Message], sessionId: String, profile: UserProfile) throws -> [ReconcileOutcome] {
        let userTurns = messages.filter { $0.role == .user }
        let done = try profile.processedTurns(sessionId: sessionId)
        guard userTurns.count > done else { return [] }
        var candidates: [Candidate] = []
        for (index, message) in userTurns.enumerated() where index >= done {
            for c in extractor.candidates(inUserText: message.content) {
                candidates.append(Candidate(kind: c.kind, sentence: c.sentence, evidence: "\(sessionId)#\(index + 1)"))
            }
        }
        let outcomes = try reconciler.apply(candidates, to: profile, sessionId: sessionId)
        try decay.prune(profile)
        try profile.setProcessedTurns(userTurns.count, sessionId: sessionId)
        return outcomes
    }

    /// `/remember TEXT`: what the extractor finds in `text`, or else the text itself as an important memory.
    @discardableResult
    public func remember(_ text: String, profile: UserProfile, sessionId: String? = nil) throws -> [ReconcileOutcome] {
        let found = extractor.candidates(inUserText: text)
        if !found.isEmpty { return try reconciler.apply(found, to: profile, sessionId: sessionId) }
        let redacted = Redactor().redact(text).text.trimmingCharacters(in: .whitespacesAndNewlines)
        guard !redacted.isEmpty else { return [] }
        var important = reconciler
        important.memoryImportance = 0.8
        return try important.apply([Candidate(kind: .memory(key: nil, text: redacted), sentence: redacted)], to: profile, sessionId: sessionId)
    }
}

extension UserProfile {
    /// How many user turns of a session have been learned from.
    public func processedTurns(sessionId: String) throws -> Int {
        try store.read { db in
            try Int.fetchOne(db, sql: "SELECT processedTurns FROM sessionProgress WHERE userId = ? AND sessionId = ?",
                             arguments: [userId, sessionId]) ?? 0
        }
    }

    /// Every session the profile has read or registered: its id, user turns learned from, and when that was recorded.
    public func sessionProgress() throws -> [(sessionId: String, processedTurns: Int, updated: Date)] {
        try store.read { db in
            try Row.fetchAll(db, sql: "SELECT sessionId, processedTurns, updated FROM sessionProgress WHERE userId = ? ORDER BY sessionId",
                             arguments: [userId]).compactMap { row in
                guard let id: String = row["sessionId"], let turns: Int = row["processedTurns"], let date: Date = row["updated"] else { return nil }
                return (id, turns, date)
            }
        }
    }

    /// Registers a session to learn from (without changing how far it was read), so a crash does not lose it.
    public func registerSession(_ sessionId: String) throws {
        let now = store.clock()
        try store.write { db in
            try db.execute(sql: "INSERT OR IGNORE INTO sessionProgress (userId, sessionId, processedTurns, updated) VALUES (?, ?, 0, ?)",
                           arguments: [userId, sessionId, now])
        }
    }

    /// Records that the first `count` user turns of a session have been learned from.
    public func setProcessedTurns(_ count: Int, sessionId: String) throws {
        let now = store.clock()
        try store.write { db in
            try db.execute(sql: """
                INSERT INTO sessionProgress (userId, sessionId, processedTurns, updated) VALUES (?, ?, ?, ?)
                ON CONFLICT (userId, sessionId) DO UPDATE SET processedTurns = excluded.processedTurns, updated = excluded.updated
                """, arguments: [userId, sessionId, count, now])
        }
    }
}
