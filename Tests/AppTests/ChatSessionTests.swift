import Conversation
import Foundation
import Sessions
import TerminalUI
import Testing
@testable import App

/// Attachments, /regen, /edit, /sessions and /save: what they log, and that the logs replay.
@Suite struct ChatSessionTests {
    /// Replays a log with the fake generator in check mode.
    static func replayPasses(_ url: URL) async throws -> ReplayResult {
        try await Replayer(generator: FakeGenerator(), options: ReplayOptions(check: true)).run(fileAt: url)
    }

    @Test func attachedTextFilesGoWithTheNextMessage() async throws {
        let h = try ChatHarness()
        try "milk\neggs\n".write(to: h.work.appendingPathComponent("list.txt"), atomically: true, encoding: .utf8)
        h.send("/attach list.txt")
        #expect(h.app.pendingAttachments.count == 1)
        #expect(h.render().contains("1 file"))
        h.send("what is on it?")
        try await h.waitUntilIdle()
        #expect(h.app.pendingAttachments.isEmpty)
        let turn = try #require(h.generator.requests.first?.messages.last)
        #expect(turn.attachments.map(\.path) == [h.work.appendingPathComponent("list.txt").path])
        #expect(turn.attachments.first?.kind == .text)
        #expect(turn.attachments.first?.sha256 == FileHash.sha256(of: Data("milk\neggs\n".utf8)))
        #expect(h.app.view.transcript.messages.dropLast().last?.detail == "with list.txt")
        #expect(try await Self.replayPasses(try #require(h.app.sessionURL)).passed)
    }

    @Test func aMessageHeaderListsItsAttachmentsByNameInTheChatAndWhenResumed() async throws {
        let h = try ChatHarness()
        for name in ["list.txt", "notes.md", "a.txt"] {
            try "text of \(name)\n".write(to: h.work.appendingPathComponent(name), atomically: true, encoding: .utf8)
        }
        h.send("/attach list.txt notes.md a.txt")
        h.send("three files")
        try await h.waitUntilIdle()
        #expect(h.app.view.transcript.messages.dropLast().last?.detail == "with list.txt, notes.md, a.txt")
        let long = (1...6).map { "quarterly-report-part-\($0).txt" }
        for name in long { try "x\n".write(to: h.work.appendingPathComponent(name), atomically: true, encoding: .utf8) }
        h.send("/attach " + long.joined(separator: " "))
        h.send("six files")
        try await h.waitUntilIdle()
        let shortened = "with quarterly-report-part-1.txt +5 more"
        #expect(h.app.view.transcript.messages.dropLast().last?.detail == shortened)
        #expect(h.render().contains("you  " + shortened))
        // A resumed session's rebuilt transcript shows the same headers.
        let id = try #require(h.app.sessionID)
        h.app.quit()
        let resumed = try ChatHarness(folder: h.folder)
        resumed.send("/sessions \(id)")
        let details = resumed.app.view.transcript.messages.filter { $0.role == .user }.map(\.detail)
        #expect(details == ["with list.txt, notes.md, a.txt", shortened])
    }

