/// The themes that ship inside the binary; `themes/*.toml` holds the same definitions
/// (a test checks that they agree).
extension Theme {
    /// Every built-in theme, the default (`nook-dark`) first.
    public static let builtIns: [Theme] = [nookDark, nookLight, highContrast, gruvboxDark, solarizedDark]

    /// The default theme.
    public static var `default`: Theme { nookDark }

    /// A built-in theme by name.
    public static func builtIn(named name: String) -> Theme? { builtIns.first { $0.name == name } }

    public static let nookDark = Theme(
        name: "nook-dark",
        description: "Default dark theme: cool blues and violets on deep blue-grey",
        roles: [
            .text: style(0xc8d3f5, bg: 0x1b1e28),
            .muted: style(0x6b7394),
            .accent: style(0x82aaff),
            .border: style(0x3b4261),
            .user: style(0x86e1fc),
            .assistant: style(0xc099ff),
            .system: style(0x7a88b8, italic: true),
            .error: style(0xff757f, bold: true),
            .heading: style(0xffc777, bold: true),
            .inlineCode: style(0xc3e88d, bg: 0x262a38),
            .code: style(0xc8d3f5, bg: 0x222534),
            .codeLabel: style(0x6b7394, italic: true),
            .codeKeyword: style(0xc099ff),
            .codeString: style(0xc3e88d),
            .codeComment: style(0x636da6, italic: true),
            .codeNumber: style(0xff966c),
            .status: style(0xc8d3f5, bg: 0x2f334d),
            .statusAccent: style(0x82aaff, bg: 0x2f334d, bold: true),
            .input: style(0xe4e9ff),
            .prompt: style(0x82aaff, bold: true),
            .selection: style(0x1b1e28, bg: 0x82aaff),
            .searchMatch: style(0x1b1e28, bg: 0xffc777),
            .searchCurrent: style(0x1b1e28, bg: 0xff966c, bold: true),
        ])

    public static let nookLight = Theme(
        name: "nook-light",
        description: "Light theme: dark ink on paper white, for light terminals",
        roles: [
            .text: style(0x343b58, bg: 0xf6f7fb),
            .muted: style(0x7c83a6),
            .accent: style(0x2e5cb8),
            .border: style(0xc4c8da),
            .user: style(0x176f7a),
            .assistant: style(0x7847bd),
            .system: style(0x6c7394, italic: true),
            .error: style(0xc4314b, bold: true),
            .heading: style(0xa35400, bold: true),
            .inlineCode: style(0x33635c, bg: 0xe6e8f0),
            .code: style(0x343b58, bg: 0xeceef5),
            .codeLabel: style(0x7c83a6, italic: true),
            .codeKeyword: style(0x7847bd),
            .codeString: style(0x387a1e),
            .codeComment: style(0x8087a6, italic: true),
            .codeNumber: style(0xb15c00),
            .status: style(0x343b58, bg: 0xdfe2ee),
            .statusAccent: style(0x2e5cb8, bg: 0xdfe2ee, bold: true),
            .input: style(0x1f2335),
            .prompt: style(0x2e5cb8, bold: true),
            .selection: style(0xffffff, bg: 0x2e5cb8),
            .searchMatch: style(0x343b58, bg: 0xffd966),
            .searchCurrent: style(0xffffff, bg: 0xd9730d, bold: true),
        ])

