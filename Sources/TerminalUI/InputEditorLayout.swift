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
    ///
    /// Lines break between words by the transcript's rules (`LineWrapper`), and a word longer than
    /// a line between clusters. Unlike the transcript, every cluster stays on some line so the
    /// cursor can reach it: a space at a break hangs into the free column, or starts the next line.
    public func layout(width: Int) -> EditorLayout {
        let prefixWidth = DisplayWidth.of(Self.prompt)
        let room = max(1, width - prefixWidth - 1)
        var lines: [EditorLayout.Line] = []
        var start = 0
        while true {
            var end = start
            while end < characters.count, characters[end] != "\n" { end += 1 }
            var lineStart = start
            for next in Self.wrapPoints(characters[start..<end], room: room) + [end] {
                lines.append(.init(start: lineStart, end: next, prefixWidth: prefixWidth, startsLogicalLine: lineStart == start))
                lineStart = next
            }
            guard end < characters.count else { break }
            start = end + 1
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

    /// Where the screen lines of one logical line (no newlines) start, after its first, when each
    /// holds `room` columns.
    static func wrapPoints(_ line: ArraySlice<Character>, room: Int) -> [Int] {
        var points: [Int] = []
        var lineStart = line.startIndex
        var used = 0
        func breakLine(at index: Int) {
            points.append(index)
            lineStart = index
            used = 0
        }
        var i = line.startIndex
        while i < line.endIndex {
            let w = width(of: line[i])
            if isSpace(line[i]) {
                // A space may use the cursor's column unless it ends the text (the cursor goes after it).
                let limit = i + 1 < line.endIndex ? room + 1 : room
                if used + w > limit, i > lineStart { breakLine(at: i) }
                used += w
                i += 1
                continue
            }
            // A word: one wide cluster with the closing punctuation after it, or a run of others.
            var end = i + 1
            if LineWrapper.breaksAround(line[i], width: w) {
                while end < line.endIndex, LineWrapper.noBreakBefore.contains(line[end]) { end += 1 }
            } else {
                while end < line.endIndex, !isSpace(line[end]),
                      !LineWrapper.breaksAround(line[end], width: width(of: line[end])) { end += 1 }
            }
            if used + line[i..<end].reduce(0, { $0 + width(of: $1) }) > room, i > lineStart { breakLine(at: i) }
            for j in i..<end {
                let cw = width(of: line[j])
                if used + cw > room, j > lineStart { breakLine(at: j) }
                used += cw
            }
            i = end
        }
        return points
    }

    /// Whether a cluster is blank space a line may break after.
    private static func isSpace(_ c: Character) -> Bool { c == " " || c == "\t" }

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