    @Test func attachmentHeadersFitTheirWidth() {
        func attachments(_ names: [String]) -> [Conversation.Attachment] {
            names.map { Conversation.Attachment(path: "/w/" + $0, kind: .text, sha256: "") }
        }
        #expect(AttachmentHeader.detail(for: []) == "")
        #expect(AttachmentHeader.detail(for: attachments(["list.txt"])) == "with list.txt")
        #expect(AttachmentHeader.detail(for: attachments(["a.txt", "b.txt", "c.txt", "d.txt"]), maximumWidth: 20)
                == "with a.txt, b.txt +2 more")
        #expect(AttachmentHeader.detail(for: attachments(["a.txt", "b.txt", "c.txt"]), maximumWidth: 19)
                == "with a.txt, b.txt, c.txt")
    }

    @Test func aFailedReplyIsRecordedItsWordsComeBackAndTheSessionReplays() async throws {
        let h = try ChatHarness(generator: FakeGenerator(failOn: "too long"))
        h.send("a message that is too long")
        try await h.waitUntilIdle()
        #expect(h.transcriptLines.suffix(2) == ["user: a message that is too long",
                                               "error: the reply failed: the prompt has 9000 tokens but the context holds 64: shorten it or raise --ctx"])
        #expect(h.app.view.editor.text == "a message that is too long")
        #expect(try h.loggedEvents().map(\.typeName).suffix(2) == ["user", "failure"])
        #expect(!h.app.conversation.messages.contains { $0.content == "a message that is too long" })
        h.app.view.editor.text = ""
        h.send("shorter")
        try await h.waitUntilIdle()
        #expect(h.generator.requests.last?.messages.filter { $0.role == .user }.map(\.content) == ["shorter"])
        let url = try #require(h.app.sessionURL)
        let replay = try await Replayer(generator: FakeGenerator(failOn: "too long"), options: ReplayOptions(check: true)).run(fileAt: url)
        #expect(replay.passed, "\(replay.failures.map(\.report))")
        #expect(replay.checksRun == 2)
        // The resumed transcript shows the failure where it happened.
        let rebuilt = TranscriptRebuilder.messages(for: try SessionLogReader.read(url), personas: PersonaCatalog(), userLabel: "you")
        #expect(rebuilt.map(\.role).suffix(4) == [.user, .error, .user, .assistant])
    }

    @Test func unusableAttachmentsAreRefusedWithOneLineEach() throws {
        let h = try ChatHarness()
        let dir = h.work
        try Data([0x68, 0x00, 0x69]).write(to: dir.appendingPathComponent("blob.dat"))
        try Data([0x66, 0xFF, 0xFE, 0x6F]).write(to: dir.appendingPathComponent("latin.txt"))
        try Data("x".utf8).write(to: dir.appendingPathComponent("photo.png"))
        try Data("x".utf8).write(to: dir.appendingPathComponent("voice.wav"))
        try FileManager.default.createDirectory(at: dir.appendingPathComponent("folder"), withIntermediateDirectories: true)
        let cases: [(String, String)] = [
            ("blob.dat", "looks like a binary file (it contains NUL bytes); only text files can be attached"),
            ("latin.txt", "is not UTF-8 text; only text files can be attached"),
            ("photo.png", "this model cannot see images: load a vision projector with --mmproj"),
            ("voice.wav", "audio attachments are not supported by this model yet (only text files are)"),
            ("folder", "is a folder, not a file"),
            ("missing.txt", "no such file"),
        ]
        for (name, message) in cases {
            h.send("/attach \(name)")
            #expect(h.transcriptLines.last == "error: \(dir.appendingPathComponent(name).path): \(message)")
        }
        #expect(h.app.pendingAttachments.isEmpty)
        #expect(!h.app.isFinished)
    }

    @Test func aPastedFilePathIsOfferedAsAnAttachment() throws {
        let h = try ChatHarness()
        let file = h.work.appendingPathComponent("my notes.txt")
        try "notes".write(to: file, atomically: true, encoding: .utf8)
        h.app.handle(.input(.paste("'\(file.path)'")))
        #expect(h.app.view.editor.text == "/attach '\(file.path)'")
        #expect(h.render().contains("Enter attaches the pasted file"))
        h.key(KeyPress(.enter))
        #expect(h.app.pendingAttachments.map(\.path) == [file.path])
        // Pasted text that is not a path is just text.
        h.app.handle(.input(.paste("just words")))
        #expect(h.app.view.editor.text == "just words")
    }

    @Test func regenerateRewindsResendsWithANewSeedAndReplays() async throws {
        let h = try ChatHarness()
        h.send("hello")
        try await h.waitUntilIdle()
        h.send("/regen")
        try await h.waitUntilIdle()
        let requests = h.generator.requests
        #expect(requests.count == 2)
        #expect(requests[1].messages == requests[0].messages)
        #expect(requests[1].sampling.seed == 8)
        #expect(h.transcriptLines.filter { $0.hasPrefix("user:") } == ["user: hello"])
        #expect(h.transcriptLines.last == "assistant: " + FakeGenerator.text(for: requests[1]))
        let events = try h.loggedEvents()
        #expect(events.contains(.rewind(Rewind(keep: 1))))
        #expect(h.app.conversation.messages.count == 3)
        let result = try await Self.replayPasses(try #require(h.app.sessionURL))
        #expect(result.passed, "\(result.summary)")
        #expect(result.checksRun == 2)
    }

    @Test func editPutsTheLastMessageBackAndResendsIt() async throws {
        let h = try ChatHarness()
        h.send("first")
        try await h.waitUntilIdle()
        h.send("secnd")
        try await h.waitUntilIdle()
        h.send("/edit")
        #expect(h.app.view.editor.text == "secnd")
        h.app.view.editor.text = "second"
        h.key(KeyPress(.enter))
        try await h.waitUntilIdle()
        #expect(h.generator.requests.last?.messages.filter { $0.role == .user }.map(\.content) == ["first", "second"])
        #expect(h.transcriptLines.filter { $0.hasPrefix("user:") } == ["user: first", "user: second"])
        #expect(try h.loggedEvents().contains(.rewind(Rewind(keep: 3))))
        #expect(try await Self.replayPasses(try #require(h.app.sessionURL)).passed)
        // Esc leaves an edit without sending.
        h.send("/edit")
        h.key(KeyPress(.escape))
        #expect(h.app.view.editor.isEmpty)
    }

    @Test func sessionsAreListedResumedAndContinued() async throws {
        let first = try ChatHarness()
        first.send("about cats")
        try await first.waitUntilIdle()
        first.send("/persona coder")
        let id = try #require(first.app.sessionID)
        first.app.quit()

        let second = try ChatHarness(folder: first.folder)
        second.send("/sessions")
        let listing = try #require(second.app.view.transcript.messages.last?.text)
        // The whole listing, exactly: the persona is the one the session ended with (defect 8 of issue 11).
        let updated = try #require(second.app.env.store.list().sessions.first?.updated)
        #expect(listing == "Sessions, most recent first (/sessions N resumes one):\n"
                + " 1.  \(SessionTable.date(updated))  1 turn  coder  fake.gguf  [\(id)]  about cats")
        second.send("/sessions 1")
        #expect(second.app.sessionID == id)
        #expect(second.app.personaName == "coder")
        #expect(second.transcriptLines.contains("user: about cats"))
        #expect(second.transcriptLines.contains("system: persona: Coder"))
        second.send("and dogs?")
        try await second.waitUntilIdle()
        #expect(second.generator.requests.last?.messages.filter { $0.role == .user }.count == 2)
        let contents = try SessionLogReader.read(try #require(second.app.sessionURL))
        #expect(contents.entries.filter { if case .user = $0.event { return true } else { return false } }.count == 2)
        second.send("/sessions 9")
        #expect(second.transcriptLines.last == "error: no session number 9: /sessions lists 1")
    }

    @Test func aBrokenSessionFileIsReportedAndTheChatGoesOn() async throws {
        let h = try ChatHarness()
        h.send("hello")
        try await h.waitUntilIdle()
        let good = try #require(h.app.sessionURL)
        // A crash left half a line behind: resuming works, with a warning.
        let truncated = h.sessions.appendingPathComponent("cut.jsonl")
        var bytes = try Data(contentsOf: good)
        bytes.append(contentsOf: Array("{\"text\":\"unfinis".utf8))
        try bytes.write(to: truncated)
        // A newer format and plain text are refused with one line each.
        try Data("{\"formatVersion\":9,\"type\":\"start\",\"time\":\"2030-01-01T00:00:00Z\"}\n".utf8)
            .write(to: h.sessions.appendingPathComponent("future.jsonl"))
        try Data("hello, this is not JSON\n".utf8).write(to: h.sessions.appendingPathComponent("notes.jsonl"))

        h.send("/sessions")
        let errors = h.transcriptLines.filter { $0.hasPrefix("error:") }
        #expect(errors.contains { $0.contains("future.jsonl: session format version 9 is newer than this nook supports") })
        #expect(errors.contains { $0.contains("notes.jsonl:1: not a JSON Lines session log (not valid JSON)") })
        h.send("/sessions future")
        #expect(h.transcriptLines.last?.contains("session format version 9 is newer") == true)
        h.send("/sessions cut")
        #expect(h.app.sessionID == "cut")
        #expect(h.transcriptLines.contains { $0.contains("cut.jsonl:") && $0.contains("ignored a truncated last line") })
        h.send("more")
        try await h.waitUntilIdle()
        let contents = try SessionLogReader.read(truncated)
        #expect(contents.warnings.isEmpty)
        #expect(contents.entries.count == 5)
    }

    @Test func saveKeepsACopyUnderAName() async throws {
        let h = try ChatHarness()
        h.send("/save early")
        #expect(h.transcriptLines.last == "error: nothing to save yet: send a message first")
        h.send("hello")
        try await h.waitUntilIdle()
        h.send("/save trip")
        let copy = h.sessions.appendingPathComponent("trip.jsonl")
        #expect(try Data(contentsOf: copy) == Data(contentsOf: try #require(h.app.sessionURL)))
        h.send("/save trip")
        #expect(h.transcriptLines.last == "error: a session named trip exists already: choose another name")
        h.send("/save ../escape")
        #expect(h.transcriptLines.last == "error: invalid session id '../escape'")
    }

    @Test func theLogHoldsEveryEarlierTurnWhileAReplyIsInProgress() async throws {
        let h = try ChatHarness(generator: FakeGenerator(hangAfter: 3))
        h.send("one")
        try await h.wait { h.app.view.transcript.messages.last?.text == "echo one seed=7" }
        h.key(KeyPress(.escape))
        h.send("two")
        try await h.wait { h.app.view.transcript.messages.last?.text.hasPrefix("echo two") == true }
        // As if killed now: the file already holds both turns and the first (stopped) reply.
        let contents = try SessionLogReader.read(try #require(h.app.sessionURL))
        #expect(contents.warnings.isEmpty)
        let state = ConversationState(contents: contents)
        #expect(state.messages.map(\.content) == ["Hello! How can I help?", "one", "echo one seed=7", "two"])
        #expect(state.awaitsReply)
        h.key(KeyPress(.escape))
    }
}
