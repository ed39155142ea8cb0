import Conversation
import Foundation
import Sessions
import Testing
@testable import App

/// `nook run`, `replay`, `persona` and the chat's refusals, through the built executable and the
/// fixture model.
@Suite(.serialized, .enabled(if: NookBinary.url != nil && Fixtures.model != nil,
                              "needs the built nook executable and Tests/ModelsTests/Fixtures/llama-gqa-Q8_0.gguf"))
struct CommandLineTests {
    static var model: String { Fixtures.model ?? "" }

    @Test func chatRefusesAStandardOutputThatIsNotATerminal() throws {
        let home = try NookHome()
        for arguments in [["chat", "--model", Self.model], ["--model", Self.model], []] {
            let result = try home.run(arguments)
            #expect(result.status == 1, "\(arguments)")
            #expect(result.stderr.contains("nook chat needs a terminal, but standard output is not one"), "\(arguments)")
            #expect(result.stderr.contains("nook run"), "\(arguments)")
            #expect(result.stderr.split(separator: "\n").count == 1)
        }
    }

    @Test func runStreamsTheReplyRecordsItAndTheRecordingReplays() throws {
        let home = try NookHome()
        let run = try home.run(["run", "--model", Self.model, "-n", "12", "--seed", "3", "--persona", "concise", "Hello there"])
        #expect(run.status == 0, "\(run.stderr)")
        #expect(!run.stdout.isEmpty)
        let file = try #require(try home.sessionFiles().first)
        let contents = try SessionLogReader.read(file)
        #expect(contents.start.persona == "concise")
        #expect(contents.start.sampling.seed == 3)
        #expect(contents.start.sampling.maxTokens == 12)
        guard case .assistant(let reply) = contents.entries.last?.event else {
            Issue.record("no reply recorded: \(contents.entries)")
            return
        }
        #expect(run.stdout == reply.text + (reply.text.hasSuffix("\n") ? "" : "\n"))
        #expect(reply.stats.generatedTokens == 12)

        let replay = try home.run(["replay", "--check", file.path])
        #expect(replay.status == 0, "\(replay.stderr)")
        #expect(replay.stderr.contains("PASS \(file.path): 1 checks"))
        #expect(replay.stdout.hasPrefix("> Hello there\n\n"))

        let json = try home.run(["replay", "--json", "--check", "--model", Self.model, file.path])
        let object = try JSONSerialization.jsonObject(with: Data(json.stdout.utf8)) as? [String: Any]
        #expect(object?["passed"] as? Bool == true)
        #expect((object?["entries"] as? [Any])?.count == 2)
    }

    @Test func penaltiesAndLargeSeedsAreRecordedAndReplay() throws {
        // Sessions record the one sampling type the engine uses, so every flag is replayable.
        let home = try NookHome()
        let run = try home.run(["run", "--model", Self.model, "-n", "10", "--temp", "0.9", "--presence-penalty", "0.5",
                                "--seed", "18446744073709551615", "Tell me more"])
        #expect(run.status == 0, "\(run.stderr)")
        let file = try #require(try home.sessionFiles().first)
        let start = try SessionLogReader.read(file).start
        #expect(start.sampling.presencePenalty == 0.5)
        #expect(start.sampling.temperature == 0.9)
        #expect(start.sampling.seed == UInt64.max)
        let replay = try home.run(["replay", "--check", file.path])
        #expect(replay.status == 0, "\(replay.stderr)")
        #expect(replay.stderr.contains("PASS \(file.path): 1 checks"))
    }

    @Test func aSessionRecordedWithCtxReplaysWithIt() throws {
        // With no -n the reply runs until the 220-token context is full: replaying with another context would differ.
        let home = try NookHome()
        let run = try home.run(["run", "--model", Self.model, "--ctx", "220", "--temp", "0", "Hello there"])
        #expect(run.status == 0, "\(run.stderr)")
        let file = try #require(try home.sessionFiles().first)
        let contents = try SessionLogReader.read(file)
        #expect(contents.start.model.contextLength == 220)
        guard case .assistant(let reply) = contents.entries.last?.event else { Issue.record("no reply recorded"); return }
        #expect(reply.stopReason == .contextFull)
        let replay = try home.run(["replay", "--check", file.path])
        #expect(replay.status == 0, "\(replay.stderr)")
        #expect(replay.stderr.contains("PASS \(file.path): 1 checks"))
        // An explicit --ctx still wins, and then the replies differ.
        let other = try home.run(["replay", "--check", "--ctx", "256", file.path])
        #expect(other.status == 1)
    }

