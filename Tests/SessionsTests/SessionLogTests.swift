import Conversation
import Foundation
import Testing
@testable import Sessions

@Suite struct SessionLogTests {
    static let stats = GenerationStats(promptTokens: 12, generatedTokens: 7, promptSeconds: 0.25, generationSeconds: 1.5)
    static let allEvents: [SessionEvent] = [
        .start(sampleStart()),
        .user(UserTurn(text: "Hello \"world\"\nsecond line\t✓ 日本語", attachments: [
            Attachment(path: "/tmp/cat.png", kind: .image, sha256: String(repeating: "1", count: 64)),
            Attachment(path: "/tmp/a b/voice.wav", kind: .audio, sha256: String(repeating: "2", count: 64)),
            Attachment(path: "/tmp/notes.txt", kind: .text, sha256: String(repeating: "3", count: 64)),
        ])),
        .assistant(AssistantReply(text: "Hi!\n\n```swift\nprint(1)\n```", stopReason: .endOfGeneration, stats: stats)),
        .partial(PartialReply(text: "I was about to", reason: .cancelled, stats: stats)),
        .partial(PartialReply(text: "", reason: .contextFull, stats: nil)),
        .persona(PersonaSwitch(persona: "tutor", systemPrompt: "Teach.", sampling: SamplingSettings(temperature: 0.6, maxTokens: 100, seed: 9))),
        .systemPrompt(SystemPromptChange(systemPrompt: "Be brief.")),
        .sampling(SamplingChange(sampling: SamplingSettings(temperature: 0, topK: 1, topP: 1, minP: 0, repeatPenalty: 1.1, seed: .max))),
        .theme(ThemeSwitch(theme: "solarized-light")),
        .preference(PreferenceUpdate(key: "tone", value: "formal")),
        .preference(PreferenceUpdate(key: "tone", value: nil)),
        .reset,
    ]

    @Test func everyEventRoundTripsThroughOneJSONLine() throws {
        let time = Date(timeIntervalSince1970: 1_746_000_000.125)
        for event in Self.allEvents {
            let bytes = try SessionLineCoder.encode(SessionRecord(time: time, event: event))
            #expect(bytes.last == 0x0A)
            #expect(bytes.dropLast().contains(0x0A) == false, "an event must stay on one line")
            let decoded = try SessionLineCoder.decode(Data(bytes.dropLast()))
            #expect(decoded.event == event)
            #expect(abs(decoded.time.timeIntervalSince(time)) < 0.0005)
        }
    }

    @Test func linesAreStableWithSortedKeysAndATypeField() throws {
        let time = Date(timeIntervalSince1970: 1_746_000_000)
        let line = String(decoding: try SessionLineCoder.encode(SessionRecord(time: time, event: .theme(ThemeSwitch(theme: "dark")))),
                          as: UTF8.self)
        #expect(line == "{\"theme\":\"dark\",\"time\":\"2025-04-30T08:00:00.000Z\",\"type\":\"theme\"}\n")
        let reset = String(decoding: try SessionLineCoder.encode(SessionRecord(time: time, event: .reset)), as: UTF8.self)
        #expect(reset == "{\"time\":\"2025-04-30T08:00:00.000Z\",\"type\":\"reset\"}\n")
    }

    @Test func appendedEventsAreAllThereAfterReopening() throws {
        let dir = try TempFolder()
        let url = dir.file("deep/er/s1.jsonl")
        let log = try SessionLog.create(at: url, start: sampleStart())
        for event in Self.allEvents.dropFirst() { try log.append(event) }
        // No close: everything must already be on disk.
        let contents = try SessionLogReader.read(url)
        #expect(contents.start == sampleStart())
        #expect(contents.entries.map(\.event) == Array(Self.allEvents.dropFirst()))
        #expect(contents.entries.map(\.line) == Array(2...Self.allEvents.count))
        #expect(contents.warnings.isEmpty)
        log.close()
        #expect(throws: FileSystemError.self) { try log.append(.reset) }
        let mode = try FileManager.default.attributesOfItem(atPath: url.path)[.posixPermissions] as? Int
        #expect(mode == 0o600)
        #expect(throws: SessionLogError.alreadyExists(file: url.path)) { try SessionLog.create(at: url, start: sampleStart()) }
    }

