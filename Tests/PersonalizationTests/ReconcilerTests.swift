import Conversation
import Foundation
import Testing
@testable import Personalization

@Suite struct ReconcilerTests {
    let extractor = StatementExtractor()
    let reconciler = Reconciler()

    func say(_ text: String, _ profile: UserProfile, source: PreferenceSource = .stated) throws -> [ReconcileAction] {
        try reconciler.apply(extractor.candidates(inUserText: text), to: profile, source: source).map(\.action)
    }

    @Test func addThenNoneThenUpdateKeepingTheOldValue() throws {
        let folder = try TempFolder()
        let clock = FixedClock()
        let profile = try openStore(folder, clock).profile(for: "aki")
        #expect(try say("I prefer short answers.", profile) == [.add])
        #expect(try say("Please keep your answers brief.", profile) == [.none])
        clock.advance(days: 2)
        #expect(try say("Actually, I want detailed answers.", profile) == [.update])
        let pref = try #require(try profile.preference(key: "answer.length", scope: .global))
        #expect(pref.value == "detailed" && pref.source == .stated && pref.confidence == 0.9)
        let update = try #require(try profile.history().first)
        #expect(update.action == .update && update.before?.contains("\"short\"") == true)
        #expect(update.reason.contains("I want detailed answers"))
    }

