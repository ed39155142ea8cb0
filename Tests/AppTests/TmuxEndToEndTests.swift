import Conversation
import Foundation
import Sessions
import Testing
@testable import App

/// The real `nook chat` in a tmux pane with the fixture model: keys in, screen out, then the
/// session it wrote is replayed and checked.
@Suite(.serialized, .enabled(if: TmuxPane.tmux != nil, "tmux is not installed (.ci/run installs it)"),
       .enabled(if: NookBinary.url != nil && Fixtures.model != nil,
                "needs the built nook executable and Tests/ModelsTests/Fixtures/llama-gqa-Q8_0.gguf"))
struct TmuxEndToEndTests {
    static var model: String { Fixtures.model ?? "" }

    /// The chat in tmux; `pieceDelay` (ms, debug builds only) slows the reply down so that it can be interrupted.
    static func chat(_ home: NookHome, _ arguments: [String], columns: Int = 100, rows: Int = 30,
                     pieceDelay: Int? = nil) throws -> TmuxPane {
        let binary = try #require(NookBinary.url).path
        var environment = home.environment.merging(["TERM": "tmux-256color"]) { $1 }
        if let pieceDelay { environment["NOOK_DEBUG_PIECE_DELAY_MS"] = "\(pieceDelay)" }
        return try TmuxPane(command: [binary, "chat", "--model", model, "--ctx", "1024"] + arguments,
                            environment: environment,
                            directory: home.root, columns: columns, rows: rows)
    }

    static func count(_ text: String, in screen: String) -> Int {
        screen.components(separatedBy: text).count - 1
    }