    @Test func aTruncatedLastLineIsDroppedWithAWarning() throws {
        let dir = try TempFolder()
        let url = dir.file("crash.jsonl")
        let log = try SessionLog.create(at: url, start: sampleStart())
        try log.append(.user(UserTurn(text: "first")))
        try log.append(.assistant(AssistantReply(text: "reply", stopReason: .endOfGeneration, stats: Self.stats)))
        log.close()
        let good = try Data(contentsOf: url)
        let torn = try SessionLineCoder.encode(SessionRecord(time: Date(), event: .user(UserTurn(text: "second turn"))))
        try (good + torn.prefix(torn.count / 2)).write(to: url)

        let contents = try SessionLogReader.read(url)
        #expect(contents.entries.count == 2)
        #expect(contents.warnings.count == 1)
        #expect(contents.warnings.first?.hasPrefix("\(url.path):4: ignored a truncated last line") == true)
        #expect(contents.validLength == good.count)

        // Resuming cuts the torn bytes so the next event starts on its own line.
        let (resumed, again) = try SessionLog.resume(at: url)
        #expect(again.warnings.count == 1)
        try resumed.append(.user(UserTurn(text: "after the crash")))
        resumed.close()
        let final = try SessionLogReader.read(url)
        #expect(final.warnings.isEmpty)
        #expect(final.entries.map(\.event).last == .user(UserTurn(text: "after the crash")))
        #expect(final.entries.count == 3)
    }

    @Test func zeroBytesLeftByAnUnfinishedWriteAreIgnored() throws {
        let dir = try TempFolder()
        let url = dir.file("zeros.jsonl")
        let log = try SessionLog.create(at: url, start: sampleStart())
        try log.append(.user(UserTurn(text: "hi")))
        log.close()
        try (try Data(contentsOf: url) + Data(repeating: 0, count: 40)).write(to: url)
        let contents = try SessionLogReader.read(url)
        #expect(contents.entries.count == 1)
        #expect(contents.warnings.first?.contains("ignored 40 zero bytes") == true)
    }

    @Test func aFileFromANewerVersionIsRejectedNamingBothVersions() throws {
        let dir = try TempFolder()
        let url = try dir.write("future.jsonl", """
        {"formatVersion":7,"time":"2030-01-01T00:00:00.000Z","type":"start","hologram":true}
        {"time":"2030-01-01T00:00:01.000Z","type":"telepathy"}

        """)
        let error = #expect(throws: SessionLogError.self) { try SessionLogReader.read(url) }
        #expect(error == .newerVersion(file: url.path, found: 7, supported: SessionFormat.version))
        #expect(error?.description == "\(url.path): session format version 7 is newer than this nook supports (version 2); update nook")
    }

