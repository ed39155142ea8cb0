import Conversation
import Foundation
import Testing
import Engine

/// Sampling parameters with every filter off and temperature 1, to switch filters on one at a time.
func plainParameters(seed: UInt64 = 1) -> SamplingSettings {
    SamplingSettings(temperature: 1, topK: 0, topP: 1, minP: 0, repeatPenalty: 1,
                       presencePenalty: 0, frequencyPenalty: 0, penaltyLastN: 64, seed: seed)
}

extension Sampler {
    mutating func sample(_ logits: [Float]) -> Int32 {
        logits.withUnsafeBufferPointer { sample(logits: $0) }
    }

    mutating func candidates(_ logits: [Float]) -> [SamplerCandidate] {
        logits.withUnsafeBufferPointer { candidates(logits: $0) }
    }
}

/// Deterministic pseudo-random logits in [-scale, scale), shape [count].
func randomLogits(_ count: Int, seed: UInt64, scale: Float = 8) -> [Float] {
    var g = Xoshiro256StarStar(seed: seed)
    return (0..<count).map { _ in Float(g.nextDouble() * 2 - 1) * scale }
}

@Suite struct SamplerFilterTests {
    @Test func greedyPicksTheArgMaxAndTheLowestIndexOnTies() {
        var s = Sampler(.greedy, vocabularySize: 6)
        #expect(s.sample([0.1, 3, -1, 2.9, 3, 0]) == 1)
        #expect(s.sample([-5, -4, -3, -2, -1, -1.5]) == 4)
        #expect(s.sample([.nan, 1, .nan, 0, 1, 0]) == 1)
        #expect(s.sample([-.infinity, -.infinity, -.infinity, -.infinity, -.infinity, -.infinity]) == 0)
        #expect(s.candidates([0, 0, 7, 0, 0, 0]) == [SamplerCandidate(token: 2, logit: 7, probability: 1)])
        // Zero and negative temperatures are greedy too, whatever the other filters say.
        var p = SamplingSettings(temperature: -1, seed: 9)
        #expect(Sampler(p, vocabularySize: 4).parameters.isGreedy)
        p.temperature = 0
        var zero = Sampler(p, vocabularySize: 4)
        #expect(zero.sample([1, 2, 4, 3]) == 2)
    }

    @Test func topKKeepsExactlyTheKBest() {
        var p = plainParameters()
        p.topK = 3
        var s = Sampler(p, vocabularySize: 6)
        let kept = s.candidates([0.1, 0.9, 0.5, 0.9, -1, 0.7])
        #expect(kept.map(\.token) == [1, 3, 5])
        #expect(kept.map(\.logit) == [0.9, 0.9, 0.7])
        let sum = kept.map(\.probability).reduce(0, +)
        #expect(abs(sum - 1) < 1e-12)
        // k at or above the vocabulary keeps everything, in id order.
        p.topK = 6
        var all = Sampler(p, vocabularySize: 6)
        #expect(all.candidates([0.1, 0.9, 0.5, 0.9, -1, 0.7]).map(\.token) == [0, 1, 2, 3, 4, 5])
    }

    @Test func topKOnALargeVocabularyMatchesAFullSort() {
        let logits = randomLogits(150_000, seed: 11)
        let order = logits.indices.sorted { logits[$0] > logits[$1] || (logits[$0] == logits[$1] && $0 < $1) }
        for k in [1, 40, 1000] {
            var p = plainParameters()
            p.topK = k
            var s = Sampler(p, vocabularySize: logits.count)
            #expect(s.candidates(logits).map { Int($0.token) } == Array(order.prefix(k)))
        }
    }

    @Test func topPKeepsTheSmallestPrefixReachingP() {
        // Probabilities 0.5, 0.2, 0.15, 0.1, 0.05 placed out of order.
        let probabilities: [Float] = [0.1, 0.5, 0.05, 0.2, 0.15]
        let logits = probabilities.map { Foundation.logf($0) }
        var p = plainParameters()
        p.topP = 0.8
        var s = Sampler(p, vocabularySize: 5)
        let kept = s.candidates(logits)
        #expect(kept.map(\.token) == [1, 3, 4])
        #expect(abs(kept[0].probability - 0.5 / 0.85) < 1e-6)
        p.topP = 0.4
        var first = Sampler(p, vocabularySize: 5)
        #expect(first.candidates(logits).map(\.token) == [1])
        p.topP = 0.99
        var most = Sampler(p, vocabularySize: 5)
        #expect(most.candidates(logits).map(\.token) == [1, 3, 4, 0, 2])
    }

