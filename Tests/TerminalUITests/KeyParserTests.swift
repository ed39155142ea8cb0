import Testing
@testable import TerminalUI

@Suite struct KeyParserTests {
    static func parse(_ text: String) -> [InputEvent] {
        var parser = KeyParser()
        return parser.feed(Array(text.utf8)) + parser.flush()
    }

    @Test func printableTextAndControls() {
        #expect(Self.parse("héllo 日本") == [.text("héllo 日本")])
        #expect(Self.parse("a\rb") == [.text("a"), .key(KeyPress(.enter)), .text("b")])
        #expect(Self.parse("\u{01}\u{05}\u{0B}\u{15}\u{17}") == [
            .key(.control("a")), .key(.control("e")), .key(.control("k")), .key(.control("u")), .key(.control("w")),
        ])
        #expect(Self.parse("\n") == [.key(.control("j"))])
        #expect(Self.parse("\t\u{7F}\u{08}") == [.key(KeyPress(.tab)), .key(KeyPress(.backspace)), .key(KeyPress(.backspace))])
        #expect(Self.parse("\u{00}") == [.key(.control(" "))])
    }

    @Test func altKeys() {
        #expect(Self.parse("\u{1B}b\u{1B}f") == [.key(.alt(.character("b"))), .key(.alt(.character("f")))])
        #expect(Self.parse("\u{1B}\r") == [.key(.alt(.enter))])
        #expect(Self.parse("\u{1B}\u{7F}") == [.key(.alt(.backspace))])
        #expect(Self.parse("\u{1B}é") == [.key(.alt(.character("é")))])
    }

    @Test func cursorAndEditingSequences() {
        let cases: [(String, KeyPress)] = [
            ("\u{1B}[A", KeyPress(.up)), ("\u{1B}[B", KeyPress(.down)), ("\u{1B}[C", KeyPress(.right)),
            ("\u{1B}[D", KeyPress(.left)), ("\u{1B}OA", KeyPress(.up)), ("\u{1B}[H", KeyPress(.home)),
            ("\u{1B}[F", KeyPress(.end)), ("\u{1B}OH", KeyPress(.home)), ("\u{1B}[1~", KeyPress(.home)),
            ("\u{1B}[7~", KeyPress(.home)), ("\u{1B}[4~", KeyPress(.end)), ("\u{1B}[8~", KeyPress(.end)),
            ("\u{1B}[3~", KeyPress(.delete)), ("\u{1B}[2~", KeyPress(.insert)), ("\u{1B}[5~", KeyPress(.pageUp)),
            ("\u{1B}[6~", KeyPress(.pageDown)), ("\u{1B}[1;5C", KeyPress(.right, .control)),
            ("\u{1B}[1;3D", KeyPress(.left, .alt)), ("\u{1B}[1;2A", KeyPress(.up, .shift)),
            ("\u{1B}[3;5~", KeyPress(.delete, .control)), ("\u{1B}[Z", KeyPress(.backTab, .shift)),
            ("\u{1B}OP", KeyPress(.function(1))), ("\u{1B}[15~", KeyPress(.function(5))),
            ("\u{1B}[24~", KeyPress(.function(12))), ("\u{1B}[[A", KeyPress(.function(1))),
            ("\u{1B}[27;3;13~", KeyPress(.enter, .alt)), ("\u{1B}[13;2u", KeyPress(.enter, .shift)),
            ("\u{1B}[97;5u", KeyPress(.character("a"), .control)),
        ]
        for (bytes, key) in cases {
            #expect(Self.parse(bytes) == [.key(key)], "\(bytes.debugDescription)")
        }
    }

    @Test func bracketedPaste() {
        let events = Self.parse("x\u{1B}[200~line one\r\nline \u{1B}[A two\rthree\u{1B}[201~y")
        #expect(events == [.text("x"), .paste("line one\nline \u{1B}[A two\nthree"), .text("y")])
    }

    @Test func pasteSplitAcrossReads() {
        var parser = KeyParser()
        var events: [InputEvent] = []
        for chunk in ["\u{1B}[20", "0~日", "本\u{1B}[2", "01~", "\u{1B}", "[B"] {
            events += parser.feed(Array(chunk.utf8))
        }
        #expect(events == [.paste("日本"), .key(KeyPress(.down))])
        #expect(!parser.hasPendingInput)
    }

    @Test func utf8SplitAcrossReads() {
        var parser = KeyParser()
        let bytes = Array("日".utf8)
        #expect(parser.feed(bytes[0..<2]) == [])
        #expect(parser.hasPendingInput)
        #expect(parser.feed(bytes[2...]) == [.text("日")])
    }

    @Test func loneEscapeNeedsTheTimeout() {
        var parser = KeyParser()
        #expect(parser.feed([0x1B]) == [])
        #expect(parser.hasPendingInput)
        #expect(parser.flush() == [.key(KeyPress(.escape))])
        #expect(!parser.hasPendingInput)
        // An escape followed quickly by a sequence start is completed by the next read.
        #expect(parser.feed([0x1B, UInt8(ascii: "[")]) == [])
        #expect(parser.feed([UInt8(ascii: "D")]) == [.key(KeyPress(.left))])
        // Two escapes: the first is a key at once.
        #expect(parser.feed([0x1B, 0x1B]) == [.key(KeyPress(.escape))])
        #expect(parser.flush() == [.key(KeyPress(.escape))])
    }

    @Test func mouse() {
        #expect(Self.parse("\u{1B}[<64;10;5M") == [.mouse(MouseEvent(.wheelUp, at: Position(row: 4, column: 9)))])
        #expect(Self.parse("\u{1B}[<65;1;1M") == [.mouse(MouseEvent(.wheelDown, at: Position(row: 0, column: 0)))])
        #expect(Self.parse("\u{1B}[<0;3;4M\u{1B}[<0;3;4m") == [
            .mouse(MouseEvent(.press(0), at: Position(row: 3, column: 2))),
            .mouse(MouseEvent(.release(0), at: Position(row: 3, column: 2))),
        ])
        #expect(Self.parse("\u{1B}[<80;2;2M") == [.mouse(MouseEvent(.wheelUp, at: Position(row: 1, column: 1), modifiers: .control))])
        #expect(Self.parse("\u{1B}[M`!!") == [.mouse(MouseEvent(.wheelUp, at: Position(row: 0, column: 0)))])
    }

    @Test func unknownSequencesAreSwallowed() {
        #expect(Self.parse("\u{1B}[?1;2c\u{1B}[I\u{1B}[99~a") == [.text("a")])
    }

    /// Every sequence above and a few more in one readable table.
    @Test func sequenceTableGolden() {
        let inputs = [
            "hello", "日本語 ok", "\r", "\n", "\t", "\u{7F}", "\u{03}", "\u{04}", "\u{06}", "\u{1B}b", "\u{1B}f",
            "\u{1B}\r", "\u{1B}[A", "\u{1B}[1;5D", "\u{1B}OB", "\u{1B}[H", "\u{1B}[4~", "\u{1B}[5~", "\u{1B}[6~",
            "\u{1B}[3~", "\u{1B}[Z", "\u{1B}[200~a\r\nb\u{1B}[201~", "\u{1B}[<64;12;7M", "\u{1B}[<65;12;7M",
            "\u{1B}", "\u{1B}[", "\u{1B}[13;2u",
        ]
        var out = ""
        for input in inputs {
            let bytes = input.unicodeScalars.map { $0.value < 0x20 || $0.value == 0x7F ? "^" + String(Character(Unicode.Scalar(($0.value + 0x40) & 0x7F)!)) : String($0) }.joined()
            out += bytes + "  =>  " + Self.parse(input).map(\.description).joined(separator: ", ") + "\n"
        }
        Golden.check(out, named: "key-parser")
    }
}
