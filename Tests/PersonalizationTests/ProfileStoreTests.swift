import Foundation
import GRDB
import Testing
@testable import Personalization

@Suite struct ProfileStoreTests {
    @Test func theFileIsPrivateAndInWALMode() throws {
        let folder = try TempFolder()
        let store = try openStore(folder, FixedClock())
        _ = try store.profile(for: "aki").setPreference(key: "answer.length", value: "short", source: .stated, confidence: 1, reason: "test")
        let mode = try FileManager.default.attributesOfItem(atPath: folder.database.path)[.posixPermissions] as? NSNumber
        #expect(mode?.intValue == 0o600)
        let journal = try store.queue.read { try String.fetchOne($0, sql: "PRAGMA journal_mode") }
        #expect(journal == "wal")
        for suffix in ["-wal", "-shm"] where FileManager.default.fileExists(atPath: folder.database.path + suffix) {
            let m = try FileManager.default.attributesOfItem(atPath: folder.database.path + suffix)[.posixPermissions] as? NSNumber
            #expect(m?.intValue == 0o600, "\(suffix) mode")
        }
    }

    @Test func reopeningKeepsTheProfileAndUsersAreSeparate() throws {
        let folder = try TempFolder()
        let clock = FixedClock()
        do {
            let store = try openStore(folder, clock)
            try store.profile(for: "aki").setPreference(key: "name", value: "Aki", source: .stated, confidence: 1, reason: "t")
            try store.profile(for: "bo").addMemory("I live in Oslo", reason: "t")
        }
        let store = try openStore(folder, clock)
        #expect(try store.users() == ["aki", "bo"])
        #expect(try store.profile(for: "aki").preferences().map(\.value) == ["Aki"])
        #expect(try store.profile(for: "aki").memories().isEmpty)
        #expect(try store.profile(for: "bo").memories().map(\.text) == ["I live in Oslo"])
    }

