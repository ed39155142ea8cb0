import Foundation
import TerminalUI
import Testing
@testable import App

@Suite struct SlashCommandTests {
    @Test func parsesCommandsAndLeavesMessagesAlone() throws {
        #expect(try SlashCommand.parse("hello") == nil)
        #expect(try SlashCommand.parse("//not a command") == nil)
        #expect(try SlashCommand.parse("  /Theme  nook-light ") ==
                SlashCommand(name: "/theme", arguments: ["nook-light"], rawArgument: "nook-light"))
        #expect(try SlashCommand.parse("/attach 'my notes.txt' b\\ c.txt \"d e\"")?.arguments == ["my notes.txt", "b c.txt", "d e"])
        #expect(throws: ConfigError.self) { try SlashCommand.parse("/attach \"open") }
    }

    @Test func quotedWordsSplitBackToThemselves() throws {
        for word in ["plain.txt", "with space.txt", "it's.txt", "a\"b", "back\\slash", ""] {
            #expect(try SlashCommand.splitArguments(SlashCommand.quote(word)) == [word], "\(word)")
        }
    }

    @Test func tabCompletesCommandsNamesAndPaths() throws {
        let folder = try TemporaryFolder.make()
        try "x".write(to: folder.appendingPathComponent("report 2024.txt"), atomically: true, encoding: .utf8)
        try "x".write(to: folder.appendingPathComponent("readme.md"), atomically: true, encoding: .utf8)
        try FileManager.default.createDirectory(at: folder.appendingPathComponent("docs"), withIntermediateDirectories: true)
        let completer = ChatCompletion.completer(personas: ["tutor", "coder"], themes: ["nook-dark", "nook-light"],
                                                 sessions: ["20250101-000000-abcdef"], workingDirectory: folder.path,
                                                 homeDirectory: folder.path)
        #expect(completer.complete("/per")?.candidates.map(\.text) == ["/persona"])
        #expect(completer.complete("/s")?.candidates.map(\.text) == ["/save", "/sessions", "/set", "/stats", "/system"])
        #expect(completer.complete("/persona t")?.candidates.map(\.text) == ["tutor"])
        #expect(completer.complete("/theme nook-")?.candidates.map(\.text) == ["nook-dark", "nook-light"])
        #expect(completer.complete("/sessions 2025")?.candidates.map(\.text) == ["20250101-000000-abcdef"])
        #expect(completer.complete("/attach re")?.candidates.map(\.text) == ["readme.md", "report\\ 2024.txt"])
        #expect(completer.complete("/attach readme.md d")?.candidates.map(\.text) == ["docs/"])
        #expect(completer.complete("/attach report\\ 2")?.candidates.map(\.text) == ["report\\ 2024.txt"])
        #expect(completer.complete("/attach report\\ 2")?.replacing == "report\\ 2".count)
    }

    @Test func theEditorCompletesAnAttachmentPathThatThenParses() throws {
        let folder = try TemporaryFolder.make()
        try "x".write(to: folder.appendingPathComponent("only file.txt"), atomically: true, encoding: .utf8)
        var editor = InputEditor(completer: ChatCompletion.completer(personas: [], themes: [], sessions: [],
                                                                     workingDirectory: folder.path, homeDirectory: folder.path))
        editor.text = "/attach on"
        _ = editor.handle(.key(KeyPress(.tab)))
        #expect(editor.text == "/attach only\\ file.txt ")
        #expect(try SlashCommand.parse(editor.text)?.arguments == ["only file.txt"])
    }

    @Test func pastedPathsAreRecognisedInTheFormsTerminalsSend() throws {
        let folder = try TemporaryFolder.make()
        let file = folder.appendingPathComponent("a b.txt")
        try "x".write(to: file, atomically: true, encoding: .utf8)
        func detect(_ text: String) -> String? {
            PastedPath.file(in: text, workingDirectory: folder.path, homeDirectory: folder.path)
        }
        #expect(detect(file.path) == file.path)
        #expect(detect("'\(file.path)'") == file.path)
        #expect(detect(file.path.replacingOccurrences(of: " ", with: "\\ ") + "\n") == file.path)
        #expect(detect("file://" + file.path.replacingOccurrences(of: " ", with: "%20")) == file.path)
        #expect(detect("~/a b.txt") == file.path)
        #expect(detect("./a b.txt") == file.path)
        #expect(detect("a b.txt") == nil)  // a bare word is text, not a path
        #expect(detect(folder.path) == nil)  // folders are not attachments
        #expect(detect("\(file.path)\n\(file.path)") == nil)
        #expect(detect("/no/such/file") == nil)
    }
}
