import Conversation
import Testing
import Engine

@Suite struct SamplerPenaltyTests {
    private func penalised(_ logits: [Float], accepted: [Int32], _ configure: (inout SamplingSettings) -> Void) -> [Float] {
        var p = plainParameters()
        configure(&p)
        var s = Sampler(p, vocabularySize: logits.count)
        for t in accepted { s.accept(t) }
        // With every filter off the candidates come back in id order with their penalised logits.
        return s.candidates(logits).map(\.logit)
    }

    @Test func repeatPenaltyDividesPositiveAndMultipliesNonPositiveLogits() {
        let out = penalised([2, -2, 1, 0, 3], accepted: [0, 1, 3, 0]) { $0.repeatPenalty = 2 }
        #expect(out == [1, -4, 1, 0, 3])
    }

    @Test func presenceAndFrequencyPenaltiesSubtract() {
        let out = penalised([2, -2, 1, 0.5], accepted: [0, 1, 0]) {
            $0.repeatPenalty = 2
            $0.frequencyPenalty = 0.5
            $0.presencePenalty = 0.25
        }
        // token 0 seen twice: 2/2 − (2·0.5 + 0.25); token 1 once: −2·2 − (0.5 + 0.25).
        #expect(out == [-0.25, -4.75, 1, 0.5])
    }

    @Test func onlyTheLastNAcceptedTokensCount() {
        let out = penalised([1, 1, 1, 1], accepted: [0, 0, 1, 2]) {
            $0.penaltyLastN = 2
            $0.presencePenalty = 1
            $0.frequencyPenalty = 0.5
        }
        // The window holds [1, 2]; both occurrences of token 0 have left it.
        #expect(out == [1, -0.5, -0.5, 1])
        let unbounded = penalised([1, 1, 1, 1], accepted: [0, 0, 1, 2]) {
            $0.penaltyLastN = -1
            $0.frequencyPenalty = 0.5
        }
        #expect(unbounded == [0, 0.5, 0.5, 1])
        let off = penalised([1, 1, 1, 1], accepted: [0, 0, 1, 2]) {
            $0.penaltyLastN = 0
            $0.repeatPenalty = 3
        }
        #expect(off == [1, 1, 1, 1])
    }

    @Test func tokensOutsideTheVocabularyAreIgnored() {
        let out = penalised([1, 2], accepted: [-1, 7, 1]) { $0.presencePenalty = 1 }
        #expect(out == [1, 1])
    }

    @Test func penaltiesApplyBeforeGreedyArgMax() {
        var p = SamplingSettings.greedy
        p.repeatPenalty = 4
        var s = Sampler(p, vocabularySize: 3)
        #expect(s.sample([1, 3, 2]) == 1)
        s.accept(1)
        #expect(s.sample([1, 3, 2]) == 2)           // 3 / 4 = 0.75 < 2
        s.reset()
        #expect(s.sample([1, 3, 2]) == 1)
    }

    @Test func aPenaltyCanPushATokenOutOfTopK() {
        var p = plainParameters()
        p.topK = 2
        p.presencePenalty = 10
        var s = Sampler(p, vocabularySize: 4)
        s.accept(0)
        #expect(s.candidates([5, 4, 3, -1]).map(\.token) == [1, 2])
    }
}
