/// A key on the keyboard, without modifiers.
public enum Key: Hashable, Sendable {
    /// A printable character, or the letter of a control combination (Ctrl-A is `.character("a")`
    /// with `.control`).
    case character(Character)
    case enter, tab, backTab, backspace, delete, insert, escape
    case up, down, left, right, home, end, pageUp, pageDown
    /// F1–F12.
    case function(Int)
}

/// Modifier keys held with a key.
public struct KeyModifiers: OptionSet, Hashable, Sendable {
    public let rawValue: Int
    public init(rawValue: Int) { self.rawValue = rawValue }

    public static let shift = KeyModifiers(rawValue: 1)
    public static let alt = KeyModifiers(rawValue: 2)
    public static let control = KeyModifiers(rawValue: 4)
}

/// A key with its modifiers.
public struct KeyPress: Hashable, Sendable, CustomStringConvertible {
    public var key: Key
    public var modifiers: KeyModifiers

    public init(_ key: Key, _ modifiers: KeyModifiers = []) {
        self.key = key
        self.modifiers = modifiers
    }

    /// Ctrl plus a letter.
    public static func control(_ letter: Character) -> KeyPress { KeyPress(.character(letter), .control) }
    /// Alt (or Meta/Esc-prefix) plus a key.
    public static func alt(_ key: Key) -> KeyPress { KeyPress(key, .alt) }

    public var description: String {
        var parts: [String] = []
        if modifiers.contains(.control) { parts.append("Ctrl") }
        if modifiers.contains(.alt) { parts.append("Alt") }
        if modifiers.contains(.shift) { parts.append("Shift") }
        switch key {
        case .character(let c):
            let scalar = c.unicodeScalars.first.map { $0.value } ?? 0
            parts.append(c == " " ? "Space" : (scalar < 0x20 ? "U+\(String(scalar, radix: 16))" : String(c)))
        case .function(let n): parts.append("F\(n)")
        default: parts.append("\(key)".prefix(1).uppercased() + "\(key)".dropFirst())
        }
        return parts.joined(separator: "-")
    }
}

/// A mouse action reported by the terminal (SGR or X10 mouse protocol).
public struct MouseEvent: Hashable, Sendable {
    public enum Action: Hashable, Sendable {
        case wheelUp, wheelDown, wheelLeft, wheelRight
        /// A button (0 left, 1 middle, 2 right) went down.
        case press(Int)
        /// A button went up (SGR reports which; X10 reports -1).
        case release(Int)
        /// The pointer moved with a button held.
        case drag(Int)
    }

    public var action: Action
    /// Zero-based cell position.
    public var position: Position
    public var modifiers: KeyModifiers

    public init(_ action: Action, at position: Position, modifiers: KeyModifiers = []) {
        self.action = action
        self.position = position
        self.modifiers = modifiers
    }
}

/// Something that happened at the terminal.
public enum InputEvent: Hashable, Sendable, CustomStringConvertible {
    /// Printable text typed (one or more characters, never controls).
    case text(String)
    /// A key press: control keys, navigation keys, Alt combinations.
    case key(KeyPress)
    /// Text pasted with bracketed paste; line ends are normalised to "\n".
    case paste(String)
    case mouse(MouseEvent)
    /// The terminal changed size (reported by the backend, never by `KeyParser`).
    case resize(TerminalSize)

    public var description: String {
        switch self {
        case .text(let text): return "text(\(text.debugDescription))"
        case .key(let press): return "key(\(press))"
        case .paste(let text): return "paste(\(text.debugDescription))"
        case .mouse(let event): return "mouse(\(event.action) at \(event.position.row),\(event.position.column))"
        case .resize(let size): return "resize(\(size))"
        }
    }
}
