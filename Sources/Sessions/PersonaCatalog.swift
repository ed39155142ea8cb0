import Conversation
import Foundation

/// A problem found in one user file (a broken persona, a name defined twice), in one line naming the file.
public struct FileWarning: Sendable, Equatable {
    public var file: URL
    public var message: String

    public init(file: URL, message: String) {
        self.file = file
        self.message = message
    }
}

/// The personas available by name: built-ins, overridden by the user's `*.toml` files.
public struct PersonaCatalog: Sendable {
    /// Where a persona came from.
    public enum Source: Sendable, Equatable {
        case builtIn
        case file(URL)
    }

    /// The persona used when none is chosen.
    public static let defaultName = "assistant"

    private var byName: [String: (persona: Persona, source: Source)] = [:]

    /// A catalog of `personas`, later ones replacing earlier ones of the same name.
    public init(_ personas: [Persona] = BuiltinPersonas.all) {
        for p in personas { byName[p.name] = (p, .builtIn) }
    }

    /// Built-ins plus the user's persona folder (`$XDG_CONFIG_HOME/nook/personas`).
    public static func load(paths: Paths) -> (catalog: PersonaCatalog, warnings: [String]) {
        load(folder: paths.personas)
    }

    /// Built-ins plus every `*.toml` in `folder` (a missing folder is fine); broken files become warnings.
    public static func load(folder: URL) -> (catalog: PersonaCatalog, warnings: [String]) {
        let (catalog, problems) = loadReporting(folder: folder)
        return (catalog, problems.map(\.message))
    }

    /// As `load(folder:)`, with each warning tied to the file it is about.
    public static func loadReporting(folder: URL) -> (catalog: PersonaCatalog, warnings: [FileWarning]) {
        var catalog = PersonaCatalog()
        var warnings: [FileWarning] = []
        let names = ((try? FileManager.default.contentsOfDirectory(atPath: folder.path)) ?? [])
            .filter { $0.hasSuffix(".toml") && !$0.hasPrefix(".") }.sorted()
        var fromFile: [String: URL] = [:]
        for name in names {
            let url = folder.appendingPathComponent(name)
            do {
                let persona = try PersonaTOML.load(url)
                if let earlier = fromFile[persona.name] {
                    warnings.append(FileWarning(file: url, message: "\(url.path): persona '\(persona.name)' is also defined in \(earlier.lastPathComponent); using \(name)"))
                }
                fromFile[persona.name] = url
                catalog.add(persona, source: .file(url))
            } catch {
                warnings.append(FileWarning(file: url, message: "\(error)"))
            }
        }
        return (catalog, warnings)
    }

    /// Adds or replaces a persona.
    public mutating func add(_ persona: Persona, source: Source) {
        byName[persona.name] = (persona, source)
    }

    /// All persona names, sorted.
    public var names: [String] { byName.keys.sorted() }

    /// All personas sorted by name.
    public var personas: [Persona] { names.compactMap { byName[$0]?.persona } }

    /// The persona called `name` (exact, else ignoring case).
    public func persona(named name: String) throws -> Persona {
        if let entry = byName[name] ?? byName.first(where: { $0.key.lowercased() == name.lowercased() })?.value {
            return entry.persona
        }
        throw PersonaError(file: "", message: "unknown persona '\(name)' (available: \(names.joined(separator: ", ")))")
    }

    /// Where the persona called `name` came from, nil if there is none.
    public func source(of name: String) -> Source? { byName[name]?.source }

    /// The default persona (the user's `assistant` if they overrode it).
    public var defaultPersona: Persona { byName[Self.defaultName]?.persona ?? BuiltinPersonas.assistant }
}
