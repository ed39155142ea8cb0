/// GitHub-style pipe tables: a header row, a delimiter row (`|---|:--:|`) and body rows, laid out
/// as aligned columns separated by box-drawing lines.
///
/// Columns are as wide as their widest cell (in display columns); when the table is wider than
/// the screen the widest columns shrink and their cells wrap, so no text is lost.
struct MarkdownTable: Hashable, Sendable {
    /// How a column's cells sit in its width, from the colons of the delimiter row.
    enum Alignment: Hashable, Sendable { case left, center, right }

    var header: [String]
    var alignments: [Alignment]
    /// Body rows, each with exactly as many cells as the header.
    var rows: [[String]]

    /// Source lines the table takes: header, delimiter and body rows.
    var lineCount: Int { rows.count + 2 }

    /// The table starting at the first of `lines`, or nil when they do not start one.
    static func parse(_ lines: ArraySlice<Substring>) -> MarkdownTable? {
        guard lines.count >= 2, let first = lines.first, indent(first) < 4,
              let header = cells(first), let alignments = delimiter(lines[lines.startIndex + 1]),
              alignments.count == header.count else { return nil }
        var rows: [[String]] = []
        for line in lines.dropFirst(2) {
            guard let row = cells(line) else { break }
            rows.append(Array((row + Array(repeating: "", count: header.count)).prefix(header.count)))
        }
        return MarkdownTable(header: header, alignments: alignments, rows: rows)
    }

    /// The trimmed cells of a row (outer pipes optional, `\|` is a literal pipe); nil for a line
    /// that is blank or has no unescaped pipe.
    static func cells(_ raw: Substring) -> [String]? {
        var line = (raw.hasSuffix("\r") ? raw.dropLast() : raw).trimmingSpaces()
        guard !line.isEmpty else { return nil }
        var cells: [String] = []
        var current = ""
        var sawPipe = false
        if line.first == "|" {
            line = line.dropFirst()
            sawPipe = true
        }
        var characters = line.makeIterator()
        while let c = characters.next() {
            if c == "\\" {
                guard let next = characters.next() else {
                    current.append(c)
                    break
                }
                if next != "|" { current.append(c) }
                current.append(next)
            } else if c == "|" {
                cells.append(current)
                current = ""
                sawPipe = true
            } else {
                current.append(c)
            }
        }
        guard sawPipe else { return nil }
        // A closing pipe ends the row rather than opening an empty last cell.
        if !current.allSatisfy({ $0 == " " || $0 == "\t" }) || cells.isEmpty { cells.append(current) }
        return cells.map { String(Substring($0).trimmingSpaces()) }
    }

    /// The alignments of a delimiter row (`:---`, `---:`, `:---:` or `---` per cell), or nil.
    static func delimiter(_ line: Substring) -> [Alignment]? {
        guard indent(line) < 4, let cells = cells(line) else { return nil }
        var alignments: [Alignment] = []
        for cell in cells {
            let left = cell.hasPrefix(":"), right = cell.hasSuffix(":")
            let dashes = cell.dropFirst(left ? 1 : 0).dropLast(right && cell.count > 1 ? 1 : 0)
            guard !dashes.isEmpty, dashes.allSatisfy({ $0 == "-" }) else { return nil }
            alignments.append(left && right ? .center : right ? .right : .left)
        }
        return alignments
    }

    /// The leading spaces of a line.
    private static func indent(_ line: Substring) -> Int { line.prefix { $0 == " " }.count }

    // MARK: Layout

