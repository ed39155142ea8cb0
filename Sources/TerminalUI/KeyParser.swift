/// Turns raw terminal input bytes into `InputEvent`s.
///
/// Understands UTF-8 text, C0 control keys, Alt via an ESC prefix, xterm/VT/rxvt cursor and
/// editing keys (CSI and SS3 forms, with xterm modifier parameters), `CSI 27;m;k~` and `CSI k;m u`
/// extended keys, bracketed paste, SGR (and X10) mouse reports. Sequences may arrive split across
/// `feed` calls. A lone ESC cannot be told from the start of a sequence, so it stays pending
/// until more bytes arrive or the caller, after a short timeout with no input, calls `flush()`.
public struct KeyParser: Sendable {
    private var buffer: [UInt8] = []
    private var pasteBuffer: [UInt8]?

    private static let esc: UInt8 = 0x1B
    private static let pasteEnd: [UInt8] = Array("\u{1B}[201~".utf8)

    /// How long to wait after a lone ESC before calling `flush()`: long enough for the rest of
    /// a sequence to arrive over a slow link, short enough that Esc feels immediate.
    public static let escapeTimeoutMilliseconds = 50

    public init() {}

    /// True when bytes are held back: a possible lone ESC, an unfinished sequence, or a paste.
    public var hasPendingInput: Bool { !buffer.isEmpty || pasteBuffer != nil }

    /// True while inside a bracketed paste that has not ended yet.
    public var isPasting: Bool { pasteBuffer != nil }

    /// Parses newly read bytes; returns the events that are complete.
    public mutating func feed<S: Sequence>(_ bytes: S) -> [InputEvent] where S.Element == UInt8 {
        buffer.append(contentsOf: bytes)
        return parse(final: false)
    }

    /// Resolves held-back bytes after an input timeout: a pending ESC becomes the Escape key, an
    /// unfinished sequence becomes Escape followed by its bytes as keys, a cut UTF-8 sequence
    /// becomes U+FFFD. An unfinished paste keeps waiting for its end marker.
    public mutating func flush() -> [InputEvent] {
        parse(final: true)
    }

    private mutating func parse(final: Bool) -> [InputEvent] {
        var events: [InputEvent] = []
        var i = 0
        var pendingText: [UInt8] = []
        func flushText() {
            if !pendingText.isEmpty {
                events.append(.text(String(decoding: pendingText, as: UTF8.self)))
                pendingText.removeAll()
            }
        }
        while i < buffer.count {
            if pasteBuffer != nil {
                pasteBuffer?.append(contentsOf: buffer[i...])
                i = buffer.count
                if let paste = pasteBuffer, let end = Self.find(Self.pasteEnd, in: paste) {
                    events.append(.paste(Self.normalisePaste(Array(paste[..<end]))))
                    let rest = Array(paste[(end + Self.pasteEnd.count)...])
                    pasteBuffer = nil
                    buffer = rest
                    i = 0
                }
                continue
            }
            let byte = buffer[i]
            if byte == Self.esc {
                flushText()
                switch parseEscape(at: i, final: final) {
                case .incomplete:
                    buffer.removeFirst(i)
                    return events
                case .event(let event, let length):
                    if let event { events.append(event) }
                    i += length
                case .pasteStart(let length):
                    i += length
                    pasteBuffer = []
                }
                continue
            }
            if byte < 0x20 || byte == 0x7F {
                flushText()
                events.append(.key(Self.controlKey(byte)))
                i += 1
                continue
            }
            let length = Self.utf8Length(byte)
            if i + length > buffer.count {
                if !final {
                    flushText()
                    buffer.removeFirst(i)
                    return events
                }
                pendingText.append(contentsOf: buffer[i...])
                i = buffer.count
                continue
            }
            pendingText.append(contentsOf: buffer[i..<(i + length)])
            i += length
        }
        flushText()
        buffer.removeAll()
        return events
    }

    private enum EscapeResult {
        case incomplete
        case event(InputEvent?, length: Int)
        case pasteStart(length: Int)
    }

