import Conversation
import Foundation
import Testing
@testable import Sessions

/// The transcript read from a log, and its Markdown and JSON exports.
@Suite struct SessionExportTests {
    static let t0 = Date(timeIntervalSince1970: 1_700_000_000)

    /// A small recorded session: greeting, an attachment, an `/edit`, a persona switch, a stopped
    /// reply, `/new` and a reply cut by the token limit.
    static func recorded(in dir: TempFolder) throws -> URL {
        let t0 = Self.t0
        let log = try SessionLog.create(at: dir.file("notes-demo.jsonl"), start: sampleStart(), time: t0)
        func stats(_ prompt: Int, _ generated: Int, _ seconds: Double) -> GenerationStats {
            GenerationStats(promptTokens: prompt, generatedTokens: generated, promptSeconds: 0.1, generationSeconds: seconds)
        }
        try log.append(.assistant(AssistantReply(text: "Hello, Ada!", stopReason: .endOfGeneration,
                                                 stats: GenerationStats(promptTokens: 0, generatedTokens: 0,
                                                                        promptSeconds: 0, generationSeconds: 0))), at: t0 + 1)
        try log.append(.user(UserTurn(text: "Summarise my notes",
                                      attachments: [Attachment(path: "/home/ada/notes.txt", kind: .text, sha256: "5e8f")])), at: t0 + 5)
        try log.append(.assistant(AssistantReply(text: "Your notes say: buy milk.", stopReason: .endOfGeneration,
                                                 stats: stats(212, 57, 2.1))), at: t0 + 8)
        try log.append(.user(UserTurn(text: "secnd try")), at: t0 + 10)
        try log.append(.assistant(AssistantReply(text: "Typo?", stopReason: .endOfGeneration, stats: stats(10, 2, 0.5))), at: t0 + 12)
        try log.append(.rewind(Rewind(keep: 3)), at: t0 + 15)
        try log.append(.user(UserTurn(text: "second try")), at: t0 + 15)
        try log.append(.assistant(AssistantReply(text: "Sure.", stopReason: .endOfGeneration, stats: stats(20, 1, 0.5))), at: t0 + 17)
        try log.append(.persona(PersonaSwitch(persona: "tutor", systemPrompt: "Teach.", sampling: SamplingSettings(seed: 2))), at: t0 + 20)
        try log.append(.user(UserTurn(text: "Explain tides")), at: t0 + 22)
        try log.append(.partial(PartialReply(text: "Tides are")), at: t0 + 25)
        try log.append(.reset, at: t0 + 30)
        try log.append(.user(UserTurn(text: "New topic")), at: t0 + 31)
        try log.append(.assistant(AssistantReply(text: "OK", stopReason: .tokenLimit, stats: stats(5, 3, 1.0))), at: t0 + 40)
        log.close()
        return log.url
    }

