/// The style of a run of text before a theme gives it colours: a role plus emphasis.
public struct SpanStyle: Hashable, Sendable {
    public var role: ThemeRole
    public var bold: Bool
    public var italic: Bool
    /// A picture cell's own colours (thumbnails), drawn instead of the role's.
    public var pixels: PixelPair?

    public init(_ role: ThemeRole, bold: Bool = false, italic: Bool = false, pixels: PixelPair? = nil) {
        self.role = role
        self.bold = bold
        self.italic = italic
        self.pixels = pixels
    }
}

/// One grapheme cluster with its display width and style: the unit of wrapping.
public struct Glyph: Hashable, Sendable {
    public var character: Character
    /// Columns: 1 or 2 (zero-width clusters are never stored).
    public var width: Int
    public var style: SpanStyle

    public init(_ character: Character, width: Int, style: SpanStyle) {
        self.character = character
        self.width = width
        self.style = style
    }

    /// Glyphs of a string in one style; zero-width clusters and control characters are dropped
    /// and tabs become spaces.
    public static func glyphs(_ text: some StringProtocol, _ style: SpanStyle) -> [Glyph] {
        var out: [Glyph] = []
        out.reserveCapacity(text.utf8.count)
        for character in text {
            if character == "\t" {
                out.append(contentsOf: repeatElement(Glyph(" ", width: 1, style: style), count: 4))
                continue
            }
            let width = DisplayWidth.of(character)
            if width > 0 { out.append(Glyph(character, width: width, style: style)) }
        }
        return out
    }
}

/// Where a laid-out line starts in its message: the source line and the glyph offset inside it.
/// Used to keep the scroll position when the transcript is re-wrapped at another width.
public struct TextAnchor: Hashable, Sendable, Comparable {
    /// Index of the source line in the message (-1 for lines before the text, like headers).
    public var sourceLine: Int
    /// Glyph offset of the line's first glyph within the source line's content.
    public var offset: Int

    public init(sourceLine: Int, offset: Int) {
        self.sourceLine = sourceLine
        self.offset = offset
    }

    public static func < (a: TextAnchor, b: TextAnchor) -> Bool {
        (a.sourceLine, a.offset) < (b.sourceLine, b.offset)
    }
}

/// One laid-out screen line: glyphs, an optional background role for the rest of the row, and
/// where it came from.
public struct StyledLine: Hashable, Sendable {
    public var glyphs: [Glyph]
    /// Role whose background fills the row after the glyphs (code blocks); nil leaves it plain.
    public var fill: ThemeRole?
    public var anchor: TextAnchor

    public init(glyphs: [Glyph] = [], fill: ThemeRole? = nil, anchor: TextAnchor = TextAnchor(sourceLine: -1, offset: 0)) {
        self.glyphs = glyphs
        self.fill = fill
        self.anchor = anchor
    }

    /// The width of the glyphs in columns.
    public var width: Int { glyphs.reduce(0) { $0 + $1.width } }

    /// The plain text of the line.
    public var text: String { String(glyphs.map(\.character)) }
}

