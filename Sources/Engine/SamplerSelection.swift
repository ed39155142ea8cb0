/// A token id with its (possibly penalised or tempered) logit, the element the sampling chain works on.
struct ScoredToken: Sendable, Equatable {
    var id: Int32
    var logit: Float

    /// The chain's total order: higher logit first, lower id first among equal logits.
    @inline(__always)
    static func ranksAbove(_ a: ScoredToken, _ b: ScoredToken) -> Bool {
        a.logit > b.logit || (a.logit == b.logit && a.id < b.id)
    }
}

/// Partial sorting and softmax weights for the sampling chain; every result is deterministic.
enum SamplerSelection {
    /// The `k` best tokens of `logits`, best first (ties: lower id first), without sorting the rest.
    ///
    /// - Parameters:
    ///   - logits: one logit per token id, shape [n], no NaN.
    ///   - out: replaced by k entries (k clamped to 0…n), sorted by `ScoredToken.ranksAbove`.
    ///
    /// A bounded min-heap of size k scanned once over the vocabulary: O(n + m·log k) where m is the
    /// number of heap replacements, which is small for real logits.
    static func selectTop(_ k: Int, from logits: UnsafeBufferPointer<Float>, into out: inout [ScoredToken]) {
        out.removeAll(keepingCapacity: true)
        let k = min(max(k, 0), logits.count)
        guard k > 0 else { return }
        out.reserveCapacity(k)
        // Min-heap on rank: out[0] is the worst of the k kept so far.
        for i in 0..<k {
            out.append(ScoredToken(id: Int32(truncatingIfNeeded: i), logit: logits[i]))
            siftUp(&out, from: i)
        }
        var i = k
        while i < logits.count {
            let v = logits[i]
            // A later id with an equal logit ranks below the root, so only a strictly larger logit enters.
            if v > out[0].logit {
                out[0] = ScoredToken(id: Int32(truncatingIfNeeded: i), logit: v)
                siftDown(&out, from: 0)
            }
            i += 1
        }
        out.sort(by: ScoredToken.ranksAbove)
    }

    /// Every token of `logits` sorted best first (ties: lower id first).
    static func sortAll(_ logits: UnsafeBufferPointer<Float>, into out: inout [ScoredToken]) {
        fillAll(logits, into: &out)
        out.sort(by: ScoredToken.ranksAbove)
    }

    /// Every token of `logits` in id order.
    static func fillAll(_ logits: UnsafeBufferPointer<Float>, into out: inout [ScoredToken]) {
        out.removeAll(keepingCapacity: true)
        out.reserveCapacity(logits.count)
        for i in 0..<logits.count { out.append(ScoredToken(id: Int32(truncatingIfNeeded: i), logit: logits[i])) }
    }

    /// Mass buckets used by top-p: 4 per nat below the best logit, the last one open-ended (≥ 31.75 nats).
    static let bucketCount = 128
    private static let bucketsPerNat: Float = 4

    /// The bucket of a logit at or below a finite `maxLogit`; monotone, so low buckets hold a best-first prefix.
    @inline(__always)
    private static func bucket(_ logit: Float, maxLogit: Float) -> Int {
        let b = (maxLogit - logit) * bucketsPerNat
        return b < Float(bucketCount - 1) ? Int(b) : bucketCount - 1
    }

    /// The softmax statistics of a whole row and the lowest bucket whose tokens hold `target` of the mass.
    ///
    /// - Parameter row: one logit per token id, shape [n], no NaN.
    /// - Returns: the best logit, the sum of `weight(v, max:)` over the row in id order, and the
    ///   bucket bound for `gather` (`bucketCount - 1`, everything, when the best logit is infinite).
    static func massBuckets(_ row: UnsafeBufferPointer<Float>, reaching target: Double)
        -> (maxLogit: Float, sum: Double, bucketLimit: Int) {
        let maxLogit = maxLogit(row)
        var sum = 0.0
        guard maxLogit.isFinite else {
            for v in row { sum += weight(v, max: maxLogit) }
            return (maxLogit, sum, bucketCount - 1)
        }
        var mass = [Double](repeating: 0, count: bucketCount)
        for v in row {
            let w = weight(v, max: maxLogit)
            sum += w
            mass[bucket(v, maxLogit: maxLogit)] += w
        }
        var cumulative = 0.0
        for b in 0..<bucketCount {
            cumulative += mass[b]
            if cumulative / sum >= target { return (maxLogit, sum, b) }
        }
        return (maxLogit, sum, bucketCount - 1)
    }

