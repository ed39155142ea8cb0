import Foundation

/// Where nook keeps its files, following the XDG Base Directory specification.
///
/// `XDG_DATA_HOME`, `XDG_CONFIG_HOME` and `XDG_CACHE_HOME` are used when set to an absolute path;
/// otherwise the defaults under `HOME` apply (`~/.local/share`, `~/.config`, `~/.cache`).
public struct Paths: Sendable, Equatable {
    /// Base folder for user data (`$XDG_DATA_HOME`).
    public var dataHome: URL
    /// Base folder for user configuration (`$XDG_CONFIG_HOME`).
    public var configHome: URL
    /// Base folder for caches (`$XDG_CACHE_HOME`).
    public var cacheHome: URL

    /// Resolves the folders from `environment` (the process environment unless injected).
    public init(environment: [String: String] = ProcessInfo.processInfo.environment) {
        let home = Paths.absolute(environment["HOME"]).map { URL(fileURLWithPath: $0, isDirectory: true) }
            ?? URL(fileURLWithPath: NSHomeDirectory(), isDirectory: true)
        func base(_ key: String, _ fallback: String) -> URL {
            if let value = Paths.absolute(environment[key]) { return URL(fileURLWithPath: value, isDirectory: true) }
            return home.appendingPathComponent(fallback, isDirectory: true)
        }
        dataHome = base("XDG_DATA_HOME", ".local/share")
        configHome = base("XDG_CONFIG_HOME", ".config")
        cacheHome = base("XDG_CACHE_HOME", ".cache")
    }

    /// nook's data folder: `$XDG_DATA_HOME/nook`.
    public var data: URL { dataHome.appendingPathComponent("nook", isDirectory: true) }
    /// nook's configuration folder: `$XDG_CONFIG_HOME/nook`.
    public var config: URL { configHome.appendingPathComponent("nook", isDirectory: true) }
    /// nook's cache folder: `$XDG_CACHE_HOME/nook`.
    public var cache: URL { cacheHome.appendingPathComponent("nook", isDirectory: true) }

    /// Session logs: `$XDG_DATA_HOME/nook/sessions`.
    public var sessions: URL { data.appendingPathComponent("sessions", isDirectory: true) }
    /// Downloaded or linked models: `$XDG_DATA_HOME/nook/models`.
    public var models: URL { data.appendingPathComponent("models", isDirectory: true) }
    /// The profile database: `$XDG_DATA_HOME/nook/profile.sqlite`.
    public var profileDatabase: URL { data.appendingPathComponent("profile.sqlite") }
    /// The configuration file: `$XDG_CONFIG_HOME/nook/config.toml`.
    public var configFile: URL { config.appendingPathComponent("config.toml") }
    /// User personas: `$XDG_CONFIG_HOME/nook/personas`.
    public var personas: URL { config.appendingPathComponent("personas", isDirectory: true) }
    /// User themes: `$XDG_CONFIG_HOME/nook/themes`.
    public var themes: URL { config.appendingPathComponent("themes", isDirectory: true) }

    /// The value when it is a non-empty absolute path (the XDG spec says to ignore relative ones).
    private static func absolute(_ value: String?) -> String? {
        guard let value, value.hasPrefix("/") else { return nil }
        return value
    }
}
