/// How a message's text is interpreted.
public enum TextFormat: Hashable, Sendable {
    /// Markdown: code fences, headings, lists, quotes, rules, pipe tables and inline emphasis.
    case markdown
    /// Literal text; only wrapping.
    case plain
}

/// What block-level layout carries from one source line to the next.
public struct MarkdownState: Hashable, Sendable {
    /// The open code fence: its marker (e.g. "```") and language; nil outside code.
    public var fence: (marker: String, language: String)? {
        get { fenceMarker.map { ($0, fenceLanguage) } }
        set {
            fenceMarker = newValue?.marker
            fenceLanguage = newValue?.language ?? ""
        }
    }
    public var highlight: HighlightState = .normal
    /// Whether the previous source line was blank (runs of blank lines show as one).
    public var previousBlank = false

    private var fenceMarker: String?
    private var fenceLanguage = ""

    public init() {}
}

/// Lays out message text one source line at a time, so a streaming message only re-lays its tail.
///
/// Every source line is its own block (chat replies use single line breaks deliberately), wrapped
/// to the width. Code blocks get a language label line and a background fill, and are broken
/// between clusters rather than at words. Pipe tables span lines; `MarkdownTable` lays them out.
public enum MarkdownLayout {
    /// The screen lines for one source line (`index` is its number in the message).
    public static func layout(line raw: Substring, index: Int, format: TextFormat, base: ThemeRole,
                              width: Int, state: inout MarkdownState) -> [StyledLine] {
        let width = max(1, width)
        let line = raw.hasSuffix("\r") ? raw.dropLast() : raw
        func wrapped(_ glyphs: [Glyph], first: [Glyph] = [], next: [Glyph] = [], fill: ThemeRole? = nil) -> [StyledLine] {
            LineWrapper.wrap(glyphs, width: width, firstPrefix: first, nextPrefix: next).map {
                StyledLine(glyphs: $0.glyphs, fill: fill, anchor: TextAnchor(sourceLine: index, offset: $0.offset))
            }
        }
        let blank = line.allSatisfy { $0 == " " || $0 == "\t" }
        if format == .plain || state.fence == nil && blank {
            if blank {
                defer { state.previousBlank = true }
                return state.previousBlank ? [] : [StyledLine(anchor: TextAnchor(sourceLine: index, offset: 0))]
            }
            state.previousBlank = false
            let glyphs = Glyph.glyphs(line, SpanStyle(base))
            let hang = hangingIndent(glyphs, width: width)
            return wrapped(glyphs, next: Array(repeating: Glyph(" ", width: 1, style: SpanStyle(base)), count: hang))
        }
        state.previousBlank = false
        let trimmed = line.drop { $0 == " " }
        let indent = line.count - trimmed.count

        if let fence = state.fence {
            if indent < 4, trimmed.hasPrefix(fence.marker), trimmed.drop(while: { $0 == fence.marker.first }).allSatisfy(\.isWhitespace) {
                state.fence = nil
                state.highlight = .normal
                return []
            }
            return codeLine(line, index: index, language: fence.language, width: width, state: &state)
        }
        if indent < 4, let marker = fenceMarker(trimmed) {
            let info = trimmed.dropFirst(marker.count).trimmingSpaces()
            let language = String(info.split(separator: " ").first ?? "")
            state.fence = (marker, language)
            state.highlight = .normal
            let label = LanguageSpec.named(language)?.name ?? (language.isEmpty ? "code" : language)
            let glyphs = Glyph.glyphs(" " + label, SpanStyle(.codeLabel))
            return [StyledLine(glyphs: Array(glyphs.prefix(width)), fill: .code,
                               anchor: TextAnchor(sourceLine: index, offset: 0))]
        }
        if indent < 4, let level = headingLevel(trimmed) {
            let text = trimmed.dropFirst(level).trimmingSpaces()
            return wrapped(InlineMarkdown.glyphs(text, base: SpanStyle(.heading, bold: true)))
        }
        if indent < 4, isRule(trimmed) {
            return [StyledLine(glyphs: Glyph.glyphs(String(repeating: "─", count: min(width, 40)), SpanStyle(.border)),
                               anchor: TextAnchor(sourceLine: index, offset: 0))]
        }
        if trimmed.hasPrefix(">") {
            let text = trimmed.dropFirst().drop { $0 == " " }
            let bar = Glyph.glyphs("│ ", SpanStyle(.border))
            return wrapped(InlineMarkdown.glyphs(text, base: SpanStyle(.muted, italic: true)), first: bar, next: bar)
        }
        if let (marker, rest) = listItem(trimmed) {
            let level = min(indent / 2, 4)
            let pad = String(repeating: " ", count: level * 2)
            let bullet: String
            if marker.first?.isNumber == true {
                bullet = marker
            } else {
                bullet = ["•", "◦", "▪"][min(level, 2)]
            }
            let first = Glyph.glyphs(pad, SpanStyle(base)) + Glyph.glyphs(bullet, SpanStyle(.accent))
                + Glyph.glyphs(" ", SpanStyle(base))
            let next = Glyph.glyphs(String(repeating: " ", count: first.reduce(0) { $0 + $1.width }), SpanStyle(base))
            return wrapped(InlineMarkdown.glyphs(rest, base: SpanStyle(base)), first: first, next: next)
        }
        return wrapped(InlineMarkdown.glyphs(line, base: SpanStyle(base)))
    }

