import Conversation
import Foundation
import Sessions
import TerminalUI
import Testing
@testable import App

/// `/theme NAME --save`: the line it writes into config.toml, and all it leaves as it was.
@Suite struct ChatUserFilesTests {
    static func write(_ text: String, to url: URL) throws {
        try FileManager.default.createDirectory(at: url.deletingLastPathComponent(), withIntermediateDirectories: true)
        try text.write(to: url, atomically: true, encoding: .utf8)
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
