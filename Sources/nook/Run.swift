import App
import ArgumentParser
import Engine
import Foundation

/// `nook run`: answers one prompt and exits.
struct Run: ParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Answer one prompt (or standard input) and exit; the reply streams to standard output.",
        discussion: "The exchange is saved as a session unless --no-save is given. Ctrl-C stops the reply and keeps it (exit status 130).")

    @OptionGroup var model: ModelOptionGroup
    @OptionGroup var context: ContextOptionGroup
    @OptionGroup var sampling: SamplingOptionGroup
    @Option(help: "Persona to answer as.")
    var persona: String?
    @Option(help: "Your name, given to the persona as {{user}}.")
    var user: String?
    @OptionGroup var vision: VisionOptionGroup
    @Option(name: .customLong("attach"), help: "A text file, or an image with --mmproj, to send with the prompt (repeatable).")
    var attachments: [String] = []
    @Flag(name: .customLong("no-save"), help: "Do not record the exchange as a session (nor learn from it).")
    var noSave = false
    @Flag(help: "Neither read nor write your profile ($XDG_DATA_HOME/nook/profile.sqlite).")
    var incognito = false
    @Flag(name: .customLong("print-prompt"), help: "Print the exact prompt the model would receive (after the chat template, with the profile context) and exit without generating.")
    var printPrompt = false
    @Argument(help: "The prompt (default: all of standard input).")
    var prompt: String?

    func run() throws {
        let seed = sampling.seed
        let text: String
        if let prompt {
            text = prompt
        } else if isatty(STDIN_FILENO) == 1 {
            throw ValidationError("give a PROMPT, or pipe one to standard input")
        } else {
            text = try readStandardInput()
        }
        var options = RunOptions(engine: model.request(context: context, template: sampling.template, vision: vision), persona: persona, user: user,
                                 attachments: attachments, sampling: sampling.overrides, seed: seed, record: !noSave)
        options.incognito = incognito
        options.printPrompt = printPrompt
        let interrupt = InterruptHandler()
        let flag = interrupt.flag
        let status = CommandLaunchers.run(options, prompt: text, environment: ProcessInfo.processInfo.environment,
                                          interrupted: { flag.isSet })
        interrupt.cancel()
        if status != 0 { throw ExitCode(status) }
    }
}
