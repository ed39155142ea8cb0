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

    /// Every command, in the order `/help` lists them.
    public static let all: [Info] = [
        Info(name: "/help", usage: "/help", help: "list the commands and keys"),
        Info(name: "/attach", usage: "/attach PATH…", help: "attach text files to your next message (Tab completes paths)"),
        Info(name: "/detach", usage: "/detach", help: "remove the files attached to your next message"),
        Info(name: "/persona", usage: "/persona [NAME]", help: "list the personas, or switch to one"),
        Info(name: "/theme", usage: "/theme [NAME] [--save]", help: "list or switch; --save keeps it"),
        Info(name: "/reload", usage: "/reload", help: "re-read persona and theme files"),
        Info(name: "/new", usage: "/new", help: "start a new conversation"),
        Info(name: "/sessions", usage: "/sessions [N|NAME]",
             help: "list earlier sessions, 20 a page (/sessions page N for the rest), or resume one"),
        Info(name: "/save", usage: "/save NAME|PATH", help: "keep a copy of this session under a name, or in a file (PATH: /…, ~/… or ….jsonl)"),
        Info(name: "/export", usage: "/export [PATH] [--json]",
             help: "write this session as Markdown (or JSON) to PATH, default ./nook-ID.md; --force replaces a file"),
        Info(name: "/set", usage: "/set [NAME VALUE]", help: "list the sampling settings, or change one (/set temp 0.7)"),
        Info(name: "/system", usage: "/system [TEXT]", help: "show the system prompt, or replace it for this conversation"),
        Info(name: "/regen", usage: "/regen", help: "write the last reply again (with a new seed)"),
        Info(name: "/edit", usage: "/edit", help: "edit your last message and send it again"),
        Info(name: "/copy", usage: "/copy", help: "copy the last reply to the clipboard (OSC 52)"),
        Info(name: "/model", usage: "/model [PATH|NAME]", help: "show the model in use, or switch to another (NAME: NAME.gguf in the models folder)"),
        Info(name: "/stats", usage: "/stats", help: "token counts and speed of the last reply and the session"),
        Info(name: "/clear", usage: "/clear", help: "clear the screen (the conversation goes on)"),
        Info(name: "/quit", usage: "/quit", help: "leave nook (also Ctrl-D, or Ctrl-C twice)"),
    ]

    /// All command names.
    public static var names: [String] { all.map(\.name) }

    /// Parses a line; nil when it is not a command (no leading `/`, or `//` for a literal slash).
    public static func parse(_ line: String) throws -> SlashCommand? {
        let trimmed = line.trimmingCharacters(in: .whitespacesAndNewlines)
        guard trimmed.hasPrefix("/"), !trimmed.hasPrefix("//") else { return nil }
        let word = trimmed.prefix { !$0.isWhitespace }
        let rest = trimmed.dropFirst(word.count).trimmingCharacters(in: .whitespacesAndNewlines)
        return SlashCommand(name: word.lowercased(), arguments: try splitArguments(rest), rawArgument: rest)
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
