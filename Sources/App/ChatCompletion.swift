import Foundation
import TerminalUI

/// Completes the last of several paths (`/attach a.txt b<Tab>`), escaping spaces with backslashes
/// so the completed line splits back into the same words.
public struct MultiPathCompleter: Completer {
    public var paths: PathCompleter

    public init(paths: PathCompleter) { self.paths = paths }

    public func complete(_ textBeforeCursor: String) -> Completion? {
        let characters = Array(textBeforeCursor)
        var start = characters.count
        while start > 0 {
            let previous = characters[start - 1]
            let escaped = start >= 2 && characters[start - 2] == "\\"
            if previous.isWhitespace && !escaped { break }
            start -= 1
        }
        let typed = String(characters[start...])
        let unescaped = typed.replacingOccurrences(of: "\\ ", with: " ")
        guard let completion = paths.complete(unescaped) else { return nil }
        let candidates = completion.candidates.map {
            CompletionCandidate(Self.escape($0.text), display: $0.display, isFinal: $0.isFinal)
        }
        return Completion(replacing: typed.count, candidates: candidates, listsFirst: completion.listsFirst)
    }

    static func escape(_ path: String) -> String { path.replacingOccurrences(of: " ", with: "\\ ") }
}

/// The chat's Tab completion: commands, then persona, theme and session names and file paths.
public enum ChatCompletion {
    public static func completer(personas: [String], themes: [String], sessions: [String],
                                 workingDirectory: String, homeDirectory: String) -> CommandCompleter {
        CommandCompleter(commands: SlashCommand.names, arguments: [
            "/attach": MultiPathCompleter(paths: PathCompleter(baseDirectory: workingDirectory, homeDirectory: homeDirectory)),
            "/persona": WordListCompleter(personas),
            "/theme": WordListCompleter(themes),
            "/sessions": WordListCompleter(sessions),
            "/export": MultiPathCompleter(paths: PathCompleter(baseDirectory: workingDirectory, homeDirectory: homeDirectory)),
        ])
    }
}
