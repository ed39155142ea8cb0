import Foundation

/// Text with its secrets replaced, and what kinds were found.
public struct Redaction: Sendable, Equatable {
    public var text: String
    /// The kinds of secret replaced, in rule order, each once (such as "private key", "card number").
    public var kinds: [String]
}

/// Replaces API keys, tokens, passwords, private keys and card numbers with `[redacted …]` markers, so they never
/// reach extraction or the profile store.
public struct Redactor: Sendable {
    /// One kind of secret: a pattern and what a match becomes (nil keeps the match as it is).
    struct Rule: @unchecked Sendable {
        var kind: String
        var regex: Regex<AnyRegexOutput>
        var replace: @Sendable (Regex<AnyRegexOutput>.Match) -> String?
    }

    public init() {}

    /// `text` with every secret replaced.
    public func redact(_ text: String) -> Redaction {
        var result = text
        var kinds: [String] = []
        for rule in Redactor.rules {
            var hit = false
            result = result.replacing(rule.regex) { match -> String in
                guard let replacement = rule.replace(match) else { return String(match.output[0].substring ?? "") }
                hit = true
                return replacement
            }
            if hit { kinds.append(rule.kind) }
        }
        return Redaction(text: result, kinds: kinds)
    }

    /// Whether `digits` (13 to 19 of them) pass the Luhn check that card numbers carry.
    static func isCardNumber(_ digits: [Int]) -> Bool {
        guard (13...19).contains(digits.count) else { return false }
        var sum = 0
        for (i, d) in digits.reversed().enumerated() {
            let v = i % 2 == 1 ? d * 2 : d
            sum += v > 9 ? v - 9 : v
        }
        return sum % 10 == 0
    }

    /// The text of capture `i` of `match`, or "".
    static func group(_ match: Regex<AnyRegexOutput>.Match, _ i: Int) -> String {
        i < match.output.count ? String(match.output[i].substring ?? "") : ""
    }

    /// The secret kinds, most specific first.
    static let rules: [Rule] = [
        Rule(kind: "private key",
             regex: Regex(#/-----BEGIN [A-Z0-9 ]*PRIVATE KEY-----[\s\S]*?(?:-----END [A-Z0-9 ]*PRIVATE KEY-----|$)/#)) { _ in
            "[redacted private key]"
        },
        Rule(kind: "API key",
             regex: Regex(#/(?:sk-(?:ant-|proj-)?[A-Za-z0-9_\-]{16,}|AKIA[0-9A-Z]{16}|gh[pousr]_[A-Za-z0-9]{30,}|github_pat_[A-Za-z0-9_]{30,}|xox[abposr]-[A-Za-z0-9\-]{10,}|AIza[0-9A-Za-z_\-]{30,}|hf_[A-Za-z0-9]{30,}|glpat-[A-Za-z0-9_\-]{20,}|npm_[A-Za-z0-9]{30,})/#)) { _ in
            "[redacted key]"
        },
        Rule(kind: "token", regex: Regex(#/eyJ[A-Za-z0-9_\-]{8,}\.[A-Za-z0-9_\-]{8,}\.[A-Za-z0-9_\-]{8,}/#)) { _ in "[redacted token]" },
        Rule(kind: "token", regex: Regex(#/(?i)(bearer\s+)[A-Za-z0-9._~+\/=\-]{12,}/#)) { m in group(m, 1) + "[redacted token]" },
        Rule(kind: "password",
             regex: Regex(#/(?i)\b((?:password|passwd|passphrase|passcode|pwd|pin(?: code)?|api[ _\-]?key|secret(?: key)?|access[ _\-]?key|auth[ _\-]?token|token)\s*(?:is|was|:|=)\s*)(?:"[^"\n]*"|'[^'\n]*'|“[^”\n]*”|[^\s"'”]+)/#)) { m in
            group(m, 1) + "[redacted]"
        },
        Rule(kind: "password",
             regex: Regex(#/((?:パスワード|暗証番号|APIキー|トークン|秘密鍵)\s*(?:は|：|:|=)\s*)[^\s。、，,」』）)]+/#)) { m in
            group(m, 1) + "[redacted]"
        },
        Rule(kind: "card number", regex: Regex(#/\b(?:\d[ \-]?){12,18}\d\b/#)) { m in
            let digits = group(m, 0).compactMap(\.wholeNumberValue)
            return isCardNumber(digits) ? "[redacted card number]" : nil
        },
        Rule(kind: "secret", regex: Regex(#/\b[A-Za-z0-9_\-+\/]{32,}={0,2}/#)) { m in
            let s = group(m, 0)
            let mixed = s.contains(where: \.isUppercase) && s.contains(where: \.isLowercase) && s.contains(where: \.isNumber)
            return mixed ? "[redacted secret]" : nil
        },
    ]
}
