import GRDB

/// Keeps the full-text index (`memory_fts`, rowid = memory id) in step with the memory table.
enum MemoryIndex {
    static func insert(_ db: Database, _ memory: Memory) throws {
        guard let id = memory.id else { return }
        try db.execute(sql: "INSERT INTO memory_fts(rowid, body) VALUES (?, ?)", arguments: [id, SearchText.indexed(memory.text)])
    }

    static func delete(_ db: Database, id: Int64) throws {
        try db.execute(sql: "DELETE FROM memory_fts WHERE rowid = ?", arguments: [id])
    }
}
