/// Settings of the sampling chain; defaults are llama.cpp's `common_params_sampling` defaults.
///
/// Each filter has an "off" value: `topK <= 0` (or ≥ the vocabulary), `topP >= 1`, `minP <= 0`,
/// `repeatPenalty == 1`, `presencePenalty == 0`, `frequencyPenalty == 0`, `penaltyLastN == 0`.
/// `temperature <= 0` samples greedily (arg-max). Decoding accepts any subset of the keys and
/// fills the rest with the defaults, except that a missing seed is drawn at random.
public struct SamplingParameters: Sendable, Codable, Equatable {
    /// Divides the logits before the draw; `<= 0` means greedy arg-max.
    public var temperature: Float
    /// Keep only the `topK` most likely tokens; `<= 0` keeps all.
    public var topK: Int
    /// Keep the smallest set of most likely tokens whose probability sums to at least `topP`; `>= 1` keeps all.
    public var topP: Float
    /// Drop tokens less likely than `minP` times the most likely one; `<= 0` keeps all.
    public var minP: Float
    /// Divides positive and multiplies non-positive logits of recently seen tokens; 1 is off, values `<= 0` count as off.
    public var repeatPenalty: Float
    /// Subtracted once from the logit of every recently seen token.
    public var presencePenalty: Float
    /// Subtracted from a recently seen token's logit once per occurrence.
    public var frequencyPenalty: Float
    /// How many of the last accepted tokens the penalties look at; 0 is off, negative means all since `reset()`.
    public var penaltyLastN: Int
    /// Seed of the `Xoshiro256StarStar` generator that draws tokens.
    public var seed: UInt64

    /// Parameters with llama.cpp's defaults and, unless given, a random seed.
    public init(temperature: Float = 0.8, topK: Int = 40, topP: Float = 0.95, minP: Float = 0.05,
                repeatPenalty: Float = 1.0, presencePenalty: Float = 0, frequencyPenalty: Float = 0,
                penaltyLastN: Int = 64, seed: UInt64 = UInt64.random(in: .min ... .max)) {
        self.temperature = temperature
        self.topK = topK
        self.topP = topP
        self.minP = minP
        self.repeatPenalty = repeatPenalty
        self.presencePenalty = presencePenalty
        self.frequencyPenalty = frequencyPenalty
        self.penaltyLastN = penaltyLastN
        self.seed = seed
    }

    /// Greedy decoding: always the arg-max token, no penalties.
    public static let greedy = SamplingParameters(temperature: 0, repeatPenalty: 1, presencePenalty: 0,
                                                  frequencyPenalty: 0, seed: 0)

    /// Whether the chain reduces to arg-max (`temperature` is zero, negative or NaN).
    public var isGreedy: Bool { !(temperature > 0) }

    private enum CodingKeys: String, CodingKey {
        case temperature, topK, topP, minP, repeatPenalty, presencePenalty, frequencyPenalty, penaltyLastN, seed
    }

    public init(from decoder: any Decoder) throws {
        let c = try decoder.container(keyedBy: CodingKeys.self)
        let d = SamplingParameters()
        temperature = try c.decodeIfPresent(Float.self, forKey: .temperature) ?? d.temperature
        topK = try c.decodeIfPresent(Int.self, forKey: .topK) ?? d.topK
        topP = try c.decodeIfPresent(Float.self, forKey: .topP) ?? d.topP
        minP = try c.decodeIfPresent(Float.self, forKey: .minP) ?? d.minP
        repeatPenalty = try c.decodeIfPresent(Float.self, forKey: .repeatPenalty) ?? d.repeatPenalty
        presencePenalty = try c.decodeIfPresent(Float.self, forKey: .presencePenalty) ?? d.presencePenalty
        frequencyPenalty = try c.decodeIfPresent(Float.self, forKey: .frequencyPenalty) ?? d.frequencyPenalty
        penaltyLastN = try c.decodeIfPresent(Int.self, forKey: .penaltyLastN) ?? d.penaltyLastN
        seed = try c.decodeIfPresent(UInt64.self, forKey: .seed) ?? d.seed
    }
}
