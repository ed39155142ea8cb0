import Foundation
import GRDB

extension UserProfile {
    /// The user's memories, oldest first.
    public func memories() throws -> [Memory] {
        try store.read { db in try Memory.filter(Column("userId") == userId).order(Column("id")).fetchAll(db) }
    }

    /// The memory with `id`, if it is this user's.
    public func memory(id: Int64) throws -> Memory? {
        try store.read { db in try Memory.filter(Column("userId") == userId && Column("id") == id).fetchOne(db) }
    }

    /// Stores a fact in the user's words (secrets redacted); the change is kept in the history.
    @discardableResult
    public func addMemory(_ text: String, key: String? = nil, sessionId: String? = nil, turn: Int? = nil,
                          importance: Double = 0.5, reason: String) throws -> Memory {
        let now = store.clock()
        return try store.write { db in
            var memory = Memory(id: nil, userId: userId, key: key, text: Redactor().redact(text).text, sessionId: sessionId, turn: turn,
                                importance: importance.clamped, created: now, lastUsed: nil, embedding: nil)
            try memory.insert(db)
            try MemoryIndex.insert(db, memory)
            try recordHistory(db, entity: .memory, id: memory.id, action: .add, before: nil as Memory?, after: memory, reason: reason)
            return memory
        }
    }

    /// Replaces a memory's text (the old one is kept in the history); nil when there is no such memory.
    @discardableResult
    public func updateMemory(id: Int64, text: String, sessionId: String? = nil, turn: Int? = nil, reason: String) throws -> Memory? {
        try store.write { db in
            guard var memory = try Memory.filter(Column("userId") == userId && Column("id") == id).fetchOne(db) else { return nil }
            let before = memory
            memory.text = Redactor().redact(text).text
            memory.sessionId = sessionId ?? memory.sessionId
            memory.turn = turn ?? memory.turn
            memory.embedding = nil
            try memory.update(db)
            try MemoryIndex.delete(db, id: id)
            try MemoryIndex.insert(db, memory)
            try recordHistory(db, entity: .memory, id: id, action: .update, before: before, after: memory, reason: reason)
            return memory
        }
    }

    /// Removes a memory that a newer statement contradicts, keeping it in the history so it can be undone.
    @discardableResult
    public func removeMemory(id: Int64, reason: String) throws -> Bool {
        try store.write { db in
            guard let memory = try Memory.filter(Column("userId") == userId && Column("id") == id).fetchOne(db) else { return false }
            try memory.delete(db)
            try MemoryIndex.delete(db, id: id)
            try recordHistory(db, entity: .memory, id: id, action: .delete, before: memory, after: nil as Memory?, reason: reason)
            return true
        }
    }

    /// Forgets a memory for good: its row, its index entry and every history entry about it, then compacts the file.
    @discardableResult
    public func forgetMemory(id: Int64) throws -> Bool {
        let removed: Bool = try store.write { db in
            let history = HistoryEntry.filter(Column("userId") == userId && Column("entity") == HistoryEntity.memory.rawValue
                                              && Column("entityId") == id)
            let count = try Memory.filter(Column("userId") == userId && Column("id") == id).deleteAll(db)
            let entries = try history.fetchCount(db)
            guard count > 0 || entries > 0 else { return false }
            try MemoryIndex.delete(db, id: id)
            try history.deleteAll(db)
            return true
        }
        if removed { try store.compact() }
        return removed
    }

    /// Forgets a preference for good: its row and its history, then compacts the file.
    @discardableResult
    public func forgetPreference(id: Int64) throws -> Bool {
        let removed: Bool = try store.write { db in
            let count = try Preference.filter(Column("userId") == userId && Column("id") == id).deleteAll(db)
            try HistoryEntry.filter(Column("userId") == userId && Column("entity") == HistoryEntity.preference.rawValue
                                    && Column("entityId") == id).deleteAll(db)
            return count > 0
        }
        if removed { try store.compact() }
        return removed
    }

    /// Marks memories as used now.
    public func touchMemories(_ ids: [Int64]) throws {
        guard !ids.isEmpty else { return }
        let now = store.clock()
        try store.write { db in
            try Memory.filter(Column("userId") == userId && ids.contains(Column("id"))).updateAll(db, Column("lastUsed").set(to: now))
        }
    }
}