    private func parseEscape(at start: Int, final: Bool) -> EscapeResult {
        let available = buffer.count - start
        guard available >= 2 else {
            return final ? .event(.key(KeyPress(.escape)), length: 1) : .incomplete
        }
        let next = buffer[start + 1]
        switch next {
        case UInt8(ascii: "["):
            if let result = parseCSI(at: start) { return result }
        case UInt8(ascii: "O"):
            if available >= 3 {
                return .event(Self.ss3Key(buffer[start + 2]).map { .key($0) }, length: 3)
            }
        case Self.esc:
            // ESC ESC: an Escape press followed by whatever the second ESC starts.
            return .event(.key(KeyPress(.escape)), length: 1)
        default:
            // Alt + one key: a control byte or one UTF-8 character.
            if next < 0x20 || next == 0x7F {
                var press = Self.controlKey(next)
                press.modifiers.insert(.alt)
                return .event(.key(press), length: 2)
            }
            let length = Self.utf8Length(next)
            if available >= 1 + length {
                let text = String(decoding: buffer[(start + 1)..<(start + 1 + length)], as: UTF8.self)
                let character = text.first ?? "\u{FFFD}"
                return .event(.key(KeyPress(.character(character), .alt)), length: 1 + length)
            }
        }
        // Unfinished: wait for more unless the input timed out, then it was a plain Escape.
        return final ? .event(.key(KeyPress(.escape)), length: 1) : .incomplete
    }

    /// Parses `ESC [ params intermediates final`; nil when the sequence is not complete yet.
    private func parseCSI(at start: Int) -> EscapeResult? {
        var i = start + 2
        var params: [UInt8] = []
        while i < buffer.count, (0x30...0x3F).contains(buffer[i]) {
            params.append(buffer[i])
            i += 1
        }
        while i < buffer.count, (0x20...0x2F).contains(buffer[i]) { i += 1 }
        guard i < buffer.count else { return nil }
        let finalByte = buffer[i]
        var length = i - start + 1
        // X10 mouse: ESC [ M b x y.
        if finalByte == UInt8(ascii: "M"), params.isEmpty {
            guard buffer.count >= i + 4 else { return nil }
            let b = Int(buffer[i + 1]) - 32, x = Int(buffer[i + 2]) - 33, y = Int(buffer[i + 3]) - 33
            return .event(Self.mouseEvent(code: b, column: x, row: y, released: (b & 3) == 3 && b < 64),
                          length: length + 3)
        }
        // Linux console function keys: ESC [ [ A..E.
        if finalByte == UInt8(ascii: "["), params.isEmpty {
            guard buffer.count >= i + 2 else { return nil }
            let n = Int(buffer[i + 1]) - Int(UInt8(ascii: "A")) + 1
            length += 1
            return .event((1...5).contains(n) ? .key(KeyPress(.function(n))) : nil, length: length)
        }
        let text = String(decoding: params, as: UTF8.self)
        if text.hasPrefix("<") {
            let numbers = text.dropFirst().split(separator: ";", omittingEmptySubsequences: false).map { Int($0) ?? 0 }
            guard numbers.count == 3 else { return .event(nil, length: length) }
            return .event(Self.mouseEvent(code: numbers[0], column: numbers[1] - 1, row: numbers[2] - 1,
                                          released: finalByte == UInt8(ascii: "m")), length: length)
        }
        if text.hasPrefix("?") || text.hasPrefix(">") || text.hasPrefix("=") { return .event(nil, length: length) }
        let numbers = text.split(separator: ";", omittingEmptySubsequences: false).map { Int($0.split(separator: ":").first ?? "") }
        if finalByte == UInt8(ascii: "~"), numbers.first == 200 { return .pasteStart(length: length) }
        let press = Self.csiKey(final: finalByte, numbers: numbers)
        return .event(press.map { .key($0) }, length: length)
    }

    private static func modifiers(_ parameter: Int?) -> KeyModifiers {
        guard let p = parameter, p > 1 else { return [] }
        let bits = p - 1
        var m: KeyModifiers = []
        if bits & 1 != 0 { m.insert(.shift) }
        if bits & 2 != 0 { m.insert(.alt) }
        if bits & 4 != 0 { m.insert(.control) }
        return m
    }

