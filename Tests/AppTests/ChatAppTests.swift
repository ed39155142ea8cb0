import Conversation
import Foundation
import Sessions
import TerminalUI
import Testing
@testable import App

@Suite struct ChatAppTests {
    @Test func startsWithTheGreetingAndWritesNothingUntilTheFirstMessage() throws {
        let h = try ChatHarness()
        #expect(h.transcriptLines == ["assistant: Hello! How can I help?"])
        #expect(h.app.sessionURL == nil)
        #expect(!FileManager.default.fileExists(atPath: h.sessions.path))
    }

    @Test func aMessageStreamsItsReplyAndEveryEventIsLogged() async throws {
        let h = try ChatHarness()
        h.send("hello there")
        #expect(h.app.isReplying)
        #expect(h.app.view.transcript.messages.last?.isStreaming == true)
        // The user turn is on disk before the reply finishes.
        #expect(try h.loggedEvents().last == .user(UserTurn(text: "hello there")))
        try await h.waitUntilIdle()
        let reply = FakeGenerator.text(for: h.generator.requests[0])
        #expect(h.transcriptLines.suffix(2) == ["user: hello there", "assistant: \(reply)"])
        #expect(h.app.view.transcript.messages.last?.isStreaming == false)
        let events = try h.loggedEvents()
        #expect(events.count == 3)
        guard case .assistant(let greeting) = events[0], case .assistant(let logged) = events[2] else {
            Issue.record("unexpected events \(events)")
            return
        }
        #expect(greeting.text == "Hello! How can I help?")
        #expect(logged.text == reply)
        #expect(logged.stats.generatedTokens > 0)
        // The request carried the persona's prompt, the greeting and the message.
        let request = try #require(h.generator.requests.first)
        #expect(request.systemPrompt == BuiltinPersonas.assistant.effectiveSystemPrompt())
        #expect(request.messages.map(\.role) == [.assistant, .user])
        #expect(request.sampling.seed == 7)
    }

    @Test func escapeStopsTheReplyAndKeepsWhatWasWritten() async throws {
        let h = try ChatHarness(generator: FakeGenerator(hangAfter: 2))
        h.send("tell me a story")
        try await h.wait { h.app.view.transcript.messages.last?.text == "echo tell" }
        h.key(KeyPress(.escape))
        #expect(!h.app.isReplying)
        #expect(h.app.view.transcript.messages.last?.detail == "stopped")
        #expect(try h.loggedEvents().last == .partial(PartialReply(text: "echo tell", reason: .cancelled)))
        // The partial reply stays in the conversation.
        #expect(h.app.conversation.messages.last == Message(role: .assistant, content: "echo tell"))
        // Late pieces of the stopped reply are ignored; its final counts reach the header and /stats.
        try await h.wait { h.app.view.transcript.messages.last?.detail != "stopped" }
        #expect(h.app.view.transcript.messages.last?.text == "echo tell")
        #expect(h.app.view.transcript.messages.last?.detail == "2 tokens · 20.0 tok/s · stopped")
        h.send("/stats")
        let stats = try #require(h.app.view.transcript.messages.last?.text)
        #expect(stats.hasPrefix("last reply: 10 prompt tokens evaluated"), "\(stats)")
        #expect(stats.contains("2 generated"))
        #expect(stats.contains("this run: 1 replies"), "\(stats)")
    }

    @Test func ctrlCStopsAReplyThenQuitsOnlyOnTheSecondPressAtTheIdlePrompt() async throws {
        let h = try ChatHarness(generator: FakeGenerator(hangAfter: 1))
        h.send("hi")
        try await h.wait { h.app.view.transcript.messages.last?.text == "echo" }
        h.key(.control("c"))
        #expect(!h.app.isReplying)
        #expect(!h.app.isFinished)
        h.app.handle(.input(.text("draft")))
        // With a draft the first press asks, and keeps it; the second discards it.
        h.key(.control("c"))
        #expect(h.app.view.editor.text == "draft")
        #expect(!h.app.isFinished)
        #expect(h.render().contains("Ctrl-C again discards your draft (Ctrl-U clears the line)"))
        h.key(.control("c"))
        #expect(h.app.view.editor.isEmpty)
        #expect(!h.app.isFinished)
        // At the empty prompt, the first press asks and the second quits.
        h.key(.control("c"))
        #expect(!h.app.isFinished)
        #expect(h.render().contains("press Ctrl-C again to quit"))
        h.key(.control("c"))
        #expect(h.app.isFinished)
    }

