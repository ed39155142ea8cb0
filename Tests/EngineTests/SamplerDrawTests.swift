import Conversation
import Foundation
import Testing
import Engine

@Suite struct SamplerDrawTests {
    private let logits: [Float] = [1.0, 0.5, 0, -0.5, -1, 2, 0.25, -2]

    private func draws(_ p: SamplingSettings, count: Int, logits: [Float]) -> [Int32] {
        var s = Sampler(p, vocabularySize: logits.count)
        return (0..<count).map { _ in s.sample(logits) }
    }

    @Test func sameSeedSameTokensDifferentSeedsDifferentTokens() {
        let a = draws(plainParameters(seed: 1234), count: 200, logits: logits)
        let b = draws(plainParameters(seed: 1234), count: 200, logits: logits)
        let c = draws(plainParameters(seed: 1235), count: 200, logits: logits)
        #expect(a == b)
        #expect(a != c)
        #expect(Set(a).count > 4)
    }

    /// The tokens seed 2024 gives with llama.cpp's default chain, fixed so any change of the
    /// generator, the arithmetic or the candidate order shows up on every machine. An independent
    /// Python/NumPy re-implementation of the chain (float32 logits, math.exp) gives the same list.
    @Test func aSeedGivesTheSameTokensOnEveryMachine() {
        let p = SamplingSettings(temperature: 0.8, topK: 40, topP: 0.95, minP: 0.05, seed: 2024)
        let row = randomLogits(32_000, seed: 5, scale: 4)
        let expected: [Int32] = [
            3727, 15561, 3727, 15855, 15561, 7657, 17426, 7657, 7280, 22853, 7880, 14703, 31234, 28013, 15561, 30833,
        ]
        #expect(draws(p, count: 16, logits: row) == expected)
    }

    @Test func resetRestartsTheRandomSequence() {
        var s = Sampler(plainParameters(seed: 77), vocabularySize: logits.count)
        let first = (0..<50).map { _ in s.sample(logits) }
        s.reset()
        let again = (0..<50).map { _ in s.sample(logits) }
        #expect(first == again)
    }

    @Test func candidatesDoNotAdvanceTheGenerator() {
        var a = Sampler(plainParameters(seed: 5), vocabularySize: logits.count)
        var b = Sampler(plainParameters(seed: 5), vocabularySize: logits.count)
        _ = a.candidates(logits)
        _ = a.candidates(logits)
        #expect((0..<20).map { _ in a.sample(logits) } == (0..<20).map { _ in b.sample(logits) })
    }

    /// Frequencies over many draws match softmax(logits / temperature); the seed is fixed, so this is deterministic.
    @Test func drawsFollowTheTemperedSoftmax() {
        for temperature: Float in [0.7, 1.5] {
            var p = plainParameters(seed: 99)
            p.temperature = temperature
            let n = 60_000
            var histogram = [Int](repeating: 0, count: logits.count)
            for t in draws(p, count: n, logits: logits) { histogram[Int(t)] += 1 }
            let weights = logits.map { Foundation.exp(Double($0 / temperature)) }
            let total = weights.reduce(0, +)
            for (i, w) in weights.enumerated() {
                let expected = w / total
                let observed = Double(histogram[i]) / Double(n)
                // 5 standard deviations of a binomial frequency.
                let tolerance = 5 * (expected * (1 - expected) / Double(n)).squareRoot()
                #expect(abs(observed - expected) < tolerance, "token \(i) at temperature \(temperature)")
            }
        }
    }

    @Test func drawsOnlyFromTheFilteredCandidatesRenormalised() {
        var p = plainParameters(seed: 3)
        p.topK = 3
        let n = 30_000
        var histogram = [Int32: Int]()
        for t in draws(p, count: n, logits: logits) { histogram[t, default: 0] += 1 }
        #expect(Set(histogram.keys) == [5, 0, 1])
        let weights = [2.0, 1.0, 0.5].map { Foundation.exp($0) }
        for (token, w) in zip([Int32(5), 0, 1], weights) {
            let expected = w / weights.reduce(0, +)
            let observed = Double(histogram[token] ?? 0) / Double(n)
            #expect(abs(observed - expected) < 5 * (expected * (1 - expected) / Double(n)).squareRoot())
        }
    }

    @Test func parametersDecodeWithDefaultsForMissingKeys() throws {
        let json = #"{"temperature": 0.2, "topK": 10, "seed": 5}"#
        let p = try JSONDecoder().decode(SamplingSettings.self, from: Data(json.utf8))
        #expect(p == SamplingSettings(temperature: 0.2, topK: 10, seed: 5))
        let roundTrip = try JSONDecoder().decode(SamplingSettings.self, from: JSONEncoder().encode(p))
        #expect(roundTrip == p)
        #expect(SamplingSettings.greedy.isGreedy)
        #expect(SamplingSettings(seed: 1).topP == 0.95 && SamplingSettings(seed: 1).minP == 0.05)
    }
}
