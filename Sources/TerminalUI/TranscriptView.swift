/// A scrollable, searchable view of a transcript.
///
/// The scroll position is either "following the bottom" (new output stays in view) or an anchor:
/// the message and text position of the top line. Anchors survive re-wrapping, so a resize keeps
/// the same text at the top of the view.
public struct TranscriptView: Sendable {
    public var transcript: Transcript
    /// The search, while one is open.
    public var search: TranscriptSearch?
    /// Top line anchor; nil while following the bottom.
    public private(set) var topAnchor: (message: Int, anchor: TextAnchor)?
    /// Width and height of the last render (used by scrolling between renders).
    public private(set) var viewport = TerminalSize(columns: 80, rows: 20)

    public init(transcript: Transcript = Transcript()) {
        self.transcript = transcript
    }

    public var isFollowingBottom: Bool { topAnchor == nil }

    // MARK: Line arithmetic

    /// The total number of laid-out lines at the viewport width.
    public mutating func totalLines() -> Int {
        var total = 0
        for m in transcript.messages.indices { total += transcript.lineCount(of: m, width: viewport.columns) }
        return total
    }

    /// The global index of the top line.
    public mutating func topLine() -> Int {
        let maxTop = max(0, totalLines() - viewport.rows)
        guard let top = topAnchor, transcript.messages.indices.contains(top.message) else { return maxTop }
        var global = 0
        for m in 0..<top.message { global += transcript.lineCount(of: m, width: viewport.columns) }
        let lines = transcript.lines(of: top.message, width: viewport.columns)
        let inMessage = lines.lastIndex { $0.anchor <= top.anchor } ?? 0
        return min(global + inMessage, maxTop)
    }

    /// The message and line within it of a global line index.
    mutating func locate(_ global: Int) -> (message: Int, line: Int)? {
        var remaining = global
        for m in transcript.messages.indices {
            let count = transcript.lineCount(of: m, width: viewport.columns)
            if remaining < count { return (m, remaining) }
            remaining -= count
        }
        return nil
    }

    // MARK: Scrolling

    /// Scrolls by a number of lines (negative is up); reaching the bottom resumes following.
    public mutating func scroll(by delta: Int) {
        let total = totalLines()
        let maxTop = max(0, total - viewport.rows)
        let target = min(max(0, topLine() + delta), maxTop)
        setTop(target, maxTop: maxTop)
    }

    /// Scrolls a page up (negative) or down, keeping two lines of overlap.
    public mutating func page(_ direction: Int) {
        scroll(by: direction * max(1, viewport.rows - 2))
    }

    public mutating func scrollToTop() {
        let maxTop = max(0, totalLines() - viewport.rows)
        setTop(0, maxTop: maxTop)
    }

    public mutating func scrollToBottom() { topAnchor = nil }

    private mutating func setTop(_ global: Int, maxTop: Int) {
        if global >= maxTop {
            topAnchor = nil
        } else if let (m, l) = locate(global) {
            topAnchor = (m, transcript.lines(of: m, width: viewport.columns)[l].anchor)
        }
    }

    /// Brings a global line into view, placing it a third of the way down when it was outside.
    mutating func reveal(global line: Int) {
        let top = topLine()
        guard line < top || line >= top + viewport.rows else { return }
        let maxTop = max(0, totalLines() - viewport.rows)
        setTop(min(max(0, line - viewport.rows / 3), maxTop), maxTop: maxTop)
    }

    // MARK: Search

    /// Opens the search (or keeps the open one).
    public mutating func beginSearch() {
        if search == nil { search = TranscriptSearch() }
    }

    /// Closes the search; the scroll position stays where the search left it.
    public mutating func endSearch() { search = nil }

    /// Sets the query and selects the match nearest above the bottom of the view.
    public mutating func setSearchQuery(_ query: String) {
        guard var s = search else { return }
        s.query = query
        s.current = nil
        s.recompute(in: &transcript, width: viewport.columns)
        if !s.matches.isEmpty {
            let bottom = topLine() + viewport.rows - 1
            let globals = s.matches.map { global(of: $0) }
            s.current = globals.lastIndex { $0 <= bottom } ?? 0
        }
        search = s
        revealCurrentMatch()
    }

