import Conversation

/// One token the sampling chain kept, with its final logit and probability.
public struct SamplerCandidate: Sendable, Equatable {
    public var token: Int32
    /// The logit after penalties and temperature.
    public var logit: Float
    /// softmax of the kept candidates' final logits.
    public var probability: Double

    public init(token: Int32, logit: Float, probability: Double) {
        self.token = token
        self.logit = logit
        self.probability = probability
    }
}

/// Picks the next token from a row of logits with llama.cpp's default sampler chain:
/// penalties → top-k → top-p → min-p → temperature → a draw from the softmax distribution.
///
/// With `temperature <= 0` the chain is greedy: the arg-max of the penalised logits, the lowest
/// id winning ties. Draws come from `Xoshiro256StarStar` seeded with `parameters.seed`, and every
/// step is sequential arithmetic with a fixed order (ties broken by id, portable `exp`/`log`), so
/// the same seed, parameters and logits give the same tokens on every machine and run.
///
/// Top-k uses a bounded heap, never a sort of the vocabulary. Top-p without top-k buckets the
/// probability mass by logit and sorts only the tokens of the buckets that reach `topP`.
/// Call `accept(_:)` with each token the model really produced so the penalties see it.
public struct Sampler: Sendable {
    public let parameters: SamplingSettings
    /// How many logits of each row are token scores; extra entries of a longer row are ignored.
    public let vocabularySize: Int

    private var rng: Xoshiro256StarStar
    private var penalties: SamplerPenalties
    /// The working copy of one row of logits, NaN replaced by −∞ and penalties applied; shape [vocabularySize].
    private var scratch: [Float] = []
    /// The candidates left by the filters, shape [≤ vocabularySize]; sorted best first when `listSorted`.
    private var list: [ScoredToken] = []
    private var listSorted = false
    /// Softmax weights of `list` during a draw, shape [list.count].
    private var weights: [Double] = []

    public init(_ p: SamplingSettings, vocabularySize: Int) {
        parameters = p
        self.vocabularySize = max(vocabularySize, 0)
        rng = Xoshiro256StarStar(seed: p.seed)
        penalties = SamplerPenalties(p)
        scratch.reserveCapacity(self.vocabularySize)
    }

    /// The next token for a row of logits; -1 when the row is empty.
    ///
    /// - Parameter logits: one score per token id, shape [vocabularySize] (a longer row is cut to
    ///   `vocabularySize`, a shorter one is used as is). Not modified.
    public mutating func sample(logits: UnsafeBufferPointer<Float>) -> Int32 {
        let n = prepare(logits)
        guard n > 0 else { return -1 }
        if parameters.isGreedy { return argMax(n) }
        filter(n)
        let maxLogit = listSorted ? list[0].logit : SamplerSelection.maxLogit(list)
        weights.removeAll(keepingCapacity: true)
        var sum = 0.0
        for t in list {
            let w = SamplerSelection.weight(t.logit, max: maxLogit)
            weights.append(w)
            sum += w
        }
        // The first candidate whose running weight passes u·sum, u uniform in [0, 1): probability w/sum.
        let target = sum * rng.nextDouble()
        var running = 0.0
        var lastPositive = list[0].id
        for (t, w) in zip(list, weights) {
            if w > 0 { lastPositive = t.id }
            running += w
            if running > target { return t.id }
        }
        return lastPositive
    }

    /// The candidates the chain would draw from for this row, with their probabilities; the random
    /// generator does not advance. Greedy parameters give the arg-max alone with probability 1.
    ///
    /// - Parameter logits: as for `sample(logits:)`.
    /// - Returns: best first when a filter sorted them (top-k, top-p, or min-p after either), else in id order.
    public mutating func candidates(logits: UnsafeBufferPointer<Float>) -> [SamplerCandidate] {
        let n = prepare(logits)
        guard n > 0 else { return [] }
        if parameters.isGreedy {
            let best = argMax(n)
            return [SamplerCandidate(token: best, logit: scratch[Int(best)], probability: 1)]
        }
        filter(n)
        let maxLogit = listSorted ? list[0].logit : SamplerSelection.maxLogit(list)
        let weights = list.map { SamplerSelection.weight($0.logit, max: maxLogit) }
        let sum = weights.reduce(0, +)
        return zip(list, weights).map { SamplerCandidate(token: $0.id, logit: $0.logit, probability: $1 / sum) }
    }

    /// Records a token the model produced, for the repeat, presence and frequency penalties.
    public mutating func accept(_ token: Int32) {
        penalties.accept(token)
    }

    /// Forgets accepted tokens and restarts the random sequence from the seed.
    public mutating func reset() {
        penalties.reset()
        rng = Xoshiro256StarStar(seed: parameters.seed)
    }

