import Foundation
import TerminalUI
import Testing
@testable import App

/// How the chat's own notes look on screen.
@Suite struct ChatRenderingTests {
    /// The note's lines on screen, from its first body line down to the status bar.
    static func noteLines(_ h: ChatHarness, from title: String) -> [String] {
        h.app.render(into: h.screen.screen)
        let lines = h.screen.screen.lines
        guard let start = lines.firstIndex(where: { $0.contains(title) }) else { return [] }
        return Array(lines[start...].prefix { !$0.contains("fake.gguf") })
    }

    @Test func wrappedHelpEntriesHangUnderTheirText() throws {
        let h = try ChatHarness(size: (60, 40))
        h.send("/help")
        let lines = Self.noteLines(h, from: "Commands:")
        let keys = try #require(lines.firstIndex(of: "  Keys:"))
        let attach = try #require(lines.firstIndex { $0.contains("/attach PATH…") })
        let range = try #require(lines[attach].range(of: "attach text"))
        let column = lines[attach].distance(from: lines[attach].startIndex, to: range.lowerBound)
        let hanging = String(repeating: " ", count: column)
        #expect(lines[attach + 1].hasPrefix(hanging) && lines[attach + 1].dropFirst(column).first != " ")
        #expect(lines[attach + 1].hasSuffix("completes paths)"))
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
