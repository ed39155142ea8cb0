import Foundation

/// Turns text into the terms the full-text index stores and searches: words as they are, and Chinese or Japanese
/// runs (which have no spaces) as overlapping two-character pieces plus each kanji alone.
enum SearchText {
    /// The text the index stores for `text`.
    static func indexed(_ text: String) -> String {
        terms(text).joined(separator: " ")
    }

    /// An FTS5 query matching any of `text`'s terms except common English words; nil when nothing is left.
    static func query(_ text: String) -> String? {
        let kept = Array(Set(terms(text).filter { !stopWords.contains($0) })).sorted()
        guard !kept.isEmpty else { return nil }
        return kept.map { "\"" + $0.replacingOccurrences(of: "\"", with: "\"\"") + "\"" }.joined(separator: " OR ")
    }

    /// Lower-cased words and CJK bigrams of `text`, in order.
    static func terms(_ text: String) -> [String] {
        var result: [String] = []
        var word = ""
        var cjk: [Character] = []
        func flushWord() {
            if !word.isEmpty { result.append(word.lowercased()) }
            word = ""
        }
        func flushCJK() {
            if cjk.count == 1 { result.append(String(cjk)) }
            if cjk.count > 1 {
                for i in 0..<(cjk.count - 1) { result.append(String(cjk[i...i + 1])) }
                result += cjk.filter(isKanji).map { String($0) }
            }
            cjk = []
        }
        for ch in text {
            if isCJK(ch) {
                flushWord()
                cjk.append(ch)
            } else if ch.isLetter || ch.isNumber {
                flushCJK()
                word.append(ch)
            } else {
                flushWord()
                flushCJK()
            }
        }
        flushWord()
        flushCJK()
        return result
    }

    /// Han, Hiragana and Katakana (the long-vowel mark included).
    static func isCJK(_ ch: Character) -> Bool {
        guard let v = ch.unicodeScalars.first?.value else { return false }
        return (0x3040...0x30FF).contains(v) || (0x3400...0x4DBF).contains(v) || (0x4E00...0x9FFF).contains(v)
            || (0xF900...0xFAFF).contains(v) || (0xFF66...0xFF9F).contains(v)
    }

    /// Han characters, which carry meaning alone (kana do not).
    static func isKanji(_ ch: Character) -> Bool {
        guard let v = ch.unicodeScalars.first?.value else { return false }
        return (0x3400...0x4DBF).contains(v) || (0x4E00...0x9FFF).contains(v) || (0xF900...0xFAFF).contains(v)
    }

    /// Words too common to say what a message is about.
    static let stopWords: Set<String> = [
        "a", "about", "am", "an", "and", "any", "are", "as", "at", "be", "been", "but", "by", "can", "could", "did", "do",
        "does", "for", "from", "had", "has", "have", "how", "i", "if", "in", "is", "it", "its", "me", "my", "of", "on",
        "or", "our", "should", "so", "some", "that", "the", "their", "them", "then", "there", "these", "they", "this",
        "to", "was", "we", "were", "what", "when", "where", "which", "who", "why", "will", "with", "would", "you",
        "your", "tell", "know", "remember", "please", "any", "give", "get", "good", "ideas", "idea", "recommend",
        "suggest", "some", "something", "think", "want", "need", "help", "again",
    ]
}