    /// Copies the row into `scratch`, replacing NaN by −∞, and applies the penalties; returns its length.
    private mutating func prepare(_ logits: UnsafeBufferPointer<Float>) -> Int {
        let n = min(logits.count, vocabularySize)
        if scratch.count != n { scratch = [Float](repeating: 0, count: n) }
        let penalties = self.penalties
        scratch.withUnsafeMutableBufferPointer { out in
            for i in 0..<n {
                let v = logits[i]
                out[i] = v.isNaN ? -.infinity : v
            }
            penalties.apply(to: out)
        }
        return n
    }

    /// The id of the largest value in `scratch[0..<n]`, the lowest id among equals.
    private func argMax(_ n: Int) -> Int32 {
        scratch.withUnsafeBufferPointer { row in
            Int32(truncatingIfNeeded: SamplerSelection.argMax(UnsafeBufferPointer(rebasing: row[0..<n])))
        }
    }

    /// Runs top-k, top-p, min-p and temperature over `scratch[0..<n]`, leaving the survivors in `list`.
    private mutating func filter(_ n: Int) {
        let p = parameters
        var list: [ScoredToken] = []
        swap(&list, &self.list)                   // keep the buffer uniquely referenced while it changes
        var sorted = false
        var filled = false
        scratch.withUnsafeBufferPointer { all in
            let row = UnsafeBufferPointer(rebasing: all[0..<n])
            if p.topK > 0 && p.topK < n {
                SamplerSelection.selectTop(p.topK, from: row, into: &list)
                sorted = true
                filled = true
            }
            if p.topP < 1 {
                Sampler.topP(p.topP, row: row, list: &list, filled: filled)
                sorted = true
                filled = true
            }
            if p.minP > 0 {
                Sampler.minP(p.minP, row: row, list: &list, sorted: filled)
                filled = true
            }
            if !filled { SamplerSelection.fillAll(row, into: &list) }
        }
        if p.temperature != 1 {
            for i in list.indices { list[i].logit /= p.temperature }
        }
        self.list = list
        listSorted = sorted
    }

    /// Keeps the smallest best-first prefix whose probabilities sum to at least `topP`.
    ///
    /// - Parameters:
    ///   - row: the whole prepared row, shape [n].
    ///   - list: the top-k survivors sorted best first when `filled`; replaced by the sorted top-p prefix.
    private static func topP(_ topP: Float, row: UnsafeBufferPointer<Float>, list: inout [ScoredToken], filled: Bool) {
        let target = Double(topP)
        if filled {
            let maxLogit = list[0].logit
            var sum = 0.0
            for t in list { sum += SamplerSelection.weight(t.logit, max: maxLogit) }
            list.removeSubrange(prefixLength(list, maxLogit: maxLogit, sum: sum, target: target)...)
            return
        }
        // No top-k: probabilities are over the whole row. Sort only the best tokens that can hold topP.
        let (maxLogit, sum, bucketLimit) = SamplerSelection.massBuckets(row, reaching: target)
        SamplerSelection.gather(row, maxLogit: maxLogit, bucketLimit: bucketLimit, into: &list)
        list.sort(by: ScoredToken.ranksAbove)
        var keep = prefixLength(list, maxLogit: maxLogit, sum: sum, target: target)
        if keep == list.count && list.count < row.count {
            // Rounding left the gathered prefix just short of topP: fall back to the whole row.
            SamplerSelection.sortAll(row, into: &list)
            keep = prefixLength(list, maxLogit: maxLogit, sum: sum, target: target)
        }
        list.removeSubrange(keep...)
    }

    /// How many leading entries of `sorted` it takes for the cumulative probability to reach `target`;
    /// `sorted.count` when it never does.
    private static func prefixLength(_ sorted: [ScoredToken], maxLogit: Float, sum: Double, target: Double) -> Int {
        var cumulative = 0.0
        for (i, t) in sorted.enumerated() {
            cumulative += SamplerSelection.weight(t.logit, max: maxLogit) / sum
            if cumulative >= target { return i + 1 }
        }
        return sorted.count
    }

    /// Drops candidates whose probability is below `minP` times the best one's: logit < max + log(minP).
    ///
    /// - Parameters:
    ///   - row: the whole prepared row, shape [n], filtered in id order when no earlier filter ran.
    ///   - list: the earlier filters' survivors, best first, when `sorted` (top-k or top-p ran).
    private static func minP(_ minP: Float, row: UnsafeBufferPointer<Float>, list: inout [ScoredToken], sorted: Bool) {
        let logMinP = Float(SamplerMath.log(Double(minP)))
        if sorted {
            let threshold = list[0].logit + logMinP
            var keep = 1                          // the best token always stays
            while keep < list.count && list[keep].logit >= threshold { keep += 1 }
            list.removeSubrange(keep...)
            return
        }
        let threshold = SamplerSelection.maxLogit(row) + logMinP
        list.removeAll(keepingCapacity: true)
        for i in 0..<row.count where row[i] >= threshold {
            list.append(ScoredToken(id: Int32(truncatingIfNeeded: i), logit: row[i]))
        }
        // minP > 1 puts the threshold above the best logit; like llama.cpp, keep the best token then.
        if list.isEmpty { SamplerSelection.selectTop(1, from: row, into: &list) }
    }
}
