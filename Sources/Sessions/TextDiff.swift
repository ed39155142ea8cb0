import Foundation

/// Readable differences between an expected and an actual text, for replay checks.
public enum TextDiff {
    /// A unified-style line diff (`---`/`+++` headers, `@@` hunks with `context` lines around changes);
    /// when both texts are single lines, the first differing character is shown with context instead.
    public static func describe(expected: String, actual: String, expectedLabel: String = "expected",
                                actualLabel: String = "actual", context: Int = 3) -> String {
        let a = lines(expected), b = lines(actual)
        if a.count <= 1 && b.count <= 1 {
            return firstDifference(expected: expected, actual: actual, expectedLabel: expectedLabel, actualLabel: actualLabel)
        }
        return unified(a, b, expectedLabel: expectedLabel, actualLabel: actualLabel, context: context)
    }

    /// Where two single-line texts first differ, as three aligned lines with a caret.
    public static func firstDifference(expected: String, actual: String, expectedLabel: String = "expected",
                                       actualLabel: String = "actual", radius: Int = 30) -> String {
        let e = Array(expected), a = Array(actual)
        var i = 0
        while i < e.count && i < a.count && e[i] == a[i] { i += 1 }
        if i == e.count && i == a.count { return "texts are equal" }
        let from = max(0, i - radius)
        func window(_ chars: [Character]) -> String {
            let to = min(chars.count, i + radius)
            let body = from < to ? String(chars[from..<to]) : ""
            return (from > 0 ? "…" : "") + visible(body) + (to < chars.count ? "…" : "")
        }
        let width = max(expectedLabel.count, actualLabel.count) + 1
        func pad(_ label: String) -> String { (label + ":").padding(toLength: width, withPad: " ", startingAt: 0) }
        let caretColumn = width + 1 + (from > 0 ? 1 : 0) + visible(String(e[from..<i])).count
        let what: String
        if i == e.count { what = "actual is longer" } else if i == a.count { what = "actual is shorter" } else { what = "differs" }
        return """
        first difference at character \(i + 1) (\(what)):
        \(pad(expectedLabel)) \(window(e))
        \(pad(actualLabel)) \(window(a))
        \(String(repeating: " ", count: caretColumn))^
        """
    }

    /// Line diff in unified format.
    static func unified(_ a: [String], _ b: [String], expectedLabel: String, actualLabel: String, context: Int) -> String {
        let ops = editScript(a, b)
        var out = ["--- \(expectedLabel)", "+++ \(actualLabel)"]
        // Group changes into hunks separated by more than 2 * context equal lines.
        var index = 0
        while index < ops.count {
            guard let firstChange = ops[index...].firstIndex(where: { $0.kind != .same }) else { break }
            var end = firstChange
            var lastChange = firstChange
            while end < ops.count {
                if ops[end].kind != .same { lastChange = end }
                if end - lastChange > 2 * context { break }
                end += 1
            }
            let start = max(index, firstChange - context)
            let stop = min(ops.count, lastChange + context + 1)
            let hunk = ops[start..<stop]
            let aStart = hunk.first.map { $0.aLine } ?? 0, bStart = hunk.first.map { $0.bLine } ?? 0
            let aCount = hunk.filter { $0.kind != .insert }.count, bCount = hunk.filter { $0.kind != .delete }.count
            out.append("@@ -\(aCount == 0 ? aStart : aStart + 1),\(aCount) +\(bCount == 0 ? bStart : bStart + 1),\(bCount) @@")
            for op in hunk {
                switch op.kind {
                case .same: out.append(" " + op.text)
                case .delete: out.append("-" + op.text)
                case .insert: out.append("+" + op.text)
                }
            }
            index = stop
        }
        return out.joined(separator: "\n")
    }

    struct Op {
        enum Kind { case same, delete, insert }
        var kind: Kind
        var text: String
        /// Lines of `a` and `b` before this operation (0-based positions).
        var aLine: Int
        var bLine: Int
    }

    /// The shortest edit script by longest common subsequence, after trimming the common prefix and suffix.
    /// Very large middles (over 4 million cells) are shown as one replaced block.
    static func editScript(_ a: [String], _ b: [String]) -> [Op] {
        var prefix = 0
        while prefix < a.count && prefix < b.count && a[prefix] == b[prefix] { prefix += 1 }
        var suffix = 0
        while suffix < a.count - prefix && suffix < b.count - prefix && a[a.count - 1 - suffix] == b[b.count - 1 - suffix] {
            suffix += 1
        }
        let midA = Array(a[prefix..<(a.count - suffix)]), midB = Array(b[prefix..<(b.count - suffix)])
        var ops: [Op] = []
        var i = 0, j = 0
        func emit(_ kind: Op.Kind, _ text: String) {
            ops.append(Op(kind: kind, text: text, aLine: i, bLine: j))
            if kind != .insert { i += 1 }
            if kind != .delete { j += 1 }
        }
        for line in a[0..<prefix] { emit(.same, line) }
        let n = midA.count, m = midB.count
        if n * m > 4_000_000 || n == 0 || m == 0 {
            for line in midA { emit(.delete, line) }
            for line in midB { emit(.insert, line) }
        } else {
            // lcs: (n + 1) x (m + 1) row-major; lcs[x][y] = LCS length of midA[x...] and midB[y...].
            var lcs = [Int](repeating: 0, count: (n + 1) * (m + 1))
            for x in stride(from: n - 1, through: 0, by: -1) {
                for y in stride(from: m - 1, through: 0, by: -1) {
                    lcs[x * (m + 1) + y] = midA[x] == midB[y] ? lcs[(x + 1) * (m + 1) + y + 1] + 1
                        : max(lcs[(x + 1) * (m + 1) + y], lcs[x * (m + 1) + y + 1])
                }
            }
            var x = 0, y = 0
            while x < n || y < m {
                if x < n && y < m && midA[x] == midB[y] {
                    emit(.same, midA[x]); x += 1; y += 1
                } else if x < n && (y == m || lcs[(x + 1) * (m + 1) + y] >= lcs[x * (m + 1) + y + 1]) {
                    emit(.delete, midA[x]); x += 1
                } else {
                    emit(.insert, midB[y]); y += 1
                }
            }
        }
        for line in a[(a.count - suffix)...] { emit(.same, line) }
        return ops
    }

    private static func lines(_ text: String) -> [String] {
        text.isEmpty ? [] : text.split(omittingEmptySubsequences: false, whereSeparator: { $0 == "\n" || $0 == "\r\n" }).map(String.init)
    }

    /// Makes tabs, carriage returns and other control characters visible so the caret lines up.
    private static func visible(_ text: String) -> String {
        var out = ""
        for scalar in text.unicodeScalars {
            switch scalar {
            case "\t": out += "\\t"
            case "\r": out += "\\r"
            case "\n": out += "\\n"
            default: out.unicodeScalars.append(scalar.value < 0x20 ? "\u{FFFD}" : scalar)
            }
        }
        return out
    }
}
