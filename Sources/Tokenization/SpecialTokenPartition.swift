#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// A piece of input after special tokens are cut out: a byte range of plain text, or a token.
enum TextFragment: Equatable {
    case text(Range<Int>)
    case token(Int32)
}

/// Cuts special tokens out of text before the model tokenizer runs, as llama.cpp's
/// `tokenizer_st_partition`.
///
/// Special tokens are tried longest first; each one splits every remaining text fragment at all of
/// its occurrences, left to right. User-defined tokens are always matched; control and unknown
/// tokens only when `parseSpecial` is set. A token with the lstrip (rstrip) flag swallows the
/// ASCII whitespace before (after) it.
enum SpecialTokenPartition {
    static func split(_ text: UnsafeBufferPointer<UInt8>, vocabulary: Vocabulary, parseSpecial: Bool) -> [TextFragment] {
        guard !text.isEmpty else { return [] }
        var fragments: [TextFragment] = [.text(0..<text.count)]
        guard let base = text.baseAddress else { return fragments }
        for token in vocabulary.specialTokens {
            let attr = vocabulary.attributes[Int(token)]
            if !parseSpecial && !attr.isDisjoint(with: [.control, .unknown]) { continue }
            let needle = Array(vocabulary.texts[Int(token)].utf8)
            var next: [TextFragment] = []
            var changed = false
            needle.withUnsafeBufferPointer { pattern in
                for fragment in fragments {
                    guard case .text(let range) = fragment,
                          let first = find(pattern, in: base, range) else {
                        next.append(fragment)
                        continue
                    }
                    changed = true
                    var cursor = range.lowerBound
                    var match: Int? = first
                    while let m = match {
                        var leftEnd = m
                        if attr.contains(.lstrip) {
                            while leftEnd > cursor && isSpace(text[leftEnd - 1]) { leftEnd -= 1 }
                        }
                        if leftEnd > cursor { next.append(.text(cursor..<leftEnd)) }
                        next.append(.token(token))
                        cursor = m + pattern.count
                        if attr.contains(.rstrip) {
                            while cursor < range.upperBound && isSpace(text[cursor]) { cursor += 1 }
                        }
                        match = find(pattern, in: base, cursor..<range.upperBound)
                    }
                    if cursor < range.upperBound { next.append(.text(cursor..<range.upperBound)) }
                }
            }
            if changed { fragments = next }
        }
        return fragments
    }

    /// C's `isspace` in the C locale.
    @inline(__always)
    static func isSpace(_ b: UInt8) -> Bool { b == 0x20 || (b >= 0x09 && b <= 0x0D) }

    /// First offset of `pattern` inside `base[range]`, or nil.
    private static func find(_ pattern: UnsafeBufferPointer<UInt8>, in base: UnsafePointer<UInt8>, _ range: Range<Int>) -> Int? {
        guard let p = pattern.baseAddress, !pattern.isEmpty, range.count >= pattern.count else { return nil }
        let first = Int32(pattern[0])
        var pos = range.lowerBound
        let last = range.upperBound - pattern.count  // last possible start
        while pos <= last {
            guard let hit = memchr(base + pos, first, last - pos + 1) else { return nil }
            let at = UnsafeRawPointer(hit) - UnsafeRawPointer(base)
            if memcmp(base + at, p, pattern.count) == 0 { return at }
            pos = at + 1
        }
        return nil
    }
}
