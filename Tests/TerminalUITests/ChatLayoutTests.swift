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

@Suite struct ChatExtrasTests {
    @Test func completionRowAboveTheStatusBar() {
        var chat = Fixtures.chat()
        chat.editor.completer = CommandCompleter(commands: ["/attach", "/clear", "/help", "/persona", "/quit", "/theme", "/think"])
        _ = chat.handle(.text("/th"))
        _ = chat.handle(.key(KeyPress(.tab)))
        _ = chat.handle(.key(KeyPress(.tab)))
        let screen = Fixtures.render(&chat, columns: 60, rows: 12)
        Golden.check(screen.snapshot(), named: "chat-completion")
        #expect(screen.line(9).hasPrefix(" /theme  /think"))
        #expect(screen.line(11) == "› /think")
        #expect(screen.cursor == Position(row: 11, column: 8))
    }

    @Test func noColourStillShowsStructure() {
        var chat = Fixtures.chat()
        _ = chat.handle(.key(.control("f")))
        _ = chat.handle(.text("string"))
        let screen = Fixtures.render(&chat, columns: 60, rows: 16, capability: .none)
        Golden.check(screen.snapshot(), named: "chat-no-colour")
        let status = screen.cells[14]
        #expect(status.allSatisfy { $0.style.reverse })
    }

    @Test func multiLineInputGrowsAndShrinksTheTranscript() {
        var chat = Fixtures.chat()
        _ = chat.handle(.paste("one\ntwo\nthree\nfour\nfive\nsix\nseven"))
        let screen = Fixtures.render(&chat, columns: 40, rows: 24)
        // At most five editor rows (the default), scrolled to the cursor on the last line.
        #expect(chat.regions(for: screen.size).input == 19..<24)
        #expect(screen.line(23).hasPrefix("┆ seven"))
        #expect(screen.cursor == Position(row: 23, column: 7))
        _ = chat.handle(.key(KeyPress(.enter)))
        #expect(chat.regions(for: screen.size).input == 23..<24)
    }
}
