import Testing
@testable import TerminalUI

@Suite struct ChatLayoutTests {
    @Test(arguments: [(40, 10), (80, 24), (120, 40)])
    func chatLayout(columns: Int, rows: Int) {
        var chat = Fixtures.chat()
        let screen = Fixtures.render(&chat, columns: columns, rows: rows)
        Golden.check(screen.plainSnapshot(), named: "chat-\(columns)x\(rows)")
        // The bottom rows are the status bar and the input prompt, whatever the size.
        let regions = chat.regions(for: screen.size)
        #expect(regions.input == (rows - 1)..<rows)
        #expect(regions.statusRow == rows - 2)
        #expect(screen.line(rows - 1).hasPrefix("› Message nook"))
        #expect(screen.line(rows - 2).contains("qwen2.5"))
        // Following the bottom: the last line of the reply is the last transcript row.
        #expect(screen.line(rows - 3).contains("Run it"))
        #expect(screen.cursor == Position(row: rows - 1, column: 2))
    }

    @Test func chatLayoutStyles() {
        var chat = Fixtures.chat()
        let screen = Fixtures.render(&chat, columns: 80, rows: 24, capability: .truecolor)
        Golden.check(screen.styleSnapshot(), named: "chat-80x24-styles-truecolor")
    }

    @Test func tinyScreensDoNotBreak() {
        for (columns, rows) in [(0, 0), (1, 1), (5, 2), (12, 3), (40, 1), (3, 30)] {
            var chat = Fixtures.chat()
            let screen = Fixtures.render(&chat, columns: columns, rows: rows)
            #expect(screen.lines.count == rows)
            #expect(screen.flushCount == 1)
        }
    }
}
