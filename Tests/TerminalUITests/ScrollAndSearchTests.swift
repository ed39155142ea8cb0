import Testing
@testable import TerminalUI

@Suite struct ScrollAndSearchTests {
    /// A transcript of numbered paragraphs long enough to wrap differently at each width.
    static func longChat() -> ChatView {
        var transcript = Transcript()
        for n in 1...12 {
            transcript.append(TranscriptMessage(role: n % 2 == 1 ? .user : .assistant, label: n % 2 == 1 ? "you" : "nook",
                                                text: "Message \(n): the quick brown fox jumps over the lazy dog while the search word apple appears here."))
        }
        var editor = InputEditor()
        editor.placeholder = "Message"
        return ChatView(transcript: transcript, editor: editor, status: StatusInfo(model: "m", contextUsed: 10, contextLimit: 100))
    }

    static let theme = Theme.nookDark.resolved(for: .ansi256)

    static func following(_ chat: ChatView) -> Bool { chat.transcriptView.isFollowingBottom }

    static func render(_ chat: inout ChatView, _ columns: Int, _ rows: Int) -> MemoryScreen {
        let screen = MemoryScreen(size: TerminalSize(columns: columns, rows: rows))
        chat.render(into: screen, theme: theme)
        return screen
    }

    @Test func followsTheBottomWhileStreaming() {
        var chat = Self.longChat()
        _ = Self.render(&chat, 50, 12)
        chat.transcript.append(TranscriptMessage(role: .assistant, label: "nook", text: "", isStreaming: true))
        for piece in ["Streaming ", "text arrives ", "piece by piece ", "and stays in view."] {
            chat.transcript.appendText(piece)
        }
        let screen = Self.render(&chat, 50, 12)
        #expect(screen.lines[8] == "  Streaming text arrives piece by piece and stays")
        #expect(screen.lines[9] == "  in view.")
        #expect(screen.lines[7] == "nook …")
    }

    @Test func streamingReLaysOnlyTheTailButMatchesAFullLayout() {
        let text = "Intro **bold**\n```swift\nlet a = \"x\" /* open\nstill comment */ 1\n```\n- item one\n- item two"
        var incremental = Transcript(messages: [TranscriptMessage(role: .assistant, text: "")])
        _ = incremental.lines(of: 0, width: 30)
        var index = text.startIndex
        while index < text.endIndex {
            let next = text.index(index, offsetBy: 3, limitedBy: text.endIndex) ?? text.endIndex
            incremental.appendText(String(text[index..<next]))
            _ = incremental.lines(of: 0, width: 30)
            index = next
        }
        var full = Transcript(messages: [TranscriptMessage(role: .assistant, text: text)])
        #expect(incremental.lines(of: 0, width: 30) == full.lines(of: 0, width: 30))
    }

    @Test func carriageReturnsDoNotHideLineBreaks() {
        var transcript = Transcript(messages: [TranscriptMessage(role: .assistant, text: "one\r\ntwo")])
        transcript.appendText("\r")
        transcript.appendText("\nthree")
        #expect(transcript.messages[0].text == "one\ntwo\nthree")
        #expect(transcript.lines(of: 0, width: 20).map(\.text) == ["assistant", "  one", "  two", "  three"])
    }

    @Test func pagingAndScrollingStopFollowing() {
        var chat = Self.longChat()
        _ = Self.render(&chat, 50, 12)
        #expect(Self.following(chat))
        _ = chat.handle(.key(KeyPress(.pageUp)))
        #expect(!Self.following(chat))
        var screen = Self.render(&chat, 50, 12)
        #expect(screen.lines[9].contains("↓ 8 more"))
        // New output does not move an anchored view.
        let before = screen.lines
        chat.transcript.append(TranscriptMessage(role: .assistant, label: "nook", text: "late reply"))
        screen = Self.render(&chat, 50, 12)
        #expect(Array(screen.lines[0..<8]) == Array(before[0..<8]))
        _ = chat.handle(.mouse(MouseEvent(.wheelDown, at: Position(row: 0, column: 0))))
        _ = chat.handle(.key(KeyPress(.pageDown)))
        _ = chat.handle(.key(KeyPress(.pageDown)))
        #expect(Self.following(chat))
        _ = chat.handle(.key(KeyPress(.home, .control)))
        screen = Self.render(&chat, 50, 12)
        #expect(screen.lines[0] == "you")
        // Home/End scroll when the editor is empty, and edit when it is not.
        _ = chat.handle(.key(KeyPress(.end)))
        #expect(Self.following(chat))
        _ = chat.handle(.text("abc"))
        _ = chat.handle(.key(KeyPress(.home)))
        #expect(Self.following(chat))
        #expect(chat.editor.cursor == 0)
    }

