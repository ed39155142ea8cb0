import GRDB

/// The profile database's versioned migrations; each released version only ever appends one.
enum ProfileSchema {
    /// Marks the file as a nook profile (`PRAGMA application_id`), "nook" in ASCII.
    static let applicationId: Int32 = 0x6E6F_6F6B

    static var migrator: DatabaseMigrator {
        var migrator = DatabaseMigrator()
        migrator.registerMigration("v1") { db in
            try db.execute(sql: "PRAGMA application_id = \(applicationId)")
            try db.execute(sql: """
                CREATE TABLE user (
                  id INTEGER PRIMARY KEY, name TEXT NOT NULL UNIQUE, created DATETIME NOT NULL);
                CREATE TABLE preference (
                  id INTEGER PRIMARY KEY, userId INTEGER NOT NULL REFERENCES user(id) ON DELETE CASCADE,
                  key TEXT NOT NULL, value TEXT NOT NULL, persona TEXT NOT NULL DEFAULT '',
                  confidence DOUBLE NOT NULL, source TEXT NOT NULL, evidence TEXT NOT NULL,
                  created DATETIME NOT NULL, updated DATETIME NOT NULL, lastUsed DATETIME,
                  UNIQUE (userId, key, persona));
                CREATE TABLE memory (
                  id INTEGER PRIMARY KEY, userId INTEGER NOT NULL REFERENCES user(id) ON DELETE CASCADE,
                  key TEXT, text TEXT NOT NULL, sessionId TEXT, turn INTEGER, importance DOUBLE NOT NULL,
                  created DATETIME NOT NULL, lastUsed DATETIME, embedding BLOB);
                CREATE INDEX memory_user ON memory(userId);
                CREATE VIRTUAL TABLE memory_fts USING fts5(body, tokenize = 'porter unicode61');
                CREATE TABLE feedback (
                  id INTEGER PRIMARY KEY, userId INTEGER NOT NULL REFERENCES user(id) ON DELETE CASCADE,
                  kind TEXT NOT NULL, sessionId TEXT, turn INTEGER, detail TEXT, at DATETIME NOT NULL);
                CREATE TABLE history (
                  id INTEGER PRIMARY KEY, userId INTEGER NOT NULL REFERENCES user(id) ON DELETE CASCADE,
                  entity TEXT NOT NULL, entityId INTEGER NOT NULL, action TEXT NOT NULL,
                  before TEXT, after TEXT, reason TEXT NOT NULL, at DATETIME NOT NULL);
                CREATE INDEX history_entity ON history(entity, entityId);
                CREATE TABLE sessionProgress (
                  userId INTEGER NOT NULL REFERENCES user(id) ON DELETE CASCADE, sessionId TEXT NOT NULL,
                  processedTurns INTEGER NOT NULL, updated DATETIME NOT NULL, PRIMARY KEY (userId, sessionId));
                """)
        }
        return migrator
    }
}
