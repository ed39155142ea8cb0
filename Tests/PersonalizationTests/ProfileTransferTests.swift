import Conversation
import Foundation
import Testing
@testable import Personalization

@Suite struct ProfileTransferTests {
    func filledProfile(_ store: ProfileStore, _ clock: FixedClock) throws -> UserProfile {
        let profile = try store.profile(for: "aki")
        try SessionLearner().learn(from: [Message(role: .user, content: "Call me Aki. I live in Osaka. I'm vegetarian.")],
                                   sessionId: "s1", profile: profile)
        clock.advance(days: 1)
        try SessionLearner().learn(from: [Message(role: .user, content: "I've moved to Kyoto. Actually I eat fish now.")],
                                   sessionId: "s2", profile: profile)
        try profile.setPreference(key: "tone", value: "formal", scope: .persona("tutor"), source: .stated, confidence: 0.9, reason: "set")
        try profile.recordFeedback(.good, sessionId: "s2", turn: 1)
        return profile
    }

    @Test func anExportImportsBackExactly() throws {
        let folder = try TempFolder()
        let clock = FixedClock()
        let store = try openStore(folder, clock)
        let before = try filledProfile(store, clock).export()
        #expect(before.preferences.count == 2 && before.memories.count == 1 && before.history.count == 6 && before.sessions.count == 2)
        let json = try before.json()
        try store.forgetUser("aki")
        let restored = try store.importProfile(try ProfileDocument.read(json, file: "aki.json"))
        #expect(try restored.export() == before)
        #expect(try restored.export().json() == json)
        #expect(try restored.searchMemories("Kyoto").count == 1)
        // The imported history still undoes: the move to Kyoto goes back to Osaka.
        let move = try #require(try restored.history().first { $0.entity == .memory && $0.action == .update })
        try restored.undo(historyId: try #require(move.id))
        #expect(try restored.memories().map(\.text) == ["I live in Osaka"])
    }

    @Test func importingOverAnExistingProfileNeedsReplace() throws {
        let folder = try TempFolder()
        let clock = FixedClock()
        let store = try openStore(folder, clock)
        let doc = try filledProfile(store, clock).export()
        #expect(throws: ProfileError.self) { try store.importProfile(doc) }
        let copy = try store.importProfile(doc, as: "aki-copy")
        #expect(try copy.memories().map(\.text) == ["I've moved to Kyoto"])
        #expect(try copy.memories().first?.id != store.profile(for: "aki").memories().first?.id)
        try store.importProfile(doc, replace: true)
        #expect(try store.users() == ["aki", "aki-copy"])
    }

    @Test func badExportsAreOneLineErrors() throws {
        #expect { try ProfileDocument.read(Data("[]".utf8), file: "x.json") } throws: { "\($0)" == "x.json: not a nook profile export (no \"format\": \"nook-profile\")" }
        #expect { try ProfileDocument.read(Data(#"{"format":"nook-profile","version":9}"#.utf8), file: "x.json") } throws: {
            "\($0)" == "x.json: profile export version 9 is newer than this nook reads (1)"
        }
        #expect { try ProfileDocument.read(Data(#"{"format":"nook-profile","version":1,"user":"a"}"#.utf8), file: "x.json") } throws: {
            "\($0)".hasPrefix("x.json: missing \"preferences\"")
        }
    }
}