    private static func csiKey(final: UInt8, numbers: [Int?]) -> KeyPress? {
        let first = numbers.first ?? nil
        let mods = modifiers(numbers.count > 1 ? numbers[1] : nil)
        switch Character(Unicode.Scalar(final)) {
        case "A": return KeyPress(.up, mods)
        case "B": return KeyPress(.down, mods)
        case "C": return KeyPress(.right, mods)
        case "D": return KeyPress(.left, mods)
        case "H": return KeyPress(.home, mods)
        case "F": return KeyPress(.end, mods)
        case "Z": return KeyPress(.backTab, mods.union(.shift))
        case "P": return KeyPress(.function(1), mods)
        case "Q": return KeyPress(.function(2), mods)
        case "R": return KeyPress(.function(3), mods)
        case "S": return KeyPress(.function(4), mods)
        case "u":
            guard let code = first else { return nil }
            return codeKey(code, mods)
        case "~":
            guard let n = first else { return nil }
            if n == 27, numbers.count >= 3, let code = numbers[2] {
                return codeKey(code, modifiers(numbers[1]))
            }
            let keys: [Int: Key] = [1: .home, 2: .insert, 3: .delete, 4: .end, 5: .pageUp, 6: .pageDown,
                                    7: .home, 8: .end, 11: .function(1), 12: .function(2), 13: .function(3),
                                    14: .function(4), 15: .function(5), 17: .function(6), 18: .function(7),
                                    19: .function(8), 20: .function(9), 21: .function(10), 23: .function(11),
                                    24: .function(12)]
            return keys[n].map { KeyPress($0, mods) }
        default:
            return nil
        }
    }

    /// A key given by its Unicode code point (kitty `CSI u`, xterm `modifyOtherKeys`).
    private static func codeKey(_ code: Int, _ mods: KeyModifiers) -> KeyPress? {
        switch code {
        case 13: return KeyPress(.enter, mods)
        case 9: return KeyPress(.tab, mods)
        case 27: return KeyPress(.escape, mods)
        case 127, 8: return KeyPress(.backspace, mods)
        default:
            guard let scalar = Unicode.Scalar(code), code >= 0x20 else { return nil }
            return KeyPress(.character(Character(scalar)), mods)
        }
    }

    private static func ss3Key(_ byte: UInt8) -> KeyPress? {
        switch Character(Unicode.Scalar(byte)) {
        case "A": return KeyPress(.up)
        case "B": return KeyPress(.down)
        case "C": return KeyPress(.right)
        case "D": return KeyPress(.left)
        case "H": return KeyPress(.home)
        case "F": return KeyPress(.end)
        case "M": return KeyPress(.enter)
        case "P": return KeyPress(.function(1))
        case "Q": return KeyPress(.function(2))
        case "R": return KeyPress(.function(3))
        case "S": return KeyPress(.function(4))
        default: return nil
        }
    }

    private static func mouseEvent(code: Int, column: Int, row: Int, released: Bool) -> InputEvent? {
        var mods: KeyModifiers = []
        if code & 4 != 0 { mods.insert(.shift) }
        if code & 8 != 0 { mods.insert(.alt) }
        if code & 16 != 0 { mods.insert(.control) }
        let button = code & 3
        let action: MouseEvent.Action
        if code & 64 != 0 {
            action = [MouseEvent.Action.wheelUp, .wheelDown, .wheelLeft, .wheelRight][button]
        } else if code & 32 != 0 {
            action = .drag(button)
        } else if released {
            action = .release(button == 3 ? -1 : button)
        } else {
            action = .press(button)
        }
        return .mouse(MouseEvent(action, at: Position(row: max(0, row), column: max(0, column)), modifiers: mods))
    }

    private static func controlKey(_ byte: UInt8) -> KeyPress {
        switch byte {
        case 0x0D: return KeyPress(.enter)
        case 0x09: return KeyPress(.tab)
        case 0x7F, 0x08: return KeyPress(.backspace)
        case 0x1B: return KeyPress(.escape)
        case 0x00: return .control(" ")
        case 0x01...0x1A: return .control(Character(Unicode.Scalar(byte + 0x60)))
        default: return .control(Character(Unicode.Scalar(byte + 0x40)))
        }
    }

    private static func utf8Length(_ lead: UInt8) -> Int {
        switch lead {
        case 0xF0...0xF7: return 4
        case 0xE0...0xEF: return 3
        case 0xC0...0xDF: return 2
        default: return 1
        }
    }

    private static func find(_ needle: [UInt8], in haystack: [UInt8]) -> Int? {
        guard haystack.count >= needle.count else { return nil }
        for start in 0...(haystack.count - needle.count) where haystack[start] == needle[0] {
            if Array(haystack[start..<(start + needle.count)]) == needle { return start }
        }
        return nil
    }

    private static func normalisePaste(_ bytes: [UInt8]) -> String {
        var out: [UInt8] = []
        out.reserveCapacity(bytes.count)
        for (index, byte) in bytes.enumerated() {
            if byte == 0x0D {
                if index + 1 < bytes.count, bytes[index + 1] == 0x0A { continue }
                out.append(0x0A)
            } else {
                out.append(byte)
            }
        }
        return String(decoding: out, as: UTF8.self)
    }
}
