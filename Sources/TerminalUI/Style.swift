/// A concrete drawing style: colours already fitted to the terminal, plus attributes.
public struct Style: Hashable, Sendable, CustomStringConvertible {
    public var foreground: TerminalColor
    public var background: TerminalColor
    public var bold: Bool
    public var italic: Bool
    public var underline: Bool
    /// Swap foreground and background (used to stay visible without colours).
    public var reverse: Bool

    public init(foreground: TerminalColor = .default, background: TerminalColor = .default,
                bold: Bool = false, italic: Bool = false, underline: Bool = false, reverse: Bool = false) {
        self.foreground = foreground
        self.background = background
        self.bold = bold
        self.italic = italic
        self.underline = underline
        self.reverse = reverse
    }

    /// The terminal's default colours, no attributes.
    public static let plain = Style()

    /// One line such as `fg=#cdd6f4 bg=default bold`, used in golden-file legends.
    public var description: String {
        var parts = ["fg=\(foreground)", "bg=\(background)"]
        if bold { parts.append("bold") }
        if italic { parts.append("italic") }
        if underline { parts.append("underline") }
        if reverse { parts.append("reverse") }
        return parts.joined(separator: " ")
    }
}
