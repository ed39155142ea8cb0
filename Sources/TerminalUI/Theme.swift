/// How a theme styles one role: optional colours and attributes.
public struct RoleStyle: Hashable, Sendable {
    /// Foreground colour; nil inherits from the role's fallback.
    public var foreground: RGBColor?
    /// Background colour; nil inherits from the role's fallback.
    public var background: RGBColor?
    public var bold: Bool
    public var italic: Bool
    public var underline: Bool
    public var reverse: Bool

    public init(foreground: RGBColor? = nil, background: RGBColor? = nil, bold: Bool = false,
                italic: Bool = false, underline: Bool = false, reverse: Bool = false) {
        self.foreground = foreground
        self.background = background
        self.bold = bold
        self.italic = italic
        self.underline = underline
        self.reverse = reverse
    }
}

/// A named set of role styles with colours given as 24-bit values.
public struct Theme: Hashable, Sendable {
    public var name: String
    public var description: String
    /// Styles per role; a missing role takes its fallback's style (see `ThemeRole.fallback`).
    public var roles: [ThemeRole: RoleStyle]

    public init(name: String, description: String = "", roles: [ThemeRole: RoleStyle]) {
        self.name = name
        self.description = description
        self.roles = roles
    }

    /// The effective style of a role after inheritance: colours a role leaves out come from its
    /// fallback chain; a role left out entirely copies its fallback's attributes too.
    public func effectiveStyle(_ role: ThemeRole) -> RoleStyle {
        let parent = role.fallback.map(effectiveStyle) ?? RoleStyle()
        guard var own = roles[role] else { return parent }
        own.foreground = own.foreground ?? parent.foreground
        own.background = own.background ?? parent.background
        return own
    }

    /// The theme fitted to a terminal's colour capability.
    public func resolved(for capability: ColorCapability) -> ResolvedTheme {
        ResolvedTheme(theme: self, capability: capability)
    }
}

/// A theme with every role turned into a concrete `Style` for one colour capability.
public struct ResolvedTheme: Sendable {
    public let theme: Theme
    public let capability: ColorCapability
    private let styles: [ThemeRole: Style]

    public init(theme: Theme, capability: ColorCapability) {
        self.theme = theme
        self.capability = capability
        var styles: [ThemeRole: Style] = [:]
        let text = Self.resolve(theme.effectiveStyle(.text), role: .text, capability: capability)
        for role in ThemeRole.allCases {
            var style = Self.resolve(theme.effectiveStyle(role), role: role, capability: capability)
            // Bars and highlights whose background became the screen's background in a small
            // palette would vanish: draw them in the text colours swapped instead.
            let standsOut: Set<ThemeRole> = [.status, .statusAccent, .selection, .searchMatch, .searchCurrent]
            if standsOut.contains(role), capability < .truecolor, capability > .none,
               style.background == text.background, theme.effectiveStyle(role).background != theme.effectiveStyle(.text).background {
                let inverted = text.foreground
                style.background = inverted
                if let fg = theme.effectiveStyle(role).foreground {
                    style.foreground = ColorDegradation.degrade(fg, to: capability, excluding: inverted)
                } else {
                    style.foreground = text.background
                }
            }
            styles[role] = style
        }
        self.styles = styles
    }

    /// The style of a role.
    public func style(_ role: ThemeRole) -> Style { styles[role] ?? .plain }

    /// The style of a span: its role's style plus any emphasis the span adds.
    public func style(_ span: SpanStyle) -> Style {
        var style = self.style(span.role)
        if span.bold { style.bold = true }
        if span.italic { style.italic = true }
        return style
    }

    private static func resolve(_ role: RoleStyle, role name: ThemeRole, capability: ColorCapability) -> Style {
        var style = Style(bold: role.bold, italic: role.italic, underline: role.underline, reverse: role.reverse)
        guard capability != .none else {
            // Without colours, keep the parts that must stand out visible by other means.
            switch name {
            case .status, .statusAccent, .selection, .searchMatch: style.reverse = true
            case .searchCurrent: style.reverse = true; style.underline = true; style.bold = true
            case .heading, .user, .assistant, .error, .prompt: style.bold = true
            default: break
            }
            return style
        }
        if let background = role.background {
            style.background = ColorDegradation.degrade(background, to: capability)
        }
        if let foreground = role.foreground {
            style.foreground = ColorDegradation.degrade(foreground, to: capability, excluding: style.background)
        }
        return style
    }
}
