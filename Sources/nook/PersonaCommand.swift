import App
import ArgumentParser
import Foundation

/// `nook persona`: list personas and import Character Cards.
struct PersonaCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "persona",
        abstract: "List personas or import a Character Card V2 as one.",
        subcommands: [List.self, Import.self])

    struct List: ParsableCommand {
        static let configuration = CommandConfiguration(abstract: "List the built-in and your own personas.")

        func run() throws {
            let status = CommandLaunchers.listPersonas(environment: ProcessInfo.processInfo.environment)
            if status != 0 { throw ExitCode(status) }
        }
    }

    struct Import: ParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Import a Character Card V2 (JSON, or PNG with a chara chunk) into $XDG_CONFIG_HOME/nook/personas.")

        @Argument(help: "The card file.")
        var card: String
        @Flag(help: "Replace a persona file of the same name.")
        var force = false

        func run() throws {
            let status = CommandLaunchers.importPersona(card: card, overwrite: force,
                                                        environment: ProcessInfo.processInfo.environment)
            if status != 0 { throw ExitCode(status) }
        }
    }
}
