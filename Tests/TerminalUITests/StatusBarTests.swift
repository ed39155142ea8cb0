import Testing
@testable import TerminalUI

@Suite struct StatusBarTests {
    @Test func compactNumbers() {
        #expect(StatusBar.compact(950) == "950")
        #expect(StatusBar.compact(1234) == "1.2k")
        #expect(StatusBar.compact(8192) == "8.2k")
        #expect(StatusBar.compact(32768) == "33k")
        #expect(StatusBar.compact(131072) == "131k")
        #expect(StatusBar.compact(1_500_000) == "1.5M")
    }

    @Test func aNoticeOutlastsEverythingButTheModel() {
        var info = Fixtures.status
        info.notice = "not saved"
        #expect(StatusBar.text(info, width: 120).hasPrefix(" not saved · "))
        for width in [60, 40, 30, 24] {
            let text = StatusBar.text(info, width: width)
            #expect(DisplayWidth.of(text) == width)
            #expect(text.contains("not saved"), "width \(width): \(text)")
            #expect(!text.contains("ctx") || width >= 40, "width \(width): the context goes before the notice")
        }
        for width in [12, 5, 1] { #expect(DisplayWidth.of(StatusBar.text(info, width: width)) == width) }
    }

    @Test func contentAtEveryWidth() {
        var out = ""
        for width in [120, 100, 80, 70, 60, 50, 40, 30, 20, 12, 5, 1] {
            let text = StatusBar.text(Fixtures.status, width: width)
            #expect(DisplayWidth.of(text) == width, "width \(width)")
            out += String(width).padding(3) + " |" + text + "|\n"
        }
        var busy = Fixtures.status
        busy.activity = "generating…"
        busy.contextUsed = 7900
        busy.tokensPerSecond = nil
        busy.attachments = 3
        for width in [100, 60, 40] {
            out += String(width).padding(3) + " |" + StatusBar.text(busy, width: width) + "|\n"
        }
        Golden.check(out, named: "status-bar")
        // Everything fits at 120 columns.
        let wide = StatusBar.text(Fixtures.status, width: 120)
        for part in ["qwen2.5-0.5b-instruct-q8_0", "coder", "ada", "1 file", "23.5 tok/s", "ctx 1.2k/8.2k 15%"] {
            #expect(wide.contains(part))
        }
        // The context count outlives the persona and the speed at 40 columns.
        let narrow = StatusBar.text(Fixtures.status, width: 40)
        #expect(narrow.contains("ctx 1.2k/8.2k"))
        #expect(!narrow.contains("coder"))
        #expect(!narrow.contains("tok/s"))
    }

    @Test func highContextUseIsAccented() {
        var info = Fixtures.status
        info.contextUsed = 7900
        let pieces = StatusBar.layout(info, width: 120)
        #expect(pieces.contains { $0.text == "ctx 7.9k/8.2k 96%" && $0.accent })
    }

    @Test func statusRowStyles() {
        let screen = MemoryScreen(size: TerminalSize(columns: 60, rows: 1))
        StatusBar.render(Fixtures.status, into: screen, row: 0, width: 60, theme: Theme.nookDark.resolved(for: .ansi256))
        Golden.check(screen.snapshot(), named: "status-bar-styles")
    }
}

extension String {
    func padding(_ width: Int) -> String { String(repeating: " ", count: max(0, width - count)) + self }
}
