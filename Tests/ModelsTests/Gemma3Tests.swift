import Foundation
import Models
import Testing

/// Gemma 3's sliding-window cache and its two kinds of input, on the gemma3 fixture (window 8, layers 0-4 and 6
/// local, layer 5 global); its agreement with llama.cpp is in ReferenceLogitsTests.
@Suite struct Gemma3Tests {
    static let path = FixtureModels.folder.appendingPathComponent("gemma3-F32.gguf").path
    static let tokens: [Int32] = [1, 312, 45, 259, 511, 87, 2, 130, 0, 402, 3, 258, 199, 466, 71, 350, 23, 288, 505, 150,
                                  1, 421, 99, 260]

    /// Logits of `tokens` in one call, [tokens.count, vocab].
    func oneCall(_ model: any LanguageModel) throws -> [Float] {
        let cache = try model.makeCache(capacity: Self.tokens.count)
        return Array(try model.evaluate(Self.tokens, cache: cache, logits: .all))
    }

    func load(_ kv: KVCacheType = .f16) throws -> any LanguageModel {
        try ArchitectureRegistry.load(path: Self.path, options: ModelOptions(threads: 2, kvType: kv))
    }

    @Test func loadsAsGemma3() throws {
        let hp = try load().hyperparameters
        #expect(hp.architecture == "gemma3")
        #expect((hp.layers, hp.heads, hp.kvHeads, hp.headDim, hp.dim) == (7, 2, 1, 64, 256))
        #expect(hp.ropeFrequencyScale == 0.125)
    }

    /// A prompt evaluated in two calls, the second starting past the window (so local layers must skip cached
    /// positions of the first), gives the logits of one call; so does a cache truncated and re-filled (prefix reuse).
    @Test(arguments: [KVCacheType.f16, .f32, .q8_0], [9, 13, 20])
    func prefixReuseAcrossTwoCallsMatchesOneCall(_ kv: KVCacheType, _ split: Int) throws {
        let model = try load(kv)
        let vocab = model.hyperparameters.vocabularySize
        let whole = try oneCall(model)
        let cache = try model.makeCache(capacity: Self.tokens.count)
        _ = try model.evaluate(Array(Self.tokens[..<split]), cache: cache, logits: .last)
        let second = Array(try model.evaluate(Array(Self.tokens[split...]), cache: cache, logits: .all))
        #expect(second == Array(whole[(split * vocab)...]), "\(kv) split at \(split)")

        // Keep 6 positions of a full cache and evaluate the rest again.
        cache.truncate(to: 6)
        let again = Array(try model.evaluate(Array(Self.tokens[6...]), cache: cache, logits: .all))
        #expect(again == Array(whole[(6 * vocab)...]), "\(kv) refilled after 6")
    }

    /// Token-by-token generation crosses the window boundary at every step and stays with one call's logits. Not
    /// bit for bit: a one-row matrix product rounds differently from a 24-row one, and the GELU's lookup at the
    /// nearest half (as ggml's) turns that into 1.7e-4 (f32 cache) to 6.3e-4 (f16) here; a window misplaced by one
    /// position moves the logits by far more.
    @Test(arguments: [KVCacheType.f16, .f32])
    func tokenByTokenMatchesOneCall(_ kv: KVCacheType) throws {
        let model = try load(kv)
        let vocab = model.hyperparameters.vocabularySize
        let whole = try oneCall(model)
        let cache = try model.makeCache(capacity: Self.tokens.count)
        var worst: Float = 0
        for (i, t) in Self.tokens.enumerated() {
            let row = Array(try model.evaluate([t], cache: cache, logits: .last))
            worst = max(worst, relativeError(row, Array(whole[i * vocab ..< (i + 1) * vocab])))
        }
        print("Gemma3Tests: token by token, \(kv) cache: worst relative L2 \(worst)")
        #expect(worst <= 1.5e-3, "\(kv): worst relative L2 \(worst)")
    }

    /// Embedding rows are used as given (llama.cpp scales only token embeddings by √dim): rows equal to the scaled
    /// token embeddings give the token logits. Rows of a bidirectional chunk also see the rows after them, so they
    /// change (the last one too, from the second layer on).
    @Test func embeddingRowsAreNotScaledAndBidirectionalRowsSeeAhead() throws {
        let model = try load()
        let vocab = model.hyperparameters.vocabularySize
        let whole = try oneCall(model)
        // The first 8 positions as tokens, the rest as their embedding rows · √dim, read from the F32 file.
        let rows = try FixtureModels.scaledEmbeddingRows(path: Self.path, tokens: Array(Self.tokens[8...]),
                                                         width: model.hyperparameters.dim)
        let want = Array(whole[(8 * vocab)...])
        for bidirectional in [false, true] {
            let cache = try model.makeCache(capacity: Self.tokens.count)
            _ = try model.evaluate(Array(Self.tokens[..<8]), cache: cache, logits: .last)
            let input = EmbeddingRows(values: rows, count: Self.tokens.count - 8, bidirectional: bidirectional)
            let got = Array(try model.evaluate(.embeddings(input), cache: cache, logits: .all))
            let error = relativeError(got, want)
            if bidirectional {
                let first = relativeError(Array(got[..<vocab]), Array(want[..<vocab]))
                #expect(first > 1e-2, "a bidirectional first row should see the rows after it (error \(first))")
            } else {
                #expect(error <= 1e-6, "causal embedding rows: error \(error)")
            }
        }
    }

    func relativeError(_ a: [Float], _ b: [Float]) -> Float {
        var diff: Float = 0, norm: Float = 0
        for (x, y) in zip(a, b) { diff += (x - y) * (x - y); norm += y * y }
        return (diff / norm).squareRoot()
    }
}
