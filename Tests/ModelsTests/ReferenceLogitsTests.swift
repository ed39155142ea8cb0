import Foundation
import Models
import Testing

/// `nook logits` must agree with llama.cpp on every fixture model (tolerances from the engine issue).
@Suite struct ReferenceLogitsTests {
    /// Largest relative L2 error allowed per position, and the share of positions whose arg-max must agree.
    static func tolerance(_ weightClass: String) -> (error: Float, argmax: Double) {
        switch weightClass {
        case "float": return (5e-3, 1.0)
        case "bf16": return (2e-2, 1.0)
        default: return (0.15, 0.75)
        }
    }

    static let entries: [FixtureModels.Entry] = (try? FixtureModels.manifest()) ?? []

    @Test func manifestIsPresent() throws {
        #expect(Self.entries.count >= 15, "Fixtures/manifest.json lists too few models")
        let classes = Set(Self.entries.map(\.weight_class))
        #expect(classes.isSuperset(of: ["float", "bf16", "quant"]))
        let types = Set(Self.entries.map(\.file_type))
        #expect(types.isSuperset(of: ["F32", "F16", "BF16", "Q8_0", "Q4_0", "Q5_0", "Q4_K", "Q5_K", "Q6_K"]))
        #expect(Set(Self.entries.map(\.arch)).isSuperset(of: ["llama", "qwen2", "qwen3", "phi3"]))
    }

    @Test(arguments: entries.map(\.model))
    func logitsMatchLlamaCpp(_ name: String) throws {
        let entry = try #require(Self.entries.first { $0.model == name })
        let reference = try FixtureModels.referenceLogits(entry.logits)
        let model = try ArchitectureRegistry.load(path: entry.path, options: ModelOptions(threads: 2))
        let vocab = model.hyperparameters.vocabularySize
        let cache = model.makeCache(capacity: entry.tokens.count)
        let logits = Array(try model.evaluate(entry.tokens, cache: cache, logits: .all))
        #expect(reference.count == entry.tokens.count)
        #expect(logits.count == entry.tokens.count * vocab)

        let (maxError, minAgreement) = Self.tolerance(entry.weight_class)
        var agree = 0
        var worst: Float = 0
        for (pos, ref) in reference.enumerated() {
            #expect(ref.count == vocab)
            let got = logits[pos * vocab ..< (pos + 1) * vocab]
            var diff: Float = 0, norm: Float = 0
            for (a, b) in zip(got, ref) { diff += (a - b) * (a - b); norm += b * b }
            let err = (diff / norm).squareRoot()
            worst = max(worst, err)
            if got.indices.max(by: { got[$0] < got[$1] })! - got.startIndex == ref.indices.max(by: { ref[$0] < ref[$1] })! {
                agree += 1
            }
        }
        let share = Double(agree) / Double(reference.count)
        #expect(worst <= maxError, "\(name): worst relative L2 error \(worst) > \(maxError)")
        #expect(share >= minAgreement, "\(name): arg-max agrees on \(share * 100)% of positions")
    }
}
