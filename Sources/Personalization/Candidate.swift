/// What one explicit statement of the user says should change in their profile.
public enum CandidateKind: Sendable, Equatable, Hashable {
    /// A preference such as `answer.length = short`.
    case preference(key: String, value: String)
    /// The user says a stored preference no longer holds when it has one of `values` ("actually I eat fish now").
    case retraction(key: String, values: [String])
    /// A fact in the user's own words; `key` names what it is about so a newer one replaces it.
    case memory(key: String?, text: String)

    /// The preference or memory key, if any.
    public var key: String? {
        switch self {
        case .preference(let key, _), .retraction(let key, _): return key
        case .memory(let key, _): return key
        }
    }
}

/// A candidate change with the sentence it came from.
public struct Candidate: Sendable, Equatable, Hashable {
    public var kind: CandidateKind
    /// The sentence, as the user wrote it (secrets redacted).
    public var sentence: String
    /// Where it was said, as "SESSION#TURN", when known.
    public var evidence: String?

    public init(kind: CandidateKind, sentence: String, evidence: String? = nil) {
        self.kind = kind
        self.sentence = sentence
        self.evidence = evidence
    }
}
