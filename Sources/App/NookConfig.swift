import Foundation
import Sessions
import TOMLKit

/// A problem with the configuration file or with finding a model, in one line.
public struct ConfigError: Error, CustomStringConvertible, Equatable {
    public var message: String
    public init(_ message: String) { self.message = message }
    public var description: String { message }
}

/// The user's defaults from `$XDG_CONFIG_HOME/nook/config.toml`:
///
/// ```toml
/// model = "~/models/qwen2.5-1.5b-instruct-q4_k_m.gguf"
/// persona = "tutor"
/// theme = "nook-light"
/// user = "Ada"
/// ```
///
/// Every key is optional; a relative `model` path is relative to the config folder.
public struct NookConfig: Sendable, Equatable {
    public var model: String?
    public var persona: String?
    public var theme: String?
    public var user: String?

    public static let keys = ["model", "persona", "theme", "user"]

    public init(model: String? = nil, persona: String? = nil, theme: String? = nil, user: String? = nil) {
        self.model = model
        self.persona = persona
        self.theme = theme
        self.user = user
    }

    /// Reads the config file; a missing file is an empty configuration.
    public static func load(paths: Paths, environment: [String: String]) throws -> NookConfig {
        let url = paths.configFile
        guard FileManager.default.fileExists(atPath: url.path) else { return NookConfig() }
        guard let data = FileManager.default.contents(atPath: url.path) else {
            throw ConfigError("\(url.path): cannot read the configuration file")
        }
        guard let text = String(data: data, encoding: .utf8) else {
            throw ConfigError("\(url.path): the configuration file is not UTF-8 text")
        }
        var config = try parse(text, file: url.path)
        if let model = config.model {
            config.model = expand(model, relativeTo: url.deletingLastPathComponent(), environment: environment)
        }
        return config
    }

    /// Parses config TOML; `file` names the source in errors.
    public static func parse(_ text: String, file: String) throws -> NookConfig {
        let table: TOMLTable
        do {
            table = try TOMLTable(string: text)
        } catch let error as TOMLParseError {
            throw ConfigError("\(file): line \(error.source.begin.line), column \(error.source.begin.column): \(error.description)")
        }
        var config = NookConfig()
        for key in table.keys.sorted() {
            guard keys.contains(key) else {
                throw ConfigError("\(file): \(key): unknown setting (known: \(keys.joined(separator: ", ")))")
            }
            guard let value = table[key]?.string, !value.isEmpty else {
                throw ConfigError("\(file): \(key): expected a non-empty string")
            }
            switch key {
            case "model": config.model = value
            case "persona": config.persona = value
            case "theme": config.theme = value
            default: config.user = value
            }
        }
        return config
    }

    /// `~` and relative paths made absolute.
    static func expand(_ path: String, relativeTo folder: URL, environment: [String: String]) -> String {
        if path == "~" || path.hasPrefix("~/") {
            let home = environment["HOME"].flatMap { $0.isEmpty ? nil : $0 } ?? NSHomeDirectory()
            return home + path.dropFirst()
        }
        if path.hasPrefix("/") { return path }
        return folder.appendingPathComponent(path).standardizedFileURL.path
    }
}

/// Finds the model to load: `--model`, else `$NOOK_MODEL`, else `model` in the config file.
public enum ModelResolver {
    /// The model path, or a one-line error saying how to name one.
    public static func resolve(flag: String?, environment: [String: String], config: NookConfig,
                               configFile: URL) throws -> String {
        let choice: (path: String, source: String)
        if let flag, !flag.isEmpty {
            choice = (flag, "--model")
        } else if let env = environment["NOOK_MODEL"], !env.isEmpty {
            choice = (env, "NOOK_MODEL")
        } else if let model = config.model {
            choice = (model, configFile.path)
        } else {
            throw ConfigError("no model given: pass --model PATH.gguf, set NOOK_MODEL, or add model = \"PATH.gguf\" to \(configFile.path)")
        }
        var isDirectory: ObjCBool = false
        guard FileManager.default.fileExists(atPath: choice.path, isDirectory: &isDirectory) else {
            throw ConfigError("\(choice.path): no such model file (from \(choice.source))")
        }
        if isDirectory.boolValue { throw ConfigError("\(choice.path): is a folder, not a model file (from \(choice.source))") }
        return choice.path
    }
}
