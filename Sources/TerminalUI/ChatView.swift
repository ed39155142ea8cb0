/// What the app should do after an event reached the chat view.
public enum ChatAction: Hashable, Sendable {
    /// Send this text as the next user message (the editor is already empty).
    case submit(String)
    /// Ctrl-C: stop the running generation, or quit when idle.
    case interrupt
    /// Ctrl-D on an empty editor.
    case endOfInput
    /// Esc with nothing else to close (e.g. stop generating).
    case cancel
    /// Ctrl-L: repaint the whole terminal.
    case redraw
    /// Ctrl-Z: give the terminal back to the shell and stop until continued.
    case suspend
}

/// The chat screen: transcript, completion hints, status bar and input editor (or search bar).
///
/// The app owns one `ChatView`, feeds it events with `handle(_:)`, changes `transcript` and
/// `status` as the engine reports, and calls `render(into:theme:)` after each change:
///
/// ```swift
/// var parser = KeyParser()
/// let theme = Theme.default.resolved(for: ColorCapability.detect(environment: env))
/// for bytes in input {                      // or a timeout: events = parser.flush()
///     for event in parser.feed(bytes) {
///         switch chat.handle(event) {
///         case .submit(let text)?: chat.transcript.append(TranscriptMessage(role: .user, text: text))
///         case .interrupt?: stopGenerationOrQuit()
///         default: break
///         }
///     }
///     chat.render(into: screen, theme: theme)
/// }
/// // While streaming: chat.transcript.appendText(piece); chat.render(into: screen, theme: theme)
/// ```
///
/// Keys: PgUp/PgDn (and the mouse wheel) scroll; Ctrl-Home/Ctrl-End, or Home/End while the
/// editor is empty, jump to the top/bottom; Ctrl-F searches; Ctrl-C, Ctrl-D (empty editor), Esc,
/// Ctrl-L and Ctrl-Z are reported as actions; everything else goes to the editor.
public struct ChatView: Sendable {
    public var transcriptView: TranscriptView
    public var editor: InputEditor
    public var status: StatusInfo
    /// Files attached to the next message, shown as chips in a row above the editor ("cat.png 640×480").
    public var chips: [String] = []
    /// Lines moved per mouse-wheel step.
    public var wheelStep = 3
    private var searchQuery: [Character] = []

    public init(transcript: Transcript = Transcript(), editor: InputEditor = InputEditor(), status: StatusInfo) {
        self.transcriptView = TranscriptView(transcript: transcript)
        self.editor = editor
        self.status = status
    }

    /// The messages (changes are laid out lazily at the next render).
    public var transcript: Transcript {
        get { transcriptView.transcript }
        set { transcriptView.transcript = newValue }
    }

    public var isSearching: Bool { transcriptView.search != nil }

    /// The rows each part occupies at a size.
    public struct Regions: Hashable, Sendable {
        public var transcript: Range<Int>
        public var completionRow: Int?
        public var statusRow: Int?
        /// The attachment chips' row, right above the editor.
        public var chipRow: Int? = nil
        public var input: Range<Int>
    }

    /// Splits the screen: the input takes its lines (at most a third of the screen), then the
    /// status bar, an optional completion row, and the transcript gets the rest.
    public func regions(for size: TerminalSize) -> Regions {
        let h = size.rows
        guard h > 0 else { return Regions(transcript: 0..<0, completionRow: nil, statusRow: nil, input: 0..<0) }
        let maxInput = max(1, min(editor.maxVisibleLines, (h - 1) / 3))
        let inputRows = isSearching ? 1 : min(editor.preferredHeight(width: size.columns), maxInput)
        var bottom = h - inputRows
        let input = bottom..<h
        var chipRow: Int?
        if !chips.isEmpty, !isSearching, bottom >= 4 {
            bottom -= 1
            chipRow = bottom
        }
        var statusRow: Int?
        if bottom > 0 {
            bottom -= 1
            statusRow = bottom
        }
        var completionRow: Int?
        if editor.completionMenu != nil, !isSearching, bottom >= 3 {
            bottom -= 1
            completionRow = bottom
        }
        return Regions(transcript: 0..<bottom, completionRow: completionRow, statusRow: statusRow, chipRow: chipRow,
                       input: input)
    }