    @Test func aContradictionDeletesAndTheHistoryKeepsIt() throws {
        let folder = try TempFolder()
        let profile = try openStore(folder, FixedClock()).profile(for: "aki")
        #expect(try say("I'm vegetarian.", profile) == [.add])
        #expect(try say("Actually I eat fish now.", profile) == [.delete])
        #expect(try profile.preference(key: "diet", scope: .global) == nil)
        let entry = try #require(try profile.history().first)
        #expect(entry.action == .delete && entry.before?.contains("vegetarian") == true)
        #expect(try say("I eat fish now.", profile) == [.none])
        #expect(try say("私はベジタリアンです。", profile) == [.add])
        #expect(try say("最近は肉も食べています。", profile) == [.delete])
        try profile.undo(historyId: try #require(try profile.history().first?.id))
        #expect(try profile.preference(key: "diet", scope: .global)?.value == "vegetarian")
    }

    @Test func anInferenceDoesNotOverrideAStatement() throws {
        let folder = try TempFolder()
        let profile = try openStore(folder, FixedClock()).profile(for: "aki")
        #expect(try say("I prefer short answers.", profile) == [.add])
        #expect(try say("I like detailed explanations.", profile, source: .inferred) == [.none])
        #expect(try profile.preference(key: "answer.length", scope: .global)?.value == "short")
    }

    @Test func aKeyedMemoryIsUpdatedAndDuplicatesAreSkipped() throws {
        let folder = try TempFolder()
        let profile = try openStore(folder, FixedClock()).profile(for: "aki")
        #expect(try say("I live in Osaka.", profile) == [.add])
        #expect(try say("i live in osaka", profile) == [.none])
        #expect(try say("I've moved to Kyoto.", profile) == [.update])
        #expect(try say("I love hiking.", profile) == [.add])
        #expect(try profile.memories().map(\.text) == ["I've moved to Kyoto", "I love hiking"])
        let update = try #require(try profile.history().first { $0.action == .update })
        #expect(update.before?.contains("Osaka") == true)
    }

    @Test func theSessionLearnerReadsEachTurnOnceAndOnlyTheUsers() throws {
        let folder = try TempFolder()
        let profile = try openStore(folder, FixedClock()).profile(for: "aki")
        let learner = SessionLearner()
        var messages = [
            Message(role: .user, content: "Hi, call me Aki."),
            Message(role: .assistant, content: "Hello! I'm vegan and I live in Paris."),
            Message(role: .user, content: "The document says: I am a vegetarian."),
        ]
        #expect(try learner.learn(from: messages, sessionId: "s1", profile: profile).map(\.action) == [.add])
        #expect(try learner.learn(from: messages, sessionId: "s1", profile: profile).isEmpty)
        messages.append(Message(role: .user, content: "I'm allergic to peanuts."))
        let outcomes = try learner.learn(from: messages, sessionId: "s1", profile: profile)
        #expect(outcomes.map(\.action) == [.add])
        #expect(try profile.memories().first?.turn == 3 && profile.memories().first?.sessionId == "s1")
        #expect(try profile.processedTurns(sessionId: "s1") == 3)
        #expect(try profile.preferences().map(\.key) == ["name"])
        #expect(try profile.preferences().first?.evidence == ["s1#1"])
    }

    @Test func rememberStoresTheTextWhenNoRuleMatches() throws {
        let folder = try TempFolder()
        let profile = try openStore(folder, FixedClock()).profile(for: "aki")
        let learner = SessionLearner()
        #expect(try learner.remember("the garage code changes every May", profile: profile).map(\.action) == [.add])
        #expect(try profile.memories().first?.importance == 0.8)
        #expect(try learner.remember("call me Aki", profile: profile).map(\.action) == [.add])
        #expect(try profile.preference(key: "name", scope: .global)?.value == "Aki")
    }

    @Test func inferredPreferencesDecayAndStatedOnesDoNot() throws {
        let folder = try TempFolder()
        let clock = FixedClock()
        let profile = try openStore(folder, clock).profile(for: "aki")
        let decay = PreferenceDecay(halfLifeDays: 30, floor: 0.1)
        try profile.setPreference(key: "emoji", value: "ok", source: .inferred, confidence: 0.4, reason: "t")
        try profile.setPreference(key: "answer.length", value: "short", source: .stated, confidence: 0.9, reason: "t")
        clock.advance(days: 30)
        let emoji = try #require(try profile.preference(key: "emoji", scope: .global))
        #expect(abs(decay.effectiveConfidence(of: emoji, at: clock.now) - 0.2) < 1e-9)
        #expect(try decay.prune(profile).isEmpty)
        try profile.touchPreferences([try #require(emoji.id)])
        clock.advance(days: 30)
        #expect(try decay.prune(profile).isEmpty)
        clock.advance(days: 60)
        #expect(try decay.prune(profile) == ["emoji"])
        clock.advance(days: 3650)
        let stated = try #require(try profile.preference(key: "answer.length", scope: .global))
        #expect(decay.effectiveConfidence(of: stated, at: clock.now) == 0.9)
        #expect(try decay.prune(profile).isEmpty)
    }

    @Test func feedbackNudgesInferredStylePreferences() throws {
        let folder = try TempFolder()
        let profile = try openStore(folder, FixedClock()).profile(for: "aki")
        let nudges = FeedbackNudges()
        let emoji = try profile.setPreference(key: "emoji", value: "ok", source: .inferred, confidence: 0.5, reason: "t")
        let name = try profile.setPreference(key: "name", value: "Aki", source: .inferred, confidence: 0.5, reason: "t")
        let lang = try profile.setPreference(key: "language", value: "English", source: .stated, confidence: 0.9, reason: "t")
        let used = [emoji, name, lang].compactMap(\.id)
        try nudges.apply(.bad, usedPreferences: used, to: profile)
        try nudges.apply(.regenerate, usedPreferences: used, to: profile)
        #expect(abs((try profile.preference(key: "emoji", scope: .global)?.confidence ?? 0) - 0.35) < 1e-9)
        #expect(try profile.preference(key: "name", scope: .global)?.confidence == 0.5)
        #expect(try profile.preference(key: "language", scope: .global)?.confidence == 0.9)
        try nudges.apply(.edit, usedPreferences: [], shortenedTo: 0.4, to: profile)
        let length = try #require(try profile.preference(key: "answer.length", scope: .global))
        #expect(length.value == "short" && length.source == .feedback && length.confidence == 0.3)
        try nudges.apply(.edit, usedPreferences: [], shortenedTo: 0.5, to: profile)
        #expect(abs((try profile.preference(key: "answer.length", scope: .global)?.confidence ?? 0) - 0.4) < 1e-9)
        #expect(try profile.feedback().map(\.kind) == [.bad, .regenerate, .edit, .edit])
    }
}
