import Foundation
import Models
import Testing

/// `nook logits` must agree with llama.cpp on every fixture model (tolerances from the engine issue).
@Suite struct ReferenceLogitsTests {
    /// Per fixture: the largest relative L2 error allowed at any position, and how many of the 24 positions'
    /// arg-max must agree with llama.cpp's (whose KV cache is f16, as nook's is by default).
    ///
    /// Set just above what the engine measures (2026-12, AMD EPYC AVX2, at the best level and with NOOK_CPU=scalar:
    /// worst error × 1.15; arg-max: one near-tie fewer than measured for quantized weights), so that a subtle
    /// regression fails. The AVX2 level follows ggml's AVX2 sums and lands far closer than the scalar one (F32
    /// 7.7e-5, BF16 1.1e-6): the bounds cover both. The test prints the measured figures.
    static let tolerances: [String: (error: Float, argmaxPositions: Int)] = [
        "llama-gqa-F32.gguf": (6.8e-4, 24),
        "llama-gqa-F16.gguf": (8.7e-4, 24),
        "llama-gqa-BF16.gguf": (4.8e-3, 24),
        "llama-rope-freqs-F32.gguf": (5.9e-4, 23),
        "phi3-F32.gguf": (4.6e-4, 24),
        "qwen2-F32.gguf": (5.3e-4, 24),
        "qwen3-F32.gguf": (4.4e-4, 24),
        "llama-gqa-Q8_0.gguf": (1.1e-2, 23),
        "llama-gqa-Q4_0.gguf": (1.6e-2, 22),
        "llama-gqa-Q5_0.gguf": (1.6e-2, 23),
        "llama-gqa-Q4_K.gguf": (1.9e-2, 23),
        "llama-gqa-Q5_K.gguf": (1.2e-2, 23),
        "llama-gqa-Q6_K.gguf": (2.4e-2, 21),
        "llama-gqa-Q4_K_M.gguf": (1.1e-2, 23),
        "phi3-Q8_0.gguf": (1.2e-2, 23),
        "qwen2-Q8_0.gguf": (1.2e-2, 22),
        "qwen2-Q4_K_M.gguf": (1.7e-2, 22),
        "qwen3-Q4_K.gguf": (1.8e-2, 23),
        // gemma3 (2026-12, AMD Zen 4, logits from the reference's AVX2 build as the others): measured F32 6.8e-4 at
        // every level; Q8_0 1.17e-2 (AVX2 and, since the VNNI kernels keep each lane exact, the VNNI levels too),
        // 1.63e-2 (scalar); Q4_K 2.98e-2 (AVX2 and up), 2.59e-2 (scalar). A float64 numpy forward
        // lands 1.2e-3 / 3.3e-2 / 4.8e-2 from llama.cpp: the GELU gate and seven post-normed layers amplify
        // rounding more than the two-layer fixtures do.
        "gemma3-F32.gguf": (7.8e-4, 24),
        "gemma3-Q8_0.gguf": (1.9e-2, 23),
        "gemma3-Q4_K.gguf": (3.4e-2, 22),
    ]

