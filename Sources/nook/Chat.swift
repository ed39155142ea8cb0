import App
import ArgumentParser
import Foundation

/// `nook chat` (also plain `nook`): the full-screen chat.
struct Chat: ParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Chat with a model in a full-screen terminal UI (the default command).",
        discussion: "Type /help in the chat for its commands. Sessions are saved in $XDG_DATA_HOME/nook/sessions.")

    @OptionGroup var model: ModelOptionGroup
    @OptionGroup var context: ContextOptionGroup
    @OptionGroup var sampling: SamplingOptionGroup
    @OptionGroup var vision: VisionOptionGroup
    @Option(help: "Persona to start with (see nook persona list).")
    var persona: String?
    @Option(help: "Colour theme (nook-dark, nook-light, high-contrast, gruvbox-dark, solarized-dark or your own).")
    var theme: String?
    @Option(help: "Your name: shown in the chat and given to personas as {{user}}.")
    var user: String?
    @Flag(name: .customLong("continue"), help: "Continue the most recent session.")
    var continueLast = false
    @Option(help: "Continue the session with this id or name (see nook sessions list).")
    var session: String?
    @Flag(name: .customLong("no-save"), help: "Write nothing: no session log, no input history (/save PATH still can).")
    var noSave = false
    @Flag(help: "Neither read nor write your profile ($XDG_DATA_HOME/nook/profile.sqlite) in this chat.")
    var incognito = false

    func validate() throws {
        if continueLast && session != nil { throw ValidationError("give --continue or --session, not both") }
    }

    func run() throws {
        let choice: SessionChoice? = continueLast ? .last : session.map { .named($0) }
        var options = ChatOptions(engine: model.request(context: context, template: sampling.template, vision: vision),
                                  sampling: sampling.overrides, seed: sampling.seed,
                                  persona: persona, theme: theme, user: user, session: choice, record: !noSave)
        options.incognito = incognito
        let status = ChatLauncher.run(options, environment: ProcessInfo.processInfo.environment)
        if status != 0 { throw ExitCode(status) }
    }
}
