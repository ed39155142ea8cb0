import Foundation
import Testing
import TerminalUI
@testable import App

@Suite struct ThemeLoaderTests {
    static let themesFolder = URL(fileURLWithPath: #filePath)
        .deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
        .appendingPathComponent("themes")

    @Test func shippedFilesEqualTheEmbeddedBuiltIns() throws {
        let files = try FileManager.default.contentsOfDirectory(atPath: Self.themesFolder.path)
            .filter { $0.hasSuffix(".toml") }.sorted()
        #expect(files.map { String($0.dropLast(5)) } == Theme.builtIns.map(\.name).sorted())
        for file in files {
            let parsed = try ThemeLoader.load(Self.themesFolder.appendingPathComponent(file))
            let embedded = try #require(Theme.builtIn(named: parsed.name), "\(file)")
            #expect(parsed == embedded, "themes/\(file) differs from the copy in BuiltinThemes.swift")
        }
    }

    static func error(_ toml: String) -> String {
        do {
            _ = try ThemeLoader.parse(toml, file: "~/.config/nook/themes/x.toml", defaultName: "x")
            return "no error"
        } catch {
            return "\(error)"
        }
    }

    @Test func errorsNameTheFileAndField() {
        #expect(Self.error("name = \"x\"\n[colors]\nuser = \"#12345\"\n")
                == "~/.config/nook/themes/x.toml: colors.user: '#12345' is not a #RRGGBB colour")
        #expect(Self.error("[colors]\ncode = { fg = \"#112233\", bg = \"red\" }\n")
                == "~/.config/nook/themes/x.toml: colors.code.bg: 'red' is not a #RRGGBB colour")
        #expect(Self.error("[colors]\nusr = \"#112233\"\n").hasPrefix("~/.config/nook/themes/x.toml: colors.usr: unknown role (known: text, muted,"))
        #expect(Self.error("[colors]\nuser = { fg = \"#112233\", blink = true }\n")
                == "~/.config/nook/themes/x.toml: colors.user.blink: unknown field (expected fg, bg, bold, italic, underline, reverse)")
        #expect(Self.error("[colors]\nuser = { bold = \"yes\" }\n")
                == "~/.config/nook/themes/x.toml: colors.user.bold: expected true or false")
        #expect(Self.error("[colors]\nuser = 12\n").hasPrefix("~/.config/nook/themes/x.toml: colors.user: expected \"#RRGGBB\" or a table"))
        #expect(Self.error("name = \"x\"\n") == "~/.config/nook/themes/x.toml: colors: missing (a [colors] table of role styles)")
        #expect(Self.error("name = 3\n[colors]\n") == "~/.config/nook/themes/x.toml: name: expected a non-empty string")
        #expect(Self.error("nmae = \"x\"\n[colors]\n") == "~/.config/nook/themes/x.toml: nmae: unknown field (expected name, description, colors)")
        #expect(Self.error("[colors\n").hasPrefix("~/.config/nook/themes/x.toml: line 1, column"))
        #expect(!Self.error("[colors\n").contains("\n"))
    }

    @Test func minimalThemeUsesFallbacks() throws {
        let theme = try ThemeLoader.parse("[colors]\ntext = { fg = \"#eeeeee\", bg = \"#101010\" }\naccent = \"#ff8800\"\n",
                                          file: "mini.toml", defaultName: "mini")
        #expect(theme.name == "mini")
        #expect(theme.effectiveStyle(.user).foreground == RGBColor(value: 0xff8800))
        #expect(theme.effectiveStyle(.code).background == RGBColor(value: 0x101010))
    }

    @Test func userFolderOverridesByName() throws {
        let home = FileManager.default.temporaryDirectory.appendingPathComponent("nook-themes-\(UUID().uuidString)")
        let folder = home.appendingPathComponent(".config/nook/themes")
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: home) }
        try "name = \"nook-dark\"\n[colors]\ntext = \"#ffffff\"\n".write(to: folder.appendingPathComponent("mine.toml"), atomically: true, encoding: .utf8)
        try "[colors]\naccent = \"#00ff00\"\n".write(to: folder.appendingPathComponent("forest.toml"), atomically: true, encoding: .utf8)
        try "[colors]\naccent = \"green\"\n".write(to: folder.appendingPathComponent("broken.toml"), atomically: true, encoding: .utf8)
        try "not a theme".write(to: folder.appendingPathComponent("notes.txt"), atomically: true, encoding: .utf8)

        let environment = ["HOME": home.path]
        #expect(ThemeLoader.userDirectory(environment: environment).path == folder.path)
        let catalog = ThemeLoader.loadAll(environment: environment)
        #expect(catalog.names == ["nook-dark", "nook-light", "high-contrast", "gruvbox-dark", "solarized-dark", "forest"])
        #expect(catalog.theme(named: "nook-dark")?.roles[.text]?.foreground == RGBColor(value: 0xffffff))
        #expect(catalog.errors.map(\.description) == ["~/.config/nook/themes/broken.toml: colors.accent: 'green' is not a #RRGGBB colour"])

        // XDG_CONFIG_HOME wins over HOME.
        let xdg = ["HOME": home.path, "XDG_CONFIG_HOME": "/elsewhere/config"]
        #expect(ThemeLoader.userDirectory(environment: xdg).path == "/elsewhere/config/nook/themes")
        #expect(ThemeLoader.loadAll(environment: ["HOME": home.path, "XDG_CONFIG_HOME": "/nonexistent"]).names.count == 5)
    }
}

extension ThemeLoaderTests {
    @Test func missingNameWithoutAFileNameIsAnError() {
        #expect(throws: ThemeLoadError(file: "t.toml", message: "name: missing")) {
            try ThemeLoader.parse("[colors]\n", file: "t.toml")
        }
    }
}
