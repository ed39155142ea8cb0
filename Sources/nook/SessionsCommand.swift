import App
import ArgumentParser
import Foundation

/// `nook sessions`: list, show, remove, rename and export the saved sessions.
struct SessionsCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "sessions",
        abstract: "List, show, remove, rename or export saved sessions (without a subcommand: list).",
        discussion: """
        Sessions are the logs of the chat and of nook run in $XDG_DATA_HOME/nook/sessions (default \
        ~/.local/share/nook/sessions). ID|NAME is a session id as listed, or a name given by /save in the \
        chat or by nook sessions rename. In the chat, /sessions lists and resumes them and /export writes \
        the current one.
        """,
        subcommands: [List.self, Show.self, Remove.self, Rename.self, Export.self],
        defaultSubcommand: List.self)

    struct List: ParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "List the sessions, most recently active first: id, last activity, turns, persona, model file, title.")

        @Flag(help: "Print a JSON array of {id, title, created, updated, turns, persona, model, file}.")
        var json = false

        func run() throws { try finish(SessionCommands.list(json: json, environment: environment)) }
    }

    struct Show: ParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Print a session: its model, persona, dates and turn count, then the transcript.")

        @Argument(help: ArgumentHelp("The session's id or name.", valueName: "ID|NAME"))
        var session: String

        func run() throws { try finish(SessionCommands.show(session, environment: environment)) }
    }

    struct Remove: ParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "rm", abstract: "Delete a session's log (only that file).")

        @Argument(help: ArgumentHelp("The session's id or name.", valueName: "ID|NAME"))
        var session: String

        func run() throws { try finish(SessionCommands.remove(session, environment: environment)) }
    }

    struct Rename: ParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Give a session a new name, atomically; an existing session is never replaced.",
            discussion: "NEWNAME uses letters, digits, '-', '_' and '.', starts with a letter, a digit or '_', and has at most 100 characters.")

        @Argument(help: ArgumentHelp("The session's id or name.", valueName: "ID|NAME"))
        var session: String
        @Argument(help: ArgumentHelp("The new name.", valueName: "NEWNAME"))
        var name: String

        func run() throws { try finish(SessionCommands.rename(session, to: name, environment: environment)) }
    }

    struct Export: ParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Write a session as Markdown (default) or JSON, to standard output or a file.",
            discussion: """
            Markdown: a heading per turn, attachments by name and reply statistics. JSON: a stable object \
            (exportVersion 1) with the start event and the messages in order; see docs/session-format.md.
            """)

        @Argument(help: ArgumentHelp("The session's id or name.", valueName: "ID|NAME"))
        var session: String
        @Flag(help: "The format.")
        var format: Format = .markdown
        @Option(name: .shortAndLong, help: ArgumentHelp("Write to this file instead of standard output.", valueName: "FILE"))
        var output: String?
        @Flag(help: "Replace the --output file if it exists.")
        var force = false

        func run() throws {
            let chosen: ExportFormat = format == .json ? .json : .markdown
            try finish(SessionCommands.export(session, format: chosen, output: output, force: force, environment: environment))
        }
    }

    /// `--markdown` or `--json`.
    enum Format: String, EnumerableFlag {
        case markdown, json

        static func help(for value: Format) -> ArgumentHelp? {
            value == .markdown ? "A readable Markdown transcript." : "The documented JSON object."
        }
    }
}

private var environment: [String: String] { ProcessInfo.processInfo.environment }

/// Ends the command with `status` unless it is 0.
private func finish(_ status: Int32) throws {
    if status != 0 { throw ExitCode(status) }
}