    @Test func theKVCacheTypeIsRecordedAndReplayedWith() throws {
        let home = try NookHome()
        let run = try home.run(["run", "--model", Self.model, "--kv-type", "f32", "-n", "12", "--temp", "0.7", "--seed", "1", "Hello"])
        #expect(run.status == 0, "\(run.stderr)")
        let file = try #require(try home.sessionFiles().first)
        #expect(try SessionLogReader.read(file).start.model.kvType == "f32")
        let replay = try home.run(["replay", "--check", file.path])
        #expect(replay.status == 0, "\(replay.stderr)")
        // A log from before the choice has no kvType: it was made with an f32 cache, and replays with one.
        let old = home.root.appendingPathComponent("old.jsonl")
        let text = try String(contentsOf: file, encoding: .utf8).replacingOccurrences(of: "\"kvType\":\"f32\",", with: "")
        #expect(!text.contains("kvType"))
        try text.write(to: old, atomically: true, encoding: .utf8)
        let again = try home.run(["replay", "--check", old.path])
        #expect(again.status == 0, "\(again.stderr)")
        let bad = try home.run(["run", "--model", Self.model, "--kv-type", "q4_0", "hi"])
        #expect(bad.status != 0)
        #expect(bad.stderr == "nook: --kv-type takes f16, f32, q8_0, not q4_0 (see 'nook run --help')\n")
        // A q8_0 cache is recorded and replays too.
        let q8home = try NookHome()
        let q8 = try q8home.run(["run", "--model", Self.model, "--kv-type", "q8_0", "-n", "8", "--temp", "0", "Hello again"])
        #expect(q8.status == 0, "\(q8.stderr)")
        let q8file = try #require(try q8home.sessionFiles().first)
        #expect(try SessionLogReader.read(q8file).start.model.kvType == "q8_0")
        let q8replay = try q8home.run(["replay", "--check", q8file.path])
        #expect(q8replay.status == 0, "\(q8replay.stderr)")
    }

    @Test func aFailedTurnIsRecordedAndReplaysAsAFailure() throws {
        let home = try NookHome()
        let long = String(repeating: "many words that do not fit ", count: 20)
        let run = try home.run(["run", "--model", Self.model, "--ctx", "16", "--temp", "0", long])
        #expect(run.status == 1)
        #expect(run.stderr.contains("tokens but the context holds 16"), "\(run.stderr)")
        let file = try #require(try home.sessionFiles().first)
        let contents = try SessionLogReader.read(file)
        #expect(contents.entries.map(\.event.typeName) == ["user", "failure"])
        let replay = try home.run(["replay", "--check", file.path])
        #expect(replay.status == 0, "\(replay.stderr)")
        #expect(replay.stderr.contains("PASS \(file.path): 1 checks"))
        #expect(replay.stdout.contains("[reply failed: the prompt has "), "\(replay.stdout)")
    }

    @Test func aChangedReplyFailsTheCheckWithADiff() throws {
        let home = try NookHome()
        _ = try home.run(["run", "--model", Self.model, "-n", "8", "--seed", "5", "Hi"])
        let file = try #require(try home.sessionFiles().first)
        var lines = try String(contentsOf: file, encoding: .utf8).split(separator: "\n").map(String.init)
        var reply = try JSONSerialization.jsonObject(with: Data(lines[2].utf8)) as! [String: Any]
        reply["text"] = "a different reply"
        lines[2] = String(decoding: try JSONSerialization.data(withJSONObject: reply, options: [.sortedKeys]), as: UTF8.self)
        try (lines.joined(separator: "\n") + "\n").write(to: file, atomically: true, encoding: .utf8)
        let replay = try home.run(["replay", "--check", file.path])
        #expect(replay.status == 1)
        #expect(replay.stderr.contains("FAIL \(file.path): 1 of 1 checks failed"))
        #expect(replay.stderr.contains("\(file.path):3: reply to turn 1 differs from the recording"))
        #expect(replay.stderr.contains("recorded") && replay.stderr.contains("replayed"))
    }

