import Conversation
import Foundation
import Sessions
import TerminalUI
import Testing
@testable import App

/// Resuming with flags, model notices, `/set`, `/system`, and the context figure (issue 11, defects 5, 7 and 9).
@Suite struct ChatSettingsTests {
    /// A session with one exchange and a persona switch, left for a second chat to resume.
    static func recordedSession() async throws -> (folder: URL, id: String) {
        let first = try ChatHarness()
        first.send("about cats")
        try await first.waitUntilIdle()
        first.send("/persona coder")
        let id = try #require(first.app.sessionID)
        first.app.quit()
        return (first.folder, id)
    }

    @Test func flagsGivenOnTheCommandLineWinOverAResumedSession() async throws {
        let (folder, id) = try await Self.recordedSession()
        let second = try ChatHarness(folder: folder, sampling: SamplingOverrides(maxTokens: 20), seedFromFlag: true)
        second.send("/sessions \(id)")
        #expect(second.app.conversation.sampling.maxTokens == 20)
        #expect(second.app.conversation.sampling.seed == 7)
        let note = try #require(second.transcriptLines.last)
        #expect(note.hasPrefix("system: settings: from the command line max-tokens 20; kept from the session temp "), "\(note)")
        #expect(note.hasSuffix(", seed 7"))
        second.send("and dogs?")
        try await second.waitUntilIdle()
        #expect(second.generator.requests.last?.sampling.maxTokens == 20)
        // The change is in the log, so the session still replays exactly.
        let url = try #require(second.app.sessionURL)
        let replay = try await Replayer(generator: FakeGenerator(), options: ReplayOptions(check: true)).run(fileAt: url)
        #expect(replay.passed, "\(replay.failures.map(\.report))")
        // Resumed again without flags: the recorded limit (now 20) stays and nothing is said about flags.
        let third = try ChatHarness(folder: folder)
        third.send("/sessions \(id)")
        #expect(third.app.conversation.sampling.maxTokens == 20)
        #expect(!third.transcriptLines.contains { $0.contains("from the command line") })
    }

    @Test func aResumedSessionShowsItsPersonaInTheEditor() async throws {
        let (folder, id) = try await Self.recordedSession()
        let second = try ChatHarness(folder: folder)
        #expect(second.app.view.editor.placeholder.hasPrefix("Message Assistant"))
        second.send("/sessions \(id)")
        #expect(second.app.view.editor.placeholder.hasPrefix("Message Coder"))
    }

    @Test func anotherModelOrAChangedFileIsAWarningInWords() async throws {
        let (folder, id) = try await Self.recordedSession()
        let moved = try ChatHarness(generator: FakeGenerator(modelInfo: ModelInfo(path: "/models/other.gguf", sha256: "0bee")),
                                    folder: folder)
        moved.send("/sessions \(id)")
        func warnings(_ h: ChatHarness) -> [String] { h.app.view.transcript.messages.filter { $0.label == "warning" }.map(\.text) }
        #expect(warnings(moved) == ["this session was recorded with fake.gguf; new replies come from other.gguf"])
        #expect(!moved.transcriptLines.contains { $0.hasPrefix("error:") })
        let changed = try ChatHarness(generator: FakeGenerator(modelInfo: ModelInfo(path: "/models/fake.gguf", sha256: "0bee")),
                                      folder: folder)
        changed.send("/sessions \(id)")
        #expect(warnings(changed) == [
            "the model file at /models/fake.gguf changed since this session was recorded: new replies come from the file as it is now"])
    }

    @Test func setListsAndChangesTheSamplingForTheNextReplies() async throws {
        let h = try ChatHarness()
        h.send("/set")
        let listing = try #require(h.app.view.transcript.messages.last?.text)
        #expect(listing.hasPrefix("Sampling settings (/set NAME VALUE changes one):\n  temp"))
        #expect(listing.contains("seed"))
        h.send("/set temp 0.25")
        #expect(h.transcriptLines.last == "system: temp 0.25 (was 0.8): the next replies use it")
        h.send("/set n 5")
        h.send("/set temp -1")
        #expect(h.transcriptLines.last == "error: temp needs a number of at least 0 (0 is greedy)")
        h.send("/set warp 9")
        #expect(h.transcriptLines.last?.hasPrefix("error: /set knows temp, top-k, top-p") == true)
        h.send("/set temp")
        #expect(h.transcriptLines.last == "error: /set needs a name and a value, e.g. /set temp 0.7 (/set lists them)")
        h.send("hello")
        try await h.waitUntilIdle()
        let sampling = try #require(h.generator.requests.last?.sampling)
        #expect(sampling.temperature == 0.25 && sampling.maxTokens == 5 && sampling.seed == 7)
        #expect(try h.loggedEvents().contains(.sampling(SamplingChange(sampling: sampling))))
    }

    @Test func systemReplacesThePromptForThisConversation() async throws {
        let h = try ChatHarness()
        h.send("/system")
        #expect(h.app.view.transcript.messages.last?.text.hasPrefix("System prompt (/system TEXT replaces it") == true)
        h.send("/system You are a pirate. Answer in one line.")
        h.send("ahoy")
        try await h.waitUntilIdle()
        #expect(h.generator.requests.last?.systemPrompt == "You are a pirate. Answer in one line.")
        #expect(try h.loggedEvents().contains(.systemPrompt(SystemPromptChange(systemPrompt: "You are a pirate. Answer in one line."))))
        let replay = try await Replayer(generator: FakeGenerator(), options: ReplayOptions(check: true))
            .run(fileAt: try #require(h.app.sessionURL))
        #expect(replay.passed)
    }

    @Test func theContextFigureFollowsTheConversationAndOverflowIsSaidOnce() async throws {
        let h = try ChatHarness(generator: FakeGenerator(contextLimit: 100))
        let atStart = h.app.view.status.contextUsed
        #expect(h.app.view.status.contextLimit == 100)
        h.send("one two three four five")
        try await h.waitUntilIdle()
        let afterReply = h.app.view.status.contextUsed
        #expect(afterReply > atStart)
        h.send("/new")
        #expect(h.app.view.status.contextUsed < afterReply, "the figure went stale after /new")
        for n in 0..<6 {
            h.send("message number \(n) with a few more words in it")
            try await h.waitUntilIdle()
        }
        let notes = h.transcriptLines.filter { $0.contains("no longer fits the context of 100 tokens") }
        #expect(notes.count == 1)
        #expect(h.app.view.status.contextUsed <= 100)
    }
}