/// Wraps glyph runs into lines of a given width.
public enum LineWrapper {
    /// Word-wraps glyphs into lines of at most `width` columns.
    ///
    /// Breaks after spaces and on either side of wide characters (ideographs, kana, emoji; not
    /// Hangul), never before closing punctuation; a word longer than a line is broken between
    /// grapheme clusters. Spaces at a break are dropped. `firstPrefix` starts the
    /// first line and `nextPrefix` the others (list bullets and hanging indents); the returned
    /// offsets say where in `glyphs` each line starts.
    public static func wrap(_ glyphs: [Glyph], width: Int, firstPrefix: [Glyph] = [],
                            nextPrefix: [Glyph] = []) -> [(glyphs: [Glyph], offset: Int)] {
        var lines: [(glyphs: [Glyph], offset: Int)] = []
        var current = firstPrefix
        var currentWidth = firstPrefix.reduce(0) { $0 + $1.width }
        var contentCount = 0
        var lineStart = 0
        let prefixWidth = nextPrefix.reduce(0) { $0 + $1.width }
        let room = max(1, width)
        func endLine(nextStart: Int) {
            while current.last?.character == " ", contentCount > 0 {
                current.removeLast()
                currentWidth -= 1
                contentCount -= 1
            }
            lines.append((current, lineStart))
            current = nextPrefix
            currentWidth = prefixWidth
            contentCount = 0
            lineStart = nextStart
        }
        var i = 0
        while i < glyphs.count {
            // A unit: one wide glyph with any closing punctuation after it, or a run of other
            // non-space glyphs (possibly empty).
            var end = i
            if breaksAround(glyphs[i]) {
                end = i + 1
                while end < glyphs.count, noBreakBefore.contains(glyphs[end].character) { end += 1 }
            } else {
                while end < glyphs.count, glyphs[end].character != " ", !breaksAround(glyphs[end]) { end += 1 }
            }
            let wordWidth = glyphs[i..<end].reduce(0) { $0 + $1.width }
            if wordWidth > 0, currentWidth + wordWidth > room, contentCount > 0 {
                endLine(nextStart: i)
            }
            for j in i..<end {
                if currentWidth + glyphs[j].width > room, contentCount > 0 { endLine(nextStart: j) }
                current.append(glyphs[j])
                currentWidth += glyphs[j].width
                contentCount += 1
            }
            // Its spaces stay on this line; they are trimmed if the line breaks after them.
            var s = end
            while s < glyphs.count, glyphs[s].character == " " {
                if contentCount > 0 || lines.isEmpty {
                    current.append(glyphs[s])
                    currentWidth += 1
                    contentCount += 1
                }
                s += 1
            }
            i = s
        }
        while current.last?.character == " ", contentCount > 0, currentWidth > room {
            current.removeLast()
            currentWidth -= 1
            contentCount -= 1
        }
        lines.append((current, lineStart))
        return lines
    }

    /// Characters that must not start a line (closing punctuation, CJK small marks).
    static let noBreakBefore: Set<Character> = Set("。、，．・：；！？）」』】〕〉》ー…‥々ゝゞぁぃぅぇぉっゃゅょァィゥェォッャュョ,.!?:;)]}%")

    /// Whether a line may break on either side of a glyph: wide characters (ideographs, kana,
    /// emoji), except Hangul, which wraps by words like Latin text.
    static func breaksAround(_ glyph: Glyph) -> Bool { breaksAround(glyph.character, width: glyph.width) }

    /// Whether a line may break on either side of a cluster of a given display width.
    static func breaksAround(_ character: Character, width: Int) -> Bool {
        guard width == 2 else { return false }
        guard let v = character.unicodeScalars.first?.value else { return false }
        let hangul = (0xAC00...0xD7A3).contains(v) || (0x1100...0x11FF).contains(v) || (0x3130...0x318F).contains(v)
        return !hangul
    }

    /// Breaks glyphs into lines of at most `width` columns between clusters, without looking for
    /// word boundaries (code). `prefix` starts every line.
    public static func hardWrap(_ glyphs: [Glyph], width: Int, prefix: [Glyph] = []) -> [(glyphs: [Glyph], offset: Int)] {
        let prefixWidth = prefix.reduce(0) { $0 + $1.width }
        let room = max(prefixWidth + 1, width)
        var lines: [(glyphs: [Glyph], offset: Int)] = []
        var current = prefix
        var currentWidth = prefixWidth
        var start = 0
        for (index, glyph) in glyphs.enumerated() {
            if currentWidth + glyph.width > room, current.count > prefix.count {
                lines.append((current, start))
                current = prefix
                currentWidth = prefixWidth
                start = index
            }
            current.append(glyph)
            currentWidth += glyph.width
        }
        lines.append((current, start))
        return lines
    }
}
