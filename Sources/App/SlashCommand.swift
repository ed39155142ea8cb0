import Foundation

/// A line typed into the chat that starts with `/`: the command word and its arguments.
public struct SlashCommand: Equatable, Sendable {
    /// The command with its slash, lower-cased: `/attach`.
    public var name: String
    /// The words after the command; quotes and backslashes group and escape as in a shell.
    public var arguments: [String]
    /// Everything after the command word, as typed (trimmed).
    public var rawArgument: String

    /// One command of the chat: its name, argument synopsis and one-line help.
    public struct Info: Sendable {
        public var name: String
        public var usage: String
        public var help: String
    }

    /// Every command, in the order `/help` lists them (from the chat's one command table).
    public static var all: [Info] { ChatApp.commandTable.map(\.info) }

    /// All command names.
    public static var names: [String] { all.map(\.name) }

    /// Parses a line; nil when it is not a command (no leading `/`, or `//` for a literal slash).
    public static func parse(_ line: String) throws -> SlashCommand? {
        let trimmed = line.trimmingCharacters(in: .whitespacesAndNewlines)
        guard trimmed.hasPrefix("/"), !trimmed.hasPrefix("//") else { return nil }
        let word = trimmed.prefix { !$0.isWhitespace }
        let rest = trimmed.dropFirst(word.count).trimmingCharacters(in: .whitespacesAndNewlines)
        let name = word.lowercased()
        let arguments: [String]
        do {
            arguments = try splitArguments(rest)
        } catch {
            // Commands that take free text ("/remember I'm …") read it as typed, unbalanced quotes and all.
            guard ChatApp.commandTable.contains(where: { $0.info.name == name && $0.takesText }) else { throw error }
            arguments = []
        }
        return SlashCommand(name: name, arguments: arguments, rawArgument: rest)
    }

    /// Splits shell-style: whitespace separates words, '…' and "…" group, a backslash escapes
    /// the next character (outside single quotes).
    public static func splitArguments(_ text: String) throws -> [String] {
        var words: [String] = []
        var current = ""
        var inWord = false
        var quote: Character?
        var escaping = false
        for ch in text {
            if escaping {
                current.append(ch)
                escaping = false
                continue
            }
            if let q = quote {
                if ch == q {
                    quote = nil
                } else if ch == "\\" && q == "\"" {
                    escaping = true
                } else {
                    current.append(ch)
                }
                continue
            }
            switch ch {
            case "\\":
                escaping = true
                inWord = true
            case "'", "\"":
                quote = ch
                inWord = true
            case _ where ch.isWhitespace:
                if inWord { words.append(current) }
                current = ""
                inWord = false
            default:
                current.append(ch)
                inWord = true
            }
        }
        if quote != nil { throw ConfigError("unclosed quote in \(text)") }
        if escaping { current.append("\\") }
        if inWord { words.append(current) }
        return words
    }

    /// A path written so that `splitArguments` reads it back as one word.
    public static func quote(_ word: String) -> String {
        let safe = word.allSatisfy { !$0.isWhitespace && !"'\"\\".contains($0) }
        if safe && !word.isEmpty { return word }
        return "'" + word.replacingOccurrences(of: "'", with: "'\\''") + "'"
    }

    /// The help text: commands, then keys.
    public static var helpText: String {
        let width = all.map(\.usage.count).max() ?? 0
        var lines = ["Commands:"]
        for info in all {
            lines.append("  " + info.usage.padding(toLength: width, withPad: " ", startingAt: 0) + "  " + info.help)
        }
        lines += [
            "Keys:",
            "  Enter send · Alt-Enter or Ctrl-J new line · Up/Down history · Tab complete",
            "  Esc or Ctrl-C stop the reply · Ctrl-C twice quit (or discard a draft) · Ctrl-F search",
            "  PgUp/PgDn/Home/End and the mouse wheel scroll · Ctrl-L redraw · Ctrl-Z suspend (fg resumes)",
            "Start a message with // to send a line that begins with /.",
        ]
        return lines.joined(separator: "\n")
    }
}
