import Foundation
import GRDB

extension UserProfile {
    /// The user's change history, newest first.
    public func history(limit: Int = 100) throws -> [HistoryEntry] {
        try store.read { db in
            try HistoryEntry.filter(Column("userId") == userId).order(Column("id").desc).limit(limit).fetchAll(db)
        }
    }

    /// Reverts one history entry (an add is removed, an update restores the old row, a delete puts the row back)
    /// and drops the entry; throws when it is not this user's or a later change to the same row stands in the way.
    public func undo(historyId: Int64) throws {
        try store.write { db in
            guard let entry = try HistoryEntry.filter(Column("userId") == userId && Column("id") == historyId).fetchOne(db) else {
                throw ProfileError("no history entry \(historyId) for user \(name)")
            }
            let later = try HistoryEntry.filter(Column("entity") == entry.entity.rawValue && Column("entityId") == entry.entityId
                                                && Column("id") > historyId).fetchCount(db)
            if later > 0 { throw ProfileError("history entry \(historyId) has later changes to the same \(entry.entity.rawValue); undo those first") }
            switch entry.entity {
            case .preference: try revert(db, entry, as: Preference.self)
            case .memory:
                try revert(db, entry, as: Memory.self)
                try db.execute(sql: "DELETE FROM memory_fts WHERE rowid = ?", arguments: [entry.entityId])
                if let memory = try Memory.fetchOne(db, key: entry.entityId) { try MemoryIndex.insert(db, memory) }
            }
            try entry.delete(db)
        }
    }

    private func revert<R: ProfileRow>(_ db: Database, _ entry: HistoryEntry, as: R.Type) throws {
        switch entry.action {
        case .add:
            _ = try R.deleteOne(db, key: entry.entityId)
        case .update, .delete:
            guard let json = entry.before, var old = try? HistoryCoding.decoder.decode(R.self, from: Data(json.utf8)) else {
                throw ProfileError("history entry \(entry.id ?? 0) cannot be undone: its old value does not read")
            }
            // The row goes back to this user and id, even when the history came from an import.
            old.id = entry.entityId
            old.userId = userId
            try old.save(db)
        }
    }

    /// Appends a history entry for a change to one row.
    func recordHistory<R: Encodable>(_ db: Database, entity: HistoryEntity, id: Int64?, action: HistoryAction,
                                     before: R?, after: R?, reason: String) throws {
        var entry = HistoryEntry(id: nil, userId: userId, entity: entity, entityId: id ?? 0, action: action,
                                 before: try before.map(HistoryCoding.encode), after: try after.map(HistoryCoding.encode),
                                 reason: Redactor().redact(reason).text, at: store.clock())
        try entry.insert(db)
    }
}

/// The JSON form of rows kept in the history.
enum HistoryCoding {
    static let decoder = JSONDecoder()

    static func encode<R: Encodable>(_ row: R) throws -> String {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys]
        return String(decoding: try encoder.encode(row), as: UTF8.self)
    }
}

/// A preference or memory row: what undo needs to put one back.
protocol ProfileRow: Codable, MutablePersistableRecord, FetchableRecord {
    var id: Int64? { get set }
    var userId: Int64 { get set }
}

extension Preference: ProfileRow {}
extension Memory: ProfileRow {}
