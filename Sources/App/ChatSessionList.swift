import Foundation
import Sessions

extension ChatApp {
    /// How many sessions one `/sessions` page lists.
    static let sessionsPageSize = 20

    /// `/sessions`, `/sessions page N`, `/sessions N` and `/sessions ID|NAME`.
    func sessionsCommand(_ args: [String]) {
        switch args.count {
        case 0:
            listSessions(page: 1)
        case 1 where args[0].lowercased() == "page" && (try? env.store.existing(args[0])) == nil:
            error("/sessions page needs a page number, e.g. /sessions page 2")
        case 1:
            sessions(args[0])
        case 2 where args[0].lowercased() == "page":
            guard let page = Int(args[1]), page >= 1 else {
                return error("/sessions page needs a page number, e.g. /sessions page 2")
            }
            listSessions(page: page)
        default:
            error("/sessions takes a number, a session name, or page N")
        }
    }

    /// Lists one page of the earlier sessions, most recent first, in aligned columns.
    func listSessions(page: Int) {
        let (found, warnings) = env.store.list()
        listedSessions = found
        refreshCompleter(sessions: found.map(\.id))
        for warning in warnings { error(warning) }
        guard !found.isEmpty else { return note("no earlier sessions in \(env.store.folder.path)") }
        let size = Self.sessionsPageSize
        let pages = (found.count + size - 1) / size
        guard page <= pages else {
            return error("no page \(page): /sessions has \(pages) page\(pages == 1 ? "" : "s")")
        }
        let first = (page - 1) * size
        let shown = found[first..<min(first + size, found.count)]
        let pageNote = pages > 1 ? ", page \(page) of \(pages)" : ""
        var lines = ["Sessions, most recent first\(pageNote) (/sessions N resumes one):"]
        lines += SessionTable.chatRows(shown, first: first + 1, current: sessionID)
        let rest = found.count - (first + shown.count)
        if rest > 0 { lines.append("  … \(rest) more: /sessions page \(page + 1)") }
        note(lines.joined(separator: "\n"))
    }

    /// `/export [PATH] [--markdown|--json] [--force]`: writes this session to a file.
    func export(_ args: [String]) {
        var format: ExportFormat?
        var force = false
        var path: String?
        for arg in args {
            switch arg {
            case "--markdown", "--json":
                let chosen: ExportFormat = arg == "--json" ? .json : .markdown
                if let format, format != chosen { return error("/export takes --markdown or --json, not both") }
                format = chosen
            case "--force":
                force = true
            case _ where arg.hasPrefix("--"):
                return error("unknown option \(arg): /export [PATH] [--markdown|--json] [--force]")
            default:
                if path != nil { return error("/export takes one path (quote a path with spaces)") }
                path = arg
            }
        }
        guard let log else { return error("nothing to export yet: send a message first") }
        let chosen = format ?? (path.map { URL(fileURLWithPath: $0).pathExtension.lowercased() == "json" } == true ? .json : .markdown)
        let defaultName = "nook-\(log.id).\(chosen.fileExtension)"
        var target = resolve(path ?? defaultName)
        var isDirectory: ObjCBool = false
        if FileManager.default.fileExists(atPath: target.path, isDirectory: &isDirectory), isDirectory.boolValue {
            target.appendPathComponent(defaultName)
        }
        do {
            let transcript = try SessionTranscript(contentsOf: log.url)
            try ExportFile.write(try chosen.data(for: transcript), to: target, overwrite: force)
            let turns = transcript.turnCount
            note("exported this session (\(chosen.displayName), \(turns) turn\(turns == 1 ? "" : "s")) to \(target.path)" +
                 (active != nil ? "; the reply being written is not in it" : ""))
        } catch {
            self.error("\(error)")
        }
    }

    /// A path typed in the chat: `~` is the home folder, relative paths start in the working directory.
    private func resolve(_ typed: String) -> URL {
        var path = typed
        if path == "~" || path.hasPrefix("~/") { path = env.homeDirectory + path.dropFirst() }
        if !path.hasPrefix("/") { path = env.workingDirectory + "/" + path }
        return URL(fileURLWithPath: path).standardizedFileURL
    }
}
