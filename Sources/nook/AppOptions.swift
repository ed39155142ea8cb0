import App
import ArgumentParser
import Foundation

/// The model options of chat, run and replay: unlike `ModelOptionGroup` the model may be left out
/// (then `$NOOK_MODEL`, then `model` in config.toml is used).
struct ModelChoiceOptions: ParsableArguments {
    @Option(name: .shortAndLong, help: "Path of a GGUF model file (default: $NOOK_MODEL, then model in config.toml).")
    var model: String?

    @Option(name: [.customShort("t"), .long], help: "Worker threads (default: one per core).")
    var threads: Int?

    @Option(help: "Context length in tokens (default: the model's, at most 4096).")
    var ctx: Int?

    /// Milliseconds to pause after each streamed piece; lets tests interrupt a small model's reply.
    @Option(name: .customLong("debug-piece-delay"), help: ArgumentHelp("Testing: pause after each piece (ms).", visibility: .hidden))
    var pieceDelay: Double?

    func validate() throws {
        if let t = threads, t < 1 { throw ValidationError("--threads must be at least 1") }
        if let n = ctx, n < 16 { throw ValidationError("--ctx must be at least 16") }
        if let d = pieceDelay, !(0...10_000).contains(d) { throw ValidationError("--debug-piece-delay must be 0 to 10000 ms") }
    }

    /// The model request with the template chosen by `--template`.
    func request(template: String?) -> ModelRequest {
        ModelRequest(model: model, threads: threads, contextLength: ctx, template: template, pieceDelay: (pieceDelay ?? 0) / 1000)
    }
}

extension SamplingOptionGroup {
    /// The flags as overrides of persona and default sampling.
    var overrides: SamplingOverrides {
        SamplingOverrides(temperature: temperature.map(Double.init), topK: topK, topP: topP.map(Double.init),
                          minP: minP.map(Double.init), repeatPenalty: repeatPenalty.map(Double.init), maxTokens: maxTokens)
    }

    /// Whether any sampling value was given.
    var givesSampling: Bool { overrides != SamplingOverrides() || seed != nil }

    /// The seed as sessions record it (32 bits); the flags that sessions cannot record are refused.
    func sessionSeed(command: String) throws -> UInt32? {
        if presencePenalty != nil {
            throw ValidationError("--presence-penalty is only available in nook generate: \(command) sessions do not record it, so they could not be replayed")
        }
        guard let seed else { return nil }
        guard let value = UInt32(exactly: seed) else {
            throw ValidationError("--seed must be at most \(UInt32.max) for \(command) (sessions record 32-bit seeds)")
        }
        return value
    }
}
