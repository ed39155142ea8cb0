import Foundation

/// One completion offered for the text before the cursor.
public struct CompletionCandidate: Hashable, Sendable {
    /// The text that replaces the completed part.
    public var text: String
    /// How the candidate is listed (a file name rather than its whole path).
    public var display: String
    /// Whether the candidate is a finished word: completing to it alone adds a space.
    public var isFinal: Bool

    public init(_ text: String, display: String? = nil, isFinal: Bool = true) {
        self.text = text
        self.display = display ?? text
        self.isFinal = isFinal
    }
}

/// Completions for the text before the cursor.
public struct Completion: Hashable, Sendable {
    /// How many characters (grapheme clusters) before the cursor the candidates replace.
    public var replacing: Int
    public var candidates: [CompletionCandidate]
    /// True when nothing of the word is typed yet (a folder ending in `/`): a Tab that cannot
    /// complete more then only lists the candidates, and the next Tab picks the first.
    public var listsFirst: Bool

    public init(replacing: Int, candidates: [CompletionCandidate], listsFirst: Bool = false) {
        self.replacing = replacing
        self.candidates = candidates
        self.listsFirst = listsFirst
    }
}

/// Supplies Tab completions to the input editor.
public protocol Completer: Sendable {
    /// Completions for the text before the cursor, or nil when there is nothing to complete.
    func complete(_ textBeforeCursor: String) -> Completion?
}

/// Completes the whole text before the cursor from a fixed list of words (prefix match,
/// case-insensitive).
public struct WordListCompleter: Completer {
    public var words: [String]

    public init(_ words: [String]) { self.words = words }

    public func complete(_ textBeforeCursor: String) -> Completion? {
        let prefix = textBeforeCursor.lowercased()
        let hits = words.filter { $0.lowercased().hasPrefix(prefix) }.sorted()
        guard !hits.isEmpty else { return nil }
        return Completion(replacing: textBeforeCursor.count, candidates: hits.map { CompletionCandidate($0) })
    }
}

/// Completes slash commands, then each command's argument with the completer registered for it
/// (e.g. `/attach` → `PathCompleter`, `/theme` → the theme names).
public struct CommandCompleter: Completer {
    public var commands: [String]
    public var arguments: [String: any Completer]

    /// `commands` include the slash ("/help"); `arguments` are keyed the same way.
    public init(commands: [String], arguments: [String: any Completer] = [:]) {
        self.commands = commands
        self.arguments = arguments
    }

    public func complete(_ textBeforeCursor: String) -> Completion? {
        guard textBeforeCursor.hasPrefix("/") else { return nil }
        guard let space = textBeforeCursor.firstIndex(of: " ") else {
            let hits = commands.filter { $0.hasPrefix(textBeforeCursor) }.sorted()
            guard !hits.isEmpty else { return nil }
            return Completion(replacing: textBeforeCursor.count, candidates: hits.map { CompletionCandidate($0) })
        }
        let command = String(textBeforeCursor[..<space])
        let argument = String(textBeforeCursor[textBeforeCursor.index(after: space)...])
        return arguments[command]?.complete(argument)
    }
}

/// Completes file system paths with `FileManager`: `~` expands to the home folder, folders are
/// offered with a trailing `/`, hidden entries only when the typed name starts with a dot. A
/// folder with no name typed after it (`notes/`) is listed before anything in it is picked.
public struct PathCompleter: Completer {
    /// The folder relative paths start from.
    public var baseDirectory: String
    /// The home folder `~` stands for.
    public var homeDirectory: String

    public init(baseDirectory: String = FileManager.default.currentDirectoryPath,
                homeDirectory: String = NSHomeDirectory()) {
        self.baseDirectory = baseDirectory
        self.homeDirectory = homeDirectory
    }

    public func complete(_ textBeforeCursor: String) -> Completion? {
        let typed = textBeforeCursor
        let slash = typed.lastIndex(of: "/")
        let folderPart = slash.map { String(typed[...$0]) } ?? ""
        let namePrefix = slash.map { String(typed[typed.index(after: $0)...]) } ?? typed
        if typed == "~" {
            return Completion(replacing: 1, candidates: [CompletionCandidate("~/", display: "~/", isFinal: false)])
        }
        var folder = folderPart.isEmpty ? "." : folderPart
        if folder.hasPrefix("~/") || folder == "~" { folder = homeDirectory + folder.dropFirst() }
        if !folder.hasPrefix("/") { folder = baseDirectory + "/" + folder }
        let manager = FileManager.default
        guard let entries = try? manager.contentsOfDirectory(atPath: folder) else { return nil }
        var candidates: [CompletionCandidate] = []
        for name in entries.sorted() where name.hasPrefix(namePrefix) {
            if name.hasPrefix("."), !namePrefix.hasPrefix(".") { continue }
            var isDirectory: ObjCBool = false
            _ = manager.fileExists(atPath: folder + "/" + name, isDirectory: &isDirectory)
            let suffix = isDirectory.boolValue ? "/" : ""
            candidates.append(CompletionCandidate(folderPart + name + suffix, display: name + suffix,
                                                  isFinal: !isDirectory.boolValue))
        }
        guard !candidates.isEmpty else { return nil }
        return Completion(replacing: typed.count, candidates: candidates, listsFirst: namePrefix.isEmpty)
    }
}
