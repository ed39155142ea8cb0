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
