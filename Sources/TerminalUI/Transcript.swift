/// Who a transcript message is from; decides its styling.
public enum TranscriptRole: String, Hashable, Sendable {
    case user, assistant, system, error

    var themeRole: ThemeRole {
        switch self {
        case .user: return .user
        case .assistant: return .assistant
        case .system: return .system
        case .error: return .error
        }
    }
}

/// One message as the transcript shows it.
public struct TranscriptMessage: Hashable, Sendable {
    public var role: TranscriptRole
    /// The header label ("you", the persona's name, "system").
    public var label: String
    public var text: String
    /// Muted text after the label, e.g. "2 attachments" or "41 tokens · 12.3 tok/s".
    public var detail: String
    /// True while a reply is still arriving; the header shows a marker.
    public var isStreaming: Bool
    public var format: TextFormat
    /// Attached pictures, drawn under the header as half-block thumbnails.
    public var thumbnails: [Thumbnail]

    public init(role: TranscriptRole, label: String? = nil, text: String, detail: String = "",
                isStreaming: Bool = false, format: TextFormat? = nil, thumbnails: [Thumbnail] = []) {
        self.thumbnails = thumbnails
        self.role = role
        self.label = label ?? role.rawValue
        self.text = text
        self.detail = detail
        self.isStreaming = isStreaming
        self.format = format ?? (role == .assistant ? .markdown : .plain)
    }
}

/// The messages of a chat and their layout at one width, cached per message.
///
/// Appending text to the last message (streaming) re-lays only that message's last source line
/// and whatever follows it; changing the width re-lays everything.
public struct Transcript: Sendable {
    public private(set) var messages: [TranscriptMessage] = []
    private var layouts: [MessageLayout?] = []
    /// Bumped on every change, so views can tell when line-derived data is stale.
    public private(set) var revision = 0

    /// Columns of body indentation under each message header.
    public static let indent = 2

    public init(messages: [TranscriptMessage] = []) {
        self.messages = messages.map(Self.clean)
        self.layouts = Array(repeating: nil, count: messages.count)
    }

    /// Carriage returns are dropped from stored text ("\r\n" is one Swift `Character`, which
    /// would hide the line break); dropping them is safe even when "\r" and "\n" arrive in
    /// different stream chunks.
    static func clean(_ text: String) -> String {
        guard text.utf8.contains(13) else { return text }
        var scalars = String.UnicodeScalarView()
        scalars.append(contentsOf: text.unicodeScalars.lazy.filter { $0 != "\r" })
        return String(scalars)
    }

    static func clean(_ message: TranscriptMessage) -> TranscriptMessage {
        var message = message
        message.text = clean(message.text)
        return message
    }

    public var isEmpty: Bool { messages.isEmpty }

    /// Adds a message at the end.
    public mutating func append(_ message: TranscriptMessage) {
        messages.append(Self.clean(message))
        layouts.append(nil)
        revision += 1
    }

    /// Appends streamed text to the last message (cheap: only its tail is re-laid).
    public mutating func appendText(_ chunk: String) {
        guard !messages.isEmpty, !chunk.isEmpty else { return }
        messages[messages.count - 1].text += Self.clean(chunk)
        layouts[layouts.count - 1]?.textChanged = true
        revision += 1
    }

    /// Changes the last message's header: streaming marker and detail.
    public mutating func updateLast(isStreaming: Bool? = nil, detail: String? = nil) {
        guard !messages.isEmpty else { return }
        if let isStreaming { messages[messages.count - 1].isStreaming = isStreaming }
        if let detail { messages[messages.count - 1].detail = detail }
        layouts[layouts.count - 1]?.headerChanged = true
        revision += 1
    }

    /// Removes the last message (e.g. to regenerate a reply).
    public mutating func removeLast() {
        guard !messages.isEmpty else { return }
        messages.removeLast()
        layouts.removeLast()
        revision += 1
    }

    /// Replaces one message entirely.
    public mutating func replace(at index: Int, with message: TranscriptMessage) {
        guard messages.indices.contains(index) else { return }
        messages[index] = Self.clean(message)
        layouts[index] = nil
        revision += 1
    }

    /// Replaces all messages.
    public mutating func setMessages(_ newMessages: [TranscriptMessage]) {
        messages = newMessages.map(Self.clean)
        layouts = Array(repeating: nil, count: newMessages.count)
        revision += 1
    }

    /// Removes every message.
    public mutating func removeAll() { setMessages([]) }

