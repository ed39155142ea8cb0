import Testing
@testable import TerminalUI

@Suite struct DisplayWidthTests {
    @Test func scalarAndClusterWidths() {
        #expect(DisplayWidth.of("a" as Character) == 1)
        #expect(DisplayWidth.of("日" as Character) == 2)
        #expect(DisplayWidth.of("ｱ" as Character) == 1)  // half-width katakana
        #expect(DisplayWidth.of("Ａ" as Character) == 2)  // fullwidth Latin
        #expect(DisplayWidth.of("한" as Character) == 2)
        #expect(DisplayWidth.of("e\u{301}" as Character) == 1)  // combining acute
        #expect(DisplayWidth.of("👨‍👩‍👧‍👦" as Character) == 2)  // family ZWJ sequence
        #expect(DisplayWidth.of("🇯🇵" as Character) == 2)  // flag
        #expect(DisplayWidth.of("👍🏽" as Character) == 2)  // skin tone modifier
        #expect(DisplayWidth.of("❤️" as Character) == 2)  // text emoji + VS16
        #expect(DisplayWidth.of("❤" as Character) == 1)  // text presentation by default
        #expect(DisplayWidth.of("1️⃣" as Character) == 2)  // keycap
        #expect(DisplayWidth.of("\u{200D}" as Unicode.Scalar) == 0)
        #expect(DisplayWidth.of("\u{FE0F}" as Unicode.Scalar) == 0)
        #expect(DisplayWidth.of("\u{1B}" as Unicode.Scalar) == 0)
        #expect(DisplayWidth.of("🫠" as Character) == 2)  // newer emoji, via the emoji property
    }

    @Test func stringWidthAndTruncation() {
        #expect(DisplayWidth.of("日本語abc") == 9)
        #expect(DisplayWidth.of("cafe\u{301}") == 4)
        #expect(DisplayWidth.truncate("日本語のテキスト", to: 7) == "日本語…")
        #expect(DisplayWidth.truncate("short", to: 10) == "short")
        #expect(DisplayWidth.truncate("abcdef", to: 1) == "…")
    }
}

@Suite struct WrappingTests {
    static func glyphs(_ text: String) -> [Glyph] { Glyph.glyphs(text, SpanStyle(.text)) }

    @Test func wordWrapBreaksAtSpacesAndDropsThem() {
        let lines = LineWrapper.wrap(Self.glyphs("the quick brown fox jumps"), width: 10)
        #expect(lines.map { String($0.glyphs.map(\.character)) } == ["the quick", "brown fox", "jumps"])
        #expect(lines.map(\.offset) == [0, 10, 20])
    }

    @Test func longWordsBreakBetweenClusters() {
        let lines = LineWrapper.wrap(Self.glyphs("abcdefghij xy"), width: 4)
        #expect(lines.map { String($0.glyphs.map(\.character)) } == ["abcd", "efgh", "ij", "xy"])
    }

