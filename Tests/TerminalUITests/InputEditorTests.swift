import Foundation
import Testing
@testable import TerminalUI

@Suite struct InputEditorTests {
    /// Feeds raw terminal bytes through the key parser into an editor.
    static func type(_ bytes: String, into editor: inout InputEditor) -> [EditorAction] {
        var parser = KeyParser()
        return (parser.feed(Array(bytes.utf8)) + parser.flush()).map { editor.handle($0) }
    }

    static func state(_ editor: InputEditor) -> String {
        var chars = editor.characters.map(String.init)
        chars.insert("|", at: editor.cursor)
        return chars.joined()
    }

    @Test func emacsKeys() {
        var editor = InputEditor()
        _ = Self.type("hello big world", into: &editor)
        #expect(Self.state(editor) == "hello big world|")
        _ = Self.type("\u{1B}b", into: &editor)  // Alt-B
        #expect(Self.state(editor) == "hello big |world")
        _ = Self.type("\u{1B}b\u{1B}b", into: &editor)
        #expect(Self.state(editor) == "|hello big world")
        _ = Self.type("\u{1B}f", into: &editor)  // Alt-F
        #expect(Self.state(editor) == "hello| big world")
        _ = Self.type("\u{05}", into: &editor)  // Ctrl-E
        #expect(Self.state(editor) == "hello big world|")
        _ = Self.type("\u{17}", into: &editor)  // Ctrl-W
        #expect(Self.state(editor) == "hello big |")
        _ = Self.type("\u{19}", into: &editor)  // Ctrl-Y yanks it back
        #expect(Self.state(editor) == "hello big world|")
        _ = Self.type("\u{01}", into: &editor)  // Ctrl-A
        #expect(Self.state(editor) == "|hello big world")
        _ = Self.type("\u{1B}[C\u{1B}[C\u{0B}", into: &editor)  // Right Right Ctrl-K
        #expect(Self.state(editor) == "he|")
        _ = Self.type("\u{15}", into: &editor)  // Ctrl-U
        #expect(Self.state(editor) == "|")
    }

    @Test func backspaceAndDeleteRemoveWholeClusters() {
        var editor = InputEditor()
        _ = Self.type("a👨‍👩‍👧‍👦e\u{301}🇯🇵", into: &editor)
        #expect(editor.characters.count == 4)
        _ = Self.type("\u{7F}", into: &editor)
        #expect(Self.state(editor) == "a👨‍👩‍👧‍👦é|")
        _ = Self.type("\u{1B}[D\u{1B}[D\u{1B}[3~", into: &editor)  // Left Left Delete
        #expect(Self.state(editor) == "a|é")
        _ = Self.type("\u{1B}[H\u{04}", into: &editor)  // Home Ctrl-D
        #expect(Self.state(editor) == "|é")
    }

    @Test func combiningMarkJoinsTheClusterBeforeIt() {
        var editor = InputEditor()
        _ = Self.type("e", into: &editor)
        _ = editor.handle(.text("\u{301}"))
        #expect(editor.characters == ["é"])
        #expect(editor.cursor == 1)
    }

    @Test func enterSendsAndNewlineKeysInsert() {
        var editor = InputEditor()
        let actions = Self.type("one\u{1B}\rtwo\nthree\u{1B}[13;2ufour\r", into: &editor)
        #expect(actions.last == .submit("one\ntwo\nthree\nfour"))
        #expect(editor.isEmpty)
        #expect(editor.history == ["one\ntwo\nthree\nfour"])
        // Blank input is not sent.
        #expect(Self.type("   \r", into: &editor).last == .handled)
    }

    @Test func pasteStaysOneMessage() {
        var editor = InputEditor()
        let actions = Self.type("see: \u{1B}[200~line 1\r\nline 2\tx\r\u{1B}[201~", into: &editor)
        #expect(!actions.contains { if case .submit = $0 { return true } else { return false } })
        #expect(editor.text == "see: line 1\nline 2\tx")
        #expect(Self.type("\r", into: &editor).last == .submit("see: line 1\nline 2\tx"))
    }

