import Conversation
import Foundation
import Sessions
import TerminalUI
import Testing
@testable import App

/// Persona and theme files re-read while the chat runs, and `/theme NAME --save`.
@Suite struct ChatUserFilesTests {
    static func write(_ text: String, to url: URL) throws {
        try FileManager.default.createDirectory(at: url.deletingLastPathComponent(), withIntermediateDirectories: true)
        try text.write(to: url, atomically: true, encoding: .utf8)
    }

    static func persona(_ name: String, _ prompt: String) -> String {
        "name = \"\(name)\"\nsystem_prompt = \"\(prompt)\"\n"
    }

    static func events(_ h: ChatHarness) throws -> [PersonaSwitch] {
        try h.loggedEvents().compactMap { if case .persona(let p) = $0 { return p } else { return nil } }
    }

    @Test func filesAddedOrChangedAreReadBeforeTheNextMessageWithOneNote() async throws {
        let h = try ChatHarness()
        h.send("/reload")
        #expect(h.transcriptLines.last == "system: nothing changed in the persona and theme files")
        try Self.write(Self.persona("pirate", "Talk like a pirate."), to: h.personaFolder.appendingPathComponent("pirate.toml"))
        try Self.write(Self.persona("tutor", "Teach in one line."), to: h.personaFolder.appendingPathComponent("tutor.toml"))
        h.send("hello")
        try await h.waitUntilIdle()
        let lines = h.transcriptLines
        let note = try #require(lines.firstIndex(of: "system: reloaded personas: pirate (new), tutor (changed)"))
        #expect(lines[note + 1] == "user: hello")
        #expect(h.app.view.editor.completer?.complete("/persona pi")?.candidates.map(\.text) == ["pirate"])
        h.send("/persona pirate")
        #expect(h.app.personaName == "pirate")
        // Nothing changed since: no note before the next message, and /reload says so.
        let count = h.transcriptLines.count
        h.send("again")
        try await h.waitUntilIdle()
        #expect(h.transcriptLines.count == count + 2)
        h.send("/reload")
        #expect(h.transcriptLines.last == "system: nothing changed in the persona and theme files")
    }

    @Test func theActivePersonasChangedFileIsRecordedAndTheNextReplyFollowsIt() async throws {
        let h = try ChatHarness()
        let file = h.personaFolder.appendingPathComponent("pirate.toml")
        try Self.write(Self.persona("pirate", "Talk like a pirate."), to: file)
        h.send("/reload")
        #expect(h.transcriptLines.last == "system: reloaded personas: pirate (new)")
        h.send("/persona pirate")
        h.send("ahoy")
        try await h.waitUntilIdle()
        #expect(h.generator.requests.last?.systemPrompt == "Talk like a pirate.")
        try Self.write(Self.persona("pirate", "Talk like a pirate captain, arr."), to: file)
        h.send("and now?")
        try await h.waitUntilIdle()
        #expect(h.transcriptLines.contains("system: reloaded personas: pirate (changed)"))
        #expect(h.generator.requests.last?.systemPrompt == "Talk like a pirate captain, arr.")
        #expect(try Self.events(h).map(\.systemPrompt) == ["Talk like a pirate.", "Talk like a pirate captain, arr."])
        // The log replays exactly: the second reply is checked against the new prompt.
        let url = try #require(h.app.sessionURL)
        let replay = try await Replayer(generator: FakeGenerator(), options: ReplayOptions(check: true)).run(fileAt: url)
        #expect(replay.passed, "\(replay.failures.map(\.report))")
        #expect(replay.checksRun == 2)
    }

    @Test func aFileThatBreaksIsReportedOnceAndItsLastGoodVersionStays() async throws {
        let h = try ChatHarness()
        let file = h.personaFolder.appendingPathComponent("pirate.toml")
        try Self.write(Self.persona("pirate", "Talk like a pirate."), to: file)
        h.send("/reload")
        h.send("/persona pirate")
        try Self.write(Self.persona("pirate", "Broken.") + "[sampling]\ntop_p = 7\n", to: file)
        h.send("one")
        try await h.waitUntilIdle()
        h.send("two")
        try await h.waitUntilIdle()
        let problems = h.transcriptLines.filter { $0.hasPrefix("error: ") && $0.contains(file.path) }
        #expect(problems == ["error: \(file.path): field sampling.top_p: 7.0 is outside 0.0...1.0"])
        #expect(h.generator.requests.map(\.systemPrompt) == ["Talk like a pirate.", "Talk like a pirate."])
        #expect(h.app.env.personas.names.contains("pirate"))
        // Fixed, it is read again; removed, it leaves the catalog, and the chat keeps the persona it has.
        try Self.write(Self.persona("pirate", "Arr."), to: file)
        h.send("/reload")
        #expect(h.transcriptLines.last == "system: reloaded personas: pirate (changed)")
        try FileManager.default.removeItem(at: file)
        h.send("/reload")
        #expect(h.transcriptLines.last == "system: reloaded personas: pirate (removed)")
        #expect(h.app.personaName == "pirate")
        #expect(!h.app.env.personas.names.contains("pirate"))
    }

