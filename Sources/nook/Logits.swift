import ArgumentParser
import Engine

/// `nook logits`: prints the logits of every position of a token sequence.
struct Logits: ParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Evaluate a token sequence from position 0 and print each position's logits on one line.")

    @OptionGroup var model: ModelOptionGroup
    @Option(help: "Token ids separated by spaces.")
    var tokens: String

    func run() throws {
        var ids: [Int32] = []
        for part in tokens.split(whereSeparator: { $0 == " " || $0 == "," || $0 == "\n" }) {
            guard let v = Int32(part) else { throw ValidationError("'\(part)' in --tokens is not a token id") }
            ids.append(v)
        }
        guard !ids.isEmpty else { throw ValidationError("--tokens is empty") }
        let ctx = try model.load()
        let lm = ctx.model
        let cache = try lm.makeCache(capacity: ids.count)
        let logits = try lm.evaluate(ids, cache: cache, logits: .all)
        let vocab = lm.hyperparameters.vocabularySize
        for row in 0..<ids.count {
            var line = ""
            line.reserveCapacity(vocab * 12)
            for j in 0..<vocab {
                if j > 0 { line += " " }
                line += "\(logits[row * vocab + j])"
            }
            Output.write(line + "\n")
        }
    }
}
