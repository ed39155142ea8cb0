import App
import ArgumentParser
import Conversation
import Engine
import Foundation

/// The options of every command that loads a model: which file, and how many threads.
struct ModelOptionGroup: ParsableArguments {
    @Option(name: .shortAndLong, help: "Path of a GGUF model file (default: $NOOK_MODEL, then model in config.toml).")
    var model: String?

    @Option(name: [.customShort("t"), .long], parsing: .unconditional, help: "Worker threads (default: one per core).")
    var threads: Int?

    @Option(name: .customLong("kv-type"), help: "How the KV cache stores keys and values: f16 (default, as llama.cpp), f32 or q8_0.")
    var kvType: String?

    func validate() throws {
        if let t = threads, t < 1 { throw ValidationError("--threads must be at least 1") }
        if let k = kvType, !ModelContext.kvTypes.contains(k) {
            throw ValidationError("--kv-type takes \(ModelContext.kvTypes.joined(separator: ", ")), not \(k)")
        }
    }

    /// The model file: `--model`, else `$NOOK_MODEL`, else `model` in config.toml.
    func path() throws -> String {
        try ModelLoader.resolve(ModelRequest(model: model), environment: ProcessInfo.processInfo.environment)
    }

    /// Loads the model for the engine commands.
    func load(maxBatch: Int = 512) throws -> ModelContext {
        try ModelContext(path: path(), threads: threads, maxBatch: maxBatch, kvType: kvType)
    }
}

/// Sampling flags shared by generate, run, chat and replay.
struct SamplingOptionGroup: ParsableArguments {
    @Option(name: .customShort("n"), parsing: .unconditional, help: "Most tokens to generate.")
    var maxTokens: Int?
    @Option(name: .customLong("temp"), parsing: .unconditional, help: "Temperature; 0 picks the most likely token (greedy).")
    var temperature: Float?
    @Option(name: .customLong("top-k"), parsing: .unconditional, help: "Keep only the K most likely tokens (0: all).")
    var topK: Int?
    @Option(name: .customLong("top-p"), parsing: .unconditional, help: "Keep the smallest set of tokens whose probability reaches P.")
    var topP: Float?
    @Option(name: .customLong("min-p"), parsing: .unconditional, help: "Drop tokens less likely than P times the most likely one.")
    var minP: Float?
    @Option(name: .customLong("repeat-penalty"), parsing: .unconditional, help: "Penalty for repeating recent tokens (1: off).")
    var repeatPenalty: Float?
    @Option(name: .customLong("presence-penalty"), parsing: .unconditional, help: "Penalty for any token already present (0: off).")
    var presencePenalty: Float?
    @Option(parsing: .unconditional, help: "Random seed: the same seed reproduces the same reply.")
    var seed: UInt64?
    @Option(help: "Chat template: chatml, llama3, phi3, gemma, mistral (default: detected from the model).")
    var template: String?

    /// The flags as values applied over nook's defaults and a persona's.
    var overrides: SamplingDefaults {
        SamplingDefaults(temperature: temperature, topK: topK, topP: topP, minP: minP, repeatPenalty: repeatPenalty,
                         presencePenalty: presencePenalty, maxTokens: maxTokens)
    }

    /// nook's defaults with the flags applied and the given seed.
    func settings(seed: UInt64) -> SamplingSettings { overrides.applied(to: SamplingSettings(seed: seed)) }

    /// Whether any sampling value was given.
    var givesSampling: Bool { overrides != SamplingDefaults() || seed != nil }

    func validate() throws {
        if let n = maxTokens, n < 0 { throw ValidationError("-n must be at least 0") }
        if let k = topK, k < 0 { throw ValidationError("--top-k must be at least 0 (0 keeps every token)") }
        if let r = repeatPenalty, !(r > 0) { throw ValidationError("--repeat-penalty must be above 0 (1 is off)") }
        if let t = temperature, !(t >= 0 && t.isFinite) { throw ValidationError("--temp must be a number of at least 0 (0 is greedy)") }
        if let p = presencePenalty, !p.isFinite { throw ValidationError("--presence-penalty must be a finite number") }
        if let p = topP, !(0...1).contains(p) { throw ValidationError("--top-p must be between 0 and 1") }
        if let p = minP, !(0...1).contains(p) { throw ValidationError("--min-p must be between 0 and 1") }
    }
}

/// Writes to standard output without buffering surprises.
enum Output {
    static func write(_ s: String) {
        FileHandle.standardOutput.write(Data(s.utf8))
    }
    static func error(_ s: String) {
        FileHandle.standardError.write(Data((s + "\n").utf8))
    }
}

/// Reads all of standard input as UTF-8 text.
func readStandardInput() throws -> String {
    let data = FileHandle.standardInput.readDataToEndOfFile()
    guard let s = String(data: data, encoding: .utf8) else { throw ValidationError("standard input is not UTF-8 text") }
    return s
}