    @Test func themeFilesAreReloadedAndTheActiveThemeTakesItsNewColours() throws {
        let h = try ChatHarness()
        let file = h.themeFolder.appendingPathComponent("neon.toml")
        try Self.write("[colors]\nuser = \"#ff00ff\"\n", to: file)
        h.send("/reload")
        #expect(h.transcriptLines.last == "system: reloaded themes: neon (new)")
        h.send("/theme neon")
        let before = h.app.resolvedTheme.style(.user)
        try Self.write("[colors]\nuser = \"#00ff00\"\n", to: file)
        h.send("/reload")
        #expect(h.transcriptLines.last == "system: reloaded themes: neon (changed)")
        #expect(h.app.theme.name == "neon")
        #expect(h.app.resolvedTheme.style(.user) != before)
        try Self.write("[colors]\nuser = \"green\"\n", to: file)
        h.send("/reload")
        #expect(h.transcriptLines.last == "error: ~/config/nook/themes/neon.toml: colors.user: 'green' is not a #RRGGBB colour")
    }

    @Test func themeSaveWritesTheOneLineAndKeepsTheRestOfTheFile() throws {
        let h = try ChatHarness()
        // Without a config file, one is made with the line.
        h.send("/theme high-contrast --save")
        #expect(h.app.theme.name == "high-contrast")
        #expect(try String(contentsOf: h.configFile, encoding: .utf8) == "theme = \"high-contrast\"\n")
        #expect(h.transcriptLines.last == "system: saved theme = \"high-contrast\" in ~/config/nook/config.toml: new chats start with it")
        // An existing file keeps every other line, comment and key, and its mode.
        let text = "# my nook\nmodel = \"m.gguf\"   # the small one\n\ntheme = \"nook-dark\"  # dark for now\nuser = \"Ada\"\n"
        try Self.write(text, to: h.configFile)
        try FileManager.default.setAttributes([.posixPermissions: 0o644], ofItemAtPath: h.configFile.path)
        h.send("/theme nook-light --save")
        #expect(try String(contentsOf: h.configFile, encoding: .utf8)
                == text.replacingOccurrences(of: "theme = \"nook-dark\"", with: "theme = \"nook-light\""))
        #expect(try FileManager.default.attributesOfItem(atPath: h.configFile.path)[.posixPermissions] as? Int == 0o644)
        // Plain /theme --save saves the theme in use.
        h.send("/theme solarized-dark")
        h.send("/theme --save")
        #expect(try NookConfig.parse(String(contentsOf: h.configFile, encoding: .utf8), file: "c").theme == "solarized-dark")
    }

    @Test func aConfigFileThatCannotBeParsedIsNotOverwritten() throws {
        let h = try ChatHarness()
        let broken = "theme = \"nook-dark\"\nmodel = \n"
        try Self.write(broken, to: h.configFile)
        h.send("/theme gruvbox-dark --save")
        #expect(h.app.theme.name == "gruvbox-dark")
        #expect(try String(contentsOf: h.configFile, encoding: .utf8) == broken)
        let line = try #require(h.transcriptLines.last)
        #expect(line.hasPrefix("error: the theme was not saved (~/config/nook/config.toml is unchanged): \(h.configFile.path): line 2, column"), "\(line)")
        h.send("/theme nope --save")
        #expect(h.transcriptLines.last?.hasPrefix("error: unknown theme 'nope'") == true)
        h.send("/theme a b --save")
        #expect(h.transcriptLines.last == "error: /theme takes at most one name, and --save to keep it in config.toml")
        #expect(try String(contentsOf: h.configFile, encoding: .utf8) == broken)
    }
}
