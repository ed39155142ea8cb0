import Foundation
import Testing

/// Golden-file snapshots: compares text with `<name>.txt` in a test target's golden folder.
///
/// Set `NOOK_RECORD_GOLDENS=1` to (re)write the files instead of comparing. A missing golden is
/// written and reported as a failure so that it gets reviewed. Mismatches show a line diff.
public struct GoldenFolder: Sendable {
    public let directory: URL

    /// The folder `Golden` next to the test file that names it (pass `#filePath`).
    public init(besides filePath: String) {
        directory = URL(fileURLWithPath: filePath).deletingLastPathComponent().appendingPathComponent("Golden")
    }

    /// The one switch that re-records every golden file.
    public static let recordVariable = "NOOK_RECORD_GOLDENS"

    public static var isRecording: Bool { ProcessInfo.processInfo.environment[recordVariable] == "1" }

    public func check(_ actual: String, named name: String, sourceLocation: SourceLocation = #_sourceLocation) {
        let url = directory.appendingPathComponent(name + ".txt")
        let expected = try? String(contentsOf: url, encoding: .utf8)
        let recording = Self.isRecording
        if recording || expected == nil {
            do {
                try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
                try actual.write(to: url, atomically: true, encoding: .utf8)
            } catch {
                Issue.record("could not write golden \(url.path): \(error)", sourceLocation: sourceLocation)
            }
            if expected == nil, !recording {
                Issue.record("golden \(name).txt did not exist; recorded it, review and re-run", sourceLocation: sourceLocation)
            }
            return
        }
        if let expected, expected != actual {
            Issue.record("""
                golden \(name).txt differs (- expected, + actual; \(Self.recordVariable)=1 re-records):
                \(Self.diff(expected: expected, actual: actual))
                """, sourceLocation: sourceLocation)
        }
    }

    /// A line diff with two lines of context around each change.
    public static func diff(expected: String, actual: String) -> String {
        let a = expected.components(separatedBy: "\n"), b = actual.components(separatedBy: "\n")
        // Longest common subsequence table, from the end.
        var lcs = Array(repeating: Array(repeating: 0, count: b.count + 1), count: a.count + 1)
        for i in stride(from: a.count - 1, through: 0, by: -1) {
            for j in stride(from: b.count - 1, through: 0, by: -1) {
                lcs[i][j] = a[i] == b[j] ? lcs[i + 1][j + 1] + 1 : max(lcs[i + 1][j], lcs[i][j + 1])
            }
        }
        var ops: [(Character, String)] = []
        var i = 0, j = 0
        while i < a.count || j < b.count {
            if i < a.count, j < b.count, a[i] == b[j] {
                ops.append((" ", a[i])); i += 1; j += 1
            } else if i < a.count, j == b.count || lcs[i + 1][j] >= lcs[i][j + 1] {
                ops.append(("-", a[i])); i += 1
            } else {
                ops.append(("+", b[j])); j += 1
            }
        }
        let changed = ops.indices.filter { ops[$0].0 != " " }
        var keep = Set<Int>()
        for c in changed { for k in max(0, c - 2)...min(ops.count - 1, c + 2) { keep.insert(k) } }
        var out: [String] = []
        var last = -1
        for k in keep.sorted() {
            if last >= 0, k > last + 1 { out.append("  ⋯") }
            out.append("\(ops[k].0) \(ops[k].1)")
            last = k
        }
        return out.joined(separator: "\n")
    }
}
