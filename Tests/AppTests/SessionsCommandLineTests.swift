import Conversation
import Foundation
import Sessions
import Testing
@testable import App

/// `nook sessions list|show|rm|rename|export` through the built executable, on sessions written
/// straight into a private home (no model needed).
@Suite(.serialized, .enabled(if: NookBinary.url != nil, "needs the built nook executable"))
struct SessionsCommandLineTests {
    static let t0 = Date(timeIntervalSince1970: 1_700_000_000)
    static let utc = ["TZ": "UTC"]

    static func stats(_ n: Int) -> GenerationStats {
        GenerationStats(promptTokens: 10, generatedTokens: n, promptSeconds: 0.1, generationSeconds: 0.5)
    }

    /// Three sessions: `trip` (2 turns, an attachment), a generated id that switched to `coder`, and `empty`.
    static func populate(_ home: NookHome) throws {
        let store = SessionStore(folder: home.sessions)
        func start(_ model: String = "/models/tiny-q8.gguf") -> SessionStart {
            SessionStart(model: ModelInfo(path: model, sha256: "ab12", template: "chatml"), sampling: SamplingSettings(seed: 1),
                         persona: "assistant", systemPrompt: "Be brief.")
        }
        let trip = try SessionLog.create(at: try store.url(for: "trip"), start: start(), time: t0 + 10)
        try trip.append(.user(UserTurn(text: "Plan a trip to Oslo",
                                       attachments: [Attachment(path: "/home/ada/plan.txt", kind: .text, sha256: "9f")])), at: t0 + 11)
        try trip.append(.assistant(AssistantReply(text: "Oslo is lovely.", stopReason: .endOfGeneration, stats: stats(3))), at: t0 + 12)
        try trip.append(.user(UserTurn(text: "And Bergen?")), at: t0 + 3590)
        try trip.append(.assistant(AssistantReply(text: "Bergen too.", stopReason: .endOfGeneration, stats: stats(2))), at: t0 + 3600)
        trip.close()
        let bread = try SessionLog.create(at: try store.url(for: "20231114-221320-aaaaaa"), start: start(), time: t0)
        try bread.append(.user(UserTurn(text: "How do I bake bread?")), at: t0 + 1)
        try bread.append(.persona(PersonaSwitch(persona: "coder", systemPrompt: "Code.", sampling: SamplingSettings(seed: 1))), at: t0 + 60)
        bread.close()
        try SessionLog.create(at: try store.url(for: "empty"), start: start("/models/other.gguf"), time: t0 + 20).close()
    }

    static let listing = """
        ID                      UPDATED           TURNS  PERSONA    MODEL         TITLE
        trip                    2023-11-14 23:13      2  assistant  tiny-q8.gguf  Plan a trip to Oslo
        20231114-221320-aaaaaa  2023-11-14 22:14      1  coder      tiny-q8.gguf  How do I bake bread?
        empty                   2023-11-14 22:13      0  assistant  other.gguf    (no messages)

        """

    @Test func listShowsAlignedColumnsMostRecentFirstAndIsTheDefault() throws {
        let home = try NookHome()
        try Self.populate(home)
        for arguments in [["sessions", "list"], ["sessions"]] {
            let result = try home.run(arguments, extraEnvironment: Self.utc)
            #expect(result.status == 0, "\(arguments): \(result.stderr)")
            #expect(result.stdout == Self.listing, "\(arguments)")
            #expect(result.stderr.isEmpty)
        }
        let json = try home.run(["sessions", "list", "--json"])
        #expect(json.status == 0, "\(json.stderr)")
        let entries = try #require(try JSONSerialization.jsonObject(with: Data(json.stdout.utf8)) as? [[String: Any]])
        #expect(entries.map { $0["id"] as? String } == ["trip", "20231114-221320-aaaaaa", "empty"])
        #expect(Set(entries[0].keys) == ["id", "title", "created", "updated", "turns", "persona", "model", "file"])
        #expect(entries[0]["updated"] as? String == "2023-11-14T23:13:20.000Z")
        #expect(entries[0]["file"] as? String == home.sessions.appendingPathComponent("trip.jsonl").path)
        #expect(entries[1]["persona"] as? String == "coder")
        #expect(entries[2]["turns"] as? Int == 0)
        #expect(try home.run(["sessions", "--json"]).stdout == json.stdout)
    }

