import Foundation
import Sessions

/// `nook sessions list|show|rm|rename|export`: the saved sessions from the command line. Each
/// returns the exit status and prints a problem as one `nook: …` line on standard error.
public enum SessionCommands {
    /// Lists the sessions, most recently active first, as aligned columns or a JSON array.
    public static func list(json: Bool, environment: [String: String]) -> Int32 {
        let store = SessionStore(paths: Paths(environment: environment))
        let (sessions, warnings) = store.list()
        for warning in warnings { CommandLaunchers.printError(warning) }
        if json {
            return attempt {
                let entries = try sessions.map { s in
                    ListEntry(id: s.id, title: s.title, created: SessionTime.format(s.created),
                              updated: SessionTime.format(s.updated), turns: s.turnCount, persona: s.persona,
                              model: s.model, file: try store.url(for: s.id).path)
                }
                let encoder = JSONEncoder()
                encoder.outputFormatting = [.prettyPrinted, .sortedKeys, .withoutEscapingSlashes]
                CommandLaunchers.write(String(decoding: try encoder.encode(entries), as: UTF8.self) + "\n")
            }
        }
        guard !sessions.isEmpty else {
            CommandLaunchers.write("no sessions yet in \(store.folder.path)\n")
            return 0
        }
        CommandLaunchers.write(SessionTable.listing(sessions).joined(separator: "\n") + "\n")
        return 0
    }

    /// Prints a session: model, persona, dates and turn count, then the transcript.
    public static func show(_ name: String, environment: [String: String]) -> Int32 {
        attempt {
            let transcript = try SessionTranscript(contentsOf: try store(environment).existing(name))
            CommandLaunchers.write(SessionTable.show(transcript))
        }
    }

    /// Deletes a session's log, and no other file.
    public static func remove(_ name: String, environment: [String: String]) -> Int32 {
        attempt {
            let file = try store(environment).remove(name)
            CommandLaunchers.write("removed session \(name) (\(file.path))\n")
        }
    }

    /// Renames a session atomically, refusing a name in use or one that is not a plain file name.
    public static func rename(_ name: String, to newName: String, environment: [String: String]) -> Int32 {
        attempt {
            let file = try store(environment).rename(name, to: newName)
            CommandLaunchers.write("renamed session \(name) to \(newName) (\(file.path))\n")
        }
    }

    /// Exports a session to standard output, or to `output` (never over an existing file unless `force`).
    public static func export(_ name: String, format: ExportFormat, output: String?, force: Bool,
                              environment: [String: String]) -> Int32 {
        attempt {
            let transcript = try SessionTranscript(contentsOf: try store(environment).existing(name))
            let data = try format.data(for: transcript)
            guard let output else { return FileHandle.standardOutput.write(data) }
            let url = URL(fileURLWithPath: output, relativeTo: URL(fileURLWithPath: FileManager.default.currentDirectoryPath))
                .standardizedFileURL
            try ExportFile.write(data, to: url, overwrite: force)
            CommandLaunchers.write("exported session \(name) as \(format.displayName) to \(url.path)\n")
        }
    }

    /// One entry of `nook sessions list --json`.
    struct ListEntry: Encodable {
        let id: String, title: String, created: String, updated: String
        let turns: Int, persona: String, model: String, file: String
    }

    private static func store(_ environment: [String: String]) -> SessionStore {
        SessionStore(paths: Paths(environment: environment))
    }

    /// Runs `body`; a thrown error becomes one `nook: …` line and status 1.
    private static func attempt(_ body: () throws -> Void) -> Int32 {
        do {
            try body()
            return 0
        } catch {
            CommandLaunchers.printError("\(error)")
            return 1
        }
    }
}
