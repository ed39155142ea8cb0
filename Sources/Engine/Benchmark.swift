import Foundation
import Models
import Multimodal

/// Throughput measurement in the manner of llama-bench: prompt processing and generation, median over repetitions.
public struct Benchmark {
    /// One measured test: `pp N` (a batch of N prompt tokens), `tg N` (N tokens one at a time), `image N`
    /// (encoding a picture into N embedding rows) or `ttft image+N` (a one-picture question to its first token).
    public struct Result: Codable, Sendable {
        public var test: String
        public var tokens: Int
        /// Each repetition's figure, in `unit`.
        public var samples: [Double]
        /// `t/s` (tokens, or embedding rows, per second) or `s` (seconds).
        public var unit = "t/s"
        /// The middle sample, or the mean of the two middle ones for an even count.
        public var median: Double {
            let s = samples.sorted()
            guard !s.isEmpty else { return 0 }
            return s.count % 2 == 1 ? s[s.count / 2] : (s[s.count / 2 - 1] + s[s.count / 2]) / 2
        }
        public var mean: Double { samples.isEmpty ? 0 : samples.reduce(0, +) / Double(samples.count) }
        public var stddev: Double {
            guard samples.count > 1 else { return 0 }
            let m = mean
            return (samples.map { ($0 - m) * ($0 - m) }.reduce(0, +) / Double(samples.count - 1)).squareRoot()
        }
    }

    public let model: any LanguageModel
    public var repetitions: Int

    public init(model: any LanguageModel, repetitions: Int) {
        self.model = model
        self.repetitions = max(1, repetitions)
    }

    /// Random in-vocabulary tokens, fixed seed so runs are comparable.
    private func tokens(_ n: Int) -> [Int32] {
        var state: UInt64 = 0x9E37_79B9_7F4A_7C15
        let v = UInt64(model.hyperparameters.vocabularySize)
        return (0..<n).map { _ in
            state = state &* 6_364_136_223_846_793_005 &+ 1_442_695_040_888_963_407
            return Int32(truncatingIfNeeded: (state >> 33) % v)
        }
    }

    /// Evaluates `n` tokens in one batch from an empty cache, after one warm-up run.
    public func promptProcessing(_ n: Int) throws -> Result {
        let input = tokens(n)
        let cache = try model.makeCache(capacity: n)
        _ = try model.evaluate(input, cache: cache, logits: .last)
        var samples: [Double] = []
        for _ in 0..<repetitions {
            cache.truncate(to: 0)
            let t = ContinuousClock().measure { _ = try? model.evaluate(input, cache: cache, logits: .last) }
            samples.append(Double(n) / t.seconds)
        }
        return Result(test: "pp\(n)", tokens: n, samples: samples)
    }

    /// Encodes `image` `repetitions` times after one warm-up: embedding rows per second.
    public func imageEncoding(_ encoder: VisionEncoder, _ image: RGBImage, maxTokens: Int?) throws -> Result {
        let rows = try encoder.encode(image, maxTokens: maxTokens).embeddingCount
        var samples: [Double] = []
        for _ in 0..<repetitions {
            let t = try ContinuousClock().measure { _ = try encoder.encode(image, maxTokens: maxTokens) }
            samples.append(Double(rows) / t.seconds)
        }
        return Result(test: "image \(rows)", tokens: rows, samples: samples)
    }

    /// Seconds from a one-picture question to its first token: encoding the picture, evaluating its rows and the
    /// question's tokens from an empty cache, and picking the most likely next token.
    public func timeToFirstToken(_ context: ModelContext, _ encoder: VisionEncoder, _ image: RGBImage, maxTokens: Int?,
                                 question: String) throws -> Result {
        func once() throws -> Int {
            let picture = PromptImage(encoded: try encoder.encode(image, maxTokens: maxTokens), key: "bench")
            let chunks = try context.promptChunks(text: ModelContext.mediaMarker + question, images: [picture], addSpecial: true)
            let length = chunks.reduce(0) { $0 + $1.count }
            let cache = try model.makeCache(capacity: length + 1)
            var logits = UnsafeBufferPointer<Float>(start: nil, count: 0)
            for chunk in chunks {
                switch chunk {
                case .tokens(let t): logits = try model.evaluate(.tokens(t), cache: cache, logits: .last)
                case .embeddings(let rows, _): logits = try model.evaluate(.embeddings(rows), cache: cache, logits: .last)
                }
            }
            _ = logits.indices.max { logits[$0] < logits[$1] }
            return length
        }
        let length = try once()
        var samples: [Double] = []
        for _ in 0..<repetitions { samples.append(try ContinuousClock().measure { _ = try once() }.seconds) }
        return Result(test: "ttft image+text (\(length) positions)", tokens: length, samples: samples, unit: "s")
    }

    /// Evaluates `n` tokens one at a time from an empty cache, after one warm-up token.
    public func generation(_ n: Int) throws -> Result {
        let input = tokens(n)
        let cache = try model.makeCache(capacity: n + 1)
        _ = try model.evaluate([input[0]], cache: cache, logits: .last)
        var samples: [Double] = []
        for _ in 0..<repetitions {
            cache.truncate(to: 0)
            let t = try ContinuousClock().measure {
                for tok in input { _ = try model.evaluate([tok], cache: cache, logits: .last) }
            }
            samples.append(Double(n) / t.seconds)
        }
        return Result(test: "tg\(n)", tokens: n, samples: samples)
    }
}
