extension InputEditor {
    /// Applies one input event.
    ///
    /// Enter sends; Alt-Enter, Shift-Enter and Ctrl-J insert a newline; Ctrl-A/E (Home/End) go to
    /// the line start/end; Ctrl-B/F and Left/Right move by cluster, Alt-B/F and Ctrl-Left/Right by
    /// word; Ctrl-K/U kill to line end/start, Ctrl-W and Alt-Backspace the word before, Alt-D the
    /// word after, Ctrl-Y yanks; Backspace/Delete/Ctrl-D remove one cluster; Up/Down move between
    /// lines and, on the first/last line, through history; Tab/Shift-Tab complete; pasted text is
    /// inserted literally, inner newlines included, without the line breaks it ends with.
    public mutating func handle(_ event: InputEvent) -> EditorAction {
        switch event {
        case .text(let text):
            closeMenu()
            insert(text)
            return .handled
        case .paste(let text):
            closeMenu()
            insert(Self.droppingTrailingLineBreaks(text))
            return .handled
        case .key(let press):
            return handle(press)
        case .mouse, .resize:
            return .ignored
        }
    }

    private mutating func closeMenu() { menu = nil }

    /// The text without the line breaks at its end: a copied block usually ends in one, and it
    /// would leave an empty last line in the editor.
    static func droppingTrailingLineBreaks(_ text: String) -> String {
        var text = Substring(text)
        while let last = text.last, last == "\n" || last == "\r" || last == "\r\n" { text = text.dropLast() }
        return String(text)
    }

    private mutating func handle(_ press: KeyPress) -> EditorAction {
        let mods = press.modifiers
        if press.key == .tab && mods.isEmpty {
            completeForward(1)
            return .handled
        }
        if press.key == .backTab {
            if menu != nil { completeForward(-1) }
            return .handled
        }
        if press.key == .escape, menu != nil {
            closeMenu()
            return .handled
        }
        closeMenu()
        switch (press.key, mods) {
        case (.enter, []):
            guard characters.contains(where: { !$0.isWhitespace }) else { return .handled }
            return .submit(takeSubmission())
        case (.enter, .alt), (.enter, .shift), (.enter, .control), (.character("j"), .control):
            insert("\n")
        case (.character(let c), []), (.character(let c), .shift):
            insert(String(c))
        case (.left, []), (.character("b"), .control):
            moveCursor(to: cursor - 1)
        case (.right, []), (.character("f"), .control):
            moveCursor(to: cursor + 1)
        case (.left, .control), (.left, .alt), (.character("b"), .alt):
            moveCursor(to: wordStartBefore(cursor))
        case (.right, .control), (.right, .alt), (.character("f"), .alt):
            moveCursor(to: wordEndAfter(cursor))
        case (.home, []), (.character("a"), .control):
            moveCursor(to: lineStart(cursor))
        case (.end, []), (.character("e"), .control):
            moveCursor(to: lineEnd(cursor))
        case (.backspace, []), (.backspace, .shift), (.character("h"), .control):
            deleteBackward(1)
        case (.delete, []), (.character("d"), .control):
            deleteForward(1)
        case (.character("k"), .control):
            let end = lineEnd(cursor)
            deleteForward(end == cursor ? 1 : end - cursor, kill: true)
        case (.character("u"), .control):
            deleteBackward(cursor - lineStart(cursor), kill: true)
        case (.character("w"), .control):
            deleteBackward(cursor - bigWordStartBefore(cursor), kill: true)
        case (.backspace, .alt), (.backspace, .control):
            deleteBackward(cursor - wordStartBefore(cursor), kill: true)
        case (.character("d"), .alt), (.delete, .control):
            deleteForward(wordEndAfter(cursor) - cursor, kill: true)
        case (.character("y"), .control):
            insert(String(killBuffer))
        case (.up, []), (.character("p"), .control):
            if !moveVertically(-1) { historyPrevious() }
        case (.down, []), (.character("n"), .control):
            if !moveVertically(1) { historyNext() }
        default:
            return .ignored
        }
        return .handled
    }

    /// Moves the cursor one visual line up or down at the same column; false on the first/last line.
    private mutating func moveVertically(_ direction: Int) -> Bool {
        let layout = layout(width: lastWidth)
        let (line, column) = layout.cursor
        let target = line + direction
        guard layout.lines.indices.contains(target) else { return false }
        let visual = layout.lines[target]
        // The end of a line that wraps is the start of the next one; stop before it.
        let wraps = layout.lines.indices.contains(target + 1) && !layout.lines[target + 1].startsLogicalLine
        let last = wraps ? visual.end - 1 : visual.end
        var col = visual.prefixWidth
        var index = visual.start
        while index < last {
            let w = Self.width(of: characters[index])
            if col + w > column { break }
            col += w
            index += 1
        }
        moveCursor(to: index)
        return true
    }
}