    @Test func aPastedBlocksTrailingNewlinesAreDropped() {
        var editor = InputEditor()
        _ = Self.type("\u{1B}[200~one\r\n\r\ntwo\r\n\u{1B}[201~", into: &editor)
        #expect(Self.state(editor) == "one\n\ntwo|")
        #expect(editor.layout(width: 40).lines.count == 3)
        _ = Self.type("\u{1B}[200~ three\n\n\u{1B}[201~", into: &editor)
        #expect(Self.state(editor) == "one\n\ntwo three|")
        // A paste of nothing but line breaks inserts nothing.
        _ = Self.type("\u{1B}[200~\r\n\u{1B}[201~", into: &editor)
        #expect(Self.state(editor) == "one\n\ntwo three|")
        // Typed line breaks are kept.
        _ = Self.type("\u{1B}\r", into: &editor)
        #expect(Self.state(editor) == "one\n\ntwo three\n|")
    }

    @Test func historyWithDraft() {
        var editor = InputEditor(history: ["first", "second"])
        _ = Self.type("draft", into: &editor)
        _ = Self.type("\u{1B}[A", into: &editor)
        #expect(editor.text == "second")
        _ = Self.type("\u{1B}[A\u{1B}[A", into: &editor)
        #expect(editor.text == "first")
        _ = Self.type("\u{1B}[B", into: &editor)
        #expect(editor.text == "second")
        _ = Self.type("\u{1B}[B", into: &editor)
        #expect(editor.text == "draft")
    }

    @Test func upDownMoveBetweenLinesBeforeHistory() {
        var editor = InputEditor(history: ["old"])
        _ = Self.type("abcdef\u{1B}\rxy", into: &editor)
        _ = Self.type("\u{1B}[A", into: &editor)
        #expect(Self.state(editor) == "ab|cdef\nxy")
        _ = Self.type("\u{1B}[B", into: &editor)
        #expect(Self.state(editor) == "abcdef\nxy|")
        _ = Self.type("\u{1B}[A\u{1B}[A", into: &editor)
        #expect(editor.text == "old")
    }

    @Test func tabCompletion() {
        let completer = CommandCompleter(commands: ["/attach", "/clear", "/help", "/theme", "/persona"],
                                         arguments: ["/theme": WordListCompleter(["nook-dark", "nook-light", "gruvbox-dark"])])
        var editor = InputEditor(completer: completer)
        _ = Self.type("/th\t", into: &editor)
        #expect(editor.text == "/theme ")
        _ = Self.type("no\t", into: &editor)
        #expect(editor.text == "/theme nook-")
        #expect(editor.completionMenu?.candidates.map(\.text) == ["nook-dark", "nook-light"])
        _ = Self.type("\t", into: &editor)
        #expect(editor.text == "/theme nook-dark")
        _ = Self.type("\t", into: &editor)
        #expect(editor.text == "/theme nook-light")
        #expect(editor.completionMenu?.selected == 1)
        _ = Self.type("\u{1B}[Z", into: &editor)  // Shift-Tab goes back
        #expect(editor.text == "/theme nook-dark")
        _ = Self.type("!", into: &editor)  // typing closes the list
        #expect(editor.completionMenu == nil)
        #expect(editor.text == "/theme nook-dark!")
    }

