/// A semantic part of the interface that a theme gives a style.
///
/// The raw value is the key used in theme files (`[colors] code_keyword = "#c678dd"`).
public enum ThemeRole: String, Hashable, Sendable, CaseIterable, Comparable {
    /// Ordinary text and the screen background.
    case text
    /// De-emphasised text: hints, metadata, placeholders.
    case muted
    /// Highlights that should catch the eye.
    case accent
    /// Separators and frames.
    case border
    /// The user's messages and their label.
    case user
    /// The assistant's label.
    case assistant
    /// System and informational messages.
    case system
    /// Errors.
    case error
    /// Markdown headings.
    case heading
    /// `inline code` inside prose.
    case inlineCode = "inline_code"
    /// Fenced code blocks: base text and block background.
    case code
    /// The language label above a code block.
    case codeLabel = "code_label"
    case codeKeyword = "code_keyword"
    case codeString = "code_string"
    case codeComment = "code_comment"
    case codeNumber = "code_number"
    /// The status bar.
    case status
    /// Emphasised fields inside the status bar.
    case statusAccent = "status_accent"
    /// The input editor's text.
    case input
    /// The input prompt and search prompt.
    case prompt
    /// Selected items (the current completion candidate).
    case selection
    /// Search matches in the transcript.
    case searchMatch = "search_match"
    /// The current search match.
    case searchCurrent = "search_current"

    /// The role whose style is used when a theme leaves this one out; nil for `text`.
    public var fallback: ThemeRole? {
        switch self {
        case .text: return nil
        case .muted, .accent, .assistant, .error, .code, .status, .input: return .text
        case .border, .system: return .muted
        case .user, .heading, .prompt, .selection: return .accent
        case .inlineCode, .codeLabel, .codeKeyword, .codeString, .codeComment, .codeNumber: return .code
        case .statusAccent: return .status
        case .searchMatch: return .selection
        case .searchCurrent: return .searchMatch
        }
    }

    private var order: Int { Self.allCases.firstIndex(of: self) ?? 0 }
    public static func < (lhs: ThemeRole, rhs: ThemeRole) -> Bool { lhs.order < rhs.order }
}
