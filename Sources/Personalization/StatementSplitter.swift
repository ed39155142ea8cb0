import Foundation

/// Cuts a user message into the sentences the extractor may read: quoted material (lines starting with `>`, code
/// blocks, text in quotation marks) and everything after a reporting cue ("the file says:") are left out, and so are
/// questions, hypotheticals and reported speech.
enum StatementSplitter {
    /// The candidate sentences of `text`, trimmed, without their final punctuation.
    static func sentences(of text: String) -> [String] {
        var result: [String] = []
        for sentence in rawSentences(of: withoutQuotes(text)) {
            let trimmed = sentence.text.trimmingCharacters(in: .whitespacesAndNewlines)
            if containsReportingCue(trimmed) {
                // A cue such as "the file says:" introduces someone else's words: nothing after it is the user's.
                if trimmed.hasSuffix(":") || trimmed.hasSuffix("：") || sentence.terminator == ":" { break }
                continue
            }
            if trimmed.isEmpty || sentence.terminator == "?" || isQuestion(trimmed) || isHypothetical(trimmed) { continue }
            result.append(trimmed)
        }
        return result
    }

    /// `text` without `>` quote lines, fenced code and quoted spans.
    static func withoutQuotes(_ text: String) -> String {
        var lines: [String] = []
        var inFence = false
        for line in text.split(separator: "\n", omittingEmptySubsequences: false) {
            let t = line.trimmingCharacters(in: .whitespaces)
            if t.hasPrefix("```") { inFence.toggle(); lines.append(""); continue }
            if inFence || t.hasPrefix(">") { lines.append(""); continue }
            lines.append(String(line))
        }
        var out = lines.joined(separator: "\n")
        for (open, close) in [("\"", "\""), ("“", "”"), ("「", "」"), ("『", "』")] as [(Character, Character)] {
            out = removeSpans(out, open: open, close: close)
        }
        return out
    }

    /// Replaces each `open`…`close` span (on one line) with a placeholder word.
    private static func removeSpans(_ text: String, open: Character, close: Character) -> String {
        var out = ""
        var inSpan = false
        for ch in text {
            if !inSpan && ch == open { inSpan = true; out += "QUOTED"; continue }
            if inSpan && (ch == close || ch == "\n") { inSpan = false; if ch == "\n" { out.append(ch) }; continue }
            if !inSpan { out.append(ch) }
        }
        return out
    }

    /// Sentences with the punctuation that ended each ("." for none); newlines end sentences too.
    private static func rawSentences(of text: String) -> [(text: String, terminator: Character)] {
        var result: [(String, Character)] = []
        var current = ""
        for ch in text {
            switch ch {
            case ".", "!", "。", "！", "\n":
                result.append((current, "."))
                current = ""
            case "?", "？":
                result.append((current, "?"))
                current = ""
            case ":", "：":
                current.append(ch)
                if containsReportingCue(current) { result.append((current, ":")); current = "" }
            default:
                current.append(ch)
            }
        }
        result.append((current, "."))
        return result
    }

    /// Whether the sentence reports someone else's words ("the file says", "she wrote", 「と書いてある」).
    static func containsReportingCue(_ s: String) -> Bool {
        s.firstMatch(of: reportingEnglish) != nil || s.firstMatch(of: reportingJapanese) != nil
    }

    /// Whether the sentence asks something.
    static func isQuestion(_ s: String) -> Bool {
        s.firstMatch(of: questionEnglish) != nil || s.firstMatch(of: questionJapanese) != nil
    }

    /// Whether the sentence supposes rather than states.
    static func isHypothetical(_ s: String) -> Bool {
        s.firstMatch(of: hypotheticalEnglish) != nil || s.firstMatch(of: hypotheticalJapanese) != nil
    }

    // Regex is not Sendable, but these constants are never mutated.
    nonisolated(unsafe) private static let reportingEnglish = #/(?i)\b(says|said|wrote|writes|reads|states|stated|quote|quoted|quoting|according to|told me|tells me|the (?:file|document|doc|article|email|e-mail|text|page|attachment|message|paper|post|book|letter|note|transcript|review|report)\b)/#
    nonisolated(unsafe) private static let reportingJapanese = #/(と|って)(書いて|言って|言った|言う|言われ|話して|書かれ|ある|あった|記載)|によると|によれば|ファイルに|文書に|記事に|メールに/#
    nonisolated(unsafe) private static let questionEnglish = #/(?i)^(?:(?:so|and|but|ok|okay|hey|well),?\s+)?(do(?!\s+not\b)|does|did|am|is|are|was|were|can|could|should|would|will|shall|may|might|have|has|what|why|how|where|when|which|who|whom|whose|isn't|aren't|doesn't|didn't|won't|wouldn't|shouldn't|can't)\b/#
    nonisolated(unsafe) private static let questionJapanese = #/(ですか|ますか|でしょうか|ましたか|かな|かしら|のか|ですかね|か)$/#
    nonisolated(unsafe) private static let hypotheticalEnglish = #/(?i)(^(?:if|suppose|supposing|imagine|pretend|assume|assuming|let's say|lets say|say|hypothetically|what if|in a world)\b)|\b(if i (?:were|was|had|became|ever)|would i|were i|i would be|i'd be|i might|i may|maybe i|perhaps i|i wish|i could|pretend|imagine|role-?play|as if|someday|one day i)\b/#
    nonisolated(unsafe) private static let hypotheticalJapanese = #/もし|仮に|としたら|とすれば|だったら|なら(?:ば)?、|たとえば|例えば|想像して|ふりをして/#
}
