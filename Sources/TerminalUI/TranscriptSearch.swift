/// One occurrence of the search query on a laid-out transcript line.
public struct SearchMatch: Hashable, Sendable {
    public var message: Int
    /// Line index within the message's laid-out lines.
    public var line: Int
    /// Glyph range within the line.
    public var glyphs: Range<Int>
}

/// Case-insensitive search over the transcript's laid-out lines.
///
/// Matches are found per screen line, so a phrase broken across a wrap is not found; matches are
/// recomputed whenever the transcript or the width changes.
public struct TranscriptSearch: Sendable {
    public var query: String
    public private(set) var matches: [SearchMatch] = []
    /// Index into `matches` of the current match.
    public var current: Int?
    private var byLine: [LineKey: [(range: Range<Int>, index: Int)]] = [:]
    private var computedFor: (revision: Int, width: Int, query: String)?

    private struct LineKey: Hashable {
        var message: Int
        var line: Int
    }

    public init(query: String = "") { self.query = query }

    /// True when matches must be recomputed for this transcript state.
    func isStale(revision: Int, width: Int) -> Bool {
        guard let computed = computedFor else { return true }
        return computed.revision != revision || computed.width != width || computed.query != query
    }

    /// Finds all matches in the transcript at a width, keeping the current match if it still exists.
    mutating func recompute(in transcript: inout Transcript, width: Int) {
        let previous = current.map { matches[$0] }
        matches = []
        byLine = [:]
        computedFor = (transcript.revision, width, query)
        let needle = query.map { String($0).lowercased() }
        guard !needle.isEmpty else {
            current = nil
            return
        }
        for m in transcript.messages.indices {
            for (l, line) in transcript.lines(of: m, width: width).enumerated() where line.glyphs.count >= needle.count {
                let hay = line.glyphs.map { String($0.character).lowercased() }
                var start = 0
                while start + needle.count <= hay.count {
                    if hay[start] == needle[0], Array(hay[start..<(start + needle.count)]) == needle {
                        let match = SearchMatch(message: m, line: l, glyphs: start..<(start + needle.count))
                        byLine[LineKey(message: m, line: l), default: []].append((match.glyphs, matches.count))
                        matches.append(match)
                        start += needle.count
                    } else {
                        start += 1
                    }
                }
            }
        }
        if let previous, let same = matches.firstIndex(of: previous) {
            current = same
        } else if current != nil {
            current = matches.isEmpty ? nil : min(current ?? 0, matches.count - 1)
        }
    }

    /// The matches on one line: glyph ranges and whether each is the current match.
    func highlights(message: Int, line: Int) -> [(range: Range<Int>, isCurrent: Bool)] {
        (byLine[LineKey(message: message, line: line)] ?? []).map { ($0.range, $0.index == current) }
    }

    /// A short summary such as "3/12" or "no matches".
    public var summary: String {
        if query.isEmpty { return "" }
        if matches.isEmpty { return "no matches" }
        return "\((current ?? 0) + 1)/\(matches.count)"
    }
}
