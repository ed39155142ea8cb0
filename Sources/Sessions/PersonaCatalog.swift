import Conversation
import Foundation

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
        var catalog = PersonaCatalog()
        var warnings: [String] = []
        let names = ((try? FileManager.default.contentsOfDirectory(atPath: folder.path)) ?? [])
            .filter { $0.hasSuffix(".toml") && !$0.hasPrefix(".") }.sorted()
        var fromFile: [String: URL] = [:]
        for name in names {
            let url = folder.appendingPathComponent(name)
            do {
                let persona = try PersonaTOML.load(url)
                if let earlier = fromFile[persona.name] {
                    warnings.append("\(url.path): persona '\(persona.name)' is also defined in \(earlier.lastPathComponent); using \(name)")
                }
                fromFile[persona.name] = url
                catalog.add(persona, source: .file(url))
            } catch {
                warnings.append("\(error)")
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
