import Foundation

/// Sampling settings for one reply; defaults follow llama.cpp's `common_params_sampling`.
public struct SamplingSettings: Codable, Sendable, Equatable {
    /// Softmax temperature; 0 means greedy decoding.
    public var temperature: Double
    /// Keep only the `topK` most likely tokens; 0 disables the filter.
    public var topK: Int
    /// Nucleus sampling threshold in (0, 1]; 1 disables the filter.
    public var topP: Double
    /// Drop tokens whose probability is below `minP` times the best one; 0 disables the filter.
    public var minP: Double
    /// Penalty applied to recently generated tokens; 1 disables it.
    public var repeatPenalty: Double
    /// The most tokens one reply may generate; nil means until end of generation or a full context.
    public var maxTokens: Int?
    /// Seed of the sampler's random generator, applied at the start of every reply so replays are reproducible.
    public var seed: UInt32

    public init(temperature: Double = 0.8, topK: Int = 40, topP: Double = 0.95, minP: Double = 0.05,
                repeatPenalty: Double = 1.0, maxTokens: Int? = nil, seed: UInt32 = 0) {
        self.temperature = temperature
        self.topK = topK
        self.topP = topP
        self.minP = minP
        self.repeatPenalty = repeatPenalty
        self.maxTokens = maxTokens
        self.seed = seed
    }
}

/// Sampling values a persona sets; nil fields keep the value they are applied to.
public struct SamplingDefaults: Codable, Sendable, Equatable {
    public var temperature: Double?
    public var topK: Int?
    public var topP: Double?
    public var minP: Double?
    public var repeatPenalty: Double?
    public var maxTokens: Int?

    public init(temperature: Double? = nil, topK: Int? = nil, topP: Double? = nil, minP: Double? = nil,
                repeatPenalty: Double? = nil, maxTokens: Int? = nil) {
        self.temperature = temperature
        self.topK = topK
        self.topP = topP
        self.minP = minP
        self.repeatPenalty = repeatPenalty
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
        if let maxTokens { s.maxTokens = maxTokens }
        return s
    }
}