    // MARK: Events

    /// Handles one event; returns what the app must do, if anything.
    public mutating func handle(_ event: InputEvent) -> ChatAction? {
        switch event {
        case .resize:
            return nil
        case .mouse(let mouse):
            switch mouse.action {
            case .wheelUp: transcriptView.scroll(by: -wheelStep)
            case .wheelDown: transcriptView.scroll(by: wheelStep)
            default: break
            }
            return nil
        case .key(let press):
            if let action = handleGlobal(press) { return action }
            if isSearching { return handleSearch(event) }
        case .text, .paste:
            if isSearching { return handleSearch(event) }
        }
        switch editor.handle(event) {
        case .submit(let text):
            transcriptView.scrollToBottom()
            return .submit(text)
        case .handled:
            return nil
        case .ignored:
            if case .key(let press) = event { return handleUnused(press) }
            return nil
        }
    }

    /// Keys that work the same whether searching or editing; nil when not one of them.
    private mutating func handleGlobal(_ press: KeyPress) -> ChatAction?? {
        switch (press.key, press.modifiers) {
        case (.character("c"), .control): return .some(.interrupt)
        case (.character("d"), .control) where editor.isEmpty && !isSearching: return .some(.endOfInput)
        case (.home, []) where editor.isEmpty && !isSearching: transcriptView.scrollToTop()
        case (.end, []) where editor.isEmpty && !isSearching: transcriptView.scrollToBottom()
        case (.character("l"), .control): return .some(.redraw)
        case (.character("z"), .control): return .some(.suspend)
        case (.pageUp, _): transcriptView.page(-1)
        case (.pageDown, _): transcriptView.page(1)
        case (.home, .control), (.home, .shift): transcriptView.scrollToTop()
        case (.end, .control), (.end, .shift): transcriptView.scrollToBottom()
        case (.character("f"), .control) where !isSearching:
            transcriptView.beginSearch()
            searchQuery = []
        default: return nil
        }
        return .some(nil)
    }

    private mutating func handleUnused(_ press: KeyPress) -> ChatAction? {
        switch (press.key, press.modifiers) {
        case (.escape, []): return .cancel
        default: break
        }
        return nil
    }

    /// Search mode: typing edits the query, Enter/Up/Ctrl-P/Ctrl-F go to the older match,
    /// Down/Ctrl-N to the newer one, Esc or Ctrl-G closes.
    private mutating func handleSearch(_ event: InputEvent) -> ChatAction? {
        switch event {
        case .text(let text), .paste(let text):
            searchQuery.append(contentsOf: text.filter { $0 != "\n" })
            transcriptView.setSearchQuery(String(searchQuery))
        case .key(let press):
            switch (press.key, press.modifiers) {
            case (.escape, []), (.character("g"), .control):
                transcriptView.endSearch()
            case (.backspace, _):
                if !searchQuery.isEmpty {
                    searchQuery.removeLast()
                    transcriptView.setSearchQuery(String(searchQuery))
                }
            case (.character("u"), .control):
                searchQuery = []
                transcriptView.setSearchQuery("")
            case (.enter, []), (.up, []), (.character("p"), .control), (.character("f"), .control):
                transcriptView.searchPrevious()
            case (.down, []), (.character("n"), .control), (.enter, .shift), (.enter, .alt):
                transcriptView.searchNext()
            case (.character(let c), []), (.character(let c), .shift):
                searchQuery.append(c)
                transcriptView.setSearchQuery(String(searchQuery))
            default:
                break
            }
        case .mouse, .resize:
            break
        }
        return nil
    }

    // MARK: Rendering