    /// The laid-out lines of one message at a width (including the blank separator line above
    /// every message but the first).
    public mutating func lines(of index: Int, width: Int) -> [StyledLine] {
        guard messages.indices.contains(index) else { return [] }
        let width = max(1, width)
        let message = messages[index]
        if var layout = layouts[index], layout.width == width {
            guard layout.textChanged || layout.headerChanged else { return layout.lines }
            layouts[index] = nil  // keep the layout uniquely referenced while it changes
            if layout.textChanged { layout.relayoutTail(message) }
            if layout.headerChanged { layout.header = Self.header(message, index: index, width: width) }
            layout.textChanged = false
            layout.headerChanged = false
            layout.rebuildLines()
            layouts[index] = layout
            return layout.lines
        }
        var layout = MessageLayout(width: width, header: Self.header(message, index: index, width: width))
        layout.relayoutTail(message)
        layout.rebuildLines()
        layouts[index] = layout
        return layout.lines
    }

    /// The number of lines of one message at a width.
    public mutating func lineCount(of index: Int, width: Int) -> Int { lines(of: index, width: width).count }

    static func header(_ message: TranscriptMessage, index: Int, width: Int) -> [StyledLine] {
        var glyphs = Glyph.glyphs(message.label, SpanStyle(message.role.themeRole, bold: true))
        if !message.detail.isEmpty {
            glyphs += Glyph.glyphs("  " + message.detail, SpanStyle(.muted))
        }
        if message.isStreaming { glyphs += Glyph.glyphs(" …", SpanStyle(.muted)) }
        let header = StyledLine(glyphs: clip(glyphs, to: width))
        let pictures = message.thumbnails.flatMap { $0.lines(indent: indent, width: width) }
        return (index == 0 ? [header] : [StyledLine(anchor: TextAnchor(sourceLine: -2, offset: 0)), header]) + pictures
    }

    static func clip(_ glyphs: [Glyph], to width: Int) -> [Glyph] {
        var used = 0
        var out: [Glyph] = []
        for glyph in glyphs {
            if used + glyph.width > width { break }
            out.append(glyph)
            used += glyph.width
        }
        return out
    }
}

/// The cached layout of one message at one width.
struct MessageLayout: Sendable {
    struct SourceLine: Sendable {
        /// UTF-8 offset of the line's start in the message text.
        var start: Int
        var stateBefore: MarkdownState
        var lines: [StyledLine]
        /// A markdown line with a pipe outside code: it may be, or become, part of a table, so it
        /// is laid out again with the lines after it.
        var mayJoinTable = false
    }

    let width: Int
    var header: [StyledLine]
    var sources: [SourceLine] = []
    var textChanged = false
    var headerChanged = false

    init(width: Int, header: [StyledLine]) {
        self.width = width
        self.header = header
    }

    /// Header and body lines together, rebuilt after every change.
    private(set) var lines: [StyledLine] = []

    mutating func rebuildLines() {
        var out = header
        for source in sources { out.append(contentsOf: source.lines) }
        lines = out
    }

    /// Re-lays the last (possibly unfinished) source line and everything after it, and the run of
    /// table lines before it (a new row can change every column's width).
    mutating func relayoutTail(_ message: TranscriptMessage) {
        var start = 0
        var state = MarkdownState()
        if let last = sources.popLast() {
            start = last.start
            state = last.stateBefore
            while let previous = sources.last, previous.mayJoinTable {
                sources.removeLast()
                start = previous.start
                state = previous.stateBefore
            }
        }
        let utf8 = message.text.utf8
        let from = utf8.index(utf8.startIndex, offsetBy: min(start, utf8.count))
        let tail = Array(message.text[from...].split(separator: "\n", omittingEmptySubsequences: false))
        var offset = start
        let contentWidth = width - Transcript.indent
        let pad = Glyph.glyphs(String(repeating: " ", count: Transcript.indent), SpanStyle(.text))
        let base: ThemeRole = message.role == .assistant ? .text : message.role.themeRole
        let markdown = message.format == .markdown
        var k = 0
        while k < tail.count {
            let before = state
            let tableLines: [[StyledLine]]?
            if markdown, state.fence == nil, let table = MarkdownTable.parse(tail[k...]) {
                tableLines = table.layout(firstIndex: sources.count, base: base, width: contentWidth)
                state.previousBlank = false
            } else {
                tableLines = nil
            }
            for var laid in tableLines ?? [MarkdownLayout.layout(line: tail[k], index: sources.count, format: message.format,
                                                                 base: base, width: contentWidth, state: &state)] {
                for n in laid.indices { laid[n].glyphs = pad + laid[n].glyphs }
                let joins = tableLines != nil || markdown && before.fence == nil && MarkdownTable.cells(tail[k]) != nil
                sources.append(SourceLine(start: offset, stateBefore: before, lines: laid, mayJoinTable: joins))
                offset += tail[k].utf8.count + 1
                k += 1
            }
        }
    }
}
