/// What the highlighter needs to know about a programming language.
public struct LanguageSpec: Hashable, Sendable {
    public var name: String
    public var keywords: Set<String>
    /// Tokens that start a comment running to the end of the line.
    public var lineComments: [String]
    /// Block comment delimiters, if the language has them.
    public var blockComment: (open: String, close: String)? {
        blockCommentOpen.map { ($0, blockCommentClose) }
    }
    /// Quote characters of one-line strings (with backslash escapes).
    public var quotes: Set<Character>
    /// Delimiters of strings that may span lines (`"""`, `'''`, backticks).
    public var multilineStrings: [String]
    /// Whether `#` starts a comment only at a word start (shell: `a#b` is a word).
    public var hashCommentNeedsSpace: Bool

    private var blockCommentOpen: String?
    private var blockCommentClose: String

    init(name: String, keywords: String, lineComments: [String], block: (String, String)? = nil,
         quotes: Set<Character> = ["\""], multilineStrings: [String] = [], hashCommentNeedsSpace: Bool = false) {
        self.name = name
        self.keywords = Set(keywords.split(separator: " ").map(String.init))
        self.lineComments = lineComments
        self.blockCommentOpen = block?.0
        self.blockCommentClose = block?.1 ?? ""
        self.quotes = quotes
        self.multilineStrings = multilineStrings
        self.hashCommentNeedsSpace = hashCommentNeedsSpace
    }

    /// The language for a code fence's info string (`swift`, `py`, `ts`, `c++`, `sh`, …), or nil.
    public static func named(_ label: String) -> LanguageSpec? {
        let key = label.lowercased()
        return all.first { $0.name == key } ?? aliases[key].flatMap { name in all.first { $0.name == name } }
    }

    static let aliases: [String: String] = [
        "py": "python", "python3": "python", "js": "javascript", "jsx": "javascript", "mjs": "javascript",
        "node": "javascript", "ts": "typescript", "tsx": "typescript", "h": "c", "c++": "cpp", "cc": "cpp",
        "cxx": "cpp", "hpp": "cpp", "rs": "rust", "golang": "go", "sh": "shell", "bash": "shell",
        "zsh": "shell", "console": "shell", "shellscript": "shell", "jsonc": "json",
    ]

    static let cKeywords = """
        auto break case char const continue default do double else enum extern float for goto if inline \
        int long register restrict return short signed sizeof static struct switch typedef union unsigned \
        void volatile while bool true false NULL _Bool
        """
    static let jsKeywords = """
        break case catch class const continue debugger default delete do else export extends finally for \
        function if import in instanceof let new return super switch this throw try typeof var void while \
        with yield async await of static get set true false null undefined
        """

    /// Every language the highlighter knows.
    public static let all: [LanguageSpec] = [
        LanguageSpec(name: "swift", keywords: """
            associatedtype class deinit enum extension fileprivate func import init inout internal let open \
            operator private protocol public rethrows static struct subscript typealias var break case continue \
            default defer do else fallthrough for guard if in repeat return switch where while as catch false \
            is nil self Self super throw throws true try async await actor some any mutating nonmutating \
            override final lazy weak unowned convenience required indirect consuming borrowing sending
            """, lineComments: ["//"], block: ("/*", "*/"), multilineStrings: ["\"\"\""]),
        LanguageSpec(name: "python", keywords: """
            False None True and as assert async await break class continue def del elif else except finally \
            for from global if import in is lambda nonlocal not or pass raise return try while with yield \
            match case self
            """, lineComments: ["#"], quotes: ["\"", "'"], multilineStrings: ["\"\"\"", "'''"]),
        LanguageSpec(name: "javascript", keywords: jsKeywords, lineComments: ["//"], block: ("/*", "*/"),
                     quotes: ["\"", "'"], multilineStrings: ["`"]),
        LanguageSpec(name: "typescript", keywords: jsKeywords + """
             interface type enum implements namespace declare abstract readonly private protected public \
            keyof infer is as any unknown never number string boolean
            """, lineComments: ["//"], block: ("/*", "*/"), quotes: ["\"", "'"], multilineStrings: ["`"]),
        LanguageSpec(name: "c", keywords: cKeywords, lineComments: ["//"], block: ("/*", "*/"), quotes: ["\"", "'"]),
        LanguageSpec(name: "cpp", keywords: cKeywords + """
             class namespace template typename public private protected virtual override final new delete \
            this using try catch throw constexpr nullptr auto decltype noexcept explicit friend operator \
            mutable static_cast dynamic_cast reinterpret_cast const_cast concept requires co_await co_return
            """, lineComments: ["//"], block: ("/*", "*/"), quotes: ["\"", "'"]),
        LanguageSpec(name: "rust", keywords: """
            as async await break const continue crate dyn else enum extern false fn for if impl in let loop \
            match mod move mut pub ref return self Self static struct super trait true type unsafe use where \
            while Some None Ok Err
            """, lineComments: ["//"], block: ("/*", "*/")),
        LanguageSpec(name: "go", keywords: """
            break case chan const continue default defer else fallthrough for func go goto if import interface \
            map package range return select struct switch type var true false nil iota
            """, lineComments: ["//"], block: ("/*", "*/"), quotes: ["\"", "'"], multilineStrings: ["`"]),
        LanguageSpec(name: "shell", keywords: """
            if then else elif fi for while until do done case esac function in return export local readonly \
            declare set unset shift exit source alias echo cd
            """, lineComments: ["#"], quotes: ["\"", "'"], hashCommentNeedsSpace: true),
        LanguageSpec(name: "json", keywords: "true false null", lineComments: [], quotes: ["\""]),
    ]

    public static func == (a: LanguageSpec, b: LanguageSpec) -> Bool { a.name == b.name }
    public func hash(into hasher: inout Hasher) { hasher.combine(name) }
}