    /// The indent for the wrapped lines of a plain line: under its first character after leading
    /// spaces and a bullet (`-`, `*`, `•`, `1.`), and, on such an indented or bulleted entry, under
    /// the column after a run of two or more spaces (`  /attach PATH…   attach text files`).
    /// Indents past half the width are not used.
    static func hangingIndent(_ glyphs: [Glyph], width: Int) -> Int {
        var i = 0
        while i < glyphs.count, glyphs[i].character == " " { i += 1 }
        var entry = i > 0
        var marker = i
        while marker < glyphs.count, glyphs[marker].character.isASCII, glyphs[marker].character.isNumber { marker += 1 }
        if marker > i, marker - i <= 9, marker < glyphs.count, ".)".contains(glyphs[marker].character) {
            marker += 1
        } else if marker == i, i < glyphs.count, "-*+•◦▪·".contains(glyphs[i].character) {
            marker += 1
        }
        if marker > i, marker < glyphs.count, glyphs[marker].character == " " {
            entry = true
            i = marker
            while i < glyphs.count, glyphs[i].character == " " { i += 1 }
        }
        let columnOf = { (end: Int) in glyphs[..<end].reduce(0) { $0 + $1.width } }
        let limit = width / 2
        guard i < glyphs.count, columnOf(i) <= limit else { return 0 }
        guard entry else { return columnOf(i) }
        // The second column: the text after the first run of two or more spaces.
        var k = i
        while k + 2 < glyphs.count {
            if glyphs[k].character == " ", glyphs[k + 1].character == " " {
                var end = k
                while end < glyphs.count, glyphs[end].character == " " { end += 1 }
                guard end < glyphs.count else { break }
                let column = columnOf(end)
                return column <= limit ? column : columnOf(i)
            }
            k += 1
        }
        return columnOf(i)
    }

    private static func codeLine(_ line: Substring, index: Int, language: String, width: Int,
                                 state: inout MarkdownState) -> [StyledLine] {
        var characters: [Character] = []
        for c in line {
            if c == "\t" {
                repeat { characters.append(" ") } while characters.count % 4 != 0
            } else {
                characters.append(c)
            }
        }
        var glyphs: [Glyph] = []
        glyphs.reserveCapacity(characters.count)
        if let spec = LanguageSpec.named(language) {
            let roles = SyntaxHighlighter.roles(for: characters, language: spec, state: &state.highlight)
            for (c, role) in zip(characters, roles) { glyphs.append(contentsOf: Glyph.glyphs(String(c), SpanStyle(role))) }
        } else {
            glyphs = Glyph.glyphs(String(characters), SpanStyle(.code))
        }
        let pad = Glyph.glyphs(" ", SpanStyle(.code))
        return LineWrapper.hardWrap(glyphs, width: width, prefix: pad).map {
            StyledLine(glyphs: $0.glyphs, fill: .code, anchor: TextAnchor(sourceLine: index, offset: $0.offset))
        }
    }

    private static func fenceMarker(_ text: Substring) -> String? {
        for mark in ["`", "~"] {
            let run = text.prefix { String($0) == mark }.count
            if run >= 3 {
                let marker = String(repeating: mark, count: run)
                if mark == "`", text.dropFirst(run).contains("`") { return nil }
                return marker
            }
        }
        return nil
    }

    private static func headingLevel(_ text: Substring) -> Int? {
        let hashes = text.prefix { $0 == "#" }.count
        guard (1...6).contains(hashes) else { return nil }
        let rest = text.dropFirst(hashes)
        return rest.isEmpty || rest.first == " " ? hashes : nil
    }

    private static func isRule(_ text: Substring) -> Bool {
        let chars = text.filter { $0 != " " }
        guard chars.count >= 3, let first = chars.first, "-*_".contains(first) else { return false }
        return chars.allSatisfy { $0 == first }
    }

    /// A list marker ("-", "*", "+", "12.", "3)") and the item text.
    private static func listItem(_ text: Substring) -> (String, Substring)? {
        guard let first = text.first else { return nil }
        if "-*+".contains(first), text.dropFirst().first == " " {
            return (String(first), text.dropFirst(2))
        }
        let digits = text.prefix { $0.isASCII && $0.isNumber }
        guard !digits.isEmpty, digits.count <= 9 else { return nil }
        let after = text.dropFirst(digits.count)
        guard let punct = after.first, punct == "." || punct == ")", after.dropFirst().first == " " else { return nil }
        return (String(digits) + String(punct), after.dropFirst(2))
    }
}

extension Substring {
    func trimmingSpaces() -> Substring {
        var s = self
        while s.first == " " || s.first == "\t" { s = s.dropFirst() }
        while s.last == " " || s.last == "\t" { s = s.dropLast() }
        return s
    }
}
