import Conversation
import Foundation
import Sessions
import TerminalUI

/// One folder of `*.toml` files as last read: each file's stamp and its last good contents.
struct WatchedFolder<Item: Sendable>: Sendable {
    struct Entry: Sendable {
        var stamp: FileStamp
        /// The file's contents when it last loaded; nil when it never did.
        var good: Item?
    }

    let folder: URL
    /// Whether files whose names start with a dot count (the theme loader reads them, the persona loader does not).
    let includesHidden: Bool
    let read: @Sendable (URL) throws -> Item
    private(set) var entries: [String: Entry] = [:]

    /// Reads the folder as it is now; problems are not reported (they were, when the catalogs were first loaded).
    init(folder: URL, includesHidden: Bool, read: @escaping @Sendable (URL) throws -> Item) {
        self.folder = folder
        self.includesHidden = includesHidden
        self.read = read
        for (name, stamp) in listing() {
            entries[name] = Entry(stamp: stamp, good: try? read(folder.appendingPathComponent(name)))
        }
    }

    /// The stamps of the folder's files by name (a missing folder has none).
    func listing() -> [String: FileStamp] {
        let names = (try? FileManager.default.contentsOfDirectory(atPath: folder.path)) ?? []
        var stamps: [String: FileStamp] = [:]
        for name in names where name.hasSuffix(".toml") && (includesHidden || !name.hasPrefix(".")) {
            if let stamp = FileStamp(of: folder.appendingPathComponent(name)) { stamps[name] = stamp }
        }
        return stamps
    }

    /// Re-reads the files added or changed since the last look and forgets removed ones; says whether anything
    /// changed, and the problems of the files that do not load now (each keeps its last good contents).
    mutating func refresh() -> (changed: Bool, problems: [String]) {
        let now = listing()
        var changed = false
        var problems: [String] = []
        for name in entries.keys where now[name] == nil {
            entries[name] = nil
            changed = true
        }
        for (name, stamp) in now.sorted(by: { $0.key < $1.key }) where entries[name]?.stamp != stamp {
            changed = true
            do {
                entries[name] = Entry(stamp: stamp, good: try read(folder.appendingPathComponent(name)))
            } catch {
                problems.append("\(error)")
                entries[name] = Entry(stamp: stamp, good: entries[name]?.good)
            }
        }
        return (changed, problems)
    }

    /// The good contents of the files, in file-name order.
    var items: [(file: URL, item: Item)] {
        entries.keys.sorted().compactMap { name in
            entries[name]?.good.map { (folder.appendingPathComponent(name), $0) }
        }
    }
}

/// The user's persona and theme folders, watched by the chat so that their catalogs follow the files.
struct UserFileWatcher: Sendable {
    var personas: WatchedFolder<Persona>?
    var themes: WatchedFolder<Theme>?

    /// Watches the folders the environment names; nil when it names none.
    init?(environment: ChatEnvironment) {
        guard environment.personaFolder != nil || environment.themeFolder != nil else { return nil }
        personas = environment.personaFolder.map { WatchedFolder(folder: $0, includesHidden: false, read: PersonaTOML.load) }
        let shown = ["HOME": environment.homeDirectory]
        themes = environment.themeFolder.map {
            WatchedFolder(folder: $0, includesHidden: true) { url in
                do {
                    return try ThemeLoader.load(url, environment: shown)
                } catch let error as ThemeLoadError {
                    throw error
                } catch {
                    throw ThemeLoadError(file: ThemeLoader.displayPath(url.path, environment: shown), message: "\(error)")
                }
            }
        }
    }

    /// What a look at the folders found: new catalogs for the folders whose files changed, and the problems.
    struct Reload {
        var personas: PersonaCatalog?
        var themes: ThemeCatalog?
        var problems: [String]
    }

    /// Looks at both folders again.
    mutating func reload() -> Reload {
        var result = Reload(problems: [])
        if let found = personas?.refresh() {
            result.problems += found.problems
            if found.changed, let personas {
                var catalog = PersonaCatalog()
                for (file, persona) in personas.items { catalog.add(persona, source: .file(file)) }
                result.personas = catalog
            }
        }
        if let found = themes?.refresh() {
            result.problems += found.problems
            if found.changed, let themes {
                var catalog = ThemeCatalog(themes: Theme.builtIns)
                for (_, theme) in themes.items { catalog.add(theme) }
                result.themes = catalog
            }
        }
        return result
    }
}
