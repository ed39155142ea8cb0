import Testing
@testable import TerminalUI

@Suite struct ColorTests {
    @Test func hexParsing() {
        #expect(RGBColor(hex: "#1E1e2e") == RGBColor(red: 0x1e, green: 0x1e, blue: 0x2e))
        #expect(RGBColor(hex: "#12345") == nil)
        #expect(RGBColor(hex: "123456") == nil)
        #expect(RGBColor(hex: "#12345g") == nil)
        #expect(RGBColor(value: 0xff8000).hex == "#ff8000")
    }

    @Test func xterm256Degradation() {
        #expect(ColorDegradation.nearestXterm256(RGBColor(value: 0x000000)) == 16)
        #expect(ColorDegradation.nearestXterm256(RGBColor(value: 0xffffff)) == 231)
        #expect(ColorDegradation.nearestXterm256(RGBColor(value: 0xff0000)) == 196)
        #expect(ColorDegradation.nearestXterm256(RGBColor(value: 0x5f87af)) == 67)  // exact cube entry
        #expect(ColorDegradation.nearestXterm256(RGBColor(value: 0x808080)) == 244)  // grey ramp
        #expect(ColorDegradation.nearestXterm256(RGBColor(value: 0x1b1e28)) == 234)
        // Every palette entry maps to itself.
        for index in UInt8(16)...UInt8(255) {
            let value = ColorDegradation.xterm256Value(index)!
            let back = ColorDegradation.nearestXterm256(value)
            #expect(ColorDegradation.xterm256Value(back) == value)
        }
    }

    @Test func ansi8Degradation() {
        let cases: [(UInt32, UInt8)] = [
            (0x000000, 0), (0x1b1e28, 0), (0xffffff, 7), (0xc8d3f5, 7), (0xff0000, 1), (0xdc322f, 1),
            (0x859900, 3), (0x00ff00, 2), (0xb8bb26, 3), (0x2aa198, 6), (0x268bd2, 4), (0x82aaff, 4),
            (0xd33682, 5), (0xc099ff, 5), (0x808080, 7), (0x3c3836, 0), (0xfe8019, 1), (0xebdbb2, 7), (0x073642, 0), (0x800000, 1),
        ]
        for (value, expected) in cases {
            #expect(ColorDegradation.nearestANSI8(RGBColor(value: value)) == expected, "\(RGBColor(value: value))")
        }
        // A foreground never lands on its own background.
        #expect(ColorDegradation.nearestANSI8(RGBColor(value: 0x3b4261), excluding: 0) == 7)
        #expect(ColorDegradation.nearestANSI8(RGBColor(value: 0xfffff0), excluding: 7) == 0)
    }

    @Test func capabilityDetection() {
        #expect(ColorCapability.detect(environment: ["TERM": "xterm-256color", "COLORTERM": "truecolor"]) == .truecolor)
        #expect(ColorCapability.detect(environment: ["TERM": "xterm", "COLORTERM": "24bit"]) == .truecolor)
        #expect(ColorCapability.detect(environment: ["TERM": "screen-256color"]) == .ansi256)
        #expect(ColorCapability.detect(environment: ["TERM": "xterm"]) == .ansi8)
        #expect(ColorCapability.detect(environment: ["TERM": "linux"]) == .ansi8)
        #expect(ColorCapability.detect(environment: [:]) == .ansi8)
        #expect(ColorCapability.detect(environment: ["TERM": "xterm-direct"]) == .truecolor)
        #expect(ColorCapability.detect(environment: ["TERM": "dumb"]) == .none)
        #expect(ColorCapability.detect(environment: ["TERM": "xterm-256color", "COLORTERM": "truecolor", "NO_COLOR": "1"]) == .none)
        #expect(ColorCapability.detect(environment: ["TERM": "xterm-256color", "NO_COLOR": ""]) == .ansi256)
    }
}

@Suite struct ThemeTests {
    @Test func builtInsAreComplete() {
        #expect(Theme.builtIns.map(\.name) == ["nook-dark", "nook-light", "high-contrast", "gruvbox-dark", "solarized-dark"])
        #expect(Theme.default.name == "nook-dark")
        for theme in Theme.builtIns {
            // Every built-in sets every role explicitly.
            #expect(Set(theme.roles.keys) == Set(ThemeRole.allCases), "\(theme.name)")
            let resolved = theme.resolved(for: .ansi8)
            for role in ThemeRole.allCases {
                let style = resolved.style(role)
                // Readable at 8 colours: foreground differs from background.
                if case .indexed = style.foreground, !style.reverse {
                    #expect(style.foreground != style.background, "\(theme.name) \(role)")
                }
            }
        }
    }

    @Test func fallbacksInheritColours() {
        let theme = Theme(name: "t", roles: [
            .text: RoleStyle(foreground: RGBColor(value: 0xeeeeee), background: RGBColor(value: 0x111111)),
            .code: RoleStyle(background: RGBColor(value: 0x222222)),
            .codeKeyword: RoleStyle(foreground: RGBColor(value: 0xff00ff), bold: true),
        ])
        let keyword = theme.effectiveStyle(.codeKeyword)
        #expect(keyword.foreground == RGBColor(value: 0xff00ff))
        #expect(keyword.background == RGBColor(value: 0x222222))
        #expect(keyword.bold)
        #expect(theme.effectiveStyle(.codeString).foreground == RGBColor(value: 0xeeeeee))
        #expect(theme.effectiveStyle(.searchCurrent).background == RGBColor(value: 0x111111))
    }

    @Test func noColourKeepsThingsVisible() {
        let resolved = Theme.nookDark.resolved(for: .none)
        #expect(resolved.style(.text) == Style())
        #expect(resolved.style(.status).reverse)
        #expect(resolved.style(.searchMatch).reverse)
        #expect(resolved.style(.searchCurrent).underline)
        #expect(resolved.style(.user).bold)
    }

    /// Every theme at 8 and 256 colours, rendered as a small chat with a search and a completion list.
    @Test(arguments: Theme.builtIns.map(\.name), [ColorCapability.ansi8, .ansi256])
    func themeStyles(name: String, capability: ColorCapability) throws {
        let theme = try #require(Theme.builtIn(named: name))
        var chat = Fixtures.chat()
        chat.transcript.append(TranscriptMessage(role: .error, label: "error", text: "model file not found"))
        _ = chat.handle(.key(.control("f")))
        _ = chat.handle(.text("it"))
        let screen = Fixtures.render(&chat, columns: 48, rows: 20, theme: theme, capability: capability)
        Golden.check(screen.snapshot(), named: "theme-\(name)-\(capability.rawValue)")
        #expect(screen.line(19).hasPrefix("search: it"))
    }
}
