import Foundation
import Testing
import TestSupport

/// The committed llama.cpp recordings are complete and consistent with themselves (see Fixtures/README.md).
@Suite struct MmprojRecordingTests {
    /// Tokens per image chunk and tile side of each projector, as llama.cpp produced them.
    static let perProjector: [String: (tokens: Int, side: Int, width: Int)] = [
        "idefics3": (64, 512, 576), "internvl": (256, 448, 896), "mlp": (576, 336, 4096), "gemma3": (256, 896, 2560),
    ]
    static let embedNames: [String] = perProjector.keys.sorted().flatMap { p in ["small", "tall", "wide"].map { "\(p)-\($0)" } }
        + ["idefics3-tall-max256"]

    @Test(arguments: embedNames + ["e2e-small"]) func positionsAreConsecutive(name: String) throws {
        let rec = try MmprojRecording.load(name)
        #expect(rec.chunks.count == rec.n_chunks)
        var pos = 0
        for (i, c) in rec.chunks.enumerated() {
            #expect(c.index == i && c.pos_start == pos, "\(name): chunk \(i) starts at \(c.pos_start), expected \(pos)")
            #expect(c.n_pos == c.n_tokens)
            if let t = c.tokens {
                #expect(t.count == c.n_tokens && t.allSatisfy { $0 >= 0 && $0 < 600 }, "\(name): chunk \(i) token ids")
            }
            pos += c.n_pos
        }
        #expect(rec.n_past == pos)
    }

    @Test(arguments: embedNames) func storedRowsMatchTheirStatistics(name: String) throws {
        let rec = try MmprojRecording.load(name)
        let proj = try #require(Self.perProjector[String(name.prefix { $0 != "-" })])
        #expect(rec.n_embd == proj.width)
        let images = rec.chunks.filter(\.isImage)
        #expect(!images.isEmpty)
        for c in images {
            #expect(c.n_tokens == proj.tokens, "\(name): chunk \(c.index) has \(c.n_tokens) tokens")
            let rows = try #require(c.rows)
            #expect(rows.first == 0 && rows.last == c.n_tokens - 1)
            #expect(rows.allSatisfy { $0 % rec.row_stride == 0 || $0 == c.n_tokens - 1 })
            #expect(c.token_l2?.count == c.n_tokens && c.token_sum?.count == c.n_tokens)
            let p = try #require(c.preprocessed)
            #expect(p.shape == [3, proj.side, proj.side])
            #expect(p.sample_count == (3 * proj.side * proj.side + rec.pre_stride - 1) / rec.pre_stride)
            let sample = try rec.preprocessedSample(name, chunk: c)
            #expect(sample.allSatisfy { abs(Double($0)) <= p.max_abs } && p.max_abs > 0.5 && p.max_abs < 3)
        }
        for (chunk, token, values) in try rec.storedRows(name) {
            let c = rec.chunks[chunk]
            let l2 = values.reduce(0.0) { $0 + Double($1) * Double($1) }.squareRoot()
            let sum = values.reduce(0.0) { $0 + Double($1) }
            let refL2 = try #require(c.token_l2?[token]), refSum = try #require(c.token_sum?[token])
            #expect(abs(l2 - refL2) <= 1e-6 * refL2, "\(name): chunk \(chunk) row \(token) norm")
            #expect(abs(sum - refSum) <= 1e-5 * refL2 * Double(rec.n_embd).squareRoot(), "\(name): chunk \(chunk) row \(token) sum")
        }
    }

    /// The comparator sees a 1 % change of one stored row and of one unstored token's norm, and a wrong token count.
    @Test func embeddingErrorsMeasureWhatTheySay() throws {
        let name = "internvl-wide"
        let rec = try MmprojRecording.load(name)
        var rows: [Float] = []
        var chunkStart: [Int: Int] = [:]
        for c in rec.chunks where c.isImage {
            chunkStart[c.index] = rows.count / rec.n_embd
            for t in 0..<c.n_tokens {  // unstored rows: any vector with llama.cpp's norm
                let l2 = try #require(c.token_l2?[t])
                rows += Array(repeating: Float(l2 / Double(rec.n_embd).squareRoot()), count: rec.n_embd)
            }
        }
        let stored = try rec.storedRows(name)
        for (chunk, token, values) in stored {
            let at = (chunkStart[chunk]! + token) * rec.n_embd
            rows.replaceSubrange(at ..< at + rec.n_embd, with: values)
        }
        let exact = try rec.embeddingErrors(name, embeddings: rows)
        #expect(exact.worstRow < 1e-12 && exact.worstNorm < 1e-6)

        var perturbed = rows
        let (chunk, token, _) = stored[5]
        let at = (chunkStart[chunk]! + token) * rec.n_embd
        for k in 0..<rec.n_embd { perturbed[at + k] *= 1.01 }
        let unstored = (chunkStart[chunk]! + token + 1) * rec.n_embd
        for k in 0..<rec.n_embd { perturbed[unstored + k] *= 1.02 }
        let off = try rec.embeddingErrors(name, embeddings: perturbed)
        #expect(abs(off.worstRow - 0.01) < 1e-4 && abs(off.worstNorm - 0.02) < 1e-4)
        #expect(throws: MmprojFixture.Failure.self) { try rec.embeddingErrors(name, embeddings: Array(rows.dropLast(rec.n_embd))) }
    }

    @Test func endToEndLogitsCoverTheLastChunk() throws {
        let rec = try MmprojRecording.load("e2e-small")
        #expect(rec.prompt == "Look at the picture <__media__> and tell me what it shows.")
        #expect(rec.chunks.filter(\.isImage).map(\.n_tokens) == Array(repeating: 64, count: 13))
        let last = try #require(rec.chunks.last)
        let text = try String(contentsOf: MmprojFixture.folder.appendingPathComponent("e2e-small.logits"), encoding: .utf8)
        let lines = text.split(separator: "\n")
        #expect(lines.count == last.n_tokens)
        for line in lines {
            let values = line.split(separator: " ").compactMap { Float($0) }
            #expect(values.count == 600 && values.allSatisfy(\.isFinite))
        }
    }
}
