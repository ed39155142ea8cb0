import ArgumentParser
import Conversation
import Engine
import Foundation

/// `nook generate`: streams a continuation of a prompt.
struct Generate: ParsableCommand {
    static let configuration = CommandConfiguration(abstract: "Stream the model's continuation of a prompt to standard output.")

    @OptionGroup var model: ModelOptionGroup
    @OptionGroup var sampling: SamplingOptionGroup
    @Option(name: .shortAndLong, help: "The prompt (default: all of standard input).")
    var prompt: String?
    @Flag(help: "Wrap the prompt in the model's chat template as a user message.")
    var chat = false
    @Option(help: "System prompt for --chat.")
    var system: String?
    @OptionGroup var context: ContextOptionGroup
    @OptionGroup var vision: ImageOptionGroup
    @Flag(help: "Print prompt and generation speed to standard error.")
    var stats = false

    func run() throws {
        let text = vision.marking(try prompt ?? readStandardInput())
        let context = try model.load()
        let encoded = try vision.encode(threads: model.threads)
        var chunks: [PromptChunk]
        var stops: [String] = []
        if chat {
            let template = try context.chatTemplate(override: sampling.template)
            var messages: [Message] = []
            if let system { messages.append(Message(role: .system, content: system)) }
            messages.append(Message(role: .user, content: text))
            chunks = try context.promptChunks(for: messages, template: template, images: encoded.images)
            stops = template.stopStrings
        } else {
            if let t = sampling.template { _ = try context.chatTemplate(override: t) }
            chunks = try context.promptChunks(text: text, images: encoded.images, addSpecial: true)
        }
        let generator = try Generator(context: context, contextLength: self.context.ctx)
        if let warning = context.contextWarning(for: generator.contextLength) { Output.error("nook: warning: \(warning)") }
        let request = GenerationRequest(chunks: chunks, maxTokens: sampling.maxTokens,
                                        sampling: sampling.settings(seed: sampling.seed ?? SamplingSettings.randomSeed()),
                                        stopStrings: stops)
        let interrupt = InterruptHandler()
        let result = try generator.generate(request, shouldCancel: { interrupt.flag.isSet }) { Output.write($0) }
        interrupt.cancel()
        Output.write("\n")
        if result.reason == .contextFull {
            Output.error("nook: stopped: the context of \(generator.contextLength) tokens is full")
        }
        if stats {
            let s = result.stats
            if !vision.images.isEmpty {
                Output.error(String(format: "images: %d encoded in %.2f s", vision.images.count, encoded.seconds))
            }
            Output.error(String(format: "prompt: %d tokens, %.2f tokens/s; generation: %d tokens, %.2f tokens/s",
                                s.promptTokens, s.promptTokensPerSecond, s.generatedTokens, s.generationTokensPerSecond))
        }
    }
}

/// Turns the first Ctrl-C into a cancellation flag instead of killing the process; a second one exits.
///
/// Keep the handler alive while generating, then call `cancel()` to restore the default behaviour.
final class InterruptHandler {
    let flag = CancellationFlag()
    private let source = DispatchSource.makeSignalSource(signal: SIGINT, queue: .global())

    init() {
        signal(SIGINT, SIG_IGN)
        source.setEventHandler { [flag] in
            if flag.isSet { exit(130) }
            flag.set()
        }
        source.resume()
    }

    func cancel() {
        source.cancel()
        signal(SIGINT, SIG_DFL)
    }
}