    @Test func topPWithoutTopKOnALargeVocabularyMatchesAFullComputation() {
        // A flat row needs far more than the first 256 tokens, a peaked one only a few.
        for (seed, scale) in [(UInt64(3), Float(0.5)), (4, 30)] {
            let logits = randomLogits(50_000, seed: seed, scale: scale)
            let order = logits.indices.sorted { logits[$0] > logits[$1] || (logits[$0] == logits[$1] && $0 < $1) }
            let top = Double(logits[order[0]])
            let weights = order.map { Foundation.exp(Double(logits[$0]) - top) }
            let sum = weights.reduce(0, +)
            var cumulative = 0.0
            var expected = order.count
            for (i, w) in weights.enumerated() {
                cumulative += w / sum
                if cumulative >= 0.9 { expected = i + 1; break }
            }
            var p = plainParameters()
            p.topP = 0.9
            var s = Sampler(p, vocabularySize: logits.count)
            let kept = s.candidates(logits).map { Int($0.token) }
            #expect(kept == Array(order.prefix(expected)), "scale \(scale)")
        }
    }

    @Test func minPDropsTokensBelowAFractionOfTheBest() {
        // Threshold 2 + ln 0.2 ≈ 0.39: only the logits 2 and 1 survive.
        let logits: [Float] = [0, 2, -3, 1, -1]
        var p = plainParameters()
        p.minP = 0.2
        var unsorted = Sampler(p, vocabularySize: 5)
        #expect(unsorted.candidates(logits).map(\.token) == [1, 3])
        p.topK = 4                                 // after top-k the list is sorted best first
        var sorted = Sampler(p, vocabularySize: 5)
        #expect(sorted.candidates(logits).map(\.token) == [1, 3])
        p.topK = 0
        p.minP = 2                                 // a threshold above the best still keeps the best
        var strict = Sampler(p, vocabularySize: 5)
        #expect(strict.candidates(logits).map(\.token) == [1])
    }

    @Test func filtersRunBeforeTemperatureInLlamaCppsOrder() {
        let logits: [Float] = [3, 2.5, 2, 0, -2, 1]
        var p = plainParameters()
        p.topK = 4
        p.topP = 0.9
        p.minP = 0.3
        // top-k: 0,1,2,5; top-p on untempered probabilities; min-p drops logits below 3 + ln 0.3 ≈ 1.80.
        for temperature: Float in [0.2, 1, 5] {
            p.temperature = temperature
            var s = Sampler(p, vocabularySize: 6)
            let kept = s.candidates(logits)
            #expect(kept.map(\.token) == [0, 1, 2], "temperature \(temperature)")
            #expect(kept.map(\.logit) == [3 / temperature, 2.5 / temperature, 2 / temperature])
            let e = [3, 2.5, 2].map { Foundation.exp(Double($0 / temperature)) }
            for (c, w) in zip(kept, e) { #expect(abs(c.probability - w / e.reduce(0, +)) < 1e-6) }
        }
    }

    @Test func rowsLongerThanTheVocabularyAreCutAndEmptyRowsGiveNoToken() {
        var s = Sampler(.greedy, vocabularySize: 3)
        #expect(s.sample([0, 1, 2, 99]) == 2)
        #expect(s.sample([]) == -1)
        #expect(s.candidates([]).isEmpty)
        var d = Sampler(plainParameters(), vocabularySize: 3)
        #expect(d.candidates([0, 1, 2, 99]).count == 3)
    }

    @Test func infiniteAndNaNLogitsStayWellDefined() {
        var s = Sampler(plainParameters(), vocabularySize: 4)
        let withInfinity = s.candidates([0, .infinity, 5, .nan])
        #expect(withInfinity.first { $0.token == 1 }?.probability == 1)
        #expect(withInfinity.first { $0.token == 3 }?.probability == 0)
        for _ in 0..<50 { #expect(s.sample([0, .infinity, 5, .nan]) == 1) }
        let allMinusInfinity = s.candidates([-.infinity, -.infinity, -.infinity, -.infinity])
        #expect(allMinusInfinity.map(\.probability) == [0.25, 0.25, 0.25, 0.25])
    }
}