    @Test func runReadsStandardInputAndAttachments() throws {
        let home = try NookHome()
        let list = home.root.appendingPathComponent("list.txt")
        try "milk\neggs\n".write(to: list, atomically: true, encoding: .utf8)
        let run = try home.run(["run", "--model", Self.model, "-n", "4", "--attach", "list.txt", "--no-save"],
                               stdin: "What is on my list?\n")
        #expect(run.status == 0, "\(run.stderr)")
        #expect(try home.sessionFiles().isEmpty)
        let saved = try home.run(["run", "--model", Self.model, "-n", "4", "--attach", list.path], stdin: "What is on it?")
        #expect(saved.status == 0)
        let contents = try SessionLogReader.read(try #require(try home.sessionFiles().first))
        guard case .user(let turn) = contents.entries.first?.event else {
            Issue.record("no user turn")
            return
        }
        #expect(turn.text == "What is on it?")
        #expect(turn.attachments.map(\.path) == [list.path])
    }

    @Test func badInputGetsOneLineNamingTheProblem() throws {
        let home = try NookHome()
        let binary = home.root.appendingPathComponent("blob.bin")
        try Data([1, 0, 2]).write(to: binary)
        let cases: [([String], String)] = [
            (["run", "--model", Self.model, "--attach", binary.path, "hi"],
             "nook: \(binary.path): looks like a binary file (it contains NUL bytes); only text files can be attached"),
            (["run", "--model", Self.model, "--attach", "photo.jpg", "hi"],
             "nook: \(home.root.path)/photo.jpg: no such file"),
            (["run", "hi"],
             "nook: no model given: pass --model PATH.gguf, set NOOK_MODEL, or add model = \"PATH.gguf\" to \(home.root.path)/config/nook/config.toml"),
            (["run", "--model", "/nope.gguf", "hi"], "nook: /nope.gguf: no such model file (from --model)"),
            (["run", "--model", Self.model, "--persona", "ghost", "hi"],
             "nook: unknown persona 'ghost' (available: assistant, coder, concise, japanese-tutor, storyteller, tutor)"),
            (["run", "--model", Self.model, "--template", "nonsense", "hi"], "nonsense"),
            (["replay", "missing.jsonl", "--model", Self.model], "nook: \(home.root.path)/missing.jsonl: no such file (give a session log .jsonl or a script .nook)"),
            (["replay", home.root.path, "--model", Self.model], "nook: \(home.root.path): is a folder, not a session log or script"),
        ]
        for (arguments, message) in cases {
            let result = try home.run(arguments)
            #expect(result.status != 0, "\(arguments)")
            #expect(result.stderr.contains(message), "\(arguments): \(result.stderr)")
            #expect(!result.stderr.contains("Fatal error"), "\(arguments)")
        }
    }

    @Test func brokenSessionFilesAreRefusedOrToleratedWithAClearMessage() throws {
        let home = try NookHome()
        _ = try home.run(["run", "--model", Self.model, "-n", "6", "--seed", "1", "One"])
        let good = try #require(try home.sessionFiles().first)
        let folder = home.root
        let truncated = folder.appendingPathComponent("truncated.jsonl")
        try (try Data(contentsOf: good) + Data("{\"text\":\"half".utf8)).write(to: truncated)
        let future = folder.appendingPathComponent("future.jsonl")
        try Data("{\"formatVersion\":99,\"time\":\"2030-01-01T00:00:00.000Z\",\"type\":\"start\"}\n".utf8).write(to: future)
        let text = folder.appendingPathComponent("notes.jsonl")
        try Data("Dear diary,\nnot JSON at all\n".utf8).write(to: text)

        let cut = try home.run(["replay", "--check", truncated.path])
        #expect(cut.status == 0, "\(cut.stderr)")
        #expect(cut.stderr.contains("\(truncated.path):4: ignored a truncated last line"))
        let newer = try home.run(["replay", "--model", Self.model, future.path])
        #expect(newer.status == 1)
        #expect(newer.stderr == "nook: \(future.path): session format version 99 is newer than this nook supports (version 2); update nook\n")
        let prose = try home.run(["replay", "--model", Self.model, text.path])
        #expect(prose.status == 1)
        #expect(prose.stderr == "nook: \(text.path):1: not a JSON Lines session log (not valid JSON)\n")
    }

    @Test func personasAreImportedListedAndBrokenFilesReported() throws {
        let home = try NookHome()
        let card = home.root.appendingPathComponent("sera.json")
        try Data("""
        {"spec": "chara_card_v2", "spec_version": "2.0", "data": {"name": "Seraphina Vale",
         "description": "{{char}} heals travellers.", "personality": "gentle", "scenario": "a glade",
         "first_mes": "You're awake, {{user}}.", "mes_example": "", "creator_notes": "A kind healer.", "tags": ["fantasy"]}}
        """.utf8).write(to: card)
        let imported = try home.run(["persona", "import", card.path])
        #expect(imported.status == 0, "\(imported.stderr)")
        #expect(imported.stdout.contains("as persona 'seraphina-vale'"))
        #expect(FileManager.default.fileExists(atPath: home.personas.appendingPathComponent("seraphina-vale.toml").path))
        let again = try home.run(["persona", "import", card.path])
        #expect(again.status == 1)
        #expect(again.stderr.split(separator: "\n").count == 1)

        try "name = \"broken\"\nsystem_prompt = 42\n".write(to: home.personas.appendingPathComponent("broken.toml"),
                                                           atomically: true, encoding: .utf8)
        let list = try home.run(["persona", "list"])
        #expect(list.status == 0)
        #expect(list.stdout.contains("seraphina-vale"))
        #expect(list.stdout.contains("assistant"))
        #expect(list.stderr.contains("broken.toml"))
        #expect(!list.stdout.contains("broken"))

        let v1 = home.root.appendingPathComponent("v1.json")
        try Data("{\"name\": \"Old\", \"description\": \"x\"}".utf8).write(to: v1)
        let old = try home.run(["persona", "import", v1.path])
        #expect(old.status == 1)
        #expect(old.stderr.hasPrefix("nook: \(v1.path): "))
        // The imported persona answers through run.
        let run = try home.run(["run", "--model", Self.model, "-n", "3", "--ctx", "1024", "--persona", "seraphina-vale", "hi"])
        #expect(run.status == 0, "\(run.stderr)")
    }

    @Test func runSaysEachBrokenPersonaWarningOncePerChangeOfTheFile() throws {
        let home = try NookHome()
        try FileManager.default.createDirectory(at: home.personas, withIntermediateDirectories: true)
        let broken = home.personas.appendingPathComponent("broken.toml")
        try "name = \"broken\"\nsystem_prompt = 42\n".write(to: broken, atomically: true, encoding: .utf8)
        func warnings() throws -> [Substring] {
            let run = try home.run(["run", "--model", Self.model, "-n", "2", "--no-save", "hi"])
            #expect(run.status == 0, "\(run.stderr)")
            return run.stderr.split(separator: "\n").filter { $0.contains("broken.toml") }
        }
        #expect(try warnings().count == 1)
        #expect(try warnings().isEmpty)
        // The file changed (and is still broken): said again, once.
        try "name = \"broken\"\nsystem_prompt = 4242\n".write(to: broken, atomically: true, encoding: .utf8)
        #expect(try warnings().count == 1)
        #expect(try warnings().isEmpty)
        // A corrupt memory is ignored and written again.
        let memory = home.root.appendingPathComponent("cache/nook/reported-warnings.json")
        try Data("[{\"path\":".utf8).write(to: memory)
        #expect(try warnings().count == 1)
        #expect(try JSONSerialization.jsonObject(with: Data(contentsOf: memory)) is [Any])
        #expect(try warnings().isEmpty)
        // `nook persona list` still shows it every time.
        let list = try home.run(["persona", "list"])
        #expect(list.stderr.contains("broken.toml"))
    }

    @Test(arguments: ["hello.nook", "attach-text.nook", "persona-switch.nook", "japanese.nook"])
    func exampleScriptsReplayWithTheTestModel(_ name: String) throws {
        let home = try NookHome()
        let script = Fixtures.root.appendingPathComponent("sessions").appendingPathComponent(name)
        let result = try home.run(["replay", "--check", "--model", Self.model, "--ctx", "1024", "-n", "12", script.path])
        #expect(result.status == 0, "\(result.stderr)")
        #expect(result.stderr.contains("PASS \(script.path)"))
    }

    @Test func everyExampleScriptIsCovered() throws {
        let names = try FileManager.default.contentsOfDirectory(atPath: Fixtures.root.appendingPathComponent("sessions").path)
        #expect(Set(names.filter { $0.hasSuffix(".nook") }) == ["hello.nook", "attach-text.nook", "persona-switch.nook", "japanese.nook"])
    }
}
