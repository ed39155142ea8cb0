import Testing
@testable import TerminalUI

@Suite struct MarkdownTableTests {
    static let text = """
        Here are the files:

        | File | Size | Notes |
        |:-----|-----:|:-----:|
        | `a.txt` | 12 | **fine** |
        | 日本語.md | 1024 | 長い説明がここに入ります |
        | b | 3 |

        Not a table:
        | just | pipes |
        no delimiter row
        """

    @Test func pipeTablesBecomeAlignedColumns() {
        var out = ""
        for columns in [60, 30] {
            let screen = MarkdownTests.render(Self.text, columns: columns)
            for line in screen.lines { #expect(DisplayWidth.of(line) <= columns, "\(line)") }
            out += screen.snapshot() + "\n"
            if columns == 60 {
                let lines = screen.lines
                #expect(lines.contains("  File      │ Size │          Notes"))
                #expect(lines.contains("  ──────────┼──────┼─────────────────────────"))
                #expect(lines.contains("  a.txt     │   12 │           fine"))
                #expect(lines.contains("  日本語.md │ 1024 │ 長い説明がここに入ります"))
                #expect(lines.contains("  b         │    3 │"))
                #expect(lines.contains("  | just | pipes |"))
                #expect(lines.contains("  no delimiter row"))
                #expect(!lines.contains { $0.contains("|:-") })
            } else {
                // Too wide for 28 columns: the widest column wraps its cells; nothing is lost.
                let lines = screen.lines
                #expect(lines.contains("  日本語.md │ 1024 │ 長い説明"))
                #expect(lines.contains("            │      │ がここに"))
                #expect(lines.contains("            │      │ 入ります"))
            }
        }
        Golden.check(out, named: "markdown-tables")
    }

    @Test func cellsKeepTheirInlineStyles() {
        var transcript = Transcript(messages: [TranscriptMessage(role: .assistant, label: "nook", text: Self.text)])
        let lines = transcript.lines(of: 0, width: 60)
        let glyphs = lines.flatMap(\.glyphs)
        #expect(String(glyphs.filter { $0.style.role == .inlineCode }.map(\.character)) == "a.txt")
        let header = lines.first { $0.text.contains("File") }
        #expect(header?.glyphs.filter { $0.character != " " && $0.style.role != .border }.allSatisfy(\.style.bold) == true)
        let row = lines.first { $0.text.contains("fine") }
        #expect(row?.glyphs.filter(\.style.bold).map(\.character) == Array("fine"))
        #expect(row?.glyphs.first { $0.character == "│" }?.style.role == .border)
    }

    @Test func streamedTablesEndUpLaidOutAsIfWhole() {
        for width in [60, 30, 12] {
            var streamed = Transcript(messages: [TranscriptMessage(role: .assistant, label: "nook", text: "")])
            let characters = Array(Self.text)
            var start = 0
            while start < characters.count {
                let end = min(characters.count, start + 5)
                streamed.appendText(String(characters[start..<end]))
                _ = streamed.lines(of: 0, width: width)
                start = end
            }
            var whole = Transcript(messages: [TranscriptMessage(role: .assistant, label: "nook", text: Self.text)])
            #expect(streamed.lines(of: 0, width: width) == whole.lines(of: 0, width: width), "at \(width)")
            // Too narrow for columns (12): rows become wrapped text, still inside the width.
            for line in whole.lines(of: 0, width: width) { #expect(line.width <= width, "\(line.text) at \(width)") }
        }
    }

    @Test func onlyRealTablesAreTables() {
        func lines(_ text: String) -> [String] {
            var t = Transcript(messages: [TranscriptMessage(role: .assistant, label: "nook", text: text)])
            return t.lines(of: 0, width: 40).dropFirst().map(\.text)
        }
        // The delimiter row must have as many cells as the header.
        #expect(lines("| a | b |\n|---|\n| 1 | 2 |") == ["  | a | b |", "  |---|", "  | 1 | 2 |"])
        // Inside code, and in the user's own (plain) messages, pipes stay pipes.
        #expect(lines("```\n| a | b |\n|---|---|\n```") == ["   code", "   | a | b |", "   |---|---|"])
        var user = Transcript(messages: [TranscriptMessage(role: .user, label: "you", text: "| a | b |\n|---|---|")])
        #expect(user.lines(of: 0, width: 40).dropFirst().map(\.text) == ["  | a | b |", "  |---|---|"])
        // Without outer pipes, with escaped pipes, and ending at a line without pipes.
        #expect(lines("a | b\n--|:-:\n1 \\| 2 | x\nafter") == ["  a     │ b", "  ──────┼──", "  1 | 2 │ x", "  after"])
    }
}