    @Test func theTranscriptLeavesOutWhatWasRewoundAndKeepsEveryConversation() throws {
        let dir = try TempFolder()
        let transcript = try SessionTranscript(contentsOf: try Self.recorded(in: dir))
        #expect(transcript.id == "notes-demo")
        #expect(transcript.messages.map(\.text) == ["Hello, Ada!", "Summarise my notes", "Your notes say: buy milk.", "second try",
                                                    "Sure.", "Explain tides", "Tides are", "New topic", "OK"])
        #expect(transcript.messages.map(\.conversation) == [1, 1, 1, 1, 1, 1, 1, 2, 2])
        #expect(transcript.messages.compactMap(\.persona) == ["assistant", "assistant", "assistant", "tutor", "tutor"])
        #expect(transcript.persona == "tutor")
        #expect(transcript.turnCount == 4)
        #expect(transcript.updated == Self.t0 + 40)
    }

    @Test func theMarkdownExportIsAReadableTranscript() throws {
        let dir = try TempFolder()
        let markdown = SessionMarkdown.render(try SessionTranscript(contentsOf: try Self.recorded(in: dir)))
        #expect(markdown == """
        # Summarise my notes

        - Session: `notes-demo`
        - Model: `qwen2.5-0.5b-q8_0.gguf` (template chatml)
        - Persona: tutor (started as assistant)
        - User: Ada
        - Started: 2023-11-14 22:13:20 UTC
        - Last activity: 2023-11-14 22:14:00 UTC
        - Turns: 4

        **assistant**

        Hello, Ada!

        ## Turn 1

        **Ada** · attached `notes.txt`

        Summarise my notes

        **assistant** · 57 tokens · 27.1 tok/s · prompt 212 tokens

        Your notes say: buy milk.

        ## Turn 2

        **Ada**

        second try

        **assistant** · 1 token · 2.0 tok/s · prompt 20 tokens

        Sure.

        *Persona: tutor*

        ## Turn 3

        **Ada**

        Explain tides

        **tutor** · stopped

        Tides are

        ---

        *New conversation*

        ## Turn 4

        **Ada**

        New topic

        **tutor** · 3 tokens · 3.0 tok/s · prompt 5 tokens · token limit

        OK

        """)
    }

    @Test func theJSONExportRoundTripsAndKeepsItsDocumentedLayout() throws {
        let dir = try TempFolder()
        let url = try Self.recorded(in: dir)
        let export = SessionExport(try SessionTranscript(contentsOf: url))
        let data = try export.jsonData()
        let decoded = try SessionExport.decode(data)
        #expect(decoded == export)
        #expect(try decoded.jsonData() == data)
        #expect(decoded.start == (try SessionLogReader.read(url)).start)

        let object = try #require(try JSONSerialization.jsonObject(with: data) as? [String: Any])
        #expect(Set(object.keys) == ["exportVersion", "id", "title", "created", "updated", "turns", "persona", "start", "messages"])
        #expect(object["exportVersion"] as? Int == 1)
        #expect(object["id"] as? String == "notes-demo")
        #expect(object["title"] as? String == "Summarise my notes")
        #expect(object["created"] as? String == "2023-11-14T22:13:20.000Z")
        #expect(object["updated"] as? String == "2023-11-14T22:14:00.000Z")
        #expect(object["turns"] as? Int == 4)
        #expect(object["persona"] as? String == "tutor")
        let start = try #require(object["start"] as? [String: Any])
        #expect((start["model"] as? [String: Any])?["path"] as? String == "/models/qwen2.5-0.5b-q8_0.gguf")
        #expect(start["persona"] as? String == "assistant")
        let messages = try #require(object["messages"] as? [[String: Any]])
        #expect(messages.count == 9)
        #expect(Set(messages[1].keys) == ["role", "text", "time", "conversation", "attachments"])
        #expect((messages[1]["attachments"] as? [[String: Any]])?.first?["path"] as? String == "/home/ada/notes.txt")
        #expect(Set(messages[2].keys) == ["role", "text", "time", "conversation", "persona", "stopReason", "stats", "finished"])
        #expect(messages[2]["time"] as? String == "2023-11-14T22:13:28.000Z")
        #expect((messages[2]["stats"] as? [String: Any])?["generatedTokens"] as? Int == 57)
        #expect(Set(messages[6].keys) == ["role", "text", "time", "conversation", "persona", "stopReason", "finished"])
        #expect(messages[6]["finished"] as? Bool == false)
        #expect(messages[6]["stopReason"] as? String == "cancelled")
        #expect(messages[7]["conversation"] as? Int == 2)
    }

    @Test func theListingShowsTheCurrentTitlePersonaAndTurns() throws {
        let dir = try TempFolder()
        _ = try Self.recorded(in: dir)
        let edited = try SessionLog.create(at: dir.file("edited.jsonl"), start: sampleStart(), time: Self.t0 + 100)
        try edited.append(.user(UserTurn(text: "frist message")), at: Self.t0 + 101)
        try edited.append(.assistant(AssistantReply(text: "?", stopReason: .endOfGeneration,
                                                    stats: GenerationStats(promptTokens: 1, generatedTokens: 1,
                                                                           promptSeconds: 0, generationSeconds: 0))), at: Self.t0 + 102)
        try edited.append(.rewind(Rewind(keep: 0)), at: Self.t0 + 103)
        try edited.append(.user(UserTurn(text: "first message")), at: Self.t0 + 103)
        edited.close()
        let (sessions, warnings) = SessionStore(folder: dir.url).list()
        #expect(warnings.isEmpty)
        #expect(sessions.map(\.id) == ["edited", "notes-demo"])
        #expect(sessions[0].title == "first message")
        #expect(sessions[0].turnCount == 1)
        #expect(sessions[1].title == "Summarise my notes")
        #expect(sessions[1].persona == "tutor")
        #expect(sessions[1].turnCount == 4)
        #expect(sessions[1].model == "qwen2.5-0.5b-q8_0.gguf")
    }
}