    /// Moves to the previous (older, towards the top) match, wrapping around.
    public mutating func searchPrevious() { stepSearch(-1) }

    /// Moves to the next (newer, towards the bottom) match, wrapping around.
    public mutating func searchNext() { stepSearch(1) }

    private mutating func stepSearch(_ step: Int) {
        guard var s = search else { return }
        if s.isStale(revision: transcript.revision, width: viewport.columns) {
            s.recompute(in: &transcript, width: viewport.columns)
        }
        guard !s.matches.isEmpty else {
            search = s
            return
        }
        let count = s.matches.count
        s.current = ((s.current ?? (step > 0 ? -1 : count)) + step + count) % count
        search = s
        revealCurrentMatch()
    }

    private mutating func revealCurrentMatch() {
        guard let s = search, let index = s.current, s.matches.indices.contains(index) else { return }
        reveal(global: global(of: s.matches[index]))
    }

    private mutating func global(of match: SearchMatch) -> Int {
        var global = match.line
        for m in 0..<match.message { global += transcript.lineCount(of: m, width: viewport.columns) }
        return global
    }

    // MARK: Rendering

    /// Draws the visible lines into rows `top..<top+size.rows` of a screen, `size.columns` wide.
    public mutating func render(into screen: Screen, top: Int, size: TerminalSize, theme: ResolvedTheme) {
        viewport = size
        guard size.rows > 0, size.columns > 0 else { return }
        if var s = search, s.isStale(revision: transcript.revision, width: size.columns) {
            s.recompute(in: &transcript, width: size.columns)
            search = s
        }
        let first = topLine()
        let textStyle = theme.style(.text)
        var position = locate(first)
        // Short transcripts sit at the bottom, next to the input, like a chat.
        let total = totalLines()
        var row = max(0, size.rows - total)
        for r in 0..<row { screen.fill(row: top + r, from: 0, to: size.columns, style: textStyle) }
        while row < size.rows, let (m, l) = position {
            let lines = transcript.lines(of: m, width: size.columns)
            drawLine(lines[l], message: m, line: l, into: screen, row: top + row, width: size.columns, theme: theme)
            row += 1
            position = l + 1 < lines.count ? (m, l + 1) : (m + 1 < transcript.messages.count ? (m + 1, 0) : nil)
        }
        for r in row..<size.rows { screen.fill(row: top + r, from: 0, to: size.columns, style: textStyle) }
        if !isFollowingBottom {
            let below = total - (first + size.rows)
            if below > 0 {
                let note = " ↓ \(below) more "
                let w = DisplayWidth.of(note)
                if w < size.columns {
                    screen.put(note, row: top + size.rows - 1, column: size.columns - w, style: theme.style(.statusAccent))
                }
            }
        }
    }

    private func drawLine(_ line: StyledLine, message: Int, line index: Int, into screen: Screen, row: Int,
                          width: Int, theme: ResolvedTheme) {
        let highlights = search?.highlights(message: message, line: index) ?? []
        var column = 0
        for (g, glyph) in line.glyphs.enumerated() {
            if column + glyph.width > width { break }
            if let pixels = glyph.style.pixels {
                let cell = theme.cell(pixels)
                screen.put(cell.character, width: 1, row: row, column: column, style: cell.style)
                column += 1
                continue
            }
            var style = theme.style(glyph.style)
            if let hit = highlights.first(where: { $0.range.contains(g) }) {
                style = theme.style(hit.isCurrent ? .searchCurrent : .searchMatch)
            }
            screen.put(glyph.character, width: glyph.width, row: row, column: column, style: style)
            column += glyph.width
        }
        let fillStyle = theme.style(line.fill ?? .text)
        screen.fill(row: row, from: column, to: width, style: fillStyle)
    }
}
