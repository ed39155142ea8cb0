import ArgumentParser

/// The `nook` command: a private multimodal assistant for the terminal.
struct Nook: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "nook",
        abstract: "A private assistant for the terminal that runs GGUF models on your CPU.",
        version: NookVersion.string,
        subcommands: [Chat.self, Run.self, Replay.self, SessionsCommand.self, PersonaCommand.self, ProfileCommand.self, Generate.self, Tokenize.self, Logits.self, Bench.self, ImageInfo.self, EmbedImage.self],
        defaultSubcommand: Chat.self)
}

/// The version of this build.
enum NookVersion {
    static let string = "0.1.0"
}
