import Engine
import Foundation
import GGUF
import Models
import Testing
import TestSupport

/// Files that parse as GGUF but are not runnable models are refused with one line naming the file and the problem.
@Suite struct ModelLoadingErrorTests {
    /// A tiny but complete llama model: dim 32, 1 layer, 2 heads, ffn 64, vocab 8.
    static func tinyLlama(skip: String? = nil, override: (name: String, shape: [Int], type: GGMLType)? = nil,
                          metadata: [(String, GGUFValue)] = [], arch: String = "llama") -> GGUFWriter {
        var w = GGUFWriter()
        w.add("general.architecture", .string(arch))
        let base: [(String, GGUFValue)] = [
            ("\(arch).embedding_length", .uint32(32)), ("\(arch).block_count", .uint32(1)),
            ("\(arch).attention.head_count", .uint32(2)), ("\(arch).attention.head_count_kv", .uint32(2)),
            ("\(arch).feed_forward_length", .uint32(64)), ("\(arch).context_length", .uint32(64)),
        ]
        for (k, v) in base where !metadata.contains(where: { $0.0 == k }) { w.add(k, v) }
        for (k, v) in metadata { w.add(k, v) }
        let tensors: [(String, [Int])] = [
            ("token_embd.weight", [32, 8]), ("output_norm.weight", [32]),
            ("blk.0.attn_norm.weight", [32]), ("blk.0.attn_q.weight", [32, 32]), ("blk.0.attn_k.weight", [32, 32]),
            ("blk.0.attn_v.weight", [32, 32]), ("blk.0.attn_output.weight", [32, 32]), ("blk.0.ffn_norm.weight", [32]),
            ("blk.0.ffn_gate.weight", [32, 64]), ("blk.0.ffn_up.weight", [32, 64]), ("blk.0.ffn_down.weight", [64, 32]),
        ]
        for (name, shape) in tensors where name != skip {
            if let o = override, o.name == name {
                let bytes = o.type.rowBytes(o.shape[0])! * o.shape.dropFirst().reduce(1, *)
                w.addTensor(name, shape: o.shape, type: o.type, data: [UInt8](repeating: 0, count: bytes))
            } else {
                w.addTensor(name, shape: shape, floats: (0..<shape.reduce(1, *)).map { Float($0 % 7) * 0.01 })
            }
        }
        return w
    }

    func expectError(_ w: GGUFWriter, _ fragment: String, sourceLocation: SourceLocation = #_sourceLocation) throws {
        let path = try w.write()
        do {
            _ = try ArchitectureRegistry.load(path: path, options: ModelOptions(threads: 1))
            Issue.record("expected an error containing '\(fragment)'", sourceLocation: sourceLocation)
        } catch {
            #expect(error.description.hasPrefix(path + ": "), "\(error)", sourceLocation: sourceLocation)
            #expect(error.description.contains(fragment), "\(error)", sourceLocation: sourceLocation)
        }
    }

    @Test func tinyModelLoadsAndRuns() throws {
        let model = try ArchitectureRegistry.load(path: Self.tinyLlama().write(), options: ModelOptions(threads: 1))
        let cache = try model.makeCache(capacity: 4)
        let logits = try model.evaluate([1, 2, 3], cache: cache, logits: .all)
        #expect(logits.count == 3 * 8)
        #expect(logits.allSatisfy { $0.isFinite })
        #expect(throws: ModelError.contextFull(capacity: 4, needed: 5)) { try model.evaluate([1, 2], cache: cache, logits: .last) }
        #expect(throws: ModelError.tokenOutOfRange(8, vocabularySize: 8)) { try model.evaluate([8], cache: cache, logits: .last) }
    }

    @Test func refusesMissingTensor() throws {
        try expectError(Self.tinyLlama(skip: "blk.0.ffn_up.weight"), "missing tensor blk.0.ffn_up.weight")
    }

    @Test func refusesShapeMismatch() throws {
        try expectError(Self.tinyLlama(override: ("blk.0.attn_q.weight", [32, 16], .f32)),
                        "tensor blk.0.attn_q.weight has shape [32, 16], expected [32, 32]")
    }

    @Test func refusesUnsupportedTensorType() throws {
        try expectError(Self.tinyLlama(override: ("blk.0.ffn_down.weight", [256, 32], .q2_K)),
                        "has type Q2_K, which nook does not support")
    }

    @Test func refusesUnknownArchitecture() throws {
        try expectError(Self.tinyLlama(arch: "mamba"), "architecture mamba is not supported")
    }

    @Test func refusesMissingOrBadMetadata() throws {
        var w = GGUFWriter()
        w.add("general.architecture", .string("llama"))
        try expectError(w, "missing metadata llama.embedding_length")
        try expectError(Self.tinyLlama(metadata: [("llama.attention.head_count_kv", .uint32(3))]), "not a multiple of head_count_kv")
        try expectError(Self.tinyLlama(metadata: [("llama.block_count", .uint32(0))]), "out of range")
        try expectError(Self.tinyLlama(metadata: [("llama.rope.scaling.type", .string("yarn"))]), "rope scaling type yarn")
    }
}

/// Corrupted real model files load with an error or run, never crash.
@Suite struct CorruptModelTests {
    @Test func bitFlipsInTheHeaderNeverCrash() throws {
        let original = try Data(contentsOf: FixtureModels.folder.appendingPathComponent("llama-gqa-Q4_0.gguf"))
        let file = try FixtureModels.entryData(original)
        let headerEnd = file.dataOffset
        var rng = SystemRandomNumberGenerator()
        let path = FileManager.default.temporaryDirectory.appendingPathComponent("nook-flip-\(UUID().uuidString).gguf").path
        defer { try? FileManager.default.removeItem(atPath: path) }
        var refused = 0
        for _ in 0..<150 {
            var bytes = original
            let i = Int.random(in: 0..<headerEnd, using: &rng)
            bytes[i] ^= UInt8(1) << UInt8.random(in: 0..<8, using: &rng)
            try bytes.write(to: URL(fileURLWithPath: path))
            do {
                let context = try ModelContext(path: path, options: ModelOptions(threads: 1))
                let cache = try context.model.makeCache(capacity: 8)
                _ = try context.model.evaluate([1, 2, 3], cache: cache, logits: .last)
            } catch {
                refused += 1
                #expect(!"\(error)".contains("\n"), "\(error)")
            }
        }
        print("CorruptModelTests: \(refused) of 150 corrupted files refused, the rest ran")
    }

    @Test func everyTruncationIsRefused() throws {
        let original = try Data(contentsOf: FixtureModels.folder.appendingPathComponent("llama-gqa-Q4_K.gguf"))
        let path = FileManager.default.temporaryDirectory.appendingPathComponent("nook-cut-\(UUID().uuidString).gguf").path
        defer { try? FileManager.default.removeItem(atPath: path) }
        for fraction in stride(from: 0.0, to: 0.999, by: 0.037) {
            try original.prefix(Int(Double(original.count) * fraction)).write(to: URL(fileURLWithPath: path))
            #expect(throws: (any Error).self) { _ = try ModelContext(path: path, options: ModelOptions(threads: 1)) }
        }
    }
}
