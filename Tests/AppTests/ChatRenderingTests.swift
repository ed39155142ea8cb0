import Foundation
import TerminalUI
import Testing
@testable import App

/// How the chat's own notes and completions look on screen.
@Suite struct ChatRenderingTests {
    @Test func tabOnAFolderListsItsEntriesAndCompletesOnlyTheirCommonPrefix() throws {
        let h = try ChatHarness()
        let notes = h.work.appendingPathComponent("notes")
        let drafts = notes.appendingPathComponent("drafts")
        let spaced = h.work.appendingPathComponent("My Docs")
        for folder in [drafts, spaced] { try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true) }
        for file in [notes.appendingPathComponent("alpha.txt"), notes.appendingPathComponent("beta.md"),
                     drafts.appendingPathComponent("report-1.txt"), drafts.appendingPathComponent("report-2.txt"),
                     spaced.appendingPathComponent("a.txt"), spaced.appendingPathComponent("b.txt")] {
            try "x".write(to: file, atomically: true, encoding: .utf8)
        }
        h.app.handle(.input(.text("/attach notes/")))
        h.key(KeyPress(.tab))
        // The folder's entries are listed; nothing is picked for the user yet.
        #expect(h.app.view.editor.text == "/attach notes/")
        #expect(h.app.view.editor.completionMenu?.candidates.map(\.display) == ["alpha.txt", "beta.md", "drafts/"])
        #expect(h.app.view.editor.completionMenu?.selected == nil)
        let screen = h.render().split(separator: "\n").map(String.init)
        #expect(screen.contains("| alpha.txt  beta.md  drafts/" + String(repeating: " ", count: 52) + "|"))
        #expect(screen.contains { $0.hasPrefix("|› /attach notes/ ") })
        // The next Tabs pick each in turn.
        h.key(KeyPress(.tab))
        #expect(h.app.view.editor.text == "/attach notes/alpha.txt")
        h.key(KeyPress(.tab))
        h.key(KeyPress(.tab))
        #expect(h.app.view.editor.text == "/attach notes/drafts/")
        // Typing closes the list; Tab in the subfolder completes the entries' common prefix.
        h.app.handle(.input(.text("r")))
        h.key(KeyPress(.tab))
        #expect(h.app.view.editor.text == "/attach notes/drafts/report-")
        #expect(h.app.view.editor.completionMenu?.candidates.map(\.display) == ["report-1.txt", "report-2.txt"])
        // A folder with a space in its name, escaped as the completer writes it.
        h.key(.control("u"))
        h.app.handle(.input(.text("/attach My\\ Docs/")))
        h.key(KeyPress(.tab))
        #expect(h.app.view.editor.text == "/attach My\\ Docs/")
        #expect(h.app.view.editor.completionMenu?.candidates.map(\.text) == ["My\\ Docs/a.txt", "My\\ Docs/b.txt"])
    }

    /// The note's lines on screen, from its first body line down to the status bar.
    static func noteLines(_ h: ChatHarness, from title: String) -> [String] {
        h.app.render(into: h.screen.screen)
        let lines = h.screen.screen.lines
        guard let start = lines.firstIndex(where: { $0.contains(title) }) else { return [] }
        return Array(lines[start...].prefix { !$0.contains("fake.gguf") })
    }

    @Test func wrappedHelpEntriesHangUnderTheirText() throws {
        let h = try ChatHarness(size: (60, 80))   // tall enough for the whole of /help
        h.send("/help")
        let lines = Self.noteLines(h, from: "Commands:")
        let keys = try #require(lines.firstIndex(of: "  Keys:"))
        let attach = try #require(lines.firstIndex { $0.contains("/attach PATH…") })
        let range = try #require(lines[attach].range(of: "attach text"))
        let column = lines[attach].distance(from: lines[attach].startIndex, to: range.lowerBound)
        let hanging = String(repeating: " ", count: column)
        #expect(lines[attach + 1].hasPrefix(hanging) && lines[attach + 1].dropFirst(column).first != " ")
        #expect(lines[(attach + 1)...].prefix(3).contains { $0.hasPrefix(hanging) && $0.hasSuffix("completes paths)") })
        // Each command line wraps under the help text's column, each key line under its first word.
        for line in lines[1..<keys] { #expect(line.hasPrefix("    /") || line.hasPrefix(hanging), "\(line)") }
        let keyLines = lines[(keys + 1)...].prefix { !$0.hasPrefix("  Start") }
        #expect(keyLines.count > 3)
        for line in keyLines { #expect(line.hasPrefix("    "), "\(line)") }
    }

    @Test(arguments: ["/persona", "/theme"])
    func wrappedListEntriesHangUnderTheirName(command: String) throws {
        let h = try ChatHarness(size: (50, 40))
        h.send(command)
        let lines = Self.noteLines(h, from: "NAME switches):")
        // Some entries wrap; only the current entry's `*` stands at the note's margin.
        #expect(lines.dropFirst().contains { !$0.contains(" — ") })
        for line in lines.dropFirst() { #expect(line.hasPrefix("  * ") || line.hasPrefix("    "), "\(line)") }
    }
}
