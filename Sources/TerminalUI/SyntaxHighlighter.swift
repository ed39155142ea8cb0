/// What a highlighter carries from one line of code to the next.
public enum HighlightState: Hashable, Sendable {
    case normal
    /// Inside a block comment.
    case blockComment
    /// Inside a string that spans lines, closed by the delimiter.
    case multilineString(String)
}

/// A small lexical highlighter: keywords, strings, comments and numbers.
public enum SyntaxHighlighter {
    /// The role of each character of `line` (same count as `line`), updating `state` for the next
    /// line. Text that is none of the four token kinds gets `.code`.
    public static func roles(for line: [Character], language: LanguageSpec,
                             state: inout HighlightState) -> [ThemeRole] {
        var roles = Array(repeating: ThemeRole.code, count: line.count)
        var i = 0
        func matches(_ token: String, at index: Int) -> Bool {
            var k = index
            for c in token {
                guard k < line.count, line[k] == c else { return false }
                k += 1
            }
            return true
        }
        func mark(_ range: Range<Int>, _ role: ThemeRole) {
            for k in range where k < roles.count { roles[k] = role }
        }
        while i < line.count {
            switch state {
            case .blockComment:
                let close = language.blockComment?.close ?? "*/"
                var k = i
                while k < line.count, !matches(close, at: k) { k += 1 }
                if k < line.count {
                    k += close.count
                    state = .normal
                }
                mark(i..<k, .codeComment)
                i = k
                continue
            case .multilineString(let delimiter):
                var k = i
                while k < line.count, !matches(delimiter, at: k) {
                    k += line[k] == "\\" && delimiter != "`" ? 2 : 1
                }
                if k < line.count {
                    k += delimiter.count
                    state = .normal
                }
                mark(i..<min(k, line.count), .codeString)
                i = k
                continue
            case .normal:
                break
            }
            let c = line[i]
            if let block = language.blockComment, matches(block.open, at: i) {
                state = .blockComment
                mark(i..<(i + block.open.count), .codeComment)
                i += block.open.count
                continue
            }
            if language.lineComments.contains(where: { matches($0, at: i) }),
               !(language.hashCommentNeedsSpace && i > 0 && !line[i - 1].isWhitespace) {
                mark(i..<line.count, .codeComment)
                return roles
            }
            if let delimiter = language.multilineStrings.first(where: { matches($0, at: i) }) {
                mark(i..<(i + delimiter.count), .codeString)
                i += delimiter.count
                state = .multilineString(delimiter)
                continue
            }
            if language.quotes.contains(c) {
                var k = i + 1
                while k < line.count, line[k] != c {
                    k += line[k] == "\\" ? 2 : 1
                }
                k = min(k + 1, line.count)
                mark(i..<k, .codeString)
                i = k
                continue
            }
            if c.isNumber, c.isASCII, i == 0 || !isWordCharacter(line[i - 1]) {
                var k = i + 1
                while k < line.count, isWordCharacter(line[k]) || (line[k] == "." && k + 1 < line.count && line[k + 1].isNumber) {
                    k += 1
                }
                mark(i..<k, .codeNumber)
                i = k
                continue
            }
            if isWordCharacter(c) {
                var k = i + 1
                while k < line.count, isWordCharacter(line[k]) { k += 1 }
                let word = String(line[i..<k])
                if language.keywords.contains(word) { mark(i..<k, .codeKeyword) }
                i = k
                continue
            }
            i += 1
        }
        return roles
    }

    private static func isWordCharacter(_ c: Character) -> Bool {
        c == "_" || c.isLetter || c.isNumber
    }
}