    @Test func rendersWrappedAndScrolled() {
        var editor = InputEditor()
        editor.maxVisibleLines = 3
        _ = Self.type("first line\u{1B}\r日本語のテキストがとても長いです\u{1B}\rthird\u{1B}\rfourth", into: &editor)
        let theme = Theme.nookDark.resolved(for: .ansi256)
        var out = ""
        for width in [30, 16] {
            let height = editor.preferredHeight(width: width)
            let screen = MemoryScreen(size: TerminalSize(columns: width, rows: height))
            let cursor = editor.render(into: screen, top: 0, width: width, height: height, theme: theme)
            screen.setCursor(cursor)
            out += screen.plainSnapshot() + "\n"
        }
        _ = Self.type("\u{1B}[A\u{1B}[A\u{1B}[A\u{01}", into: &editor)
        let screen = MemoryScreen(size: TerminalSize(columns: 16, rows: 3))
        screen.setCursor(editor.render(into: screen, top: 0, width: 16, height: 3, theme: theme))
        out += screen.plainSnapshot()
        Golden.check(out, named: "input-editor")
        #expect(screen.cursor == Position(row: 0, column: 2))
    }

    /// The text of each screen line of the editor's layout.
    static func screenLines(_ editor: InputEditor, width: Int) -> [String] {
        editor.layout(width: width).lines.map { String(editor.characters[$0.start..<$0.end]) }
    }

    @Test func wrapsAtWordsLikeTheTranscript() {
        var editor = InputEditor()
        editor.text = "the quick brown fox jumps over"
        // 14 columns: the prompt takes 2 and the last stays free for the cursor, so 11 for text.
        #expect(Self.screenLines(editor, width: 14) == ["the quick ", "brown fox ", "jumps over"])
        // A word longer than a line is broken between clusters.
        editor.text = "abcdefghijklmnop xy"
        #expect(Self.screenLines(editor, width: 8) == ["abcde", "fghij", "klmno", "p xy"])
        // Wide characters break on either side, closing punctuation stays with the one before it.
        editor.text = "食べたい。です"
        #expect(Self.screenLines(editor, width: 11) == ["食べた", "い。です"])
        editor.text = "한국어 문장도 줄바꿈"
        #expect(Self.screenLines(editor, width: 11) == ["한국어 ", "문장도 ", "줄바꿈"])
        editor.text = "say 👨‍👩‍👧‍👦🇯🇵 ok"
        #expect(Self.screenLines(editor, width: 9) == ["say 👨‍👩‍👧‍👦", "🇯🇵 ok"])
        // Every line fits, the cursor column included.
        for text in ["the quick brown fox jumps over", "a  b   c    d     e      f", "日本語 and English mixed 混在"] {
            editor.text = text
            for width in 5...20 {
                let layout = editor.layout(width: width)
                for line in layout.lines {
                    let used = editor.characters[line.start..<line.end].reduce(line.prefixWidth) { $0 + InputEditor.width(of: $1) }
                    #expect(used <= width, "\(text) at \(width)")
                }
                #expect(layout.cursor.column <= width - 1, "\(text) at \(width)")
                #expect(layout.lines.map { $0.end - $0.start }.reduce(0, +) == editor.characters.count, "\(text) at \(width)")
            }
        }
    }

    @Test func cursorAndUpDownFollowTheWordWrappedLines() {
        var editor = InputEditor()
        editor.lastWidth = 14
        editor.text = "the quick brown fox jumps over"
        #expect(editor.layout(width: 14).cursor == (2, 12))
        _ = Self.type("\u{1B}[A", into: &editor)
        // Up stops before the space that ends the line above rather than slipping onto the next.
        #expect(Self.state(editor) == "the quick brown fox| jumps over")
        #expect(editor.layout(width: 14).cursor == (1, 11))
        _ = Self.type("\u{1B}[A", into: &editor)
        #expect(Self.state(editor) == "the quick| brown fox jumps over")
        _ = Self.type("\u{1B}[B\u{1B}[B", into: &editor)
        #expect(Self.state(editor) == "the quick brown fox jumps ove|r")
        // The start of a wrapped line is at its first column, not after the line above.
        _ = Self.type("\u{01}", into: &editor)
        for _ in 0..<10 { _ = Self.type("\u{1B}[C", into: &editor) }
        #expect(Self.state(editor) == "the quick |brown fox jumps over")
        #expect(editor.layout(width: 14).cursor == (1, 2))
        _ = Self.type("\u{1B}[D", into: &editor)
        #expect(editor.layout(width: 14).cursor == (0, 11))
    }

