/// What the editor did with an event.
public enum EditorAction: Hashable, Sendable {
    /// The event changed or moved something (or was deliberately swallowed).
    case handled
    /// The editor does not use this event; the caller may.
    case ignored
    /// Enter was pressed on non-blank text: the text to send. The editor is now empty.
    case submit(String)
}

/// A multi-line text editor with emacs keys, history and Tab completion.
///
/// Text is edited as grapheme clusters: the cursor is an index into `characters`, and Backspace
/// and Delete remove one whole cluster.
public struct InputEditor: Sendable {
    /// The text as grapheme clusters.
    public private(set) var characters: [Character] = []
    /// Cursor position: an index into `characters` (0...count).
    public private(set) var cursor = 0
    /// Earlier inputs, oldest first. Injected by the app, which also persists it; submitted text
    /// is appended here too.
    public var history: [String]
    /// Supplies Tab completions.
    public var completer: (any Completer)?
    /// Most rows the editor grows to before it scrolls.
    public var maxVisibleLines = 5
    /// Shown in muted style while the editor is empty.
    public var placeholder = ""

    var historyIndex: Int?
    var draft: [Character] = []
    var killBuffer: [Character] = []
    var menu: CompletionMenu?
    /// Width of the last layout, for Up/Down by visual line.
    var lastWidth = 80
    /// First visible visual line when the text is taller than the editor.
    var scrollTop = 0

    /// The candidates listed after an ambiguous Tab.
    struct CompletionMenu: Sendable {
        var candidates: [CompletionCandidate]
        /// Where the replaced text starts in `characters`.
        var start: Int
        var selected: Int?
    }

    public init(history: [String] = [], completer: (any Completer)? = nil) {
        self.history = history
        self.completer = completer
    }

    /// The whole text; setting it puts the cursor at the end.
    public var text: String {
        get { String(characters) }
        set {
            characters = Array(newValue)
            cursor = characters.count
            menu = nil
        }
    }

    public var isEmpty: Bool { characters.isEmpty }

    /// The completion candidates on show, with the selected one, if any.
    public var completionMenu: (candidates: [CompletionCandidate], selected: Int?)? {
        menu.map { ($0.candidates, $0.selected) }
    }

    // MARK: Editing primitives

    /// Inserts text at the cursor; clusters re-form across the join (e + U+0301 becomes é).
    public mutating func insert(_ text: String) {
        guard !text.isEmpty else { return }
        let before = String(characters[..<cursor]) + text
        let after = String(characters[cursor...])
        let beforeCount = before.count
        let joined = Array(before + after)
        // A combining start of `after` may fuse with `text`; keep the cursor after the insert.
        cursor = min(beforeCount, joined.count)
        characters = joined
    }

    /// Deletes `count` clusters before the cursor, saving them for yank when `kill` is set.
    mutating func deleteBackward(_ count: Int, kill: Bool = false) {
        let n = min(count, cursor)
        guard n > 0 else { return }
        if kill { killBuffer = Array(characters[(cursor - n)..<cursor]) }
        characters.removeSubrange((cursor - n)..<cursor)
        cursor -= n
    }

    /// Deletes `count` clusters after the cursor, saving them for yank when `kill` is set.
    mutating func deleteForward(_ count: Int, kill: Bool = false) {
        let n = min(count, characters.count - cursor)
        guard n > 0 else { return }
        if kill { killBuffer = Array(characters[cursor..<(cursor + n)]) }
        characters.removeSubrange(cursor..<(cursor + n))
    }

    /// Index of the start of the logical line holding `index`.
    func lineStart(_ index: Int) -> Int {
        var i = index
        while i > 0, characters[i - 1] != "\n" { i -= 1 }
        return i
    }

    /// Index of the end (the newline or text end) of the logical line holding `index`.
    func lineEnd(_ index: Int) -> Int {
        var i = index
        while i < characters.count, characters[i] != "\n" { i += 1 }
        return i
    }

    private static func isWord(_ c: Character) -> Bool { c.isLetter || c.isNumber || c == "_" }

