import Foundation
import TerminalUI
import TOMLKit

/// A theme file problem, described in one line naming the file and the field.
public struct ThemeLoadError: Error, CustomStringConvertible, Equatable {
    /// The file as shown to the user (home folder written as `~`).
    public var file: String
    public var message: String

    public init(file: String, message: String) {
        self.file = file
        self.message = message
    }

    public var description: String { file.isEmpty ? message : "\(file): \(message)" }
}

/// The themes available to the app: built-ins overridden by the user's files, plus the problems
/// found in user files (a broken file does not hide the others).
public struct ThemeCatalog: Sendable {
    /// Built-ins first (replaced in place by user files of the same name), then new user themes.
    public var themes: [Theme]
    public var errors: [ThemeLoadError]

    public init(themes: [Theme], errors: [ThemeLoadError] = []) {
        self.themes = themes
        self.errors = errors
    }

    /// The theme with a name, if there is one.
    public func theme(named name: String) -> Theme? { themes.first { $0.name == name } }

    /// All theme names, for `/theme` completion.
    public var names: [String] { themes.map(\.name) }

    /// Adds a theme, or replaces the one of the same name in its place.
    public mutating func add(_ theme: Theme) {
        if let index = themes.firstIndex(where: { $0.name == theme.name }) {
            themes[index] = theme
        } else {
            themes.append(theme)
        }
    }
}

/// Reads themes from TOML files (format in themes/README.md).
public enum ThemeLoader {
    static let topFields = ["name", "description", "colors"]
    static let styleFields = ["fg", "bg", "bold", "italic", "underline", "reverse"]

    /// The user's theme folder: `$XDG_CONFIG_HOME/nook/themes`, else `~/.config/nook/themes`.
    public static func userDirectory(environment: [String: String]) -> URL {
        if let xdg = environment["XDG_CONFIG_HOME"], xdg.hasPrefix("/") {
            return URL(fileURLWithPath: xdg).appendingPathComponent("nook/themes")
        }
        let home = environment["HOME"].flatMap { $0.isEmpty ? nil : $0 } ?? NSHomeDirectory()
        return URL(fileURLWithPath: home).appendingPathComponent(".config/nook/themes")
    }

    /// Built-in themes plus every `*.toml` in the user folder; a user theme replaces a built-in
    /// of the same name. Files that fail to load are reported in `errors` and skipped.
    public static func loadAll(environment: [String: String]) -> ThemeCatalog {
        var catalog = ThemeCatalog(themes: Theme.builtIns)
        let folder = userDirectory(environment: environment)
        let names = (try? FileManager.default.contentsOfDirectory(atPath: folder.path)) ?? []
        for name in names.sorted() where name.hasSuffix(".toml") {
            let url = folder.appendingPathComponent(name)
            do {
                catalog.add(try load(url, environment: environment))
            } catch let error as ThemeLoadError {
                catalog.errors.append(error)
            } catch {
                catalog.errors.append(ThemeLoadError(file: displayPath(url.path, environment: environment),
                                                     message: "\(error)"))
            }
        }
        return catalog
    }

    /// Reads one theme file; a missing `name` defaults to the file name without `.toml`.
    public static func load(_ url: URL, environment: [String: String] = ProcessInfo.processInfo.environment) throws -> Theme {
        let shown = displayPath(url.path, environment: environment)
        guard let data = FileManager.default.contents(atPath: url.path) else {
            throw ThemeLoadError(file: shown, message: "cannot read theme file")
        }
        guard let text = String(data: data, encoding: .utf8) else {
            throw ThemeLoadError(file: shown, message: "theme file is not UTF-8 text")
        }
        return try parse(text, file: shown, defaultName: url.deletingPathExtension().lastPathComponent)
    }

    /// Parses theme TOML; `file` names the source in errors.
    public static func parse(_ text: String, file: String, defaultName: String = "") throws -> Theme {
        func fail(_ message: String) -> ThemeLoadError { ThemeLoadError(file: file, message: message) }
        let table: TOMLTable
        do {
            table = try TOMLTable(string: text)
        } catch let error as TOMLParseError {
            throw fail("line \(error.source.begin.line), column \(error.source.begin.column): \(error.description)")
        }
        for key in table.keys.sorted() where !topFields.contains(key) {
            throw fail("\(key): unknown field (expected \(topFields.joined(separator: ", ")))")
        }
        var name = defaultName
        if let value = table["name"] {
            guard let string = value.string, !string.isEmpty else { throw fail("name: expected a non-empty string") }
            name = string
        }
        guard !name.isEmpty else { throw fail("name: missing") }
        var description = ""
        if let value = table["description"] {
            guard let string = value.string else { throw fail("description: expected a string") }
            description = string
        }
        guard let colorsValue = table["colors"] else { throw fail("colors: missing (a [colors] table of role styles)") }
        guard let colors = colorsValue.table else { throw fail("colors: expected a table") }
        var roles: [ThemeRole: RoleStyle] = [:]
        for key in colors.keys.sorted() {
            let path = "colors.\(key)"
            guard let role = ThemeRole(rawValue: key) else {
                throw fail("\(path): unknown role (known: \(ThemeRole.allCases.map(\.rawValue).joined(separator: ", ")))")
            }
            guard let value = colors[key] else { continue }
            roles[role] = try roleStyle(value, path: path, fail: fail)
        }
        return Theme(name: name, description: description, roles: roles)
    }

    private static func roleStyle(_ value: TOMLValueConvertible, path: String,
                                  fail: (String) -> ThemeLoadError) throws -> RoleStyle {
        if let string = value.string { return RoleStyle(foreground: try color(string, path: path, fail: fail)) }
        guard let table = value.table else {
            throw fail("\(path): expected \"#RRGGBB\" or a table like { fg = \"#RRGGBB\", bold = true }")
        }
        var style = RoleStyle()
        for key in table.keys.sorted() {
            let field = "\(path).\(key)"
            guard let item = table[key] else { continue }
            switch key {
            case "fg", "bg":
                guard let string = item.string else { throw fail("\(field): expected a \"#RRGGBB\" string") }
                let parsed = try color(string, path: field, fail: fail)
                if key == "fg" { style.foreground = parsed } else { style.background = parsed }
            case "bold", "italic", "underline", "reverse":
                guard let flag = item.bool else { throw fail("\(field): expected true or false") }
                switch key {
                case "bold": style.bold = flag
                case "italic": style.italic = flag
                case "underline": style.underline = flag
                default: style.reverse = flag
                }
            default:
                throw fail("\(field): unknown field (expected \(styleFields.joined(separator: ", ")))")
            }
        }
        return style
    }

    private static func color(_ text: String, path: String, fail: (String) -> ThemeLoadError) throws -> RGBColor {
        guard let parsed = RGBColor(hex: text) else { throw fail("\(path): '\(text)' is not a #RRGGBB colour") }
        return parsed
    }

    /// A path with the home folder written as `~`, as users see it in messages.
    static func displayPath(_ path: String, environment: [String: String]) -> String {
        guard let home = environment["HOME"], !home.isEmpty, home != "/", path.hasPrefix(home + "/") else { return path }
        return "~" + path.dropFirst(home.count)
    }
}