    @Test func rendersWordWrappedAndScrolled() {
        var editor = InputEditor()
        editor.maxVisibleLines = 3
        _ = Self.type("Please summarise the attached notes in three short bullet points, then suggest a title.", into: &editor)
        let theme = Theme.nookDark.resolved(for: .ansi256)
        var out = ""
        for width in [40, 24] {
            let height = editor.preferredHeight(width: width)
            let screen = MemoryScreen(size: TerminalSize(columns: width, rows: height))
            screen.setCursor(editor.render(into: screen, top: 0, width: width, height: height, theme: theme))
            out += screen.plainSnapshot() + "\n"
            // Only whole words are on show.
            let words = Set(editor.text.split(separator: " "))
            for line in screen.lines {
                let text = line.replacingOccurrences(of: "↑", with: " ").replacingOccurrences(of: "↓", with: " ")
                for word in text.split(separator: " ") where !["›", "┆"].contains(word) {
                    #expect(words.contains(word), "\(word) at \(width)")
                }
            }
        }
        _ = Self.type("\u{1B}[A\u{1B}[A\u{1B}[A", into: &editor)
        let screen = MemoryScreen(size: TerminalSize(columns: 24, rows: 3))
        screen.setCursor(editor.render(into: screen, top: 0, width: 24, height: 3, theme: theme))
        out += screen.plainSnapshot()
        Golden.check(out, named: "input-editor-words")
    }

    @Test func pathCompletion() throws {
        let base = FileManager.default.temporaryDirectory.appendingPathComponent("nook-tui-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: base.appendingPathComponent("notes"), withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: base) }
        for name in ["notes/a.txt", "photo.png", "photo2.png", ".hidden"] {
            try Data("x".utf8).write(to: base.appendingPathComponent(name))
        }
        let completer = PathCompleter(baseDirectory: base.path, homeDirectory: base.path)
        #expect(completer.complete("ph")?.candidates.map(\.text) == ["photo.png", "photo2.png"])
        #expect(completer.complete("no")?.candidates == [CompletionCandidate("notes/", display: "notes/", isFinal: false)])
        #expect(completer.complete("notes/")?.candidates.map(\.text) == ["notes/a.txt"])
        #expect(completer.complete("~/notes/a")?.candidates.map(\.text) == ["~/notes/a.txt"])
        #expect(completer.complete("")?.candidates.map(\.text) == ["notes/", "photo.png", "photo2.png"])
        #expect(completer.complete(".h")?.candidates.map(\.text) == [".hidden"])
        #expect(completer.complete("zzz") == nil)
        // A folder, or nothing, with no name typed after it is listed before anything is picked.
        #expect(completer.complete("")?.listsFirst == true)
        #expect(completer.complete("notes/")?.listsFirst == true)
        #expect(completer.complete("ph")?.listsFirst == false)
        #expect(completer.complete(base.path + "/pho")?.replacing == (base.path + "/pho").count)

        var editor = InputEditor(completer: CommandCompleter(commands: ["/attach"], arguments: ["/attach": completer]))
        _ = Self.type("/attach no\ta\t", into: &editor)
        #expect(editor.text == "/attach notes/a.txt ")
        editor.text = "/attach "
        _ = Self.type("\t", into: &editor)
        #expect(editor.text == "/attach ")
        #expect(editor.completionMenu?.candidates.map(\.display) == ["notes/", "photo.png", "photo2.png"])
        #expect(editor.completionMenu?.selected == nil)
        _ = Self.type("\t", into: &editor)
        #expect(editor.text == "/attach notes/")
        #expect(editor.completionMenu?.selected == 0)
    }
}
