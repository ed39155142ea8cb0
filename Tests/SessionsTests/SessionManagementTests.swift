import Conversation
import Foundation
import Testing
@testable import Sessions

/// Removing and renaming sessions, and writing exports: never another session's file, never a
/// silent overwrite.
@Suite struct SessionManagementTests {
    /// A store with two sessions, `a` and `b`; returns their bytes.
    static func twoSessions(_ dir: TempFolder) throws -> (SessionStore, Data, Data) {
        let store = SessionStore(folder: dir.url)
        for (name, text) in [("a", "first"), ("b", "second")] {
            let log = try SessionLog.create(at: try store.url(for: name), start: sampleStart())
            try log.append(.user(UserTurn(text: text)))
            log.close()
        }
        return (store, try Data(contentsOf: dir.file("a.jsonl")), try Data(contentsOf: dir.file("b.jsonl")))
    }

    @Test func removeDeletesOnlyThatSession() throws {
        let dir = try TempFolder()
        let (store, _, b) = try Self.twoSessions(dir)
        #expect(try store.remove("a") == dir.file("a.jsonl"))
        #expect(!FileManager.default.fileExists(atPath: dir.file("a.jsonl").path))
        #expect(try Data(contentsOf: dir.file("b.jsonl")) == b)
        #expect(throws: SessionStoreError.notFound("a")) { try store.remove("a") }
        #expect(throws: SessionLogError.badID("../b")) { try store.remove("../b") }
        #expect(SessionStoreError.notFound("a").description == "no session named a")
    }

    @Test func renameMovesTheLogAndRefusesTakenOrInvalidNames() throws {
        let dir = try TempFolder()
        let (store, a, b) = try Self.twoSessions(dir)
        #expect(throws: SessionStoreError.nameTaken("b")) { try store.rename("a", to: "b") }
        #expect(try Data(contentsOf: dir.file("a.jsonl")) == a)
        #expect(try Data(contentsOf: dir.file("b.jsonl")) == b)
        for bad in ["", "with space", "../up", ".hidden", "-flag", "x.jsonl", "ünï", String(repeating: "x", count: 101)] {
            #expect(throws: SessionStoreError.self, "\(bad)") { try store.rename("a", to: bad) }
        }
        #expect(throws: SessionStoreError.notFound("ghost")) { try store.rename("ghost", to: "c") }

        #expect(try store.rename("a", to: "trip-2025_v.1") == dir.file("trip-2025_v.1.jsonl"))
        #expect(!FileManager.default.fileExists(atPath: dir.file("a.jsonl").path))
        #expect(try Data(contentsOf: dir.file("trip-2025_v.1.jsonl")) == a)
        #expect(try Data(contentsOf: dir.file("b.jsonl")) == b)
        #expect(store.list().sessions.map(\.id).sorted() == ["b", "trip-2025_v.1"])
        // No temporary or leftover files.
        #expect(try FileManager.default.contentsOfDirectory(atPath: dir.url.path).sorted() == ["b.jsonl", "trip-2025_v.1.jsonl"])
        #expect(SessionStoreError.invalidName("x y", reason: "use only letters, digits, '-', '_' and '.'").description
                == "'x y' is not a valid session name: use only letters, digits, '-', '_' and '.'")
    }

    @Test func anExclusiveRenameRefusesAnExistingName() throws {
        let dir = try TempFolder()
        _ = try Self.twoSessions(dir)
        #expect(throws: FileSystemError.self) { try DurableFile.renameExclusively(dir.file("a.jsonl"), to: dir.file("b.jsonl")) }
        try DurableFile.renameExclusively(dir.file("a.jsonl"), to: dir.file("c.jsonl"))
        #expect(try FileManager.default.contentsOfDirectory(atPath: dir.url.path).sorted() == ["b.jsonl", "c.jsonl"])
    }

    @Test func exportFilesAreNeverReplacedUnlessAsked() throws {
        let dir = try TempFolder()
        let target = dir.file("out.md")
        try ExportFile.write(Data("one".utf8), to: target, overwrite: false)
        #expect(try String(contentsOf: target, encoding: .utf8) == "one")
        let mode = try FileManager.default.attributesOfItem(atPath: target.path)[.posixPermissions] as? Int
        #expect(mode == 0o600)
        #expect(throws: SessionStoreError.fileExists(target.path)) {
            try ExportFile.write(Data("two".utf8), to: target, overwrite: false)
        }
        #expect(try String(contentsOf: target, encoding: .utf8) == "one")
        try ExportFile.write(Data("three".utf8), to: target, overwrite: true)
        #expect(try String(contentsOf: target, encoding: .utf8) == "three")
        #expect(throws: FileSystemError.self) { try ExportFile.write(Data(), to: dir.url, overwrite: true) }
        #expect(try FileManager.default.contentsOfDirectory(atPath: dir.url.path) == ["out.md"])
        #expect(SessionStoreError.fileExists("/x/out.md").description == "/x/out.md exists already (--force replaces it)")
    }
}
