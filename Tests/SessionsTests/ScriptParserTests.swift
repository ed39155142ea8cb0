import Foundation
import Testing
@testable import Sessions

@Suite struct ScriptParserTests {
    let url = URL(fileURLWithPath: "/scripts/demo.nook")

    func parse(_ text: String) throws -> [ScriptAction] {
        try ScriptParser.parse(text, url: url).steps.map(\.action)
    }

    func error(_ text: String) -> String? {
        do {
            _ = try ScriptParser.parse(text, url: url)
            return nil
        } catch {
            return "\(error)"
        }
    }

    @Test func paragraphsAreMessagesAndCommandsAreSteps() throws {
        let script = try ScriptParser.parse("""
        # A comment before anything.
        /persona tutor
        /seed 42
        /temp 0.25
        Hello there,
        this message spans two lines.

        /expect Hi!\\nHow are you?
        /expect-contains Hi
        /attach notes/today.txt
        /attach /abs/photo.png
        What do these say?
        # comments inside a paragraph are skipped
        Thanks.
        /system Answer in French.\\tOnly French.
        //slash at the start
        \\# not a comment
        /theme solarized-dark
        /new

        Last message
        """, url: url)
        #expect(script.steps.map(\.line) == [2, 3, 4, 5, 8, 9, 12, 15, 16, 18, 19, 21])
        #expect(script.steps.map(\.action) == [
            .persona("tutor"),
            .seed(42),
            .temperature(0.25),
            .message("Hello there,\nthis message spans two lines.", attachments: []),
            .expect("Hi!\nHow are you?"),
            .expectContains("Hi"),
            .message("What do these say?\nThanks.", attachments: [
                ScriptAttachment(url: URL(fileURLWithPath: "/scripts/notes/today.txt"), line: 10),
                ScriptAttachment(url: URL(fileURLWithPath: "/abs/photo.png"), line: 11),
            ]),
            .system("Answer in French.\tOnly French."),
            .message("/slash at the start\n# not a comment", attachments: []),
            .theme("solarized-dark"),
            .new,
            .message("Last message", attachments: []),
        ])
        #expect(script.location(7) == "/scripts/demo.nook:7")
    }

    @Test func windowsLineEndingsAndBlankLinesWithSpacesWork() throws {
        #expect(try parse("one\r\n  \r\ntwo\r\n") == [.message("one", attachments: []), .message("two", attachments: [])])
        #expect(try parse("") == [])
    }

    @Test func errorsNameTheFileAndLine() {
        #expect(error("hello\n/frobnicate now") == "/scripts/demo.nook:2: unknown command /frobnicate (known: /persona, /theme, /attach, /expect, /expect-contains, /seed, /temp, /system, /new; start the line with // to send a message beginning with /)")
        #expect(error("hi\n/seed -1") == "/scripts/demo.nook:2: /seed needs a whole number from 0 to 18446744073709551615, got '-1'")
        #expect(error("/seed") == "/scripts/demo.nook:1: /seed needs a whole number from 0 to 18446744073709551615, got ''")
        #expect(error("/temp hot") == "/scripts/demo.nook:1: /temp needs a number of 0 or more, got 'hot'")
        #expect(error("/temp -0.5") == "/scripts/demo.nook:1: /temp needs a number of 0 or more, got '-0.5'")
        #expect(error("/persona two words") == "/scripts/demo.nook:1: /persona needs one name without spaces")
        #expect(error("/theme") == "/scripts/demo.nook:1: /theme needs one name without spaces")
        #expect(error("/expect hi") == "/scripts/demo.nook:1: /expect comes before any message, so there is no reply to check")
        #expect(error("a\n/new\n/expect-contains x") == "/scripts/demo.nook:3: /expect-contains comes before any message, so there is no reply to check")
        #expect(error("a\n/expect") == "/scripts/demo.nook:2: /expect needs the expected text")
        #expect(error("a\n/expect bad \\q escape") == "/scripts/demo.nook:2: unknown escape \\q (use \\n, \\t or \\\\)")
        #expect(error("/system") == "/scripts/demo.nook:1: /system needs the prompt text")
        #expect(error("/new please") == "/scripts/demo.nook:1: /new takes no argument")
        #expect(error("/attach") == "/scripts/demo.nook:1: /attach needs a file path")
        #expect(error("hi\n\n/attach a.txt\n# nothing after") == "/scripts/demo.nook:3: /attach has no message after it")
        #expect(error("hi\n/attach a.txt\n/expect x\nho") == "/scripts/demo.nook:3: /expect between /attach and its message")
        #expect(error("/attach a.txt\n/new\nhi") == "/scripts/demo.nook:2: /new between /attach and its message")
    }

    @Test func scriptFilesAreReadFromDisk() throws {
        let dir = try TempFolder()
        let file = try dir.write("s.nook", "/attach data.txt\nsummarise\n")
        let script = try ScriptParser.parse(contentsOf: file)
        #expect(script.steps.first?.action == .message("summarise", attachments: [
            ScriptAttachment(url: dir.file("data.txt").standardizedFileURL, line: 1)]))
        let missing = dir.file("none.nook")
        #expect(throws: ScriptError(file: missing.path, line: 0, message: "cannot read script")) {
            try ScriptParser.parse(contentsOf: missing)
        }
    }
}