    @Test func aNewerDatabaseIsRefusedAndLeftAlone() throws {
        let folder = try TempFolder()
        do {
            let store = try openStore(folder, FixedClock())
            try store.queue.write { try $0.execute(sql: "INSERT INTO grdb_migrations (identifier) VALUES ('v99')") }
        }
        #expect {
            _ = try openStore(folder, FixedClock())
        } throws: { error in
            "\(error)".contains("written by a newer nook (unknown migrations v99)") && "\(error)".contains(folder.database.path)
        }
        let raw = try DatabaseQueue(path: folder.database.path)
        #expect(try raw.read { try String.fetchAll($0, sql: "SELECT identifier FROM grdb_migrations ORDER BY identifier") } == ["v1", "v99"])
        #expect(try raw.read { try Int.fetchOne($0, sql: "SELECT count(*) FROM user") } == 0)
    }

    @Test func aCorruptFileIsAOneLineError() throws {
        let folder = try TempFolder()
        try FileManager.default.createDirectory(at: folder.database.deletingLastPathComponent(), withIntermediateDirectories: true)
        let junk = Data((0..<8192).map { UInt8(truncatingIfNeeded: $0 &* 31 &+ 7) })
        try junk.write(to: folder.database)
        #expect {
            _ = try openStore(folder, FixedClock())
        } throws: { error in
            let text = "\(error)"
            return text.contains("corrupt or not an SQLite file") && !text.contains("\n")
        }
        #expect(try Data(contentsOf: folder.database) == junk)
    }

    @Test func aDataFolderThatIsAFileIsAOneLineError() throws {
        let folder = try TempFolder()
        try Data("x".utf8).write(to: folder.url.appendingPathComponent("nook"))
        #expect {
            _ = try openStore(folder, FixedClock())
        } throws: { "\($0)" == "\(folder.database.path): cannot create the profile database (\(folder.url.path)/nook is a file, not a folder)" }
    }

    @Test func anotherSQLiteFileIsRefused() throws {
        let folder = try TempFolder()
        try FileManager.default.createDirectory(at: folder.database.deletingLastPathComponent(), withIntermediateDirectories: true)
        let other = try DatabaseQueue(path: folder.database.path)
        try other.write { try $0.execute(sql: "CREATE TABLE notes (body TEXT)") }
        try other.close()
        #expect {
            _ = try openStore(folder, FixedClock())
        } throws: { "\($0)".contains("not a nook profile database") }
    }

    @Test func preferencesAreUpdatedInPlaceWithHistoryAndUndo() throws {
        let folder = try TempFolder()
        let clock = FixedClock()
        let profile = try openStore(folder, clock).profile(for: "aki")
        try profile.setPreference(key: "answer.length", value: "short", source: .stated, confidence: 0.9, evidence: ["s1#1"], reason: "s1")
        clock.advance(days: 1)
        try profile.setPreference(key: "answer.length", value: "detailed", source: .stated, confidence: 0.9, evidence: ["s2#4"], reason: "s2")
        try profile.setPreference(key: "tone", value: "formal", scope: .persona("tutor"), source: .stated, confidence: 0.9, reason: "s2")
        let prefs = try profile.preferences()
        #expect(prefs.count == 2)
        let length = try #require(prefs.first { $0.key == "answer.length" })
        #expect(length.value == "detailed" && length.evidence == ["s1#1", "s2#4"] && length.updated > length.created)
        #expect(try profile.preferences(persona: "coder").map(\.key) == ["answer.length"])
        #expect(try profile.preferences(persona: "tutor").map(\.key) == ["answer.length", "tone"])

        let history = try profile.history()
        #expect(history.map(\.action) == [.add, .update, .add])
        #expect(history[1].before?.contains("\"short\"") == true && history[1].after?.contains("\"detailed\"") == true)
        #expect(throws: ProfileError.self) { try profile.undo(historyId: try #require(history[2].id)) }
        try profile.undo(historyId: try #require(history[1].id))
        #expect(try profile.preference(key: "answer.length", scope: .global)?.value == "short")
        try profile.undo(historyId: try #require(history[0].id))
        try profile.undo(historyId: try #require(history[2].id))
        #expect(try profile.preferences().isEmpty)
        #expect(try profile.history().isEmpty)
    }

    @Test func aRemovedMemoryCanBeUndoneAndIsSearchableAgain() throws {
        let folder = try TempFolder()
        let profile = try openStore(folder, FixedClock()).profile(for: "aki")
        let memory = try profile.addMemory("I keep bees on my roof", reason: "t")
        try profile.removeMemory(id: try #require(memory.id), reason: "contradicted")
        #expect(try profile.searchMemories("bees").isEmpty)
        let entry = try #require(try profile.history().first)
        #expect(entry.action == .delete)
        try profile.undo(historyId: try #require(entry.id))
        #expect(try profile.searchMemories("bees").map(\.memory.text) == ["I keep bees on my roof"])
    }

    @Test func forgettingAllLeavesNoByteOfTheUsersWords() throws {
        let folder = try TempFolder()
        let store = try openStore(folder, FixedClock())
        let aki = try store.profile(for: "aki")
        let words = ["Quetzalcoatlus", "zymurgyfan", "ヴェルヴェット"]
        for (i, word) in words.enumerated() {
            let m = try aki.addMemory("I once saw a \(word) in the garden", reason: "session s\(i)")
            try aki.updateMemory(id: try #require(m.id), text: "I twice saw a \(word) near the lake", reason: "update")
            try aki.setPreference(key: "pet\(i)", value: word, source: .stated, confidence: 1, reason: "t")
            try aki.recordFeedback(.bad, sessionId: "s\(i)", detail: "about \(word)")
        }
        try store.profile(for: "bo").addMemory("I like plain tea", reason: "t")
        #expect(try bytesOfDatabase(folder).contains(Data(words[0].utf8)))

        try aki.forgetAll()
        let bytes = try bytesOfDatabase(folder)
        for word in words {
            for piece in [word, String(word.lowercased().prefix(SearchText.isCJK(word.first ?? "a") ? 2 : 8))] {
                #expect(bytes.range(of: Data(piece.utf8)) == nil, "\(piece) is still on disk")
            }
        }
        #expect(bytes.range(of: Data("plain tea".utf8)) != nil)
        #expect(try store.users() == ["bo"])
        let reopened = try openStore(folder, FixedClock())
        #expect(try reopened.profile(for: "bo").searchMemories("tea").count == 1)
    }

    @Test func forgettingOneMemoryRemovesItsHistoryAndBytes() throws {
        let folder = try TempFolder()
        let aki = try openStore(folder, FixedClock()).profile(for: "aki")
        let gone = try aki.addMemory("My locker code word is Flibbertigibbet", reason: "t")
        try aki.addMemory("I drink oolong", reason: "t")
        #expect(try aki.forgetMemory(id: try #require(gone.id)))
        #expect(try aki.memories().map(\.text) == ["I drink oolong"])
        #expect(try aki.history().count == 1)
        #expect(try bytesOfDatabase(folder).range(of: Data("Flibbertigibbet".utf8)) == nil)
        #expect(try bytesOfDatabase(folder).range(of: Data("flibbert".utf8)) == nil)
        #expect(try aki.forgetMemory(id: 9999) == false)
    }

    /// The database file and its -wal and -shm files, concatenated.
    private func bytesOfDatabase(_ folder: TempFolder) throws -> Data {
        var all = Data()
        for suffix in ["", "-wal", "-shm"] where FileManager.default.fileExists(atPath: folder.database.path + suffix) {
            all.append(try Data(contentsOf: URL(fileURLWithPath: folder.database.path + suffix)))
        }
        return all
    }
}
