import Testing
@testable import TerminalUI

@Suite struct MarkdownTests {
    static func render(_ text: String, columns: Int = 60, rows: Int? = nil, role: TranscriptRole = .assistant) -> MemoryScreen {
        var view = TranscriptView(transcript: Transcript(messages: [TranscriptMessage(role: role, label: "nook", text: text)]))
        var t = view.transcript
        let height = rows ?? t.lineCount(of: 0, width: columns)
        let screen = MemoryScreen(size: TerminalSize(columns: columns, rows: height))
        view.render(into: screen, top: 0, size: screen.size, theme: Theme.nookDark.resolved(for: .truecolor))
        return screen
    }

    @Test func inlineMarkup() {
        let glyphs = InlineMarkdown.glyphs("a **bold** and `co*de*` and *it* 2 * 3 **open", base: SpanStyle(.text))
        #expect(String(glyphs.map(\.character)) == "a bold and co*de* and it 2 * 3 **open")
        let bold = glyphs.filter(\.style.bold).map(\.character)
        #expect(String(bold) == "bold")
        let code = glyphs.filter { $0.style.role == .inlineCode }.map(\.character)
        #expect(String(code) == "co*de*")
        let italic = glyphs.filter(\.style.italic).map(\.character)
        #expect(String(italic) == "it")
        // snake_case is not emphasis; escapes are literal.
        let snake = InlineMarkdown.glyphs("__init__ and snake__case__x \\*x\\*", base: SpanStyle(.text))
        #expect(String(snake.map(\.character)).hasSuffix("snake__case__x *x*"))
    }

    @Test func markdownBlocksGolden() {
        let text = """
            # Heading one
            Plain **bold words** then `inline code` and *emphasis*.
            - first bullet that is long enough to wrap onto a second line
              - nested bullet
            1. numbered item
            10. tenth item wraps with a hanging indent under its text
            > a quoted line
            ---


            After two blank lines (shown as one).
            """
        let screen = Self.render(text, columns: 40)
        Golden.check(screen.snapshot(), named: "markdown-blocks")
        #expect(screen.lines.contains("  • first bullet that is long enough to"))
        #expect(screen.lines.contains("    wrap onto a second line"))
        #expect(screen.lines.contains("      indent under its text"))
    }

    @Test func codeBlocksGolden() {
        let text = """
            ```python
            def greet(name: str) -> None:
                \"\"\"Say hello.\"\"\"
                print(f"hi {name}", 42)  # comment
            ```
            ```json
            {"ok": true, "n": 3.5, "s": null}
            ```
            ```rust
            fn main() { let x: u32 = 0x1F; /* block
            comment */ println!("{}", x); }
            ```
            ```
            no language: plain text that is long enough to be broken between characters
            ```
            """
        let screen = Self.render(text, columns: 44)
        Golden.check(screen.snapshot(), named: "markdown-code-blocks")
        #expect(screen.lines.contains("   python"))
        #expect(screen.lines.contains("   code"))
    }

    @Test func highlighterTokens() {
        func roles(_ line: String, _ language: String, _ state: inout HighlightState) -> String {
            let spec = LanguageSpec.named(language)!
            let chars = Array(line)
            let roles = SyntaxHighlighter.roles(for: chars, language: spec, state: &state)
            let code: [ThemeRole: Character] = [.code: ".", .codeKeyword: "k", .codeString: "s", .codeComment: "c", .codeNumber: "n"]
            return String(roles.map { code[$0] ?? "?" })
        }
        var state = HighlightState.normal
        #expect(roles("let x = 42 // hi", "swift", &state) == "kkk.....nn.ccccc")
        #expect(roles("s = 'a\\'b' # c", "py", &state) == "....ssssss.ccc")
        #expect(roles("const n = 1.5e3;", "ts", &state) == "kkkkk.....nnnnn.")
        #expect(roles("int a; /* x", "c++", &state) == "kkk....cccc")
        #expect(state == .blockComment)
        #expect(roles("y */ return 0;", "cpp", &state) == "ccccskkkkkk.n.".replacingOccurrences(of: "s", with: "."))
        #expect(state == .normal)
        #expect(roles("echo a#b # note", "bash", &state) == "kkkk.....cccccc")
        #expect(roles("x := `raw", "go", &state) == ".....ssss")
        #expect(state == .multilineString("`"))
        #expect(roles("still` + 1", "go", &state) == "ssssss...n")
        #expect(roles("{\"a\": [1, false]}", "json", &state) == ".sss...n..kkkkk..")
        #expect(LanguageSpec.named("TypeScript")?.name == "typescript")
        #expect(LanguageSpec.named("brainfuck") == nil)
    }

    @Test func userMessagesAreLiteral() {
        let screen = Self.render("use **stars** and `ticks`", columns: 40, role: .user)
        #expect(screen.lines.contains("  use **stars** and `ticks`"))
    }
}