    @Test func anEmptyHomeListsNothingAndSaysWhere() throws {
        let home = try NookHome()
        let text = try home.run(["sessions"])
        #expect(text.status == 0)
        #expect(text.stdout == "no sessions yet in \(home.sessions.path)\n")
        let json = try home.run(["sessions", "list", "--json"])
        #expect(json.stdout == "[\n\n]\n" || json.stdout == "[]\n")
    }

    @Test func showPrintsTheFactsThenTheTranscript() throws {
        let home = try NookHome()
        try Self.populate(home)
        let result = try home.run(["sessions", "show", "trip"], extraEnvironment: Self.utc)
        #expect(result.status == 0, "\(result.stderr)")
        #expect(result.stdout == """
            Session:  trip (Plan a trip to Oslo)
            Model:    tiny-q8.gguf (/models/tiny-q8.gguf, template chatml)
            Persona:  assistant
            Started:  2023-11-14 22:13
            Updated:  2023-11-14 23:13
            Turns:    2

            > Plan a trip to Oslo
            > [attached text: /home/ada/plan.txt]

            Oslo is lovely.

            > And Bergen?

            Bergen too.


            """)
        let switched = try home.run(["sessions", "show", "20231114-221320-aaaaaa"], extraEnvironment: Self.utc)
        #expect(switched.stdout.contains("Persona:  coder (started as assistant)\n"))
        #expect(switched.stdout.hasSuffix("> How do I bake bread?\n\n[persona: coder]\n\n"))
        let missing = try home.run(["sessions", "show", "ghost"])
        #expect(missing.status == 1)
        #expect(missing.stdout.isEmpty)
        #expect(missing.stderr == "nook: no session named ghost\n")
    }

    @Test func rmDeletesOnlyThatSession() throws {
        let home = try NookHome()
        try Self.populate(home)
        let before = try home.sessionFiles().filter { $0.lastPathComponent != "trip.jsonl" }.map { try Data(contentsOf: $0) }
        let result = try home.run(["sessions", "rm", "trip"])
        #expect(result.status == 0, "\(result.stderr)")
        #expect(result.stdout == "removed session trip (\(home.sessions.appendingPathComponent("trip.jsonl").path))\n")
        #expect(try home.sessionFiles().map(\.lastPathComponent) == ["20231114-221320-aaaaaa.jsonl", "empty.jsonl"])
        #expect(try home.sessionFiles().map { try Data(contentsOf: $0) } == before)
        for (name, message) in [("trip", "nook: no session named trip\n"), ("../data", "nook: invalid session id '../data'\n")] {
            let again = try home.run(["sessions", "rm", name])
            #expect(again.status == 1, "\(name)")
            #expect(again.stderr == message, "\(name)")
        }
        #expect(try home.sessionFiles().count == 2)
    }

    @Test func renameIsAtomicAndRefusesTakenOrInvalidNames() throws {
        let home = try NookHome()
        try Self.populate(home)
        let trip = try Data(contentsOf: home.sessions.appendingPathComponent("trip.jsonl"))
        let empty = try Data(contentsOf: home.sessions.appendingPathComponent("empty.jsonl"))
        let taken = try home.run(["sessions", "rename", "trip", "empty"])
        #expect(taken.status == 1)
        #expect(taken.stderr == "nook: a session named empty exists already: choose another name\n")
        #expect(try Data(contentsOf: home.sessions.appendingPathComponent("empty.jsonl")) == empty)
        let invalid = try home.run(["sessions", "rename", "trip", "my trip"])
        #expect(invalid.status == 1)
        #expect(invalid.stderr == "nook: 'my trip' is not a valid session name: use only letters, digits, '-', '_' and '.'\n")
        let missing = try home.run(["sessions", "rename", "ghost", "spirit"])
        #expect(missing.stderr == "nook: no session named ghost\n")

        let renamed = try home.run(["sessions", "rename", "trip", "oslo-2025"])
        #expect(renamed.status == 0, "\(renamed.stderr)")
        let target = home.sessions.appendingPathComponent("oslo-2025.jsonl")
        #expect(renamed.stdout == "renamed session trip to oslo-2025 (\(target.path))\n")
        #expect(try Data(contentsOf: target) == trip)
        #expect(try home.sessionFiles().map(\.lastPathComponent) == ["20231114-221320-aaaaaa.jsonl", "empty.jsonl", "oslo-2025.jsonl"])
        #expect(try home.run(["sessions", "show", "oslo-2025"]).stdout.hasPrefix("Session:  oslo-2025 (Plan a trip to Oslo)\n"))
    }

    @Test func exportWritesMarkdownOrJSONAndNeverOverwritesSilently() throws {
        let home = try NookHome()
        try Self.populate(home)
        let transcript = try SessionTranscript(contentsOf: home.sessions.appendingPathComponent("trip.jsonl"))
        for arguments in [["sessions", "export", "trip"], ["sessions", "export", "trip", "--markdown"]] {
            let markdown = try home.run(arguments)
            #expect(markdown.status == 0, "\(markdown.stderr)")
            #expect(markdown.stdout == SessionMarkdown.render(transcript))
            #expect(markdown.stdout.contains("## Turn 2\n\n**You**\n\nAnd Bergen?\n\n**assistant** · 2 tokens · 4.0 tok/s · prompt 10 tokens\n"))
            #expect(markdown.stdout.contains("**You** · attached `plan.txt`"))
        }
        let json = try home.run(["sessions", "export", "trip", "--json"])
        #expect(json.status == 0, "\(json.stderr)")
        #expect(try SessionExport.decode(Data(json.stdout.utf8)) == SessionExport(transcript))

        let out = home.root.appendingPathComponent("trip.md")
        let written = try home.run(["sessions", "export", "trip", "-o", "trip.md"])
        #expect(written.status == 0, "\(written.stderr)")
        #expect(written.stdout == "exported session trip as Markdown to \(out.path)\n")
        #expect(try String(contentsOf: out, encoding: .utf8) == SessionMarkdown.render(transcript))
        let refused = try home.run(["sessions", "export", "trip", "--json", "--output", out.path])
        #expect(refused.status == 1)
        #expect(refused.stderr == "nook: \(out.path) exists already (--force replaces it)\n")
        #expect(try String(contentsOf: out, encoding: .utf8) == SessionMarkdown.render(transcript))
        let forced = try home.run(["sessions", "export", "trip", "--json", "--output", out.path, "--force"])
        #expect(forced.status == 0, "\(forced.stderr)")
        #expect(try SessionExport.decode(try Data(contentsOf: out)) == SessionExport(transcript))
        let missing = try home.run(["sessions", "export", "ghost", "--json"])
        #expect(missing.status == 1)
        #expect(missing.stderr == "nook: no session named ghost\n")
        let both = try home.run(["sessions", "export", "trip", "--json", "--markdown"])
        #expect(both.status != 0)
        #expect(both.stdout.isEmpty)
    }

    @Test func helpExplainsTheSubcommandsAndTheirFlags() throws {
        let home = try NookHome()
        let help = try home.run(["sessions", "--help"])
        #expect(help.status == 0)
        for word in ["list", "show", "rm", "rename", "export", "ID|NAME", "(default)"] {
            #expect(help.stdout.contains(word), "\(word)")
        }
        #expect(try home.run(["help", "sessions"]).stdout == help.stdout)
        let export = try home.run(["sessions", "export", "--help"])
        for flag in ["--markdown", "--json", "--output", "--force", "exportVersion"] {
            #expect(export.stdout.contains(flag), "\(flag)")
        }
        #expect(try home.run(["sessions", "rename", "--help"]).stdout.contains("atomically"))
        #expect(try home.run(["--help"]).stdout.contains("sessions"))
    }
}
