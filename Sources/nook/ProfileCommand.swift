import App
import ArgumentParser
import Foundation
import Personalization
import Sessions

/// `nook profile`: show, export, import and forget what nook knows about a user.
struct ProfileCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "profile",
        abstract: "Show, export, import or forget your profile ($XDG_DATA_HOME/nook/profile.sqlite).",
        subcommands: [Show.self, Export.self, Import.self, Forget.self])

    /// `--user NAME`, shared by the subcommands.
    struct UserOption: ParsableArguments {
        @Option(help: "Whose profile (default: user in config.toml, else the OS user).")
        var user: String?

        /// The store and the user's name.
        func open() throws -> (ProfileStore, String) {
            let environment = ProcessInfo.processInfo.environment
            let paths = Paths(environment: environment)
            let config = try NookConfig.load(paths: paths, environment: environment)
            let name = try ProfileUser.resolve(flag: user, configured: config.user, environment: environment)
            return (try ProfileStore(url: paths.profileDatabase), name)
        }

        /// The user's profile as a document; an empty one (not stored) for a user without a profile.
        static func document(_ store: ProfileStore, _ name: String) throws -> ProfileDocument {
            try store.existingProfile(for: name)?.export() ?? .empty(user: name)
        }
    }

    struct Show: ParsableCommand {
        static let configuration = CommandConfiguration(abstract: "List your preferences and memories.")
        @OptionGroup var user: UserOption

        func run() throws {
            let (store, name) = try user.open()
            Output.write("profile: \(store.url.path)\n\n" + ProfileSummary.markdown(try UserOption.document(store, name)))
        }
    }

    struct Export: ParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Write your whole profile to standard output: Markdown, or with --json the documented format that import reads.")
        @OptionGroup var user: UserOption
        @Flag(help: "Write JSON (format \"nook-profile\", version 1) instead of Markdown.")
        var json = false

        func run() throws {
            let (store, name) = try user.open()
            let doc = try UserOption.document(store, name)
            Output.write(json ? String(decoding: try doc.json(), as: UTF8.self) + "\n" : ProfileSummary.markdown(doc))
        }
    }

    struct Import: ParsableCommand {
        static let configuration = CommandConfiguration(abstract: "Restore a profile from 'nook profile export --json'.")
        @OptionGroup var user: UserOption
        @Argument(help: "The JSON export.")
        var file: String
        @Flag(help: "Replace the user's existing profile.")
        var replace = false

        func run() throws {
            guard let data = FileManager.default.contents(atPath: file) else {
                throw ProfileError("\(file): cannot read the file")
            }
            let doc = try ProfileDocument.read(data, file: file)
            let (store, _) = try user.open()
            let profile = try store.importProfile(doc, as: user.user ?? doc.user, replace: replace)
            Output.write("imported \(doc.preferences.count) preferences and \(doc.memories.count) memories as user \(profile.name)\n")
        }
    }

    struct Forget: ParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Delete your whole profile for good: rows, history and index entries, then the file is compacted.")
        @OptionGroup var user: UserOption
        @Flag(help: "Forget everything (required).")
        var all = false

        func run() throws {
            guard all else { throw ProfileError("nook profile forget needs --all (one memory is forgotten with /forget ID in the chat)") }
            let (store, name) = try user.open()
            let existed = try store.forgetUser(name)
            Output.write(existed ? "forgot the profile of \(name)\n" : "no profile for \(name): nothing to forget\n")
        }
    }
}