    /// The tokens of `row` in buckets up to `bucketLimit` (all tokens for the last bucket), in id order.
    static func gather(_ row: UnsafeBufferPointer<Float>, maxLogit: Float, bucketLimit: Int,
                       into out: inout [ScoredToken]) {
        guard bucketLimit < bucketCount - 1 else { return fillAll(row, into: &out) }
        out.removeAll(keepingCapacity: true)
        for i in 0..<row.count where bucket(row[i], maxLogit: maxLogit) <= bucketLimit {
            out.append(ScoredToken(id: Int32(truncatingIfNeeded: i), logit: row[i]))
        }
    }

    /// The unnormalised softmax weight `exp(logit − max)` of one logit.
    ///
    /// Infinite maxima are resolved the way a limit would: with a +∞ maximum only +∞ logits weigh
    /// (1 each); when every logit is −∞ all weigh 1, so the choice is uniform rather than undefined.
    @inline(__always)
    static func weight(_ logit: Float, max: Float) -> Double {
        if max == .infinity { return logit == .infinity ? 1 : 0 }
        if max == -.infinity { return 1 }
        return SamplerMath.exp(Double(logit - max))
    }

    /// The largest logit of `tokens`, −∞ when empty.
    static func maxLogit(_ tokens: [ScoredToken]) -> Float {
        var m = -Float.infinity
        for t in tokens where t.logit > m { m = t.logit }
        return m
    }

    /// The largest logit of `logits` (no NaN), −∞ when empty.
    ///
    /// Eight independent running maxima, so the loop is not bound by one compare chain; the
    /// maximum is exact whatever the grouping.
    static func maxLogit(_ logits: UnsafeBufferPointer<Float>) -> Float {
        var m0 = -Float.infinity, m1 = m0, m2 = m0, m3 = m0, m4 = m0, m5 = m0, m6 = m0, m7 = m0
        var i = 0
        while i + 8 <= logits.count {
            m0 = logits[i] > m0 ? logits[i] : m0
            m1 = logits[i + 1] > m1 ? logits[i + 1] : m1
            m2 = logits[i + 2] > m2 ? logits[i + 2] : m2
            m3 = logits[i + 3] > m3 ? logits[i + 3] : m3
            m4 = logits[i + 4] > m4 ? logits[i + 4] : m4
            m5 = logits[i + 5] > m5 ? logits[i + 5] : m5
            m6 = logits[i + 6] > m6 ? logits[i + 6] : m6
            m7 = logits[i + 7] > m7 ? logits[i + 7] : m7
            i += 8
        }
        var best = max(max(max(m0, m1), max(m2, m3)), max(max(m4, m5), max(m6, m7)))
        while i < logits.count {
            if logits[i] > best { best = logits[i] }
            i += 1
        }
        return best
    }

    /// The lowest id holding the largest logit of `logits` (no NaN, not empty).
    static func argMax(_ logits: UnsafeBufferPointer<Float>) -> Int {
        let best = maxLogit(logits)
        for i in 0..<logits.count where logits[i] == best { return i }
        return 0
    }

    private static func siftUp(_ heap: inout [ScoredToken], from start: Int) {
        var child = start
        while child > 0 {
            let parent = (child - 1) / 2
            // The heap keeps the lowest-ranked entry on top.
            guard ScoredToken.ranksAbove(heap[parent], heap[child]) else { return }
            heap.swapAt(parent, child)
            child = parent
        }
    }

    private static func siftDown(_ heap: inout [ScoredToken], from start: Int) {
        var parent = start
        let n = heap.count
        while true {
            let left = 2 * parent + 1
            if left >= n { return }
            var worst = left
            let right = left + 1
            if right < n && ScoredToken.ranksAbove(heap[left], heap[right]) { worst = right }
            guard ScoredToken.ranksAbove(heap[parent], heap[worst]) else { return }
            heap.swapAt(parent, worst)
            parent = worst
        }
    }
}