    @Test func resizeKeepsTheTopLine() {
        var chat = Self.longChat()
        _ = Self.render(&chat, 60, 14)
        for _ in 0..<3 { _ = chat.handle(.key(KeyPress(.pageUp))) }
        chat.transcriptView.scroll(by: 5)
        let wide = Self.render(&chat, 60, 14)
        let topWide = wide.lines[0]
        #expect(topWide == "  while the search word apple appears here.")
        #expect(wide.lines[1] == "")
        #expect(wide.lines[2] == "nook")
        var out = wide.plainSnapshot() + "\n"
        // Other sizes: the message re-wraps, and the line holding the same text is at the top.
        for (columns, rows) in [(40, 10), (100, 20), (60, 14)] {
            _ = chat.handle(.resize(TerminalSize(columns: columns, rows: rows)))
            let screen = Self.render(&chat, columns, rows)
            out += screen.plainSnapshot() + "\n"
            // The top line is the one holding the anchored text ("while") of message 3.
            #expect(screen.lines[0].contains("while"), "\(columns)x\(rows)")
            #expect(!screen.lines[0].contains("Message 4"), "\(columns)x\(rows)")
        }
        #expect(Self.render(&chat, 60, 14).lines == wide.lines)
        Golden.check(out, named: "scroll-resize")
    }

    @Test func resizeWhileFollowingStaysAtTheBottom() {
        var chat = Self.longChat()
        _ = Self.render(&chat, 60, 14)
        for (columns, rows) in [(40, 10), (120, 30)] {
            let screen = Self.render(&chat, columns, rows)
            #expect(screen.lines[rows - 3].hasSuffix("appears here."))
        }
    }

    @Test func searchHighlightsAndNavigates() {
        var chat = Self.longChat()
        _ = Self.render(&chat, 50, 12)
        _ = chat.handle(.key(.control("f")))
        #expect(chat.isSearching)
        _ = chat.handle(.text("APPLE"))
        var search = chat.transcriptView.search
        #expect(search?.matches.count == 12)
        #expect(search?.current == 11)
        var screen = Self.render(&chat, 50, 12)
        var out = screen.snapshot() + "\n"
        #expect(screen.lines[11].hasPrefix("search: APPLE  12/12"))
        // Older match: scrolls up to reveal it.
        _ = chat.handle(.key(KeyPress(.enter)))
        _ = chat.handle(.key(KeyPress(.up)))
        _ = chat.handle(.key(KeyPress(.up)))
        _ = chat.handle(.key(KeyPress(.up)))
        search = chat.transcriptView.search
        #expect(search?.current == 7)
        screen = Self.render(&chat, 50, 12)
        out += screen.snapshot() + "\n"
        #expect(screen.lines.contains { $0.contains("Message 8:") })
        // Newer match, wrapping around from the last to the first.
        for _ in 0..<5 { _ = chat.handle(.key(KeyPress(.down))) }
        #expect(chat.transcriptView.search?.current == 0)
        screen = Self.render(&chat, 50, 12)
        #expect(screen.lines.contains { $0.contains("Message 1:") })
        // No match.
        _ = chat.handle(.text("zzz"))
        screen = Self.render(&chat, 50, 12)
        #expect(screen.lines[11].hasPrefix("search: APPLEzzz  no matches"))
        // Esc closes; the input editor comes back.
        _ = chat.handle(.key(KeyPress(.escape)))
        #expect(!chat.isSearching)
        screen = Self.render(&chat, 50, 12)
        out += screen.plainSnapshot()
        #expect(screen.lines[11] == "› Message")
        Golden.check(out, named: "search")
    }

    @Test func chatActions() {
        var chat = Self.longChat()
        #expect(chat.handle(.key(.control("c"))) == .interrupt)
        #expect(chat.handle(.key(.control("d"))) == .endOfInput)
        #expect(chat.handle(.key(KeyPress(.escape))) == .cancel)
        #expect(chat.handle(.key(.control("l"))) == .redraw)
        _ = chat.handle(.key(KeyPress(.pageUp)))
        _ = chat.handle(.text("hi"))
        #expect(chat.handle(.key(.control("d"))) == nil)
        #expect(chat.handle(.key(KeyPress(.enter))) == .submit("hi"))
        #expect(Self.following(chat))
    }
}

