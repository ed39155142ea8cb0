import ArgumentParser
import Engine
import Foundation
import Models

/// Options every command that loads a model takes.
struct ModelOptionGroup: ParsableArguments {
    @Option(name: .shortAndLong, help: "Path of a GGUF model file.")
    var model: String

    @Option(name: [.customShort("t"), .long], help: "Worker threads (default: one per core).")
    var threads: Int?

    func load(maxBatch: Int = 512) throws -> ModelContext {
        try ModelContext(path: model, options: ModelOptions(threads: threads ?? ModelOptions.defaultThreads, maxBatch: maxBatch))
    }
}

/// Sampling flags shared by generate, run, chat and replay.
struct SamplingOptionGroup: ParsableArguments {
    @Option(name: .customShort("n"), help: "Most tokens to generate.")
    var maxTokens: Int?
    @Option(name: .customLong("temp"), help: "Temperature; 0 picks the most likely token (greedy).")
    var temperature: Float?
    @Option(name: .customLong("top-k"), help: "Keep only the K most likely tokens (0: all).")
    var topK: Int?
    @Option(name: .customLong("top-p"), help: "Keep the smallest set of tokens whose probability reaches P.")
    var topP: Float?
    @Option(name: .customLong("min-p"), help: "Drop tokens less likely than P times the most likely one.")
    var minP: Float?
    @Option(name: .customLong("repeat-penalty"), help: "Penalty for repeating recent tokens (1: off).")
    var repeatPenalty: Float?
    @Option(name: .customLong("presence-penalty"), help: "Penalty for any token already present (0: off).")
    var presencePenalty: Float?
    @Option(help: "Random seed: the same seed reproduces the same reply.")
    var seed: UInt64?
    @Option(help: "Chat template: chatml, llama3, phi3, gemma, mistral (default: detected from the model).")
    var template: String?

    /// The sampling parameters, starting from `base` (a persona's defaults, say).
    func parameters(base: SamplingParameters = SamplingParameters()) -> SamplingParameters {
        var p = base
        if let v = temperature { p.temperature = v }
        if let v = topK { p.topK = v }
        if let v = topP { p.topP = v }
        if let v = minP { p.minP = v }
        if let v = repeatPenalty { p.repeatPenalty = v }
        if let v = presencePenalty { p.presencePenalty = v }
        if let v = seed { p.seed = v }
        return p
    }

    func validate() throws {
        if let n = maxTokens, n < 0 { throw ValidationError("-n must be at least 0") }
        if let t = temperature, t < 0 { throw ValidationError("--temp must be at least 0") }
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