/// `nook --continue`, `--session` and `chat --no-save`.
@Suite struct ChatStartTests {
    @Test func continueResumesTheLatestSessionAndSessionANamedOne() async throws {
        let (folder, id) = try await ChatSettingsTests.recordedSession()
        let latest = try ChatHarness(folder: folder)
        latest.app.resumeAtStart(.last)
        #expect(latest.app.sessionID == id)
        #expect(latest.transcriptLines.contains("user: about cats"))
        let named = try ChatHarness(folder: folder)
        named.app.resumeAtStart(.named(id))
        #expect(named.app.sessionID == id)
        let missing = try ChatHarness(folder: folder)
        missing.app.resumeAtStart(.named("ghost"))
        #expect(missing.transcriptLines.last == "error: no session named ghost: this is a new session")
        #expect(missing.app.sessionID == nil)
        let empty = try ChatHarness()
        empty.app.resumeAtStart(.last)
        #expect(empty.transcriptLines.last == "system: no earlier session to continue: this is a new one")
    }

    @Test func noSaveWritesNothingUntilSaveIsAsked() async throws {
        let h = try ChatHarness()
        h.app.disableSaving()
        h.send("a private question")
        try await h.waitUntilIdle()
        #expect(h.app.sessionURL == nil)
        #expect((try? FileManager.default.contentsOfDirectory(atPath: h.sessions.path)) ?? [] == [])
        #expect(h.render().contains("not saved"))
        let target = h.folder.appendingPathComponent("kept.jsonl")
        h.send("/save \(target.path)")
        #expect(FileManager.default.fileExists(atPath: target.path))
        #expect(h.app.notSaved == nil)
    }

    @Test func noSaveOnlyReadsAResumedSession() async throws {
        let (folder, id) = try await ChatSettingsTests.recordedSession()
        let url = folder.appendingPathComponent("sessions/\(id).jsonl")
        let before = try Data(contentsOf: url)
        let h = try ChatHarness(folder: folder)
        h.app.disableSaving()
        h.app.resumeAtStart(.named(id))
        h.send("one more, off the record")
        try await h.waitUntilIdle()
        #expect(h.generator.requests.last?.messages.filter { $0.role == .user }.count == 2)
        #expect(try Data(contentsOf: url) == before)
    }
}

/// `/model PATH|NAME`: switching models mid-chat, recorded and replayed.
@Suite struct ChatModelSwitchTests {
    static let otherInfo = ModelInfo(path: "/models/other.gguf", sha256: "0bee", template: "chatml")

    @Test func aSwitchIsLoadedOffTheUIThreadRecordedAndReplayed() async throws {
        let other = FakeGenerator(modelInfo: Self.otherInfo)
        let h = try ChatHarness()
        h.app.env.modelLoader = { _ in LoadedModel(generator: other, details: ["file: /models/other.gguf"]) }
        try "gguf".write(to: h.work.appendingPathComponent("other.gguf"), atomically: true, encoding: .utf8)
        h.send("before")
        try await h.waitUntilIdle()
        h.send("/model other.gguf")
        #expect(h.render().contains("loading model…"))
        h.send("too soon")
        #expect(h.transcriptLines.last == "error: other.gguf is still loading: send your message in a moment")
        h.app.view.editor.text = ""
        try await h.wait { h.transcriptLines.last?.hasPrefix("system: model: other.gguf") == true }
        h.send("after")
        try await h.waitUntilIdle()
        #expect(h.generator.requests.count == 1)
        #expect(other.requests.map { $0.messages.last?.content } == ["after"])
        #expect(try h.loggedEvents().contains(.model(ModelSwitch(model: Self.otherInfo))))
        #expect(h.app.view.status.model == "other.gguf")
        h.send("/model")
        #expect(h.transcriptLines.last == "system: file: /models/other.gguf")
        h.send("/model nowhere")
        #expect(h.transcriptLines.last == "error: no model file nowhere: give its path")

        // A replay loads each model the session switched to; without a loader it keeps one and says so.
        let url = try #require(h.app.sessionURL)
        let loading = ReplayOptions(check: true, loadModel: { info in FakeGenerator(modelInfo: info) })
        let replayed = try await Replayer(generator: FakeGenerator(), options: loading).run(fileAt: url)
        #expect(replayed.passed, "\(replayed.failures.map(\.report))")
        #expect(replayed.transcript.entries.contains { $0.kind == .note && $0.text == "model: other.gguf" })
        let single = try await Replayer(generator: FakeGenerator(), options: ReplayOptions()).run(fileAt: url)
        #expect(single.warnings.contains { $0.hasSuffix("the session switched to /models/other.gguf; this replay keeps /models/fake.gguf") })
    }
}
