import Foundation
import GRDB

/// A memory found for a message, with how it scored.
public struct RetrievedMemory: Sendable, Equatable {
    public var memory: Memory
    /// The final score: relevance weighted by importance and recency (higher is better).
    public var score: Double
    /// The BM25 relevance alone (higher is better).
    public var relevance: Double
}

/// How importance and recency weigh on BM25 relevance.
public struct RetrievalWeights: Sendable, Equatable {
    /// Days after which a memory's recency bonus halves.
    public var recencyHalfLifeDays: Double
    /// How much recency can add, as a fraction of relevance (0: none).
    public var recencyWeight: Double
    /// How much importance (0...1 around 0.5) can add or take away, as a fraction of relevance (0: none).
    public var importanceWeight: Double

    public init(recencyHalfLifeDays: Double = 90, recencyWeight: Double = 0.2, importanceWeight: Double = 0.3) {
        self.recencyHalfLifeDays = recencyHalfLifeDays
        self.recencyWeight = recencyWeight
        self.importanceWeight = importanceWeight
    }

    /// BM25 alone.
    public static let relevanceOnly = RetrievalWeights(recencyWeight: 0, importanceWeight: 0)

    /// The weighted score of a memory with BM25 relevance `relevance`, `age` seconds after it was last used or stored.
    func score(relevance: Double, importance: Double, age: TimeInterval) -> Double {
        let days = max(0, age) / 86_400
        let recency = pow(0.5, days / max(recencyHalfLifeDays, 1e-9))
        return relevance * (1 + recencyWeight * recency + importanceWeight * (importance.clamped - 0.5) * 2)
    }
}

extension UserProfile {
    /// The user's memories most relevant to `message` by full-text search (SQLite FTS5, BM25), weighted by
    /// importance and recency, best first; empty when the message has no searchable words.
    public func searchMemories(_ message: String, limit: Int = 3, weights: RetrievalWeights = RetrievalWeights()) throws -> [RetrievedMemory] {
        guard limit > 0, let query = SearchText.query(message) else { return [] }
        let now = store.clock()
        let rows = try store.read { db in
            try Row.fetchAll(db, sql: """
                SELECT memory.*, bm25(memory_fts) AS rank FROM memory_fts JOIN memory ON memory.id = memory_fts.rowid
                WHERE memory_fts MATCH ? AND memory.userId = ? ORDER BY rank LIMIT 100
                """, arguments: [query, userId])
        }
        var found: [RetrievedMemory] = []
        for row in rows {
            let memory = try Memory(row: row)
            let relevance = -(row["rank"] as Double? ?? 0)
            let age = now.timeIntervalSince(memory.lastUsed ?? memory.created)
            found.append(RetrievedMemory(memory: memory, score: weights.score(relevance: relevance, importance: memory.importance, age: age),
                                         relevance: relevance))
        }
        found.sort { $0.score != $1.score ? $0.score > $1.score : ($0.memory.id ?? 0) < ($1.memory.id ?? 0) }
        return Array(found.prefix(limit))
    }
}
