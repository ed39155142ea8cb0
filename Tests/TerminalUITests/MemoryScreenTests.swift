import Testing
@testable import TerminalUI

@Suite struct MemoryScreenTests {
    @Test func putsClipAndHandleWideCells() {
        let screen = MemoryScreen(size: TerminalSize(columns: 6, rows: 2))
        let red = Style(foreground: .indexed(1))
        #expect(screen.put("ab日本", row: 0, column: 0, style: red) == 6)
        #expect(screen.line(0) == "ab日本")
        #expect(screen.cells[0][3].width == 0)
        // A wide cluster that would straddle the edge becomes a blank.
        #expect(screen.put("xyz日", row: 1, column: 2, style: .plain) == 6)
        #expect(screen.line(1) == "  xyz")
        // Overwriting half of a wide cell blanks the other half.
        screen.put("Q", width: 1, row: 0, column: 3, style: .plain)
        #expect(screen.line(0) == "ab Q本")
        screen.put("R", width: 1, row: 0, column: 4, style: .plain)
        #expect(screen.line(0) == "ab QR")
        // Off-screen puts are ignored.
        screen.put("zz", row: 5, column: 0, style: .plain)
        screen.put("zz", row: -1, column: 0, style: .plain)
        #expect(screen.lines == ["ab QR", "  xyz"])
    }

    @Test func snapshots() {
        let screen = MemoryScreen(size: TerminalSize(columns: 5, rows: 2))
        screen.clear(style: Style(background: .indexed(0)))
        screen.put("hi", row: 0, column: 1, style: Style(foreground: .rgb(RGBColor(value: 0xff0000)), bold: true))
        screen.put("界", row: 1, column: 0, style: Style(underline: true))
        screen.setCursor(Position(row: 1, column: 2))
        #expect(screen.snapshot() == """
            +-----+
            | hi  |
            |界   |
            +-----+
            cursor: row 1, column 2

            abbaa
            ccaaa

            legend:
            a = fg=default bg=0
            b = fg=#ff0000 bg=default bold
            c = fg=default bg=default underline

            """)
    }
}