    /// The screen lines of each source line (header, delimiter, rows) at a width; anchors count
    /// source lines from `firstIndex`.
    func layout(firstIndex: Int, base: ThemeRole, width: Int) -> [[StyledLine]] {
        let headerGlyphs = header.map { InlineMarkdown.glyphs(Substring($0), base: SpanStyle(base, bold: true)) }
        let rowGlyphs = rows.map { $0.map { InlineMarkdown.glyphs(Substring($0), base: SpanStyle(base)) } }
        let natural = header.indices.map { column in
            ([headerGlyphs[column]] + rowGlyphs.map { $0[column] }).map(Self.width).max() ?? 0
        }.map { max(1, $0) }
        let separator = Glyph.glyphs(" │ ", SpanStyle(.border))
        let room = width - separator.count * (header.count - 1)
        guard room >= 2 * header.count else {
            return narrowLayout(headerGlyphs, rowGlyphs, firstIndex: firstIndex, base: base, width: width)
        }
        let widths = Self.columnWidths(natural, room: room)
        func lines(_ cells: [[Glyph]], source: Int) -> [StyledLine] {
            let wrapped = cells.indices.map { column in
                LineWrapper.wrap(cells[column], width: widths[column]).map { Transcript.clip($0.glyphs, to: widths[column]) }
            }
            let height = wrapped.map(\.count).max() ?? 1
            return (0..<height).map { k in
                var glyphs: [Glyph] = []
                for column in cells.indices {
                    if column > 0 { glyphs += separator }
                    let text = k < wrapped[column].count ? wrapped[column][k] : []
                    glyphs += Self.aligned(text, in: widths[column], alignments[column], style: SpanStyle(base))
                }
                while glyphs.last?.character == " " { glyphs.removeLast() }
                return StyledLine(glyphs: glyphs, anchor: TextAnchor(sourceLine: source, offset: k))
            }
        }
        let rule = widths.map { String(repeating: "─", count: $0) }.joined(separator: "─┼─")
        return [lines(headerGlyphs, source: firstIndex),
                [StyledLine(glyphs: Glyph.glyphs(rule, SpanStyle(.border)), anchor: TextAnchor(sourceLine: firstIndex + 1, offset: 0))]]
            + rowGlyphs.enumerated().map { lines($0.element, source: firstIndex + 2 + $0.offset) }
    }

    /// Column widths that fit `room`: columns narrower than a fair share keep their width, the
    /// others share what is left.
    static func columnWidths(_ natural: [Int], room: Int) -> [Int] {
        guard natural.reduce(0, +) > room else { return natural }
        var widths = natural
        var open = Array(natural.indices)
        var left = room
        while !open.isEmpty {
            let share = left / open.count
            let fitting = open.filter { natural[$0] <= share }
            if fitting.isEmpty {
                for (n, column) in open.enumerated() { widths[column] = share + (n < left % open.count ? 1 : 0) }
                break
            }
            for column in fitting { left -= natural[column] }
            open.removeAll { fitting.contains($0) }
        }
        return widths
    }

    /// A table too narrow for columns: each row as wrapped text with its cells separated by `│`.
    private func narrowLayout(_ headerGlyphs: [[Glyph]], _ rowGlyphs: [[[Glyph]]], firstIndex: Int, base: ThemeRole,
                              width: Int) -> [[StyledLine]] {
        let separator = Glyph.glyphs(" │ ", SpanStyle(.border))
        func lines(_ cells: [[Glyph]], source: Int) -> [StyledLine] {
            let glyphs = cells.enumerated().flatMap { ($0.offset > 0 ? separator : []) + $0.element }
            return LineWrapper.wrap(glyphs, width: width).map {
                StyledLine(glyphs: $0.glyphs, anchor: TextAnchor(sourceLine: source, offset: $0.offset))
            }
        }
        let rule = StyledLine(glyphs: Glyph.glyphs(String(repeating: "─", count: width), SpanStyle(.border)),
                              anchor: TextAnchor(sourceLine: firstIndex + 1, offset: 0))
        return [lines(headerGlyphs, source: firstIndex), [rule]]
            + rowGlyphs.enumerated().map { lines($0.element, source: firstIndex + 2 + $0.offset) }
    }

    /// The display width of glyphs in columns.
    private static func width(_ glyphs: [Glyph]) -> Int { glyphs.reduce(0) { $0 + $1.width } }

    /// Glyphs padded with spaces to `width` columns, placed by the alignment.
    private static func aligned(_ glyphs: [Glyph], in width: Int, _ alignment: Alignment, style: SpanStyle) -> [Glyph] {
        let free = max(0, width - Self.width(glyphs))
        let before: Int
        switch alignment {
        case .left: before = 0
        case .right: before = free
        case .center: before = free / 2
        }
        let space = Glyph(" ", width: 1, style: style)
        return Array(repeating: space, count: before) + glyphs + Array(repeating: space, count: free - before)
    }
}
