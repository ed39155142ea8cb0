import Conversation
import Foundation
import Testing
@testable import Personalization

@Suite struct StatementExtractorTests {
    let extractor = StatementExtractor()

    /// One line of `statements.tsv`.
    struct Example {
        var positive: Bool
        var key: String
        var text: String
        /// Written after the rules and never tuned against (the lines after "# Added after").
        var heldOut: Bool
    }

    static func examples() throws -> [Example] {
        var heldOut = false
        return try fixture("statements.tsv").split(separator: "\n").compactMap { line in
            if line.hasPrefix("# Added after") { heldOut = true }
            guard !line.hasPrefix("#") else { return nil }
            let fields = line.split(separator: "\t", maxSplits: 2, omittingEmptySubsequences: false).map(String.init)
            guard fields.count == 3 else { throw ProfileError("statements.tsv: bad line \(line)") }
            return Example(positive: fields[0] == "1", key: fields[1], text: fields[2], heldOut: heldOut)
        }
    }

    /// Whether `candidates` include what the example expects.
    func hit(_ example: Example, _ candidates: [Candidate]) -> Bool {
        candidates.contains { c in
            switch example.key {
            case "*": return true
            case "memory": if case .memory(nil, _) = c.kind { return true } else { return false }
            default: return c.kind.key?.hasPrefix(example.key) == true
            }
        }
    }

    /// Precision and recall over `examples`, with the lines that explain each miss.
    func score(_ examples: [Example]) -> (precision: Double, recall: Double, counts: String, misses: [String]) {
        var tp = 0, fp = 0, fn = 0
        var misses: [String] = []
        for example in examples {
            let found = extractor.candidates(inUserText: example.text)
            if example.positive {
                if hit(example, found) { tp += 1 } else {
                    fn += 1
                    misses.append("missed [\(example.key)] \(example.text) -> \(found.map(\.kind))")
                }
                if !found.isEmpty && !hit(example, found) { fp += 1 }
            } else if !found.isEmpty {
                fp += 1
                misses.append("false positive \(example.text) -> \(found.map(\.kind))")
            }
        }
        return (Double(tp) / Double(max(1, tp + fp)), Double(tp) / Double(max(1, tp + fn)), "tp \(tp), fp \(fp), fn \(fn)", misses)
    }

    @Test func precisionAndRecallOnTheLabelledSet() throws {
        let examples = try Self.examples()
        #expect(examples.count >= 150)
        let all = score(examples)
        let heldOut = score(examples.filter(\.heldOut))
        print(String(format: "statement extractor on %d labelled examples: precision %.3f, recall %.3f (%@)",
                     examples.count, all.precision, all.recall, all.counts))
        print(String(format: "  of which %d held out (not tuned against): precision %.3f, recall %.3f (%@)",
                     examples.filter(\.heldOut).count, heldOut.precision, heldOut.recall, heldOut.counts))
        for miss in all.misses { print("  " + miss) }
        #expect(all.precision >= 0.95)
        #expect(all.recall >= 0.85)
    }

    @Test func onlyTheUsersOwnMessagesAreRead() {
        let attachment = Attachment(path: "/tmp/notes.txt", kind: .text, sha256: "00")
        let messages = [
            Message(role: .system, content: "The user is vegan."),
            Message(role: .user, content: "Summarise this file.", attachments: [attachment]),
            Message(role: .assistant, content: "I live in Paris. I'm vegetarian. Call me HAL."),
            Message(role: .user, content: "The file says: I am a vegetarian. I live in Rome."),
            Message(role: .user, content: "Thanks. I prefer short answers."),
        ]
        let found = extractor.candidates(in: messages, sessionId: "s1")
        #expect(found == [Candidate(kind: .preference(key: "answer.length", value: "short"), sentence: "I prefer short answers", evidence: "s1#3")])
    }

    @Test func valuesAreNormalised() {
        #expect(extractor.candidates(inUserText: "Please call me Aki.").map(\.kind) == [.preference(key: "name", value: "Aki")])
        #expect(extractor.candidates(inUserText: "アキと呼んでください").map(\.kind) == [.preference(key: "name", value: "アキ")])
        #expect(extractor.candidates(inUserText: "Hi! My name is Ana and I need help.").map(\.kind) == [.preference(key: "name", value: "Ana")])
        #expect(extractor.candidates(inUserText: "Be brief.").map(\.kind) == [.preference(key: "answer.length", value: "short")])
        #expect(extractor.candidates(inUserText: "英語で答えてください").map(\.kind) == [.preference(key: "language", value: "English")])
        #expect(extractor.candidates(inUserText: "Actually I eat fish now.").map(\.kind) == [.retraction(key: "diet", values: ["vegetarian", "vegan"])])
        #expect(extractor.candidates(inUserText: "I live in Osaka!").map(\.kind) == [.memory(key: "home", text: "I live in Osaka")])
    }

    @Test func secretsAreRedactedBeforeExtraction() {
        let found = extractor.candidates(inUserText: "I have a password: hunter2 on my laptop. My favorite password is swordfish.")
        #expect(!found.isEmpty)
        for c in found { #expect(!c.sentence.contains("hunter2") && !c.sentence.contains("swordfish")) }
    }
}
