import Foundation

/// Parses the `.nook` script format (see docs/session-format.md).
///
/// Paragraphs separated by blank lines are user messages; a line starting with `/` is a command and
/// ends the paragraph; `#` lines are comments; `//` at the start of a line stands for a literal `/`
/// and `\#` for a literal `#`.
public enum ScriptParser {
    /// The commands the format knows, for error messages.
    public static let commands = ["/persona", "/theme", "/attach", "/expect", "/expect-contains", "/seed", "/temp",
                                  "/system", "/new"]

    /// Reads and parses the script at `url`.
    public static func parse(contentsOf url: URL) throws -> Script {
        guard let data = FileManager.default.contents(atPath: url.path) else {
            throw ScriptError(file: url.path, line: 0, message: "cannot read script")
        }
        guard let text = String(data: data, encoding: .utf8) else {
            throw ScriptError(file: url.path, line: 0, message: "script is not UTF-8 text")
        }
        return try parse(text, url: url)
    }

    /// Parses script text; `url` locates attachments (its folder) and names the file in errors.
    public static func parse(_ text: String, url: URL) throws -> Script {
        var steps: [ScriptStep] = []
        var paragraph: [String] = []
        var paragraphLine = 0
        var pendingAttachments: [ScriptAttachment] = []
        var sawMessage = false
        let folder = url.deletingLastPathComponent()
        func fail(_ line: Int, _ message: String) -> ScriptError {
            ScriptError(file: url.path, line: line, message: message)
        }
        func endParagraph() {
            guard !paragraph.isEmpty else { return }
            steps.append(ScriptStep(line: paragraphLine,
                                    action: .message(paragraph.joined(separator: "\n"), attachments: pendingAttachments)))
            paragraph = []
            pendingAttachments = []
            sawMessage = true
        }

        let lines = text.split(omittingEmptySubsequences: false, whereSeparator: { $0 == "\n" || $0 == "\r\n" })
        for (index, rawLine) in lines.enumerated() {
            let number = index + 1
            var line = String(rawLine)
            if line.hasSuffix("\r") { line.removeLast() }
            if line.trimmingCharacters(in: .whitespaces).isEmpty {
                endParagraph()
                continue
            }
            if line.hasPrefix("#") { continue }
            if line.hasPrefix("/") && !line.hasPrefix("//") {
                endParagraph()
                let (name, argument) = splitCommand(line)
                switch name {
                case "/persona", "/theme":
                    guard let word = singleWord(argument) else {
                        throw fail(number, "\(name) needs one name without spaces")
                    }
                    steps.append(ScriptStep(line: number, action: name == "/persona" ? .persona(word) : .theme(word)))
                case "/attach":
                    guard !argument.isEmpty else { throw fail(number, "/attach needs a file path") }
                    let path = (argument as NSString).expandingTildeInPath
                    let file = path.hasPrefix("/") ? URL(fileURLWithPath: path)
                        : folder.appendingPathComponent(path)
                    pendingAttachments.append(ScriptAttachment(url: file.standardizedFileURL, line: number))
                case "/expect", "/expect-contains":
                    guard sawMessage else { throw fail(number, "\(name) comes before any message, so there is no reply to check") }
                    guard pendingAttachments.isEmpty else {
                        throw fail(number, "\(name) between /attach and its message")
                    }
                    let expected = try unescape(argument, line: number, fail: fail)
                    guard !expected.isEmpty else { throw fail(number, "\(name) needs the expected text") }
                    steps.append(ScriptStep(line: number, action: name == "/expect" ? .expect(expected) : .expectContains(expected)))
                case "/seed":
                    guard let seed = UInt64(argument) else {
                        throw fail(number, "/seed needs a whole number from 0 to \(UInt64.max), got '\(argument)'")
                    }
                    steps.append(ScriptStep(line: number, action: .seed(seed)))
                case "/temp":
                    guard let t = Float(argument), t.isFinite, t >= 0 else {
                        throw fail(number, "/temp needs a number of 0 or more, got '\(argument)'")
                    }
                    steps.append(ScriptStep(line: number, action: .temperature(t)))
                case "/system":
                    let prompt = try unescape(argument, line: number, fail: fail)
                    guard !prompt.isEmpty else { throw fail(number, "/system needs the prompt text") }
                    steps.append(ScriptStep(line: number, action: .system(prompt)))
                case "/new":
                    guard argument.isEmpty else { throw fail(number, "/new takes no argument") }
                    guard pendingAttachments.isEmpty else { throw fail(number, "/new between /attach and its message") }
                    sawMessage = false
                    steps.append(ScriptStep(line: number, action: .new))
                default:
                    throw fail(number, "unknown command \(name) (known: \(commands.joined(separator: ", ")); start the line with // to send a message beginning with /)")
                }
                continue
            }
            if line.hasPrefix("//") || line.hasPrefix("\\#") { line.removeFirst() }
            if paragraph.isEmpty { paragraphLine = number }
            paragraph.append(line)
        }
        endParagraph()
        if let dangling = pendingAttachments.first {
            throw fail(dangling.line, "/attach has no message after it")
        }
        return Script(url: url, steps: steps)
    }

    /// The command word and its argument with surrounding spaces removed.
    private static func splitCommand(_ line: String) -> (String, String) {
        let trimmed = line.trimmingCharacters(in: .whitespaces)
        guard let space = trimmed.firstIndex(where: { $0 == " " || $0 == "\t" }) else { return (trimmed, "") }
        return (String(trimmed[..<space]), trimmed[space...].trimmingCharacters(in: .whitespaces))
    }

    private static func singleWord(_ argument: String) -> String? {
        guard !argument.isEmpty, !argument.contains(where: { $0 == " " || $0 == "\t" }) else { return nil }
        return argument
    }

    /// Expands `\n`, `\t` and `\\` so one line can hold multi-line text.
    private static func unescape(_ text: String, line: Int, fail: (Int, String) -> ScriptError) throws -> String {
        var out = ""
        var escaping = false
        for ch in text {
            if escaping {
                switch ch {
                case "n": out.append("\n")
                case "t": out.append("\t")
                case "\\": out.append("\\")
                default: throw fail(line, "unknown escape \\\(ch) (use \\n, \\t or \\\\)")
                }
                escaping = false
            } else if ch == "\\" {
                escaping = true
            } else {
                out.append(ch)
            }
        }
        if escaping { throw fail(line, "text ends with a lone \\ (write \\\\ for a backslash)") }
        return out
    }
}
