/// What the status bar shows.
public struct StatusInfo: Hashable, Sendable {
    public var model: String
    public var persona: String?
    public var user: String?
    /// Tokens in the context window now.
    public var contextUsed: Int
    /// Size of the context window; 0 when unknown.
    public var contextLimit: Int
    /// Generation speed of the last reply.
    public var tokensPerSecond: Double?
    /// Files attached to the next message.
    public var attachments: Int
    /// A short activity note shown first in the accent style ("generating…", "loading model…").
    public var activity: String?
    /// A lasting state the user must not miss ("not saved"), shown first and dropped last but for the model.
    public var notice: String?

    public init(model: String, persona: String? = nil, user: String? = nil, contextUsed: Int = 0,
                contextLimit: Int = 0, tokensPerSecond: Double? = nil, attachments: Int = 0,
                activity: String? = nil, notice: String? = nil) {
        self.notice = notice
        self.model = model
        self.persona = persona
        self.user = user
        self.contextUsed = contextUsed
        self.contextLimit = contextLimit
        self.tokensPerSecond = tokensPerSecond
        self.attachments = attachments
        self.activity = activity
    }
}

/// Lays out and draws the one-row status bar.
///
/// Left: notice, activity, model, persona, user. Right: attachments, speed, context use. When the row is
/// too narrow it gives up, in order: user, persona, speed, model name beyond 16 columns,
/// attachments, activity, the context percentage, model name beyond 8 columns, the context
/// counts, the rest of the model name (shortened with "…"), and last the notice.
public enum StatusBar {
    struct Field {
        var text: String
        var accent: Bool
        /// Lower is dropped first.
        var priority: Int
        var left: Bool
    }

    /// Token counts in a compact form: 950, 1.2k, 12k, 1.5M.
    public static func compact(_ n: Int) -> String {
        if n < 1000 { return String(n) }
        if n < 10_000 { return oneDecimal(Double(n) / 1000) + "k" }
        if n < 1_000_000 { return String(Int((Double(n) / 1000).rounded())) + "k" }
        return oneDecimal(Double(n) / 1_000_000) + "M"
    }

    static func oneDecimal(_ x: Double) -> String {
        let tenths = Int((x * 10).rounded())
        return tenths % 10 == 0 ? String(tenths / 10) : "\(tenths / 10).\(tenths % 10)"
    }

    static func fields(_ info: StatusInfo) -> [Field] {
        var fields: [Field] = []
        if let notice = info.notice, !notice.isEmpty { fields.append(Field(text: notice, accent: true, priority: 90, left: true)) }
        if let activity = info.activity, !activity.isEmpty { fields.append(Field(text: activity, accent: true, priority: 5, left: true)) }
        fields.append(Field(text: info.model, accent: true, priority: 100, left: true))
        if let persona = info.persona, !persona.isEmpty { fields.append(Field(text: persona, accent: false, priority: 2, left: true)) }
        if let user = info.user, !user.isEmpty { fields.append(Field(text: user, accent: false, priority: 1, left: true)) }
        if info.attachments > 0 {
            let label = info.attachments == 1 ? "1 file" : "\(info.attachments) files"
            fields.append(Field(text: label, accent: true, priority: 4, left: false))
        }
        if let speed = info.tokensPerSecond {
            fields.append(Field(text: oneDecimal(speed) + " tok/s", accent: false, priority: 3, left: false))
        }
        if info.contextLimit > 0 {
            let percent = Int((Double(info.contextUsed) * 100 / Double(info.contextLimit)).rounded())
            fields.append(Field(text: "ctx \(compact(info.contextUsed))/\(compact(info.contextLimit)) \(percent)%",
                                accent: percent >= 90, priority: 50, left: false))
        } else if info.contextUsed > 0 {
            fields.append(Field(text: "ctx \(compact(info.contextUsed))", accent: false, priority: 50, left: false))
        }
        return fields
    }

    /// The (text, accent) pieces of the bar at a width, padded to exactly `width` columns.
    public static func layout(_ info: StatusInfo, width: Int) -> [(text: String, accent: Bool)] {
        guard width > 0 else { return [] }
        guard width >= 3 else { return [(String(repeating: " ", count: width), false)] }
        var fields = fields(info)
        let separator = " · "
        func groupWidth(_ group: [Field]) -> Int {
            group.isEmpty ? 0 : group.reduce(0) { $0 + DisplayWidth.of($1.text) } + (group.count - 1) * 3
        }
        func totalWidth() -> Int {
            let left = fields.filter(\.left), right = fields.filter { !$0.left }
            let gap = left.isEmpty || right.isEmpty ? 0 : 2
            return 2 + groupWidth(left) + gap + groupWidth(right)
        }
        func shortenModel(minimum: Int) -> Bool {
            guard let i = fields.firstIndex(where: { $0.priority == 100 }) else { return false }
            let current = DisplayWidth.of(fields[i].text)
            let target = max(minimum, current - (totalWidth() - width))
            guard target < current else { return false }
            fields[i].text = DisplayWidth.truncate(fields[i].text, to: target)
            return true
        }
        // Reductions, mildest first, applied until the bar fits.
        let steps: [() -> Bool] = [
            { fields.removeAll { $0.priority == 1 } ; return true },
            { fields.removeAll { $0.priority == 2 } ; return true },
            { fields.removeAll { $0.priority == 3 } ; return true },
            { shortenModel(minimum: 16) },
            { fields.removeAll { $0.priority == 4 } ; return true },
            { fields.removeAll { $0.priority == 5 } ; return true },
            {
                guard let i = fields.firstIndex(where: { $0.priority == 50 }), fields[i].text.hasSuffix("%") else { return false }
                fields[i].text = fields[i].text.split(separator: " ").dropLast().joined(separator: " ")
                return true
            },
            { shortenModel(minimum: 8) },
            { fields.removeAll { $0.priority == 50 } ; return true },
            { shortenModel(minimum: 1) },
            { fields.removeAll { $0.priority == 90 } ; return true },
        ]
        for step in steps where totalWidth() > width { _ = step() }
        let left = fields.filter(\.left), right = fields.filter { !$0.left }
        var pieces: [(text: String, accent: Bool)] = [(" ", false)]
        for (n, field) in left.enumerated() {
            if n > 0 { pieces.append((separator, false)) }
            pieces.append((field.text, field.accent))
        }
        let used = pieces.reduce(0) { $0 + DisplayWidth.of($1.text) }
        pieces.append((String(repeating: " ", count: max(0, width - used - groupWidth(right) - 1)), false))
        for (n, field) in right.enumerated() {
            if n > 0 { pieces.append((separator, false)) }
            pieces.append((field.text, field.accent))
        }
        let total = pieces.reduce(0) { $0 + DisplayWidth.of($1.text) }
        if total < width { pieces.append((String(repeating: " ", count: width - total), false)) }
        return pieces
    }

    /// The bar as plain text (for tests and logs).
    public static func text(_ info: StatusInfo, width: Int) -> String {
        layout(info, width: width).map(\.text).joined()
    }

    /// Draws the bar on one row.
    public static func render(_ info: StatusInfo, into screen: Screen, row: Int, width: Int, theme: ResolvedTheme) {
        let base = theme.style(.status)
        let accent = theme.style(.statusAccent)
        screen.fill(row: row, from: 0, to: width, style: base)
        var column = 0
        for piece in layout(info, width: width) {
            column = screen.put(piece.text, row: row, column: column, style: piece.accent ? accent : base)
        }
    }
}
