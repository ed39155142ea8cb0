import Conversation
import Testing
@testable import Sessions

@Suite struct ProfileContextTests {
    let start = SessionStart(model: ModelInfo(path: "/m.gguf", sha256: ""), sampling: SamplingSettings(seed: 1),
                             persona: "assistant", systemPrompt: "Be helpful.")

    @Test func theRecordedProfileContextFollowsTheSystemPrompt() {
        var state = ConversationState(start: start)
        #expect(state.request.systemPrompt == "Be helpful.")
        state.apply(.preference(PreferenceUpdate(key: ConversationState.profileContextKey, value: "The user's preferences:\n- Keep answers short.")))
        #expect(state.request.systemPrompt == "Be helpful.\n\nThe user's preferences:\n- Keep answers short.")
        state.apply(.reset)
        #expect(state.request.systemPrompt.hasSuffix("Keep answers short."))
        state.apply(.preference(PreferenceUpdate(key: ConversationState.profileContextKey, value: nil)))
        #expect(state.request.systemPrompt == "Be helpful.")
        state.apply(.preference(PreferenceUpdate(key: "other", value: "x")))
        #expect(state.request.systemPrompt == "Be helpful.")
    }
}

@Suite struct LiveProfileReplayTests {
    @Test func aReplaySendsTheRecordedContextOrTodaysWithLiveProfile() async throws {
        let dir = try TempFolder()
        let url = dir.file("s.jsonl")
        let log = try SessionLog.create(at: url, start: sampleStart())
        try log.append(.preference(PreferenceUpdate(key: ConversationState.profileContextKey, value: "OLD CONTEXT")))
        try log.append(.user(UserTurn(text: "hello")))
        try log.append(.assistant(AssistantReply(text: "ok", stopReason: .endOfGeneration,
                                                 stats: GenerationStats(promptTokens: 0, generatedTokens: 0, promptSeconds: 0, generationSeconds: 0))))
        log.close()
        let seen = RequestLog()
        let generator = FakeGenerator(respond: { request in seen.add(request); return "ok" })
        let recorded = try await Replayer(generator: generator, options: ReplayOptions(check: true)).run(fileAt: url)
        #expect(recorded.passed)
        #expect(seen.all.last?.systemPrompt == "You are a test.\n\nOLD CONTEXT")

        var options = ReplayOptions(check: true)
        options.liveProfileContext = { persona, message in "TODAY for \(persona): \(message)" }
        let live = try await Replayer(generator: generator, options: options).run(fileAt: url)
        #expect(seen.all.last?.systemPrompt == "You are a test.\n\nTODAY for \(sampleStart().persona): hello")
        #expect(live.transcript.entries.contains { $0.kind == .note && $0.text.hasPrefix("profile context (live):\nTODAY") })
        #expect(!live.transcript.entries.contains { $0.text.contains("OLD CONTEXT") })
    }
}