    @Test func anotherKeyBetweenTwoCtrlCsKeepsTheDraft() throws {
        let h = try ChatHarness()
        h.app.handle(.input(.text("half a though")))
        h.key(.control("c"))
        h.app.handle(.input(.text("t")))
        h.key(.control("c"))
        #expect(h.app.view.editor.text == "half a thought")
        #expect(h.render().contains("Ctrl-C again discards your draft"))
        h.key(.control("c"))
        #expect(h.app.view.editor.isEmpty)
        #expect(!h.app.isFinished)
    }

    @Test func ctrlZAsksTheLoopToSuspendAndTheReplyGoesOn() async throws {
        let h = try ChatHarness(generator: FakeGenerator(pieceDelay: 0.01))
        h.send("hello")
        h.app.handle(.input(.text("draft")))
        h.key(.control("z"))
        #expect(h.app.takeSuspendRequest())
        #expect(!h.app.takeSuspendRequest())
        #expect(h.app.isReplying)
        #expect(h.app.view.editor.text == "draft")
        try await h.waitUntilIdle()
        #expect(h.app.view.transcript.messages.last?.text == FakeGenerator.text(for: h.generator.requests[0]))
        #expect(!h.app.isFinished)
    }

    @Test func anotherKeyDisarmsTheSecondCtrlC() throws {
        let h = try ChatHarness()
        h.key(.control("c"))
        h.app.handle(.input(.text("x")))
        h.key(.control("c"))
        #expect(!h.app.isFinished)
    }

    @Test func personaSwitchIsRecordedAndTheNextReplyFollowsIt() async throws {
        let h = try ChatHarness()
        h.send("first")
        try await h.waitUntilIdle()
        h.send("/persona tutor")
        #expect(h.app.personaName == "tutor")
        h.send("second")
        try await h.waitUntilIdle()
        let events = try h.loggedEvents()
        let switched = events.compactMap { if case .persona(let p) = $0 { return p } else { return nil } }
        #expect(switched.map(\.persona) == ["tutor"])
        #expect(switched.first?.sampling.temperature == 0.6)
        #expect(h.generator.requests.last?.systemPrompt == BuiltinPersonas.tutor.effectiveSystemPrompt())
        #expect(h.generator.requests.last?.sampling.seed == 7)
        #expect(h.app.view.transcript.messages.last?.label == "Tutor")
    }

