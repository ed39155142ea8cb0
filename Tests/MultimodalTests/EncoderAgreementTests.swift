import Conversation
import Engine
import Foundation
import Media
import Models
import Multimodal
import Testing
import TestSupport

/// nook's vision encoders against llama.cpp's recordings of the same random-weight mmproj files (Fixtures/README.md):
/// the preprocessed tiles, the token counts and marker tokens, and the embeddings (relative L2 ≤ 1e-2 per token).
@Suite(.serialized) struct EncoderAgreementTests {
    /// Every recording: (recording, projector, image, nook's --image-tokens that reproduces it).
    static let recordings: [(name: String, projector: String, image: String, maxTokens: Int?)] =
        ["idefics3", "internvl", "mlp", "gemma3"].flatMap { p in ["small", "tall", "wide"].map { ("\(p)-\($0)", p, $0, nil) } }
        // llama.cpp's image_max_tokens 256 caps the tiles and adds the overview; nook's cap counts the overview too.
        + [("idefics3-tall-max256", "idefics3", "tall", 256 + 64)]

    static func image(_ name: String) throws -> RGBImage {
        RGBImage(try ImageDecoder().decode(fileAt: MmprojFixture.folder.appendingPathComponent("\(name).png").path).image)
    }

    static func encoder(_ projector: String) throws -> VisionEncoder {
        try VisionEncoder(path: try MmprojFixture.cachedFile(projector), threads: 2)
    }

    @Test(arguments: recordings.map(\.name)) func preprocessedTilesMatch(name: String) throws {
        let r = try #require(Self.recordings.first { $0.name == name })
        let rec = try MmprojRecording.load(name)
        let tiles = try Self.encoder(r.projector).preprocess(try Self.image(r.image), maxTokens: r.maxTokens)
        let images = rec.chunks.filter(\.isImage)
        try #require(tiles.count == images.count, "\(name): \(tiles.count) tiles, llama.cpp has \(images.count)")
        for (tile, chunk) in zip(tiles, images) {
            let p = try #require(chunk.preprocessed)
            #expect(p.shape == [3, tile.height, tile.width], "\(name): chunk \(chunk.index) shape")
            let sum = tile.pixels.reduce(0.0) { $0 + Double($1) }
            let sumsq = tile.pixels.reduce(0.0) { $0 + Double($1) * Double($1) }
            #expect(abs(sum - p.sum) <= 1e-6 * max(1, abs(p.sum)) + 1e-3, "\(name): chunk \(chunk.index) sum \(sum) vs \(p.sum)")
            #expect(abs(sumsq - p.sumsq) <= 1e-6 * p.sumsq + 1e-3, "\(name): chunk \(chunk.index) sum of squares")
            let sample = try rec.preprocessedSample(name, chunk: chunk)
            var worst: Float = 0
            for (k, v) in sample.enumerated() { worst = max(worst, abs(tile.pixels[k * rec.pre_stride] - v)) }
            #expect(worst <= 1e-6, "\(name): chunk \(chunk.index) differs from llama.cpp's tile by \(worst)")
        }
    }

    @Test(arguments: recordings.map(\.name)) func embeddingsMatch(name: String) throws {
        let r = try #require(Self.recordings.first { $0.name == name })
        let rec = try MmprojRecording.load(name)
        let encoded = try Self.encoder(r.projector).encode(try Self.image(r.image), maxTokens: r.maxTokens)
        #expect(encoded.blocks.map(\.count) == rec.chunks.filter(\.isImage).map(\.n_tokens), "\(name): tokens per chunk")
        let (worstRow, worstNorm) = try rec.embeddingErrors(name, embeddings: encoded.blocks.flatMap(\.values))
        print("EncoderAgreementTests: \(name): worst relative L2 \(worstRow), worst norm error \(worstNorm)")
        #expect(worstRow <= 1e-2 && worstNorm <= 1e-2, "\(name): relative L2 \(worstRow), norm \(worstNorm)")
    }

    /// The marker tokens nook puts around each chunk are the ones llama.cpp's mtmd puts there (decoder vocabulary).
    @Test(arguments: recordings.map(\.name)) func markerTokensMatch(name: String) throws {
        let r = try #require(Self.recordings.first { $0.name == name })
        let rec = try MmprojRecording.load(name)
        let context = try ModelContext(path: try MmprojFixture.cachedFile("decoder"), threads: 1)
        let encoder = try Self.encoder(r.projector)
        // The layout without running the tower: pieces from the plan, rows left empty.
        var ours: [[Int32]] = [[]]
        for piece in encoder.layout(try Self.image(r.image), maxTokens: r.maxTokens) {
            switch piece {
            case .text(let s): ours[ours.count - 1] += context.tokenizer.encode(s, addSpecial: false, parseSpecial: true)
            case .token(let s): ours[ours.count - 1].append(try context.vocabularyToken(s))
            case .embeddings: ours.append([])
            }
        }
        let theirs = rec.chunks.split(omittingEmptySubsequences: false, whereSeparator: \.isImage)
            .map { $0.flatMap { $0.tokens ?? [] } }
        #expect(ours == theirs, "\(name): marker tokens between image chunks")
    }