    public static let highContrast = Theme(
        name: "high-contrast",
        description: "Maximum contrast: white on black with saturated highlights",
        roles: [
            .text: style(0xffffff, bg: 0x000000),
            .muted: style(0xc0c0c0),
            .accent: style(0x00ffff),
            .border: style(0xffffff),
            .user: style(0xffff00),
            .assistant: style(0x00ff00),
            .system: style(0xc0c0c0),
            .error: style(0xffffff, bg: 0xd00000, bold: true),
            .heading: style(0xffffff, bold: true, underline: true),
            .inlineCode: style(0x00ffff, bg: 0x000000),
            .code: style(0xffffff, bg: 0x1c1c1c),
            .codeLabel: style(0xffff00, bold: true),
            .codeKeyword: style(0xff87ff, bold: true),
            .codeString: style(0x87ff87),
            .codeComment: style(0xc0c0c0, italic: true),
            .codeNumber: style(0x87d7ff),
            .status: style(0x000000, bg: 0xffffff),
            .statusAccent: style(0x000000, bg: 0x00ffff, bold: true),
            .input: style(0xffffff),
            .prompt: style(0xffff00, bold: true),
            .selection: style(0x000000, bg: 0xffff00),
            .searchMatch: style(0x000000, bg: 0x00ffff),
            .searchCurrent: style(0x000000, bg: 0xffff00, bold: true, underline: true),
        ])

    public static let gruvboxDark = Theme(
        name: "gruvbox-dark",
        description: "Warm retro dark theme after the gruvbox palette",
        roles: [
            .text: style(0xebdbb2, bg: 0x282828),
            .muted: style(0x928374),
            .accent: style(0xfabd2f),
            .border: style(0x504945),
            .user: style(0x83a598),
            .assistant: style(0xfe8019),
            .system: style(0xa89984, italic: true),
            .error: style(0xfb4934, bold: true),
            .heading: style(0xfabd2f, bold: true),
            .inlineCode: style(0x8ec07c, bg: 0x3c3836),
            .code: style(0xebdbb2, bg: 0x1d2021),
            .codeLabel: style(0x928374, italic: true),
            .codeKeyword: style(0xfb4934),
            .codeString: style(0xb8bb26),
            .codeComment: style(0x928374, italic: true),
            .codeNumber: style(0xd3869b),
            .status: style(0xebdbb2, bg: 0x3c3836),
            .statusAccent: style(0xfabd2f, bg: 0x3c3836, bold: true),
            .input: style(0xfbf1c7),
            .prompt: style(0xfe8019, bold: true),
            .selection: style(0x282828, bg: 0x83a598),
            .searchMatch: style(0x282828, bg: 0xfabd2f),
            .searchCurrent: style(0x282828, bg: 0xfe8019, bold: true),
        ])

    public static let solarizedDark = Theme(
        name: "solarized-dark",
        description: "Solarized dark: low-contrast precision colours on deep teal",
        roles: [
            .text: style(0x839496, bg: 0x002b36),
            .muted: style(0x586e75),
            .accent: style(0x268bd2),
            .border: style(0x073642),
            .user: style(0x2aa198),
            .assistant: style(0x6c71c4),
            .system: style(0x657b83, italic: true),
            .error: style(0xdc322f, bold: true),
            .heading: style(0xb58900, bold: true),
            .inlineCode: style(0x2aa198, bg: 0x073642),
            .code: style(0x93a1a1, bg: 0x073642),
            .codeLabel: style(0x657b83, italic: true),
            .codeKeyword: style(0x859900),
            .codeString: style(0x2aa198),
            .codeComment: style(0x657b83, italic: true),
            .codeNumber: style(0xd33682),
            .status: style(0x93a1a1, bg: 0x073642),
            .statusAccent: style(0xb58900, bg: 0x073642, bold: true),
            .input: style(0x93a1a1),
            .prompt: style(0x268bd2, bold: true),
            .selection: style(0x002b36, bg: 0x268bd2),
            .searchMatch: style(0x002b36, bg: 0xb58900),
            .searchCurrent: style(0x002b36, bg: 0xcb4b16, bold: true),
        ])

    /// A role style from 0xRRGGBB values.
    static func style(_ fg: UInt32?, bg: UInt32? = nil, bold: Bool = false, italic: Bool = false,
                      underline: Bool = false, reverse: Bool = false) -> RoleStyle {
        RoleStyle(foreground: fg.map(RGBColor.init(value:)), background: bg.map(RGBColor.init(value:)),
                  bold: bold, italic: italic, underline: underline, reverse: reverse)
    }
}
