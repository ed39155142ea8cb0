/// The editor's text broken into screen lines.
public struct EditorLayout: Hashable, Sendable {
    /// One screen line: the character range it shows and the width of its prefix (prompt or indent).
    public struct Line: Hashable, Sendable {
        public var start: Int
        public var end: Int
        public var prefixWidth: Int
        /// True for the first screen line of a logical line (it gets the prompt or continuation mark).
        public var startsLogicalLine: Bool
    }

    public var lines: [Line]
    /// Cursor as (screen line, column).
    public var cursor: (line: Int, column: Int)

    public static func == (a: EditorLayout, b: EditorLayout) -> Bool {
        a.lines == b.lines && a.cursor == b.cursor
    }

    public func hash(into hasher: inout Hasher) {
        hasher.combine(lines)
        hasher.combine(cursor.line)
        hasher.combine(cursor.column)
    }
}

extension InputEditor {
    /// The prompt on the first line.
    public static let prompt = "› "
    /// The mark on the first screen line of every later logical line.
    public static let continuation = "┆ "

    /// The display width of one editor cluster (tabs show as four columns).
    static func width(of c: Character) -> Int { c == "\t" ? 4 : DisplayWidth.of(c) }

    /// Breaks the text into screen lines of `width` columns, keeping the last column free so the
    /// cursor always fits after the text.
    public func layout(width: Int) -> EditorLayout {
        let prefixWidth = DisplayWidth.of(Self.prompt)
        let room = max(1, width - prefixWidth - 1)
        var lines: [EditorLayout.Line] = []
        var start = 0
        var used = 0
        var logicalStart = true
        var i = 0
        while i <= characters.count {
            if i == characters.count || characters[i] == "\n" {
                lines.append(.init(start: start, end: i, prefixWidth: prefixWidth, startsLogicalLine: logicalStart))
                start = i + 1
                used = 0
                logicalStart = true
                i += 1
                continue
            }
            let w = Self.width(of: characters[i])
            if used + w > room, i > start {
                lines.append(.init(start: start, end: i, prefixWidth: prefixWidth, startsLogicalLine: logicalStart))
                start = i
                used = 0
                logicalStart = false
            }
            used += w
            i += 1
        }
        // The cursor belongs to the last line whose range holds it.
        var cursorLine = 0
        for (n, line) in lines.enumerated() where line.start <= cursor && cursor <= line.end {
            cursorLine = n
            if cursor < line.end || line.end == characters.count || characters[line.end] == "\n" { break }
        }
        let line = lines[cursorLine]
        var column = line.prefixWidth
        for k in line.start..<min(cursor, line.end) { column += Self.width(of: characters[k]) }
        return EditorLayout(lines: lines, cursor: (cursorLine, column))
    }

    /// The rows the editor wants at a width: its screen lines, at most `maxVisibleLines`.
    public func preferredHeight(width: Int) -> Int {
        min(max(1, layout(width: width).lines.count), max(1, maxVisibleLines))
    }

    /// Draws the editor into `height` rows from `top`; returns where the cursor goes.
    @discardableResult
    public mutating func render(into screen: Screen, top: Int, width: Int, height: Int,
                                theme: ResolvedTheme) -> Position {
        lastWidth = width
        let layout = layout(width: width)
        let rows = max(1, height)
        if layout.cursor.line < scrollTop { scrollTop = layout.cursor.line }
        if layout.cursor.line >= scrollTop + rows { scrollTop = layout.cursor.line - rows + 1 }
        scrollTop = max(0, min(scrollTop, max(0, layout.lines.count - rows)))
        let textStyle = theme.style(.input)
        let promptStyle = theme.style(.prompt)
        let mutedStyle = theme.style(.muted)
        for r in 0..<rows {
            let row = top + r
            screen.fill(row: row, from: 0, to: width, style: textStyle)
            let index = scrollTop + r
            guard index < layout.lines.count else { continue }
            let line = layout.lines[index]
            let mark = index == 0 ? Self.prompt : (line.startsLogicalLine ? Self.continuation : "  ")
            var column = screen.put(mark, row: row, column: 0, style: index == 0 ? promptStyle : mutedStyle)
            if characters.isEmpty, index == 0, !placeholder.isEmpty {
                screen.put(DisplayWidth.truncate(placeholder, to: width - column - 1), row: row, column: column,
                           style: mutedStyle)
                continue
            }
            for k in line.start..<line.end {
                let c = characters[k]
                if c == "\t" {
                    column = screen.put("    ", row: row, column: column, style: textStyle)
                } else if DisplayWidth.of(c) > 0 {
                    column = screen.put(String(c), row: row, column: column, style: textStyle)
                }
            }
        }
        // Scroll hints when lines are hidden above or below.
        if scrollTop > 0 { screen.put("↑", row: top, column: width - 1, style: mutedStyle) }
        if scrollTop + rows < layout.lines.count { screen.put("↓", row: top + rows - 1, column: width - 1, style: mutedStyle) }
        return Position(row: top + layout.cursor.line - scrollTop, column: min(layout.cursor.column, max(0, width - 1)))
    }
}