    /// With a q8_0 cache nook quantizes and rotates as llama.cpp does (`-ctk q8_0 -ctv q8_0`, Hadamard rotation of
    /// queries, keys and values): measured 1.1e-6 to 1.3e-6 at the AVX2 and scalar levels, bounded at 1e-5. gemma3
    /// matches as closely at most positions, but ggml's half-precision GELU turns the last-bit differences of a few
    /// sums into 8.4e-4 at the AVX2 levels. At the AVX-512 level batched float products sum 16 lanes wide, as
    /// llama.cpp's own AVX-512 build (tinyBLAS) does, which moves that to 2.7e-3 against these AVX2-recorded
    /// logits (bounded at 3.1e-3; without the rotation it is 2.4e-2).
    @Test(arguments: [("llama-gqa-F32", Float(1e-5)), ("qwen2-F32", 1e-5), ("phi3-F32", 1e-5), ("gemma3-F32", 3.1e-3)])
    func aQ8_0CacheMatchesLlamaCppsQ8_0Cache(_ name: String, _ bound: Float) throws {
        let entry = try #require(Self.entries.first { $0.model == name + ".gguf" })
        let reference = try FixtureModels.referenceLogits(name + ".q8_0-kv.logits")
        let model = try ArchitectureRegistry.load(path: entry.path, options: ModelOptions(threads: 2, kvType: .q8_0))
        let cache = try model.makeCache(capacity: entry.tokens.count)
        #expect(cache.type == .q8_0)
        #expect(cache.byteCount == 2 * model.hyperparameters.layers * entry.tokens.count
                * model.hyperparameters.kvHeads * model.hyperparameters.headDim / 32 * 34)
        let logits = Array(try model.evaluate(entry.tokens, cache: cache, logits: .all))
        let vocab = model.hyperparameters.vocabularySize
        var worst: Float = 0
        for (pos, ref) in reference.enumerated() {
            let got = Array(logits[pos * vocab ..< (pos + 1) * vocab])
            var diff: Float = 0, norm: Float = 0
            for (a, b) in zip(got, ref) { diff += (a - b) * (a - b); norm += b * b }
            worst = max(worst, (diff / norm).squareRoot())
            #expect(got.indices.max(by: { got[$0] < got[$1] }) == ref.indices.max(by: { ref[$0] < ref[$1] }), "\(name) position \(pos)")
        }
        print("ReferenceLogitsTests: \(name) with a q8_0 cache: worst relative L2 \(worst)")
        #expect(worst <= bound, "\(name): worst relative L2 \(worst) with a q8_0 cache")
    }

    /// With an f32 cache (`--kv-type f32`) the float models stay within the bounds the engine had before f16
    /// (gemma3: 1.3e-3).
    @Test(arguments: ["llama-gqa-F32.gguf", "qwen2-F32.gguf", "phi3-F32.gguf", "qwen3-F32.gguf", "gemma3-F32.gguf"])
    func anF32CacheStaysWithinItsOldBounds(_ name: String) throws {
        let entry = try #require(Self.entries.first { $0.model == name })
        let reference = try FixtureModels.referenceLogits(entry.logits)
        let model = try ArchitectureRegistry.load(path: entry.path, options: ModelOptions(threads: 2, kvType: .f32))
        let cache = try model.makeCache(capacity: entry.tokens.count)
        #expect(cache.type == .f32)
        let logits = Array(try model.evaluate(entry.tokens, cache: cache, logits: .all))
        let vocab = model.hyperparameters.vocabularySize
        for (pos, ref) in reference.enumerated() {
            let got = logits[pos * vocab ..< (pos + 1) * vocab]
            var diff: Float = 0, norm: Float = 0
            for (a, b) in zip(got, ref) { diff += (a - b) * (a - b); norm += b * b }
            #expect((diff / norm).squareRoot() <= 1.6e-3, "\(name) position \(pos)")
        }
    }

    static let entries: [FixtureModels.Entry] = (try? FixtureModels.manifest()) ?? []

    @Test func manifestIsPresent() throws {
        #expect(Self.entries.count >= 15, "Fixtures/manifest.json lists too few models")
        let classes = Set(Self.entries.map(\.weight_class))
        #expect(classes.isSuperset(of: ["float", "bf16", "quant"]))
        let types = Set(Self.entries.map(\.file_type))
        #expect(types.isSuperset(of: ["F32", "F16", "BF16", "Q8_0", "Q4_0", "Q5_0", "Q4_K", "Q5_K", "Q6_K"]))
        #expect(Set(Self.entries.map(\.arch)).isSuperset(of: ["llama", "qwen2", "qwen3", "phi3", "gemma3"]))
    }

    @Test(arguments: entries.map(\.model))
    func logitsMatchLlamaCpp(_ name: String) throws {
        let entry = try #require(Self.entries.first { $0.model == name })
        let reference = try FixtureModels.referenceLogits(entry.logits)
        let model = try ArchitectureRegistry.load(path: entry.path, options: ModelOptions(threads: 2))
        let vocab = model.hyperparameters.vocabularySize
        let cache = try model.makeCache(capacity: entry.tokens.count)
        let logits = Array(try model.evaluate(entry.tokens, cache: cache, logits: .all))
        #expect(reference.count == entry.tokens.count)
        #expect(logits.count == entry.tokens.count * vocab)

        let (maxError, minPositions) = try #require(Self.tolerances[name], "\(name) has no tolerance: measure it and add one")
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
        print("ReferenceLogitsTests: \(name): worst relative L2 \(worst), arg-max agreement \(agree)/\(reference.count)")
        #expect(worst <= maxError, "\(name): worst relative L2 error \(worst) > \(maxError)")
        #expect(agree >= min(minPositions, reference.count), "\(name): arg-max agrees on \(share * 100)% of positions")
    }

    /// Each output is computed whole by one thread, so the thread count never changes a logit (sessions rely on
    /// this: they do not record it).
    @Test(arguments: ["llama-gqa-Q4_K_M.gguf", "qwen2-Q8_0.gguf", "llama-gqa-F16.gguf", "phi3-Q8_0.gguf", "gemma3-Q4_K.gguf"])
    func logitsDoNotDependOnTheThreadCount(_ name: String) throws {
        let entry = try #require(Self.entries.first { $0.model == name })
        var rows: [[Float]] = []
        for threads in [1, 2, 3] {
            let model = try ArchitectureRegistry.load(path: entry.path, options: ModelOptions(threads: threads))
            let cache = try model.makeCache(capacity: entry.tokens.count)
            rows.append(Array(try model.evaluate(entry.tokens, cache: cache, logits: .all)))
        }
        #expect(rows[0] == rows[1] && rows[1] == rows[2], "\(name)")
    }
}
