import Conversation

/// The recent-token window behind the repeat, presence and frequency penalties, as llama.cpp's
/// `penalties` sampler keeps it: the last `lastN` accepted tokens and how often each occurs.
struct SamplerPenalties: Sendable {
    let repeatPenalty: Float
    let presencePenalty: Float
    let frequencyPenalty: Float
    /// Window length; 0 records nothing, negative keeps every token since `reset()`.
    let lastN: Int

    /// The window as a ring buffer of token ids, oldest at `head` once it is full; capacity `lastN`.
    private var ring: [Int32] = []
    private var head = 0
    /// Occurrences of each token in the window; only tokens with a count above 0 are present.
    private(set) var counts: [Int32: Int] = [:]

    init(_ p: SamplingSettings) {
        repeatPenalty = p.repeatPenalty > 0 ? p.repeatPenalty : 1
        presencePenalty = p.presencePenalty.isNaN ? 0 : p.presencePenalty
        frequencyPenalty = p.frequencyPenalty.isNaN ? 0 : p.frequencyPenalty
        lastN = p.penaltyLastN
        if lastN > 0 { ring.reserveCapacity(lastN) }
    }

    /// Whether applying the penalties can change any logit.
    var isActive: Bool {
        lastN != 0 && !counts.isEmpty && (repeatPenalty != 1 || presencePenalty != 0 || frequencyPenalty != 0)
    }

    /// Records a token produced by the model, dropping the oldest one when the window is full.
    mutating func accept(_ token: Int32) {
        if lastN == 0 { return }
        counts[token, default: 0] += 1
        if lastN < 0 { return }
        if ring.count < lastN {
            ring.append(token)
            return
        }
        let old = ring[head]
        if let c = counts[old] { counts[old] = c > 1 ? c - 1 : nil }
        ring[head] = token
        head = (head + 1) % lastN
    }

    /// Forgets every recorded token.
    mutating func reset() {
        ring.removeAll(keepingCapacity: true)
        head = 0
        counts.removeAll()
    }

    /// Applies the penalties in place to the logits of recorded tokens.
    ///
    /// - Parameter logits: one logit per token id, shape [vocabulary]; ids outside it are ignored.
    ///
    /// Like llama.cpp: a positive logit is divided by the repeat penalty and a non-positive one
    /// multiplied by it, then `count · frequencyPenalty + presencePenalty` is subtracted.
    func apply(to logits: UnsafeMutableBufferPointer<Float>) {
        guard isActive else { return }
        for (token, count) in counts where token >= 0 && Int(token) < logits.count {
            var v = logits[Int(token)]
            if v <= 0 { v *= repeatPenalty } else { v /= repeatPenalty }
            v -= Float(count) * frequencyPenalty + presencePenalty
            logits[Int(token)] = v
        }
    }
}