    /// Draws the whole screen and flushes it.
    public mutating func render(into screen: Screen, theme: ResolvedTheme) {
        let size = screen.size
        screen.clear(style: theme.style(.text))
        guard size.rows > 0, size.columns > 0 else {
            screen.setCursor(nil)
            screen.flush()
            return
        }
        let regions = regions(for: size)
        transcriptView.render(into: screen, top: regions.transcript.lowerBound,
                              size: TerminalSize(columns: size.columns, rows: regions.transcript.count), theme: theme)
        if let row = regions.completionRow { renderCompletions(into: screen, row: row, width: size.columns, theme: theme) }
        if let row = regions.statusRow { StatusBar.render(status, into: screen, row: row, width: size.columns, theme: theme) }
        if let row = regions.chipRow { renderChips(into: screen, row: row, width: size.columns, theme: theme) }
        let cursor: Position
        if let search = transcriptView.search {
            cursor = renderSearchBar(search, into: screen, row: regions.input.lowerBound, width: size.columns, theme: theme)
        } else {
            cursor = editor.render(into: screen, top: regions.input.lowerBound, width: size.columns,
                                   height: regions.input.count, theme: theme)
        }
        screen.setCursor(cursor)
        screen.flush()
    }

    /// The chips in one row: each in the selection style with a space between; what does not fit becomes "+N".
    private func renderChips(into screen: Screen, row: Int, width: Int, theme: ResolvedTheme) {
        var column = 0
        for (i, chip) in chips.enumerated() {
            let glyphs = Glyph.glyphs(" \(chip) ", SpanStyle(.selection))
            let w = glyphs.reduce(0) { $0 + $1.width }
            let rest = chips.count - i - 1
            let tail = rest > 0 ? " +\(rest)" : ""
            if column + w + (rest > 0 ? tail.count : 0) > width {
                let more = Glyph.glyphs(" +\(chips.count - i)", SpanStyle(.muted))
                for g in more where column + g.width <= width {
                    screen.put(g.character, width: g.width, row: row, column: column, style: theme.style(g.style))
                    column += g.width
                }
                return
            }
            for g in glyphs {
                screen.put(g.character, width: g.width, row: row, column: column, style: theme.style(g.style))
                column += g.width
            }
            column += 1
        }
    }

    private func renderCompletions(into screen: Screen, row: Int, width: Int, theme: ResolvedTheme) {
        guard let menu = editor.completionMenu else { return }
        screen.fill(row: row, from: 0, to: width, style: theme.style(.text))
        // Start the list early enough that the selected candidate is visible.
        var first = 0
        if let selected = menu.selected {
            var used = 2 + DisplayWidth.of(menu.candidates[selected].display)
            first = selected
            while first > 0 {
                let previous = DisplayWidth.of(menu.candidates[first - 1].display) + 2
                guard used + previous < width / 2 else { break }
                used += previous
                first -= 1
            }
        }
        var column = first > 0 ? screen.put("… ", row: row, column: 0, style: theme.style(.muted)) : 1
        for index in first..<menu.candidates.count {
            let label = menu.candidates[index].display
            let w = DisplayWidth.of(label)
            if column + w + 2 > width {
                screen.put("…", row: row, column: min(column, width - 1), style: theme.style(.muted))
                break
            }
            let style = theme.style(index == menu.selected ? .selection : .muted)
            column = screen.put(label, row: row, column: column, style: style) + 2
        }
    }

    private func renderSearchBar(_ search: TranscriptSearch, into screen: Screen, row: Int, width: Int,
                                 theme: ResolvedTheme) -> Position {
        let text = theme.style(.input)
        screen.fill(row: row, from: 0, to: width, style: text)
        let column = screen.put("search: ", row: row, column: 0, style: theme.style(.prompt))
        let summary = search.summary.isEmpty ? "" : "  " + search.summary
        let help = "   ↑ older  ↓ newer  Esc close"
        let queryWidth = DisplayWidth.of(String(searchQuery))
        // Show the end of a long query.
        var query = String(searchQuery)
        let room = max(1, width - column - DisplayWidth.of(summary) - 1)
        while DisplayWidth.of(query) > room, !query.isEmpty { query.removeFirst() }
        var end = screen.put(query, row: row, column: column, style: text)
        let cursor = Position(row: row, column: min(end, width - 1))
        end = screen.put(summary, row: row, column: end,
                         style: theme.style(search.matches.isEmpty && !search.query.isEmpty ? .error : .muted))
        if end + DisplayWidth.of(help) <= width, queryWidth < width / 2 {
            screen.put(help, row: row, column: width - DisplayWidth.of(help), style: theme.style(.muted))
        }
        return cursor
    }
}
