/// A 24-bit colour, written `#RRGGBB` in themes.
public struct RGBColor: Hashable, Sendable, CustomStringConvertible {
    public var red: UInt8
    public var green: UInt8
    public var blue: UInt8

    public init(red: UInt8, green: UInt8, blue: UInt8) {
        self.red = red
        self.green = green
        self.blue = blue
    }

    /// A colour from a 0xRRGGBB integer (higher bits are ignored).
    public init(value: UInt32) {
        self.init(red: UInt8(value >> 16 & 0xFF), green: UInt8(value >> 8 & 0xFF), blue: UInt8(value & 0xFF))
    }

    /// Parses `#RRGGBB` (case-insensitive); returns nil for anything else.
    public init?(hex: String) {
        let digits = Array(hex.utf8)
        guard digits.count == 7, digits[0] == UInt8(ascii: "#") else { return nil }
        var value: UInt32 = 0
        for digit in digits.dropFirst() {
            guard let nibble = Self.nibble(digit) else { return nil }
            value = value << 4 | UInt32(nibble)
        }
        self.init(red: UInt8(value >> 16 & 0xFF), green: UInt8(value >> 8 & 0xFF), blue: UInt8(value & 0xFF))
    }

    /// The colour as `#rrggbb`.
    public var hex: String {
        let digits = Array("0123456789abcdef")
        var out = "#"
        for component in [red, green, blue] {
            out.append(digits[Int(component >> 4)])
            out.append(digits[Int(component & 0xF)])
        }
        return out
    }

    public var description: String { hex }

    private static func nibble(_ c: UInt8) -> UInt8? {
        switch c {
        case UInt8(ascii: "0")...UInt8(ascii: "9"): return c - UInt8(ascii: "0")
        case UInt8(ascii: "a")...UInt8(ascii: "f"): return c - UInt8(ascii: "a") + 10
        case UInt8(ascii: "A")...UInt8(ascii: "F"): return c - UInt8(ascii: "A") + 10
        default: return nil
        }
    }
}

/// A colour as a terminal backend draws it.
public enum TerminalColor: Hashable, Sendable, CustomStringConvertible {
    /// The terminal's own default foreground or background.
    case `default`
    /// A palette index: 0–7 for the ANSI colours, 16–255 for the xterm-256 cube and grey ramp.
    case indexed(UInt8)
    /// A direct 24-bit colour (truecolor terminals only).
    case rgb(RGBColor)

    public var description: String {
        switch self {
        case .default: return "default"
        case .indexed(let index): return String(index)
        case .rgb(let color): return color.hex
        }
    }
}

/// How many colours the terminal can show.
public enum ColorCapability: String, Hashable, Sendable, CaseIterable, Comparable {
    /// No colours at all (NO_COLOR, dumb terminals): only bold, underline and reverse.
    case none
    /// The 8 basic ANSI colours.
    case ansi8
    /// The xterm 256-colour palette.
    case ansi256
    /// Direct 24-bit colour.
    case truecolor

    private var rank: Int {
        switch self {
        case .none: return 0
        case .ansi8: return 1
        case .ansi256: return 2
        case .truecolor: return 3
        }
    }

    public static func < (lhs: ColorCapability, rhs: ColorCapability) -> Bool { lhs.rank < rhs.rank }

    /// Guesses the capability from environment variables.
    ///
    /// `NO_COLOR` (set and non-empty) or `TERM=dumb` give `.none`; `COLORTERM=truecolor|24bit`
    /// gives `.truecolor`; a `TERM` containing `256color` gives `.ansi256`, one ending in `-direct`
    /// gives `.truecolor`; anything else `.ansi8`. A curses backend may refine this with what the
    /// terminal reports.
    public static func detect(environment: [String: String]) -> ColorCapability {
        if let noColor = environment["NO_COLOR"], !noColor.isEmpty { return .none }
        let term = (environment["TERM"] ?? "").lowercased()
        if term == "dumb" { return .none }
        let colorTerm = (environment["COLORTERM"] ?? "").lowercased()
        if colorTerm == "truecolor" || colorTerm == "24bit" { return .truecolor }
        if term.hasSuffix("-direct") { return .truecolor }
        if term.contains("256color") { return .ansi256 }
        return .ansi8
    }
}
