import Foundation
import GGUF
import Models
import Testing
import TestSupport

/// The Gemma 3 metadata the fixture does not carry: final logit softcapping, the sliding-window pattern as a number or
/// a per-layer array, and the refusals for malformed files.
@Suite struct Gemma3MetadataTests {
    /// A tiny gemma3 file: dim 32, 3 layers, 2 heads of 16 over 1 KV head, ffn 64, vocab 8, window 2.
    static func tinyGemma3(metadata: [(String, GGUFValue)] = [], skip: String? = nil) -> GGUFWriter {
        var w = GGUFWriter()
        w.add("general.architecture", .string("gemma3"))
        let base: [(String, GGUFValue)] = [
            ("gemma3.embedding_length", .uint32(32)), ("gemma3.block_count", .uint32(3)),
            ("gemma3.attention.head_count", .uint32(2)), ("gemma3.attention.head_count_kv", .uint32(1)),
            ("gemma3.attention.key_length", .uint32(16)), ("gemma3.attention.value_length", .uint32(16)),
            ("gemma3.feed_forward_length", .uint32(64)), ("gemma3.context_length", .uint32(64)),
            ("gemma3.rope.freq_base", .float32(1e6)), ("gemma3.attention.layer_norm_rms_epsilon", .float32(1e-6)),
            ("gemma3.attention.sliding_window", .uint32(2)),
        ]
        for (k, v) in base where !metadata.contains(where: { $0.0 == k }) { w.add(k, v) }
        for (k, v) in metadata { w.add(k, v) }
        var tensors: [(String, [Int])] = [("token_embd.weight", [32, 8]), ("output_norm.weight", [32])]
        for i in 0..<3 {
            tensors += [("attn_norm", [32]), ("attn_q", [32, 32]), ("attn_k", [32, 16]), ("attn_v", [32, 16]),
                        ("attn_q_norm", [16]), ("attn_k_norm", [16]), ("attn_output", [32, 32]),
                        ("post_attention_norm", [32]), ("ffn_norm", [32]), ("ffn_gate", [32, 64]), ("ffn_up", [32, 64]),
                        ("ffn_down", [64, 32]), ("post_ffw_norm", [32])].map { ("blk.\(i).\($0.0).weight", $0.1) }
        }
        var seed: UInt32 = 1
        for (name, shape) in tensors where name != skip {
            let count = shape.reduce(1, *)
            let norm = shape.count == 1
            w.addTensor(name, shape: shape, floats: (0..<count).map { _ in
                seed = seed &* 1_664_525 &+ 1_013_904_223
                let r = Float(seed >> 8) / Float(1 << 24) - 0.5
                return norm ? 1 + 0.2 * r : 0.6 * r
            })
        }
        return w
    }

    static let tokens: [Int32] = [1, 5, 2, 7, 3, 3, 6, 0]

    func logits(_ w: GGUFWriter) throws -> [Float] {
        let model = try ArchitectureRegistry.load(path: try w.write(), options: ModelOptions(threads: 1))
        let cache = try model.makeCache(capacity: Self.tokens.count)
        return Array(try model.evaluate(Self.tokens, cache: cache, logits: .all))
    }

    @Test func finalLogitSoftcappingIsCapTimesTanhOfLogitsOverCap() throws {
        let plain = try logits(Self.tinyGemma3())
        let cap: Float = 0.05
        let capped = try logits(Self.tinyGemma3(metadata: [("gemma3.final_logit_softcapping", .float32(cap))]))
        #expect(plain.contains { abs($0) > cap }, "the cap should bind somewhere")
        #expect(capped == plain.map { tanhf($0 * (1 / cap)) * cap })
        // 0 means no capping, as in llama.cpp.
        #expect(try logits(Self.tinyGemma3(metadata: [("gemma3.final_logit_softcapping", .float32(0))])) == plain)
    }

    @Test func theWindowPatternIsANumberOrOneFlagPerLayer() throws {
        let bools = { (flags: [Bool]) -> GGUFValue in .array(.bool, flags.map { .bool($0) }) }
        let key = "gemma3.attention.sliding_window_pattern"
        // No window: every layer global. Pattern 1 or all-false flags: the same.
        let global = try logits(Self.tinyGemma3(metadata: [("gemma3.attention.sliding_window", .uint32(0))]))
        #expect(try logits(Self.tinyGemma3(metadata: [(key, .uint32(1))])) == global)
        #expect(try logits(Self.tinyGemma3(metadata: [(key, bools([false, false, false]))])) == global)
        // Pattern 0: every layer local, as all-true flags. llama.cpp's default (6) makes these three layers local too.
        let local = try logits(Self.tinyGemma3(metadata: [(key, .uint32(0))]))
        #expect(try logits(Self.tinyGemma3(metadata: [(key, bools([true, true, true]))])) == local)
        #expect(try logits(Self.tinyGemma3()) == local)
        #expect(local != global)
        // Pattern 3: layer 2 global.
        let third = try logits(Self.tinyGemma3(metadata: [(key, .uint32(3))]))
        #expect(third == (try logits(Self.tinyGemma3(metadata: [(key, bools([true, true, false]))]))))
        #expect(third != local && third != global)
    }

    @Test func refusesMalformedGemma3Files() throws {
        let tests = ModelLoadingErrorTests()
        try tests.expectError(Self.tinyGemma3(skip: "blk.1.post_ffw_norm.weight"), "missing tensor blk.1.post_ffw_norm.weight")
        try tests.expectError(Self.tinyGemma3(skip: "blk.0.attn_q_norm.weight"), "missing tensor blk.0.attn_q_norm.weight")
        try tests.expectError(Self.tinyGemma3(metadata: [("gemma3.attention.sliding_window_pattern",
                                                          .array(.bool, [.bool(true), .bool(false)]))]),
                              "sliding_window_pattern has 2 entries for 3 blocks")
    }
}