    @Test func personaSwitchBeforeAnyMessageReplacesTheGreeting() throws {
        let h = try ChatHarness()
        h.send("/persona tutor")
        #expect(h.transcriptLines == ["system: persona: Tutor — A patient teacher who explains step by step and checks understanding.",
                                      "assistant: Hi! What would you like to learn today?"])
        #expect(h.app.conversation.messages == [Message(role: .assistant, content: "Hi! What would you like to learn today?")])
    }

    @Test func themeSwitchIsRecordedAndChangesTheColours() async throws {
        let h = try ChatHarness()
        h.send("hello")
        try await h.waitUntilIdle()
        let before = h.app.resolvedTheme.style(.status)
        h.send("/theme high-contrast")
        #expect(h.app.theme.name == "high-contrast")
        #expect(try h.loggedEvents().last == .theme(ThemeSwitch(theme: "high-contrast")))
        #expect(h.app.resolvedTheme.style(.status) != before)
        #expect(h.render().contains("theme: high-contrast"))
        h.send("/theme no-such-theme")
        #expect(h.transcriptLines.last?.hasPrefix("error: unknown theme 'no-such-theme' (available: nook-dark") == true)
    }

    @Test func unknownCommandsAndBadArgumentsGetAOneLineHint() throws {
        let h = try ChatHarness()
        for (line, hint) in [("/frobnicate", "error: unknown command /frobnicate: /help lists the commands"),
                             ("/hel", "error: unknown command /hel (did you mean /help?): /help lists the commands"),
                             ("/new please", "error: /new takes no arguments"),
                             ("/save", "error: /save needs one name or path, e.g. /save trip-plans or /save ~/chats/trip.jsonl"),
                             ("/persona a b", "error: /persona takes at most one name"),
                             ("/attach", "error: /attach needs a file path (Tab completes paths)"),
                             ("/attach 'open", "error: unclosed quote in 'open"),
                             ("/regen", "error: nothing to write again yet: send a message first"),
                             ("/persona nobody", "error: unknown persona 'nobody' (available: assistant, coder, concise, japanese-tutor, storyteller, tutor)")] {
            h.send(line)
            #expect(h.transcriptLines.last == hint, "\(line)")
            #expect(!h.transcriptLines.last!.contains("\n"), "\(line)")
        }
        #expect(!h.app.isFinished)
    }

    @Test func aDoubleSlashSendsALiteralSlash() async throws {
        let h = try ChatHarness()
        h.send("//etc/hosts is a file")
        try await h.waitUntilIdle()
        #expect(h.generator.requests.first?.messages.last?.content == "/etc/hosts is a file")
    }

    @Test func helpListsEveryCommand() throws {
        let h = try ChatHarness()
        h.send("/help")
        let text = try #require(h.app.view.transcript.messages.last?.text)
        for name in SlashCommand.names { #expect(text.contains(name)) }
    }

    @Test func aMessageCannotBeSentWhileAReplyIsWritten() async throws {
        let h = try ChatHarness(generator: FakeGenerator(hangAfter: 1))
        h.send("one")
        h.send("two")
        #expect(h.app.view.editor.text == "two")
        #expect(h.app.view.transcript.messages.last?.role == .assistant)
        #expect(h.app.view.transcript.messages.dropLast().last?.text.contains("a reply is still being written") == true)
        h.key(KeyPress(.escape))
    }

    @Test func newConversationIsRecordedAndClearsTheTranscript() async throws {
        let h = try ChatHarness()
        h.send("hello")
        try await h.waitUntilIdle()
        h.send("/new")
        #expect(h.transcriptLines == ["system: new conversation with Assistant", "assistant: Hello! How can I help?"])
        #expect(try h.loggedEvents().suffix(2).first == .reset)
        h.send("again")
        try await h.waitUntilIdle()
        #expect(h.generator.requests.last?.messages.count == 2)
    }

    @Test func clearEmptiesTheScreenButKeepsTheConversation() async throws {
        let h = try ChatHarness()
        h.send("hello")
        try await h.waitUntilIdle()
        h.send("/clear")
        #expect(h.app.view.transcript.isEmpty)
        #expect(h.app.conversation.messages.count == 3)
    }

    @Test func copySendsTheLastReplyWithOSC52() async throws {
        let h = try ChatHarness()
        h.send("hello")
        try await h.waitUntilIdle()
        h.send("/copy")
        let reply = FakeGenerator.text(for: h.generator.requests[0])
        #expect(h.app.takeTerminalOutput() == ["\u{1B}]52;c;" + Data(reply.utf8).base64EncodedString() + "\u{07}"])
        #expect(h.app.takeTerminalOutput().isEmpty)
    }

    @Test func statsAndModelDescribeTheRun() async throws {
        let h = try ChatHarness()
        h.send("hello")
        try await h.waitUntilIdle()
        h.send("/stats")
        let stats = try #require(h.app.view.transcript.messages.last?.text)
        #expect(stats.contains("last reply: 10 prompt tokens"))
        #expect(stats.contains("seed 7"))
        h.send("/model")
        #expect(h.app.view.transcript.messages.last?.text == "file: /models/fake.gguf")
    }

    @Test func inputHistoryIsKeptAcrossRuns() async throws {
        let first = try ChatHarness()
        first.send("remember me")
        try await first.waitUntilIdle()
        first.send("/help")
        let second = try ChatHarness(folder: first.folder)
        #expect(second.app.view.editor.history.suffix(2) == ["remember me", "/help"])
        second.key(KeyPress(.up))
        #expect(second.app.view.editor.text == "/help")
    }

    @Test func loadWarningsAreShownAndTheChatGoesOn() throws {
        let h = try ChatHarness(persona: "ghost", theme: "neon",
                                warnings: ["~/.config/nook/themes/bad.toml: colors.user: 'red' is not a #RRGGBB colour"])
        let lines = h.transcriptLines
        #expect(lines.contains("error: ~/.config/nook/themes/bad.toml: colors.user: 'red' is not a #RRGGBB colour"))
        #expect(lines.contains { $0.hasPrefix("error: unknown persona 'ghost'") })
        #expect(lines.contains { $0.hasPrefix("error: unknown theme 'neon'") })
        #expect(h.app.personaName == "assistant")
        #expect(h.app.theme.name == "nook-dark")
    }
}