    /// A second turn about the same picture evaluates only its new tokens, and answers as a fresh start would.
    @Test func aSecondTurnReusesTheCachedPicture() throws {
        let context = try ModelContext(path: try MmprojFixture.cachedFile("decoder"), threads: 2)
        let picture = PromptImage(encoded: try Self.encoder("idefics3").encode(try Self.image("small"), maxTokens: 64),
                                  key: "small|64")
        let first = try context.promptChunks(text: "Look at \(ModelContext.mediaMarker) this.", images: [picture], addSpecial: true)
        let greedy = SamplingSettings(temperature: 0, maxTokens: 3, seed: 0)
        let generator = try Generator(context: context, contextLength: 512)
        let one = try generator.generate(GenerationRequest(chunks: first, maxTokens: 3, sampling: greedy)) { _ in }
        let more = context.tokenizer.encode(" And the colours?", addSpecial: false, parseSpecial: true)
        let second = first + [.tokens(one.tokens + more)]
        let two = try generator.generate(GenerationRequest(chunks: second, maxTokens: 3, sampling: greedy)) { _ in }
        #expect(two.stats.promptTokens == more.count, "the picture and the first turn come from the cache")
        let fresh = try Generator(context: context, contextLength: 512)
        let again = try fresh.generate(GenerationRequest(chunks: second, maxTokens: 3, sampling: greedy)) { _ in }
        #expect(again.tokens == two.tokens)
        // A different picture under another key is not mistaken for the cached one.
        let other = PromptImage(encoded: try Self.encoder("idefics3").encode(try Self.image("wide"), maxTokens: 64), key: "wide|64")
        let swapped = try context.promptChunks(text: "Look at \(ModelContext.mediaMarker) this.", images: [other], addSpecial: true)
        let three = try generator.generate(GenerationRequest(chunks: swapped, maxTokens: 1, sampling: greedy)) { _ in }
        #expect(three.stats.promptTokens > 64)
    }

    /// A decoder with the idefics3 projector: the prompt's chunks and the logits after the image, against llama.cpp.
    @Test func logitsAfterAnImageMatch() throws {
        let rec = try MmprojRecording.load("e2e-small")
        let context = try ModelContext(path: try MmprojFixture.cachedFile("decoder"), threads: 2)
        let encoded = try Self.encoder("idefics3").encode(try Self.image("small"))
        let chunks = try context.promptChunks(text: rec.prompt, images: [PromptImage(encoded: encoded, key: "small")],
                                              addSpecial: true)
        let shape = chunks.map { c -> String in
            if case .tokens(let t) = c { "text \(t)" } else { "image \(c.count)" }
        }
        let expected = rec.chunks.map { $0.isImage ? "image \($0.n_tokens)" : "text \($0.tokens ?? [])" }
        try #require(shape == expected, "chunk structure differs:\n\(shape)\nllama.cpp:\n\(expected)")
        let cache = try context.model.makeCache(capacity: 1024)
        var logits = UnsafeBufferPointer<Float>(start: nil, count: 0)
        for (i, c) in chunks.enumerated() {
            let request: LogitsRequest = i == chunks.count - 1 ? .all : .last
            switch c {
            case .tokens(let t): logits = try context.model.evaluate(.tokens(t), cache: cache, logits: request)
            case .embeddings(let rows, _): logits = try context.model.evaluate(.embeddings(rows), cache: cache, logits: request)
            }
        }
        let text = try String(contentsOf: MmprojFixture.folder.appendingPathComponent("e2e-small.logits"), encoding: .utf8)
        let reference = text.split(separator: "\n").map { $0.split(separator: " ").compactMap { Float($0) } }
        let vocab = context.model.hyperparameters.vocabularySize
        try #require(logits.count == reference.count * vocab)
        var worst: Float = 0
        for (row, ref) in reference.enumerated() {
            var diff: Float = 0, norm: Float = 0
            for k in 0..<vocab {
                let d = logits[row * vocab + k] - ref[k]
                diff += d * d
                norm += ref[k] * ref[k]
            }
            worst = max(worst, (diff / norm).squareRoot())
        }
        print("EncoderAgreementTests: logits after the image: worst relative L2 \(worst)")
        // The engine's F32 bound (ReferenceLogitsTests: llama-gqa-F32 6.8e-4) on top of the image rows' own error.
        #expect(worst <= 5e-3, "logits after the image differ from llama.cpp's by \(worst)")
    }
}
