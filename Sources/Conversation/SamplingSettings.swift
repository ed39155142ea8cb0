import Foundation

/// How to sample one reply: the one set of sampling values, from the command line through sessions to the engine's
/// sampler. Defaults follow llama.cpp's `common_params_sampling`.
///
/// Each filter has an "off" value: `topK <= 0` (or ≥ the vocabulary), `topP >= 1`, `minP <= 0`,
/// `repeatPenalty == 1`, `presencePenalty == 0`, `frequencyPenalty == 0`, `penaltyLastN == 0`.
/// `temperature <= 0` samples greedily (arg-max). Values are `Float`, the precision the sampler computes in, so
/// what a session records is exactly what was used. Decoding accepts any subset of the keys (older session logs lack
/// the penalties) and fills the rest with the defaults.
public struct SamplingSettings: Codable, Sendable, Equatable {
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
    /// How many of the last accepted tokens the penalties look at; 0 is off, negative means all since the reply began.
    public var penaltyLastN: Int
    /// The most tokens one reply may generate; nil means until end of generation or a full context.
    public var maxTokens: Int?
    /// Seed of the sampler's random generator, applied at the start of every reply so replays are reproducible.
    public var seed: UInt64

    public init(temperature: Float = 0.8, topK: Int = 40, topP: Float = 0.95, minP: Float = 0.05,
                repeatPenalty: Float = 1.0, presencePenalty: Float = 0, frequencyPenalty: Float = 0,
                penaltyLastN: Int = 64, maxTokens: Int? = nil, seed: UInt64 = 0) {
        self.temperature = temperature
        self.topK = topK
        self.topP = topP
        self.minP = minP
        self.repeatPenalty = repeatPenalty
        self.presencePenalty = presencePenalty
        self.frequencyPenalty = frequencyPenalty
        self.penaltyLastN = penaltyLastN
        self.maxTokens = maxTokens
        self.seed = seed
    }

    /// Greedy decoding: always the arg-max token, no penalties.
    public static let greedy = SamplingSettings(temperature: 0, repeatPenalty: 1, presencePenalty: 0, frequencyPenalty: 0)

    /// Whether the chain reduces to arg-max (`temperature` is zero, negative or NaN).
    public var isGreedy: Bool { !(temperature > 0) }

    /// A seed for a new session: random, and within 32 bits so every JSON tool reads it exactly.
    public static func randomSeed() -> UInt64 { UInt64(UInt32.random(in: 0...UInt32.max)) }

    private enum CodingKeys: String, CodingKey {
        case temperature, topK, topP, minP, repeatPenalty, presencePenalty, frequencyPenalty, penaltyLastN, maxTokens, seed
    }

    public init(from decoder: any Decoder) throws {
        let c = try decoder.container(keyedBy: CodingKeys.self)
        let d = SamplingSettings()
        temperature = try c.decodeIfPresent(Float.self, forKey: .temperature) ?? d.temperature
        topK = try c.decodeIfPresent(Int.self, forKey: .topK) ?? d.topK
        topP = try c.decodeIfPresent(Float.self, forKey: .topP) ?? d.topP
        minP = try c.decodeIfPresent(Float.self, forKey: .minP) ?? d.minP
        repeatPenalty = try c.decodeIfPresent(Float.self, forKey: .repeatPenalty) ?? d.repeatPenalty
        presencePenalty = try c.decodeIfPresent(Float.self, forKey: .presencePenalty) ?? d.presencePenalty
        frequencyPenalty = try c.decodeIfPresent(Float.self, forKey: .frequencyPenalty) ?? d.frequencyPenalty
        penaltyLastN = try c.decodeIfPresent(Int.self, forKey: .penaltyLastN) ?? d.penaltyLastN
        maxTokens = try c.decodeIfPresent(Int.self, forKey: .maxTokens)
        seed = try c.decodeIfPresent(UInt64.self, forKey: .seed) ?? d.seed
    }
}

/// Sampling values a persona (or the command line) sets; nil fields keep the value they are applied to.
public struct SamplingDefaults: Codable, Sendable, Equatable {
    public var temperature: Float?
    public var topK: Int?
    public var topP: Float?
    public var minP: Float?
    public var repeatPenalty: Float?
    public var presencePenalty: Float?
    public var maxTokens: Int?

    public init(temperature: Float? = nil, topK: Int? = nil, topP: Float? = nil, minP: Float? = nil,
                repeatPenalty: Float? = nil, presencePenalty: Float? = nil, maxTokens: Int? = nil) {
        self.temperature = temperature
        self.topK = topK
        self.topP = topP
        self.minP = minP
        self.repeatPenalty = repeatPenalty
        self.presencePenalty = presencePenalty
        self.maxTokens = maxTokens
    }

    /// `base` with every value this persona sets replaced; the seed is never changed.
    public func applied(to base: SamplingSettings) -> SamplingSettings {
        var s = base
        if let temperature { s.temperature = temperature }
        if let topK { s.topK = topK }
        if let topP { s.topP = topP }
        if let minP { s.minP = minP }
        if let repeatPenalty { s.repeatPenalty = repeatPenalty }
        if let presencePenalty { s.presencePenalty = presencePenalty }
        if let maxTokens { s.maxTokens = maxTokens }
        return s
    }
}