    /// Start of the word before the cursor (Alt-B): skip non-word clusters, then word clusters.
    func wordStartBefore(_ index: Int) -> Int {
        var i = index
        while i > 0, !Self.isWord(characters[i - 1]) { i -= 1 }
        while i > 0, Self.isWord(characters[i - 1]) { i -= 1 }
        return i
    }

    /// End of the word after the cursor (Alt-F).
    func wordEndAfter(_ index: Int) -> Int {
        var i = index
        while i < characters.count, !Self.isWord(characters[i]) { i += 1 }
        while i < characters.count, Self.isWord(characters[i]) { i += 1 }
        return i
    }

    /// Start of the whitespace-delimited word before the cursor (Ctrl-W).
    func bigWordStartBefore(_ index: Int) -> Int {
        var i = index
        while i > 0, characters[i - 1].isWhitespace { i -= 1 }
        while i > 0, !characters[i - 1].isWhitespace { i -= 1 }
        return i
    }

    mutating func moveCursor(to index: Int) {
        cursor = min(max(0, index), characters.count)
    }

    // MARK: History

    /// Shows the previous history entry; the text being written is kept as a draft.
    mutating func historyPrevious() {
        guard !history.isEmpty else { return }
        let next: Int
        if let index = historyIndex {
            guard index > 0 else { return }
            next = index - 1
        } else {
            draft = characters
            next = history.count - 1
        }
        historyIndex = next
        characters = Array(history[next])
        cursor = characters.count
    }

    /// Shows the next history entry, or the draft after the newest.
    mutating func historyNext() {
        guard let index = historyIndex else { return }
        if index + 1 < history.count {
            historyIndex = index + 1
            characters = Array(history[index + 1])
        } else {
            historyIndex = nil
            characters = draft
        }
        cursor = characters.count
    }

    /// Takes the text for sending: records it in history and empties the editor.
    mutating func takeSubmission() -> String {
        let submitted = String(characters)
        if history.last != submitted { history.append(submitted) }
        characters = []
        cursor = 0
        historyIndex = nil
        draft = []
        scrollTop = 0
        return submitted
    }

    // MARK: Completion

    /// Tab: completes the word before the cursor, or cycles through the listed candidates.
    ///
    /// Several candidates complete their common prefix and are listed; when that adds nothing the
    /// first is picked at once, unless the completion asks to be listed first (a folder's entries).
    mutating func completeForward(_ step: Int = 1) {
        if var open = menu, !open.candidates.isEmpty {
            let count = open.candidates.count
            let next = ((open.selected ?? (step > 0 ? -1 : 0)) + step + count) % count
            open.selected = next
            replaceCompletion(from: open.start, with: open.candidates[next].text)
            menu = open
            return
        }
        guard let completer else { return }
        let before = String(characters[..<cursor])
        guard let completion = completer.complete(before), !completion.candidates.isEmpty else { return }
        let start = max(0, cursor - completion.replacing)
        let typed = String(characters[start..<cursor])
        if completion.candidates.count == 1, let only = completion.candidates.first {
            replaceCompletion(from: start, with: only.text + (only.isFinal ? " " : ""))
            return
        }
        let common = Self.commonPrefix(completion.candidates.map(\.text))
        if common.count > typed.count {
            replaceCompletion(from: start, with: common)
            menu = CompletionMenu(candidates: completion.candidates, start: start, selected: nil)
        } else {
            menu = CompletionMenu(candidates: completion.candidates, start: start, selected: nil)
            if !completion.listsFirst { completeForward(step) }
        }
    }

    private mutating func replaceCompletion(from start: Int, with text: String) {
        characters.removeSubrange(start..<cursor)
        cursor = start
        insert(text)
    }

    static func commonPrefix(_ words: [String]) -> String {
        guard var prefix = words.first.map(Array.init) else { return "" }
        for word in words.dropFirst() {
            let chars = Array(word)
            var n = 0
            while n < prefix.count, n < chars.count, prefix[n] == chars[n] { n += 1 }
            prefix = Array(prefix[..<n])
        }
        return String(prefix)
    }
}