    /// Finished replies on the screen: header lines like `Assistant  14 tokens · 16.1 tok/s` (whatever the count,
    /// which depends on where the model stops).
    static func replyHeaders(in screen: String) -> Int {
        screen.split(separator: "\n").filter { $0.range(of: #"^Assistant  \d+ tokens? "#, options: .regularExpression) != nil }.count
    }

    /// The last line of the screen that is not blank.
    static func lastLine(of screen: String) -> Substring? {
        screen.split(separator: "\n").last { !$0.allSatisfy(\.isWhitespace) }
    }

    @Test func anUnwritableDataFolderKeepsTheChatGoingInMemory() throws {
        let home = try NookHome()
        let blocker = home.root.appendingPathComponent("data-is-a-file")
        try "not a folder".write(to: blocker, atomically: true, encoding: .utf8)
        let binary = try #require(NookBinary.url).path
        var environment = home.environment.merging(["TERM": "tmux-256color"]) { $1 }
        environment["XDG_DATA_HOME"] = blocker.path
        let pane = try TmuxPane(command: [binary, "chat", "--model", Self.model, "--ctx", "1024", "-n", "6", "--seed", "4"],
                                environment: environment, directory: home.root)
        defer { pane.close() }
        try pane.waitFor("Message Assistant")
        try pane.send("are you there?")
        var screen = try pane.waitFor("6 tokens")
        let words = screen.split(whereSeparator: \.isWhitespace).joined(separator: " ")
        #expect(screen.contains("are you there?"))
        #expect(words.contains("this session is not being saved: \(blocker.path)/nook: cannot create folder (Not a directory)"), "\(screen)")
        #expect(screen.contains("not saved"))
        #expect(!screen.contains("NSCocoaErrorDomain"))
        try pane.send("and again?")
        screen = try pane.waitFor("two replies") { Self.count("6 tokens", in: $0) == 2 }
        #expect(Self.count("this session is not being saved", in: screen) == 1)
        #expect(Self.count("cannot save the input history", in: screen) <= 1)
        // /save PATH writes the whole session from memory, and it is saved from then on.
        let target = home.root.appendingPathComponent("rescued.jsonl")
        try pane.send("/save \(target.path)")
        try pane.waitFor("this session is saved in")
        try pane.send("/quit")
        #expect(try pane.waitForExit() == 0)
        let contents = try SessionLogReader.read(target)
        let turns = contents.entries.compactMap { if case .user(let t) = $0.event { return t.text } else { return nil } }
        #expect(turns == ["are you there?", "and again?"])
        let replay = try home.run(["replay", "--check", target.path])
        #expect(replay.status == 0, "\(replay.stderr)")
    }

    @Test func conversationPersonaThemeAttachmentResizeQuitAndReplay() throws {
        let home = try NookHome()
        try "milk\neggs\nbread\n".write(to: home.root.appendingPathComponent("list.txt"), atomically: true, encoding: .utf8)
        let pane = try Self.chat(home, ["-n", "10", "--seed", "11", "--user", "Ada"])
        defer { pane.close() }
        try pane.waitFor("Message Assistant")
        #expect(try pane.screen().contains("Hello! How can I help?"))

        try pane.send("hello nook")
        var screen = try pane.waitFor("10 tokens")
        #expect(screen.contains("Ada\n  hello nook"))
        #expect(screen.contains("ctx "))

        try pane.send("/persona concise")
        try pane.waitFor("persona: Concise")
        let before = try pane.screen(escapes: true)
        try pane.send("/theme high-contrast")
        try pane.waitFor("theme: high-contrast")
        #expect(try pane.screen(escapes: true) != before, "the theme switch did not change the colours")

        try pane.type("/attach li")
        try pane.press("Tab")
        try pane.waitFor("/attach list.txt")
        try pane.press("Enter")
        try pane.waitFor("attached list.txt")
        try pane.send("what is on it?")
        screen = try pane.waitFor("two replies") { Self.count("10 tokens", in: $0) == 2 }
        #expect(screen.contains("Ada  with list.txt"))
        #expect(screen.contains("Concise  10 tokens"))

        // Smaller: the transcript reflows, the editor stays on the last row.
        try pane.resize(columns: 44, rows: 12)
        screen = try pane.waitFor("the narrow layout") { screen in
            let lines = screen.split(separator: "\n", omittingEmptySubsequences: false)
            return lines.count >= 12 && lines[11].hasPrefix("›") && lines.allSatisfy { $0.count <= 44 }
        }
        #expect(screen.contains("Concise"))
        try pane.resize(columns: 100, rows: 30)
        try pane.waitFor("the wide layout again") { $0.contains("Ada  with list.txt") && $0.split(separator: "\n", omittingEmptySubsequences: false).count >= 30 }

        try pane.send("/quit")
        #expect(try pane.waitForExit() == 0)
        #expect(try pane.screen().contains("session saved in"))

        let file = try #require(try home.sessionFiles().first)
        let contents = try SessionLogReader.read(file)
        let events = contents.entries.map(\.event)
        #expect(events.contains { if case .persona(let p) = $0 { return p.persona == "concise" } else { return false } })
        #expect(events.contains(.theme(ThemeSwitch(theme: "high-contrast"))))
        let turns = events.compactMap { if case .user(let t) = $0 { return t } else { return nil } }
        #expect(turns.map(\.text) == ["hello nook", "what is on it?"])
        #expect(turns.last?.attachments.map(\.path) == [home.root.appendingPathComponent("list.txt").path])

        let replay = try home.run(["replay", "--check", "--ctx", "1024", file.path])
        #expect(replay.status == 0, "\(replay.stderr)")
        #expect(replay.stderr.contains("PASS \(file.path): 2 checks"))
    }

    @Test func escapeStopsAStreamingReplyAndKeepsIt() throws {
        let home = try NookHome()
        let pane = try Self.chat(home, ["-n", "60", "--seed", "2"], pieceDelay: 80)
        defer { pane.close() }
        try pane.waitFor("Message Assistant")
        try pane.send("tell me a long story")
        try pane.waitFor("generating…")
        try pane.waitFor("some streamed text") { $0.contains("generating…") && $0.contains("Assistant …\n  ") }
        try pane.press("Escape")
        // The header gets the stopped reply's token count once the engine has stopped (issue 11, defect 6).
        let screen = try pane.waitFor("the stopped reply's counts") { $0.range(of: #"Assistant  \d+ tokens? · [0-9.]+ tok/s · stopped"#, options: .regularExpression) != nil }
        #expect(!screen.contains("generating…"))
        try pane.press("C-c")
        try pane.waitFor("press Ctrl-C again to quit")
        try pane.press("C-c")
        #expect(try pane.waitForExit() == 0)

        let file = try #require(try home.sessionFiles().first)
        let contents = try SessionLogReader.read(file)
        guard case .partial(let partial) = contents.entries.last?.event else {
            Issue.record("the stopped reply was not recorded: \(contents.entries.map(\.event))")
            return
        }
        #expect(partial.reason == .cancelled)
        #expect(!partial.text.isEmpty)
        let replay = try home.run(["replay", "--check", "--ctx", "1024", file.path])
        #expect(replay.status == 0, "\(replay.stderr)")
    }

    @Test func ctrlZSuspendsToTheShellAndFgBringsTheChatBackWhileTheReplyGoesOn() throws {
        let home = try NookHome()
        let binary = try #require(NookBinary.url).path
        let environment = home.environment.merging(["TERM": "tmux-256color", "NOOK_DEBUG_PIECE_DELAY_MS": "60"]) { $1 }
        let pane = try TmuxPane(shellWith: environment, directory: home.root)
        defer { pane.close() }
        try pane.waitFor(TmuxPane.prompt)
        try pane.send([binary, "chat", "--model", Self.model, "--ctx", "1024", "-n", "30", "--seed", "5"]
            .map(TmuxPane.shellQuote).joined(separator: " "))
        try pane.waitFor("Message Assistant")
        try pane.send("tell me a story")
        try pane.waitFor("generating…")
        // Ctrl-Z: the terminal goes back to the shell, which works as usual.
        try pane.press("C-z")
        var screen = try pane.waitFor("the shell") { $0.contains("Stopped") && Self.lastLine(of: $0) == TmuxPane.prompt[...] }
        #expect(!screen.contains("generating…"))
        try pane.send("echo the-shell-echoes")
        try pane.waitFor("\nthe-shell-echoes\n")
        // fg: the chat is drawn again whole, the reply goes on, and the chat answers the next message.
        try pane.send("fg")
        screen = try pane.waitFor("the first reply") { Self.replyHeaders(in: $0) == 1 }
        #expect(screen.contains("tell me a story"))
        #expect(!screen.contains("the-shell-echoes"))
        try pane.send("and then?")
        try pane.waitFor("generating…")
        // Sent to the background (bg), the reply is written and recorded, with nothing drawn over the shell.
        try pane.press("C-z")
        try pane.waitFor("the shell again") { Self.count("Stopped", in: $0) == 2 && Self.lastLine(of: $0) == TmuxPane.prompt[...] }
        try pane.send("bg")
        let deadline = Date().addingTimeInterval(30)
        var replies = 0
        while replies < 2, Date() < deadline {
            if let file = try home.sessionFiles().first, let contents = try? SessionLogReader.read(file) {
                replies = contents.entries.filter { if case .assistant(let r) = $0.event { return r.stats.generatedTokens > 0 } else { return false } }.count
            }
            if replies < 2 { Thread.sleep(forTimeInterval: 0.05) }
        }
        #expect(replies == 2, "the reply did not finish in the background")
        screen = try pane.screen()
        #expect(!screen.contains("Message Assistant") && Self.replyHeaders(in: screen) == 0, "\(screen)")
        try pane.send("fg")
        try pane.waitFor("both replies") { Self.replyHeaders(in: $0) == 2 }
        try pane.send("/quit")
        try pane.waitFor("the prompt after the chat") { $0.contains("session saved in") && Self.lastLine(of: $0) == TmuxPane.prompt[...] }
        let file = try #require(try home.sessionFiles().first)
        let replay = try home.run(["replay", "--check", "--ctx", "1024", file.path])
        #expect(replay.status == 0, "\(replay.stderr)")
        #expect(replay.stderr.contains("2 checks"))
    }

    @Test func sigkillDuringAReplyKeepsEveryEarlierTurn() throws {
        let home = try NookHome()
        let pane = try Self.chat(home, ["-n", "6", "--seed", "9"], pieceDelay: 200)
        defer { pane.close() }
        try pane.waitFor("Message Assistant")
        for (n, text) in ["first question", "second question"].enumerated() {
            try pane.send(text)
            try pane.waitFor("reply \(n + 1)") { Self.count("6 tokens", in: $0) == n + 1 }
        }
        try pane.send("third question")
        try pane.waitFor("generating…")
        let pid = try pane.pid()
        #expect(pid > 1)
        #expect(kill(pid, SIGKILL) == 0)
        _ = try pane.waitForExit()

        let file = try #require(try home.sessionFiles().first)
        let contents = try SessionLogReader.read(file)
        let state = ConversationState(contents: contents)
        #expect(state.messages.filter { $0.role == .user }.map(\.content) == ["first question", "second question", "third question"])
        #expect(state.messages.filter { $0.role == .assistant }.count == 3)  // the greeting and two replies
        #expect(state.awaitsReply)
        let replay = try home.run(["replay", "--check", "--ctx", "1024", file.path])
        #expect(replay.status == 0, "\(replay.stderr)")
        #expect(replay.stderr.contains("2 checks"))
    }

    @Test func scrollingSearchAndHistoryKeys() throws {
        let home = try NookHome()
        let pane = try Self.chat(home, ["-n", "3", "--seed", "4"], columns: 60, rows: 12)
        defer { pane.close() }
        try pane.waitFor("Message Assistant")
        for n in 1...4 {
            try pane.send("message number \(n)")
            try pane.waitFor("reply \(n)") { $0.contains("\n  message number \(n)") && !$0.contains("generating…") }
        }
        #expect(!(try pane.screen().contains("Hello! How can I help?")))
        try pane.press("PPage")
        try pane.waitFor("an earlier message") { $0.contains("message number 2") || $0.contains("message number 3") }
        try pane.press("Home")
        try pane.waitFor("Hello! How can I help?")
        // The mouse wheel (SGR reports) scrolls back down.
        for _ in 0..<12 { try pane.type("\u{1B}[<65;10;5M") }
        try pane.waitFor("the bottom again") { !$0.contains("Hello! How can I help?") && $0.contains("message number 4") }
        try pane.press("C-f")
        try pane.type("number 2")
        try pane.waitFor("search: number 2")
        try pane.press("Escape")
        try pane.press("End")
        try pane.press("Up")
        try pane.waitFor("› message number 4")
        try pane.press("C-u")
        try pane.send("/quit")
        #expect(try pane.waitForExit() == 0)
        let history = try String(contentsOf: home.root.appendingPathComponent("data/nook/history"), encoding: .utf8)
        #expect(history.contains("\"message number 1\""))
    }

    @Test func brokenPersonaAndThemeFilesAreReportedAndTheChatGoesOn() throws {
        let home = try NookHome()
        try FileManager.default.createDirectory(at: home.personas, withIntermediateDirectories: true)
        try FileManager.default.createDirectory(at: home.themes, withIntermediateDirectories: true)
        try "name = \"pirate\"\n[sampling]\ntop_p = 7\n".write(to: home.personas.appendingPathComponent("pirate.toml"),
                                                                  atomically: true, encoding: .utf8)
        try "[colors]\nuser = \"red\"\n".write(to: home.themes.appendingPathComponent("neon.toml"), atomically: true, encoding: .utf8)
        let pane = try Self.chat(home, ["-n", "3", "--persona", "pirate", "--theme", "neon"], columns: 120, rows: 30)
        defer { pane.close() }
        let screen = try pane.waitFor("Message Assistant")
        #expect(screen.contains("pirate.toml"))
        #expect(screen.contains("~/config/nook/themes/neon.toml: colors.user: 'red' is not a #RRGGBB colour"))
        #expect(screen.contains("unknown persona 'pirate'"))
        #expect(screen.contains("unknown theme 'neon'"))
        try pane.send("日本語で話しましょう")
        try pane.waitFor("the reply") { $0.contains("  日本語で話しましょう") && $0.contains("3 tokens") }
        try pane.send("/quit")
        #expect(try pane.waitForExit() == 0)
    }

    @Test func withoutTERMTheChatPointsToRun() throws {
        let home = try NookHome()
        let binary = try #require(NookBinary.url).path
        var environment = home.environment
        environment["TERM"] = nil
        let pane = try TmuxPane(command: [binary, "chat", "--model", Self.model], environment: environment, directory: home.root)
        defer { pane.close() }
        #expect(try pane.waitForExit() == 1)
        let screen = try pane.screen()
        #expect(screen.contains("nook chat needs a terminal, but TERM is not set"))
        #expect(screen.contains("nook run"))
    }
}