    @Test func aFileThatIsNotJSONLinesNamesTheFileAndLine() throws {
        let dir = try TempFolder()
        let text = try dir.write("notes.jsonl", "Dear diary,\ntoday I wrote JSON.\n")
        #expect(throws: SessionLogError.notJSONLines(file: text.path, line: 1, reason: "not valid JSON")) {
            try SessionLogReader.read(text)
        }
        let array = try dir.write("array.jsonl", "[1, 2, 3]\n")
        #expect(throws: SessionLogError.notJSONLines(file: array.path, line: 1, reason: "not a JSON object")) {
            try SessionLogReader.read(array)
        }
        // A good start, then garbage in the middle: the error names line 2.
        let good = try SessionLineCoder.encode(SessionRecord(time: Date(), event: .start(sampleStart())))
        let mixed = dir.file("mixed.jsonl")
        try (Data(good) + Data("oops, not json\n".utf8) + Data(good)).write(to: mixed)
        let error = #expect(throws: SessionLogError.self) { try SessionLogReader.read(mixed) }
        #expect(error == .notJSONLines(file: mixed.path, line: 2, reason: "not valid JSON"))
        #expect(error?.description == "\(mixed.path):2: not a JSON Lines session log (not valid JSON)")
    }

    @Test func otherBadLogsGiveOneLineErrors() throws {
        let dir = try TempFolder()
        let empty = try dir.write("empty.jsonl", "")
        #expect(throws: SessionLogError.empty(file: empty.path)) { try SessionLogReader.read(empty) }
        let noStart = try dir.write("nostart.jsonl", "{\"time\":\"2025-01-01T00:00:00Z\",\"type\":\"reset\"}\n")
        #expect(throws: SessionLogError.notASession(file: noStart.path, reason: "the first event, on line 1, is not a start event")) {
            try SessionLogReader.read(noStart)
        }
        let start = String(decoding: try SessionLineCoder.encode(SessionRecord(time: Date(), event: .start(sampleStart()))), as: UTF8.self)
        let badField = try dir.write("bad.jsonl", start + "{\"time\":\"2025-01-01T00:00:00Z\",\"type\":\"user\",\"text\":5,\"attachments\":[]}\n")
        #expect(throws: SessionLogError.invalidEvent(file: badField.path, line: 2, reason: "field text: expected a string")) {
            try SessionLogReader.read(badField)
        }
        let unknown = try dir.write("unknown.jsonl", start + "{\"time\":\"2025-01-01T00:00:00Z\",\"type\":\"dance\"}\n")
        let error = #expect(throws: SessionLogError.self) { try SessionLogReader.read(unknown) }
        #expect(error?.description.contains("unknown.jsonl:2: invalid session event") == true)
        #expect(error?.description.contains("unknown event type 'dance'") == true)
        let missing = dir.file("missing.jsonl")
        #expect(throws: SessionLogError.unreadable(file: missing.path, reason: "no such file")) { try SessionLogReader.read(missing) }
    }

    @Test func timestampsReadFromALogAreWrittenAgainUnchanged() throws {
        for ms in 0..<1000 {
            let text = String(format: "2026-12-02T06:33:52.%03dZ", ms)
            let date = try #require(SessionTime.parse(text))
            #expect(SessionTime.format(date) == text)
        }
        #expect(SessionTime.format(Date(timeIntervalSince1970: 1_700_000_000.9996)) == "2023-11-14T22:13:21.000Z")
        #expect(SessionTime.format(Date(timeIntervalSince1970: 1_700_000_000.0004)) == "2023-11-14T22:13:20.000Z")
    }

    @Test func resumingRebuildsTheConversation() throws {
        let dir = try TempFolder()
        let store = SessionStore(folder: dir.url)
        let log = try store.create(start: sampleStart())
        try log.append(.user(UserTurn(text: "one")))
        try log.append(.assistant(AssistantReply(text: "1", stopReason: .endOfGeneration, stats: Self.stats)))
        try log.append(.persona(PersonaSwitch(persona: "tutor", systemPrompt: "Teach.", sampling: SamplingSettings(temperature: 0.6, seed: 3))))
        try log.append(.preference(PreferenceUpdate(key: "units", value: "metric")))
        try log.append(.reset)
        try log.append(.user(UserTurn(text: "two")))
        try log.append(.partial(PartialReply(text: "Well,")))
        try log.append(.theme(ThemeSwitch(theme: "light")))
        try log.append(.user(UserTurn(text: "three")))
        log.close()

        let (resumed, state, warnings) = try store.resume(id: log.id)
        defer { resumed.close() }
        #expect(warnings.isEmpty)
        #expect(state.persona == "tutor")
        #expect(state.systemPrompt == "Teach.")
        #expect(state.sampling == SamplingSettings(temperature: 0.6, seed: 3))
        #expect(state.theme == "light")
        #expect(state.preferences == ["units": "metric"])
        #expect(state.turnCount == 3)
        #expect(state.messages == [Message(role: .user, content: "two"), Message(role: .assistant, content: "Well,"),
                                   Message(role: .user, content: "three")])
        #expect(state.awaitsReply)
        #expect(state.request.systemPrompt == "Teach.")
    }

    @Test func listingShowsNewestFirstWithTitlesAndSkipsBrokenFiles() throws {
        let dir = try TempFolder()
        let store = SessionStore(folder: dir.url)
        let t0 = Date(timeIntervalSince1970: 1_700_000_000)
        let old = try store.create(start: sampleStart(), at: t0)
        try old.append(.user(UserTurn(text: "  How do   I\nbake bread at home without a proper oven, using only a pan and patience?")), at: t0 + 5)
        try old.append(.user(UserTurn(text: "and cake?")), at: t0 + 50)
        let new = try store.create(start: sampleStart(persona: "coder"), at: t0 + 10)
        try new.append(.theme(ThemeSwitch(theme: "x")), at: t0 + 100)
        try dir.write("broken.jsonl", "not json\n")
        try dir.write("ignored.txt", "hello")

        let (sessions, warnings) = store.list()
        #expect(sessions.map(\.id) == [new.id, old.id])
        #expect(sessions[0].title == "(no messages)")
        #expect(sessions[0].turnCount == 0)
        #expect(sessions[0].persona == "coder")
        #expect(sessions[1].title == "How do I bake bread at home without a proper oven, using on…")
        #expect(sessions[1].title.count == 60)
        #expect(sessions[1].turnCount == 2)
        #expect(sessions[1].model == "qwen2.5-0.5b-q8_0.gguf")
        #expect(sessions[1].created == t0)
        #expect(sessions[1].updated == t0 + 50)
        #expect(warnings == ["\(dir.file("broken.jsonl").path):1: not a JSON Lines session log (not valid JSON)"])
        #expect(old.id.hasPrefix("20231114-221320-"))
        #expect(throws: SessionLogError.badID("../etc/passwd")) { try store.open(id: "../etc/passwd") }
    }
}
