/// Turns a stream of tokens into text, holding back an incomplete UTF-8 sequence at the end until
/// the tokens that complete it arrive.
///
/// A byte sequence that can no longer become valid UTF-8 is emitted as U+FFFD (one per maximal
/// invalid subpart, as Swift's decoder does); ``flush()`` emits whatever is still held back the same way.
public struct StreamingDetokenizer: Sendable {
    private let tokenizer: any Tokenizer
    /// Bytes not yet emitted: at most the first 3 bytes of one UTF-8 sequence.
    private var pending: [UInt8] = []

    public init(tokenizer: any Tokenizer) {
        self.tokenizer = tokenizer
    }

    /// Adds a token; returns the text that is now complete (possibly empty).
    public mutating func append(_ token: Int32) -> String {
        pending.append(contentsOf: tokenizer.piece(token))
        let keep = Self.incompleteSuffixLength(pending)
        let ready = pending.count - keep
        guard ready > 0 else { return "" }
        let text = String(decoding: pending[..<ready], as: UTF8.self)
        pending.removeFirst(ready)
        return text
    }

    /// Returns everything still held back, with an unfinished sequence as U+FFFD, and starts afresh.
    public mutating func flush() -> String {
        defer { pending.removeAll() }
        return pending.isEmpty ? "" : String(decoding: pending, as: UTF8.self)
    }

    /// Length of the trailing bytes that are a proper prefix of a valid UTF-8 sequence, which more
    /// bytes could still complete (0 when the bytes end on a boundary or on invalid input).
    static func incompleteSuffixLength(_ bytes: [UInt8]) -> Int {
        let n = bytes.count
        // The lead byte of a trailing sequence lies at most 3 bytes back.
        var start = n - 1
        while start >= 0 && start >= n - 3 && bytes[start] & 0xC0 == 0x80 { start -= 1 }
        guard start >= 0 else { return 0 }
        let lead = bytes[start]
        let needed: Int
        switch lead {
        case 0xC2...0xDF: needed = 2
        case 0xE0...0xEF: needed = 3
        case 0xF0...0xF4: needed = 4
        default: return 0
        }
        let have = n - start
        guard have < needed else { return 0 }
        // The second byte has a narrower range after some lead bytes.
        if have >= 2 {
            let second = bytes[start + 1]
            let range: ClosedRange<UInt8>
            switch lead {
            case 0xE0: range = 0xA0...0xBF
            case 0xED: range = 0x80...0x9F
            case 0xF0: range = 0x90...0xBF
            case 0xF4: range = 0x80...0x8F
            default: range = 0x80...0xBF
            }
            guard range.contains(second) else { return 0 }
        }
        return have
    }
}