    @Test func wideCharactersNeverSplitAndNeverOverflow() {
        let lines = LineWrapper.wrap(Self.glyphs("日本語のテキストです"), width: 7)
        #expect(lines.map { String($0.glyphs.map(\.character)) } == ["日本語", "のテキ", "ストで", "す"])
        // Closing punctuation stays with the character before it.
        let punctuated = LineWrapper.wrap(Self.glyphs("食べたい。です"), width: 8)
        #expect(punctuated.map { String($0.glyphs.map(\.character)) } == ["食べた", "い。です"])
        // Hangul wraps at spaces, like Latin words.
        let korean = LineWrapper.wrap(Self.glyphs("한국어 문장도 줄바꿈"), width: 10)
        #expect(korean.map { String($0.glyphs.map(\.character)) } == ["한국어", "문장도", "줄바꿈"])
        for line in lines { #expect(line.glyphs.reduce(0) { $0 + $1.width } <= 7) }
    }

    @Test func clustersStayWhole() {
        let text = "👨‍👩‍👧‍👦🇯🇵🇫🇷e\u{301}e\u{301}"
        let lines = LineWrapper.wrap(Self.glyphs(text), width: 3)
        #expect(lines.map { String($0.glyphs.map(\.character)) } == ["👨‍👩‍👧‍👦", "🇯🇵", "🇫🇷", "éé"])
    }

    @Test func prefixesIndentContinuationLines() {
        let lines = LineWrapper.wrap(Self.glyphs("one two three"), width: 9,
                                     firstPrefix: Self.glyphs("• "), nextPrefix: Self.glyphs("  "))
        #expect(lines.map { String($0.glyphs.map(\.character)) } == ["• one two", "  three"])
    }

    @Test func hardWrapForCode() {
        let lines = LineWrapper.hardWrap(Self.glyphs("let x = 1 + 2"), width: 6, prefix: Self.glyphs(" "))
        #expect(lines.map { String($0.glyphs.map(\.character)) } == [" let x", "  = 1 ", " + 2"])
    }

    @Test func plainNotesHangWrappedLinesUnderTheirText() {
        let note = """
            Commands:
              /attach PATH…     attach text files to your next message (Tab completes paths)
              /sessions [N|ID]  list earlier sessions, or resume one
            Keys:
              Enter send · Alt-Enter or Ctrl-J new line · Up/Down history · Tab complete
            * nook-dark — the default dark theme, with soft colours for long sessions
              solarized-dark — Ethan Schoonover's palette on its dark background
            - a bullet written by hand that goes on for a while
            plain prose at the margin wraps back to the margin as it always did
            Hi.  Two spaces after a full stop in prose at the margin are not a column.
            """
        var view = TranscriptView(transcript: Transcript(messages: [
            TranscriptMessage(role: .system, label: "nook", text: note, format: .plain),
        ]))
        var out = ""
        for width in [44, 30] {
            var transcript = view.transcript
            let screen = MemoryScreen(size: TerminalSize(columns: width, rows: transcript.lineCount(of: 0, width: width)))
            view.render(into: screen, top: 0, size: screen.size, theme: Theme.nookDark.resolved(for: .ansi256))
            for line in screen.lines { #expect(DisplayWidth.of(line) <= width) }
            out += screen.plainSnapshot() + "\n"
            if width == 44 {
                let lines = screen.lines
                // The help text's second column, 2 + 16 + 2 columns into the note, holds its wrapped lines.
                let column = String(repeating: " ", count: 2 + 20)
                #expect(lines.contains("    /attach PATH…     attach text files to"))
                #expect(lines.contains(column + "your next message (Tab"))
                #expect(lines.contains(column + "completes paths)"))
                #expect(lines.contains("    Enter send · Alt-Enter or Ctrl-J new"))
                #expect(lines.contains("    line · Up/Down history · Tab complete"))
                #expect(lines.contains("    soft colours for long sessions"))
                #expect(lines.contains("    palette on its dark background"))
                #expect(lines.contains("    for a while"))
                #expect(lines.contains("  the margin as it always did"))
                #expect(lines.contains("  at the margin are not a column."))
            }
        }
        Golden.check(out, named: "plain-hanging-indent")
    }

    @Test func internationalTextGolden() {
        var view = TranscriptView(transcript: Transcript(messages: [
            TranscriptMessage(role: .user, label: "you", text: "東京で美味しいラーメンを食べたいです。おすすめはありますか？ Tokyo ramen!"),
            TranscriptMessage(role: .assistant, label: "nook", text: "家族 👨‍👩‍👧‍👦 and flags 🇯🇵🇫🇷🇧🇷 stay whole; thumbs 👍🏽👍🏽👍🏽 too."),
            TranscriptMessage(role: .assistant, label: "nook", text: "Combining: cafe\u{301} nai\u{308}ve Ångstro\u{308}m — Z\u{335}\u{321}a\u{334}l\u{336}g\u{337}o."),
            TranscriptMessage(role: .user, label: "you", text: "한국어 문장도 줄바꿈이 잘 됩니다. 中文也可以。"),
        ]))
        var out = ""
        for width in [24, 17] {
            let screen = MemoryScreen(size: TerminalSize(columns: width, rows: 24))
            view.render(into: screen, top: 0, size: screen.size, theme: Theme.nookDark.resolved(for: .ansi256))
            for line in screen.lines { #expect(DisplayWidth.of(line) <= width) }
            out += screen.plainSnapshot() + "\n"
        }
        Golden.check(out, named: "wrap-international")
    }
}
