import Conversation
import Foundation
import Testing
@testable import Sessions

/// Collects progress events from a replay.
final class ProgressLog: @unchecked Sendable {
    private let lock = NSLock()
    private var items: [ReplayProgress] = []

    func add(_ p: ReplayProgress) { lock.lock(); items.append(p); lock.unlock() }
    var replyText: String {
        lock.lock(); defer { lock.unlock() }
        return items.map { if case .replyText(let t) = $0 { return t } else { return "" } }.joined()
    }
    var entryCount: Int {
        lock.lock(); defer { lock.unlock() }
        return items.filter { if case .entry = $0 { return true } else { return false } }.count
    }
}

/// A generator whose stream fails.
struct FailingGenerator: ReplyGenerator {
    struct Boom: Error, CustomStringConvertible { var description: String { "out of memory" } }
    var modelInfo = ModelInfo(path: "/m.gguf", sha256: "")
    func reply(to request: ReplyRequest) -> AsyncThrowingStream<TokenEvent, any Error> {
        AsyncThrowingStream { $0.finish(throwing: Boom()) }
    }
}

@Suite struct ReplayerTests {
    @Test func aScriptReplaysWithPersonasSeedsAndAttachments() async throws {
        let dir = try TempFolder()
        try dir.write("notes.txt", "buy milk\n")
        let file = try dir.write("demo.nook", """
        /seed 7
        Hello
        /expect-contains echo: Hello
        /persona concise
        /attach notes.txt
        Summarise
        /expect echo: Summarise [system: You are nook,] [seed 7, temp 0.3] [turns 2] [files text]
        /temp 0
        /system Be a pirate.
        /theme dark
        /new
        Ahoy
        /expect echo: Ahoy [system: Be a pirate.] [seed 7, temp 0.0] [turns 1]
        """)
        let progress = ProgressLog()
        let replayer = Replayer(generator: FakeGenerator(), options: ReplayOptions(check: true, onProgress: { progress.add($0) }))
        let result = try await replayer.run(fileAt: file)
        #expect(result.passed)
        #expect(result.checksRun == 3)
        #expect(result.summary == "PASS \(file.path): 3 checks")
        let notesPath = dir.file("notes.txt").standardizedFileURL.path
        #expect(result.transcript.plainText == """
        [sampling: temperature 0.8, seed 7]
        > Hello

        echo: Hello [system: You are nook,] [seed 7, temp 0.8] [turns 1]

        [persona: concise]
        > Summarise
        > [attached text: \(notesPath)]

        echo: Summarise [system: You are nook,] [seed 7, temp 0.3] [turns 2] [files text]

        [sampling: temperature 0.0, seed 7]
        [system prompt: Be a pirate.]
        [theme: dark]
        [new conversation]
        > Ahoy

        echo: Ahoy [system: Be a pirate.] [seed 7, temp 0.0] [turns 1]

        """)
        let attachment = try #require(result.transcript.entries.first { !$0.attachments.isEmpty }?.attachments.first)
        #expect(attachment == Attachment(path: notesPath, kind: .text, sha256: FileHash.sha256(of: Data("buy milk\n".utf8))))
        #expect(progress.replyText == result.transcript.entries.filter { $0.kind == .assistant }.map(\.text).joined())
        #expect(progress.entryCount == result.transcript.entries.count)
    }

    @Test func aFailedExpectationShowsTheFirstDifferentCharacter() async throws {
        let dir = try TempFolder()
        let file = try dir.write("fail.nook", """
        Hello
        /expect echo: Hello [system: You are nook,] [seed 0, temp 0.9] [turns 1]
        /expect-contains goodbye
        """)
        let result = try await Replayer(generator: FakeGenerator(), options: ReplayOptions(check: true)).run(fileAt: file)
        #expect(!result.passed)
        #expect(result.checksRun == 2)
        #expect(result.failures.count == 2)
        let first = try #require(result.firstFailure)
        #expect(first.location == "\(file.path):2")
        #expect(first.report == """
        \(file.path):2: reply to turn 1 does not match /expect
        first difference at character 53 (differs):
        expected: …ou are nook,] [seed 0, temp 0.9] [turns 1]
        replayed: …ou are nook,] [seed 0, temp 0.8] [turns 1]
                                                 ^
        """)
        #expect(result.failures[1].report == """
        \(file.path):3: reply to turn 1 does not contain the /expect-contains text
        missing: goodbye
        reply:   echo: Hello [system: You are nook,] [seed 0, temp 0.8] [turns 1]
        """)
        #expect(result.summary.hasPrefix("FAIL \(file.path): 2 of 2 checks failed\n\(file.path):2: reply to turn 1"))
        // Without check mode the expectations are not evaluated.
        let plain = try await Replayer(generator: FakeGenerator()).run(fileAt: file)
        #expect(plain.passed && plain.checksRun == 0)
        // stopAtFirstFailure ends the run at the first failure.
        let stopped = try await Replayer(generator: FakeGenerator(), options: ReplayOptions(check: true, stopAtFirstFailure: true)).run(fileAt: file)
        #expect(stopped.failures.count == 1)
    }

    @Test func aRecordedRunReplaysAndDetectsADifferentReply() async throws {
        let dir = try TempFolder()
        let store = SessionStore(folder: dir.file("sessions"))
        try dir.write("a.txt", "alpha")
        let script = try dir.write("rec.nook", "/attach a.txt\nFirst\n\n/persona tutor\nSecond\n")
        let poem: @Sendable (ReplyRequest) -> String = { request in
            let last = request.messages.last?.content ?? ""
            return "Roses are red,\nviolets are blue,\n\(last) is the topic,\nand so are you."
        }
        let recorded = try await Replayer(generator: FakeGenerator(respond: poem), options: ReplayOptions(recordTo: store)).run(fileAt: script)
        let id = try #require(recorded.sessionID)
        let log = try store.open(id: id)
        #expect(log.start.persona == "assistant")
        #expect(log.start.model == FakeGenerator().modelInfo)
        #expect(log.entries.map(\.event.typeName) == ["user", "assistant", "persona", "user", "assistant"])
        let state = ConversationState(contents: log)
        #expect(state.persona == "tutor")
        #expect(state.messages.count == 4)

        // Same generator: every recorded reply matches.
        let same = try await Replayer(generator: FakeGenerator(respond: poem), options: ReplayOptions(check: true)).run(recording: log)
        #expect(same.passed)
        #expect(same.checksRun == 2)
        #expect(same.transcript.entries.map(\.kind) == [.user, .assistant, .note, .user, .assistant])

        // A generator that changed one line: a unified diff of the first differing reply.
        let changed: @Sendable (ReplyRequest) -> String = { request in
            poem(request).replacingOccurrences(of: "violets are blue", with: "violets are violet")
        }
        let differs = try await Replayer(generator: FakeGenerator(respond: changed), options: ReplayOptions(check: true)).run(recording: log)
        #expect(!differs.passed)
        #expect(differs.failures.count == 2)
        #expect(differs.firstFailure?.report == """
        \(log.url.path):3: reply to turn 1 differs from the recording
        --- recorded
        +++ replayed
        @@ -1,4 +1,4 @@
         Roses are red,
        -violets are blue,
        +violets are violet,
         First is the topic,
         and so are you.
        """)
        let json = try JSONSerialization.jsonObject(with: differs.jsonData()) as? [String: Any]
        #expect(json?["passed"] as? Bool == false)
        #expect(json?["checksRun"] as? Int == 2)
        #expect((json?["entries"] as? [Any])?.count == 5)
        #expect(((json?["failures"] as? [[String: Any]])?.first?["location"] as? String) == "\(log.url.path):3")

        // A different model is reported as a warning.
        var other = FakeGenerator(respond: poem)
        other.modelInfo.sha256 = String(repeating: "ef", count: 32)
        let otherModel = try await Replayer(generator: other, options: ReplayOptions(check: true)).run(recording: log)
        #expect(otherModel.passed)
        #expect(otherModel.warnings.count == 1)
        #expect(otherModel.warnings.first?.contains("replies may differ") == true)

        // An attachment that changed since the recording stops the replay before generating.
        try dir.write("a.txt", "ALPHA")
        let error = await #expect(throws: AttachmentError.self) {
            try await Replayer(generator: FakeGenerator(respond: poem), options: ReplayOptions(check: true)).run(recording: log)
        }
        #expect(error?.description.hasPrefix("\(log.url.path):2: attached file \(dir.file("a.txt").standardizedFileURL.path) changed since it was recorded (SHA-256 8ed3f6ad685b…, now ") == true)
        try FileManager.default.removeItem(at: dir.file("a.txt"))
        await #expect(throws: AttachmentError.missing(path: dir.file("a.txt").standardizedFileURL.path, location: "\(log.url.path):2")) {
            try await Replayer(generator: FakeGenerator(respond: poem)).run(recording: log)
        }
    }

    @Test func recordedCancelledRepliesAreReusedNotRegenerated() async throws {
        let dir = try TempFolder()
        let url = dir.file("p.jsonl")
        let log = try SessionLog.create(at: url, start: sampleStart())
        try log.append(.assistant(AssistantReply(text: "Welcome!", stopReason: .endOfGeneration,
                                                 stats: GenerationStats(promptTokens: 0, generatedTokens: 0, promptSeconds: 0, generationSeconds: 0))))
        try log.append(.user(UserTurn(text: "Tell me a long story")))
        try log.append(.partial(PartialReply(text: "Once upon")))
        try log.append(.user(UserTurn(text: "Shorter please")))
        try log.append(.theme(ThemeSwitch(theme: "light")))  // switched while the reply was being written
        try log.append(.assistant(AssistantReply(text: "ok", stopReason: .endOfGeneration,
                                                 stats: GenerationStats(promptTokens: 0, generatedTokens: 0, promptSeconds: 0, generationSeconds: 0))))
        log.close()
        let seen = RequestLog()
        let generator = FakeGenerator(respond: { request in seen.add(request); return "ok" })
        let result = try await Replayer(generator: generator, options: ReplayOptions(check: true)).run(fileAt: url)
        #expect(result.passed)
        #expect(result.checksRun == 1)  // the cancelled reply is not checked
        #expect(result.transcript.entries.map(\.kind) == [.assistant, .user, .partial, .user, .assistant, .note])
        let requests = seen.all
        #expect(requests.count == 1)
        #expect(requests.first?.messages.map(\.content) == ["Welcome!", "Tell me a long story", "Once upon", "Shorter please"])
        #expect(requests.first?.systemPrompt == "You are a test.")
        #expect(requests.first?.sampling == SamplingSettings(temperature: 0.7, seed: 1234))
        #expect(result.transcript.plainText.contains("Once upon\n[reply interrupted: cancelled]"))
    }

    @Test func scriptProblemsAreReportedWithFileAndLineBeforeGenerating() async throws {
        let dir = try TempFolder()
        let unknown = try dir.write("u.nook", "Hi\n/persona pirate-king\nHo\n")
        let error = await #expect(throws: ScriptError.self) { try await Replayer(generator: FakeGenerator()).run(fileAt: unknown) }
        #expect(error?.description.hasPrefix("\(unknown.path):2: unknown persona 'pirate-king' (available: assistant, coder, concise") == true)
        let missing = try dir.write("m.nook", "Hi\n/attach nothing.png\nLook\n")
        await #expect(throws: AttachmentError.missing(path: dir.file("nothing.png").standardizedFileURL.path, location: "\(missing.path):2")) {
            try await Replayer(generator: FakeGenerator()).run(fileAt: missing)
        }
    }

    @Test func aFailedGenerationIsPartOfTheReplayNotTheEndOfIt() async throws {
        let dir = try TempFolder()
        let failing = try dir.write("f.nook", "Hi\n/expect-contains anything\nThere\n")
        let result = try await Replayer(generator: FailingGenerator(), options: ReplayOptions(check: true)).run(fileAt: failing)
        #expect(result.transcript.entries.map(\.kind) == [.user, .failure, .user, .failure])
        #expect(result.transcript.plainText == "> Hi\n\n[reply failed: out of memory]\n\n> There\n\n[reply failed: out of memory]\n")
        #expect(!result.passed)
        #expect(result.failures.first?.report.hasPrefix("\(failing.path):2: reply to turn 1 does not contain") == true)
        #expect(result.failures.first?.actual == "failure: out of memory")
    }

    /// Fails for messages containing `failOn`, as for a prompt that does not fit, and echoes otherwise.
    struct PickyGenerator: ReplyGenerator {
        struct TooLong: Error, CustomStringConvertible { var description: String { "the prompt has 9000 tokens but the context holds 64" } }
        var modelInfo = FakeGenerator().modelInfo
        var failOn: String = "too long"
        func reply(to request: ReplyRequest) -> AsyncThrowingStream<TokenEvent, any Error> {
            if request.messages.last?.content.contains(failOn) == true { return AsyncThrowingStream { $0.finish(throwing: TooLong()) } }
            return FakeGenerator().reply(to: request)
        }
    }

    @Test func aRecordedFailureReplaysAndIsChecked() async throws {
        let dir = try TempFolder()
        let url = dir.file("failed.jsonl")
        let log = try SessionLog.create(at: url, start: sampleStart())
        try log.append(.user(UserTurn(text: "a message that is too long")))
        try log.append(.failure(ReplyFailure(message: "the prompt has 9000 tokens but the context holds 64")))
        try log.append(.user(UserTurn(text: "Hi")))
        // The failed turn left the conversation: the next reply sees one user turn.
        try log.append(.assistant(AssistantReply(text: "echo: Hi [system: You are a] [seed 1234, temp 0.7] [turns 1]",
                                                 stopReason: .endOfGeneration,
                                                 stats: GenerationStats(promptTokens: 1, generatedTokens: 1, promptSeconds: 0, generationSeconds: 0))))
        log.close()
        let contents = try SessionLogReader.read(url)
        #expect(contents.entries.map(\.event.typeName) == ["user", "failure", "user", "assistant"])
        #expect(ConversationState(contents: contents).messages.map(\.content) == ["Hi", "echo: Hi [system: You are a] [seed 1234, temp 0.7] [turns 1]"])

        let replayed = try await Replayer(generator: PickyGenerator(), options: ReplayOptions(check: true)).run(recording: contents)
        #expect(replayed.passed, "\(replayed.failures.map(\.report))")
        #expect(replayed.checksRun == 2)
        #expect(replayed.transcript.entries.map(\.kind) == [.user, .failure, .user, .assistant])

        // A replay that now answers the turn the recording failed on does not pass.
        let answered = try await Replayer(generator: PickyGenerator(failOn: "never"), options: ReplayOptions(check: true))
            .run(recording: contents)
        #expect(!answered.passed)
        #expect(answered.failures.first?.report.hasPrefix("\(url.path):3: reply to turn 1 failed in the recording, but not the same way in the replay") == true)
    }

    @Test func theExampleScriptsInTheRepositoryParseAndRun() async throws {
        let folder = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
            .deletingLastPathComponent().appendingPathComponent("sessions")
        let names = try FileManager.default.contentsOfDirectory(atPath: folder.path).filter { $0.hasSuffix(".nook") }.sorted()
        #expect(names.count >= 3)
        for name in names {
            let result = try await Replayer(generator: FakeGenerator()).run(fileAt: folder.appendingPathComponent(name))
            #expect(result.transcript.entries.contains { $0.kind == .assistant }, "\(name) produced no reply")
        }
    }
}

/// Requests seen by a fake generator.
final class RequestLog: @unchecked Sendable {
    private let lock = NSLock()
    private var requests: [ReplyRequest] = []
    func add(_ r: ReplyRequest) { lock.lock(); requests.append(r); lock.unlock() }
    var all: [ReplyRequest] { lock.lock(); defer { lock.unlock() }; return requests }
}
