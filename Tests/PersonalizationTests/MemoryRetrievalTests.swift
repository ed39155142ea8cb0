import Foundation
import Testing
@testable import Personalization

@Suite struct MemoryRetrievalTests {
    /// Rows of a two-column fixture, comments left out.
    static func rows(_ name: String) throws -> [(String, String)] {
        try fixture(name).split(separator: "\n").compactMap { line in
            guard !line.hasPrefix("#") else { return nil }
            let f = line.split(separator: "\t", maxSplits: 1).map(String.init)
            guard f.count == 2 else { throw ProfileError("\(name): bad line \(line)") }
            return (f[0], f[1])
        }
    }

    @Test func recallAtThreeOnTheLabelledSet() throws {
        let folder = try TempFolder()
        let profile = try openStore(folder, FixedClock()).profile(for: "aki")
        var ids: [Int64: String] = [:]
        for (label, text) in try Self.rows("memories.tsv") {
            ids[try #require(try profile.addMemory(text, reason: "fixture").id)] = label
        }
        let questions = try Self.rows("questions.tsv")
        #expect(questions.count >= 50)
        func recall(_ weights: RetrievalWeights) throws -> (Double, [String]) {
            var hits = 0
            var misses: [String] = []
            for (label, question) in questions {
                let found = try profile.searchMemories(question, limit: 3, weights: weights).compactMap { $0.memory.id.flatMap { ids[$0] } }
                if found.contains(label) { hits += 1 } else { misses.append("\(label) \(question) -> \(found)") }
            }
            return (Double(hits) / Double(questions.count), misses)
        }
        let (bm25, misses) = try recall(.relevanceOnly)
        let (weighted, _) = try recall(RetrievalWeights())
        print(String(format: "memory retrieval Recall@3 on %d questions over %d memories: BM25 alone %.3f, BM25 with recency and importance %.3f",
                     questions.count, ids.count, bm25, weighted))
        for miss in misses { print("  missed " + miss) }
        #expect(bm25 >= 0.8)
        #expect(weighted >= 0.8)
    }

    @Test func importanceAndRecencyBreakEvenRelevance() throws {
        let folder = try TempFolder()
        let clock = FixedClock()
        let profile = try openStore(folder, clock).profile(for: "aki")
        let old = try profile.addMemory("I play tennis on Mondays", importance: 0.5, reason: "t")
        clock.advance(days: 200)
        let recent = try profile.addMemory("I play tennis on Fridays", importance: 0.5, reason: "t")
        #expect(try profile.searchMemories("tennis").map(\.memory.id) == [recent.id, old.id])
        let important = try profile.addMemory("I play tennis on Sundays", importance: 1.0, reason: "t")
        clock.advance(days: 1)
        #expect(try profile.searchMemories("tennis").first?.memory.id == important.id)
        try profile.touchMemories([try #require(old.id)])
        #expect(try profile.searchMemories("tennis", weights: .relevanceOnly).count == 3)
        #expect(try profile.searchMemories("the and of").isEmpty)
        #expect(try profile.searchMemories("\"tennis OR ( *").count == 3)
    }

    @Test func japaneseIsSearchedByCharacterPairs() throws {
        let folder = try TempFolder()
        let profile = try openStore(folder, FixedClock()).profile(for: "aki")
        try profile.addMemory("私は大阪に住んでいます。", reason: "t")
        try profile.addMemory("I live in Osaka", reason: "t")
        #expect(try profile.searchMemories("大阪のおすすめは？").map(\.memory.text) == ["私は大阪に住んでいます。"])
        #expect(SearchText.terms("大阪 Osaka") == ["大阪", "大", "阪", "osaka"])
    }
}
