import Conversation
import Foundation

/// Finds explicit statements of preference and fact, in English and Japanese, in the user's own messages only:
/// assistant replies, attachments and quoted material are never read, so a document cannot plant memories.
public struct StatementExtractor: Sendable {
    public init() {}

    /// Candidates from the user messages of a conversation, each with its evidence ("SESSION#TURN", turns from 1).
    public func candidates(in messages: [Message], sessionId: String? = nil) -> [Candidate] {
        var result: [Candidate] = []
        var turn = 0
        for message in messages where message.role == .user {
            turn += 1
            let evidence = sessionId.map { "\($0)#\(turn)" }
            for kind in candidates(inUserText: message.content) {
                result.append(Candidate(kind: kind.kind, sentence: kind.sentence, evidence: evidence))
            }
        }
        return result
    }

    /// Candidates from one message the user typed (its attachments are not passed in, and never read).
    public func candidates(inUserText text: String) -> [Candidate] {
        let redacted = Redactor().redact(text).text
        var seen = Set<CandidateKind>()
        var result: [Candidate] = []
        for sentence in StatementSplitter.sentences(of: redacted) {
            guard let kind = candidate(forSentence: sentence), seen.insert(kind).inserted else { continue }
            result.append(Candidate(kind: kind, sentence: sentence))
        }
        return result
    }

    /// The change one sentence states, if any.
    func candidate(forSentence sentence: String) -> CandidateKind? {
        if sentence.contains(where: SearchText.isCJK) {
            let s = JapaneseRules.normalize(sentence)
            guard !JapaneseRules.isAboutSomeoneElse(s) else { return nil }
            return JapaneseRules.rules.lazy.compactMap { $0.apply(to: s) }.first.map { memoryText($0, sentence) }
        }
        let s = EnglishRules.normalize(sentence)
        return EnglishRules.rules.lazy.compactMap { $0.apply(to: s) }.first.map { memoryText($0, sentence) }
    }

    /// Memories keep the sentence as the user wrote it, not the normalized form.
    private func memoryText(_ kind: CandidateKind, _ sentence: String) -> CandidateKind {
        if case .memory(let key, _) = kind { return .memory(key: key, text: sentence) }
        return kind
    }
}
