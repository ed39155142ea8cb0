/// Holds back streamed text that might be the start of a stop string, and finds stop strings when they complete.
struct StopStringMatcher {
    let stops: [String]
    private var pending = ""

    init(stops: [String]) { self.stops = stops.filter { !$0.isEmpty } }

    /// Adds text; returns what can be shown now and whether a stop string was reached (text after it is dropped).
    mutating func push(_ text: String) -> (emit: String, stopped: Bool) {
        pending += text
        if stops.isEmpty { defer { pending = "" }; return (pending, false) }
        var earliest: String.Index?
        for s in stops {
            if let r = pending.range(of: s), earliest.map({ r.lowerBound < $0 }) ?? true { earliest = r.lowerBound }
        }
        if let cut = earliest {
            let out = String(pending[..<cut])
            pending = ""
            return (out, true)
        }
        // Keep the longest suffix that is a prefix of some stop string.
        var keep = 0
        for s in stops {
            var n = min(s.count, pending.count)
            while n > keep {
                if pending.hasSuffix(s.prefix(n)) { keep = n; break }
                n -= 1
            }
        }
        let emitEnd = pending.index(pending.endIndex, offsetBy: -keep)
        let out = String(pending[..<emitEnd])
        pending = String(pending[emitEnd...])
        return (out, false)
    }

    /// Text still held back when generation ends for another reason.
    mutating func flush() -> String {
        defer { pending = "" }
        return pending
    }
}
