/// Inline markdown: `**bold**`, `__bold__`, `*italic*`, `` `code` `` and backslash escapes.
///
/// Markers without a closing partner are kept as literal text, so half-streamed replies never
/// lose characters.
public enum InlineMarkdown {
    /// Glyphs of one line of markdown text in a base style.
    public static func glyphs(_ text: Substring, base: SpanStyle) -> [Glyph] {
        let chars = Array(text)
        var out: [Glyph] = []
        out.reserveCapacity(chars.count)
        var bold = false
        var italic = false
        var i = 0
        func style() -> SpanStyle {
            var s = base
            s.bold = s.bold || bold
            s.italic = s.italic || italic
            return s
        }
        func append(_ c: Character, _ s: SpanStyle) {
            out.append(contentsOf: Glyph.glyphs(String(c), s))
        }
        func find(_ marker: [Character], from start: Int) -> Int? {
            guard start < chars.count else { return nil }
            var k = start
            while k + marker.count <= chars.count {
                if chars[k] == "\\" { k += 2; continue }
                if Array(chars[k..<(k + marker.count)]) == marker { return k }
                k += 1
            }
            return nil
        }
        while i < chars.count {
            let c = chars[i]
            let next: Character? = i + 1 < chars.count ? chars[i + 1] : nil
            if c == "\\", let escaped = next, escaped.isPunctuation || escaped.isSymbol {
                append(escaped, style())
                i += 2
                continue
            }
            if c == "`" {
                var ticks = 1
                while i + ticks < chars.count, chars[i + ticks] == "`" { ticks += 1 }
                let marker = Array(repeating: Character("`"), count: ticks)
                if let close = findExact(marker, in: chars, from: i + ticks), close > i + ticks {
                    var code = String(chars[(i + ticks)..<close])
                    if ticks > 1, code.hasPrefix(" "), code.hasSuffix(" "), code.count > 2 {
                        code = String(code.dropFirst().dropLast())
                    }
                    out.append(contentsOf: Glyph.glyphs(code, SpanStyle(.inlineCode)))
                    i = close + ticks
                    continue
                }
                for _ in 0..<ticks { append("`", style()) }
                i += ticks
                continue
            }
            if (c == "*" || c == "_"), next == c {
                let marker: [Character] = [c, c]
                let boundaryOK = c == "*" || i == 0 || !isWord(chars[i - 1])
                if bold {
                    bold = false
                    i += 2
                    continue
                }
                if boundaryOK, i + 2 < chars.count, !chars[i + 2].isWhitespace,
                   let close = find(marker, from: i + 3), !chars[close - 1].isWhitespace {
                    _ = close
                    bold = true
                    i += 2
                    continue
                }
            } else if c == "*" {
                if italic {
                    italic = false
                    i += 1
                    continue
                }
                if let n = next, !n.isWhitespace, n != "*", let close = find(["*"], from: i + 2),
                   !chars[close - 1].isWhitespace {
                    italic = true
                    i += 1
                    continue
                }
            }
            append(c, style())
            i += 1
        }
        return out
    }

    private static func isWord(_ c: Character) -> Bool { c.isLetter || c.isNumber || c == "_" }

    /// The next run of exactly `marker.count` backticks.
    private static func findExact(_ marker: [Character], in chars: [Character], from start: Int) -> Int? {
        var k = start
        while k < chars.count {
            if chars[k] == "`" {
                var run = 0
                while k + run < chars.count, chars[k + run] == "`" { run += 1 }
                if run == marker.count { return k }
                k += run
            } else {
                k += 1
            }
        }
        return nil
    }
}
