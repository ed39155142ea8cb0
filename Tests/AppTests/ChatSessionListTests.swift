import Conversation
import Foundation
import Sessions
import TerminalUI
import Testing
@testable import App

/// `/sessions` (columns, paging, current persona and title, missing names) and `/export`.
@Suite struct ChatSessionListTests {
    static let t0 = Date(timeIntervalSince1970: 1_700_000_000)

    /// Writes `count` sessions `s01`, `s02`, … into the harness's folder, `s01` the oldest; session i
    /// has i % 12 turns and ends with persona `coder` when i is even.
    static func populate(_ h: ChatHarness, count: Int) throws {
        let store = h.app.env.store
        for i in 1...count {
            let start = SessionStart(model: ModelInfo(path: "/models/m\(i % 3).gguf", sha256: "ab"), sampling: SamplingSettings(seed: 1),
                                     persona: "assistant", systemPrompt: "Hi.")
            let time = t0 + Double(i) * 600
            let log = try SessionLog.create(at: try store.url(for: String(format: "s%02d", i)), start: start, time: time)
            for turn in 0..<(i % 12) {
                try log.append(.user(UserTurn(text: "topic \(i) part \(turn)")), at: time + Double(turn) + 1)
            }
            if i % 2 == 0 {
                try log.append(.persona(PersonaSwitch(persona: "coder", systemPrompt: "Code.", sampling: SamplingSettings(seed: 1))),
                               at: time + 100)
            }
            log.close()
        }
    }

    @Test func sessionsShowTheModelTheCurrentPersonaAndTheTitleAfterEdit() async throws {
        let h = try ChatHarness()
        h.send("frist question")
        try await h.waitUntilIdle()
        h.send("/edit")
        h.app.view.editor.text = "first question"
        h.key(KeyPress(.enter))
        try await h.waitUntilIdle()
        h.send("/persona coder")
        h.send("/sessions")
        let id = try #require(h.app.sessionID)
        let updated = try #require(h.app.env.store.list().sessions.first?.updated)
        #expect(h.transcriptLines.last == """
            system: Sessions, most recent first (/sessions N resumes one):
            *1.  \(SessionTable.date(updated))  1 turn  coder  fake.gguf  [\(id)]  first question
            """)
        h.send("/sessions ghost")
        #expect(h.transcriptLines.last == "error: no session named ghost")
        h.send("/sessions ../ghost")
        #expect(h.transcriptLines.last == "error: invalid session id '../ghost'")
        #expect(h.app.sessionID == id)
    }

    @Test func longListsArePagedWithColumnsAlignedPastNine() throws {
        let h = try ChatHarness()
        try Self.populate(h, count: 25)
        h.send("/sessions")
        let page1 = try #require(h.app.view.transcript.messages.last?.text).split(separator: "\n").map(String.init)
        #expect(page1.count == 22)
        #expect(page1.first == "Sessions, most recent first, page 1 of 2 (/sessions N resumes one):")
        #expect(page1.last == "  … 5 more: /sessions page 2")
        let rows = page1.dropFirst().dropLast()
        let summaries = h.app.env.store.list().sessions
        #expect(summaries.first?.id == "s25")
        // s16 is the 10th most recent: 4 turns, coder, m1.gguf; numbers and turns are right-aligned.
        #expect(rows[rows.startIndex + 9] == " 10.  \(SessionTable.date(summaries[9].updated))   4 turns  coder      m1.gguf  [s16]  topic 16 part 0")
        #expect(rows[rows.startIndex + 8].hasPrefix("  9.  "))
        #expect(rows[rows.startIndex + 2].contains("  11 turns  assistant  m2.gguf  [s23]  topic 23 part 0"))
        #expect(rows[rows.startIndex + 1].contains("   0 turns  coder      m0.gguf  [s24]  (no messages)"))
        for column in ["[s", "m"] {
            #expect(Set(rows.map { $0.range(of: " " + column)?.lowerBound.utf16Offset(in: $0) }).count == 1, "\(column)")
        }

        h.send("/sessions page 2")
        let page2 = try #require(h.app.view.transcript.messages.last?.text).split(separator: "\n").map(String.init)
        #expect(page2.first == "Sessions, most recent first, page 2 of 2 (/sessions N resumes one):")
        #expect(page2.count == 6)
        #expect(page2.dropFirst().map { String($0.prefix(4)) } == [" 21.", " 22.", " 23.", " 24.", " 25."])
        #expect(page2.last?.contains("[s01]") == true)
        h.send("/sessions 23")
        #expect(h.app.sessionID == "s03")
        for (line, message) in [("/sessions page 3", "error: no page 3: /sessions has 2 pages"),
                                ("/sessions page x", "error: /sessions page needs a page number, e.g. /sessions page 2"),
                                ("/sessions page", "error: /sessions page needs a page number, e.g. /sessions page 2"),
                                ("/sessions a b c", "error: /sessions takes a number, a session name, or page N")] {
            h.send(line)
            #expect(h.transcriptLines.last == message, "\(line)")
        }
    }

    @Test func exportWritesMarkdownByDefaultAndNeverOverwritesSilently() async throws {
        let h = try ChatHarness()
        h.send("/export")
        #expect(h.transcriptLines.last == "error: nothing to export yet: send a message first")
        h.send("hello")
        try await h.waitUntilIdle()
        let id = try #require(h.app.sessionID)
        let log = try #require(h.app.sessionURL)
        let target = h.work.appendingPathComponent("nook-\(id).md")
        h.send("/export")
        #expect(h.transcriptLines.last == "system: exported this session (Markdown, 1 turn) to \(target.path)")
        let first = SessionMarkdown.render(try SessionTranscript(contentsOf: log))
        #expect(try String(contentsOf: target, encoding: .utf8) == first)
        #expect(first.contains("## Turn 1\n\n**You**\n\nhello\n\n**assistant** · "))

        h.send("more")
        try await h.waitUntilIdle()
        h.send("/export")
        #expect(h.transcriptLines.last == "error: \(target.path) exists already (--force replaces it)")
        #expect(try String(contentsOf: target, encoding: .utf8) == first)
        h.send("/export --force")
        #expect(h.transcriptLines.last == "system: exported this session (Markdown, 2 turns) to \(target.path)")
        #expect(try String(contentsOf: target, encoding: .utf8) == SessionMarkdown.render(try SessionTranscript(contentsOf: log)))
    }

    @Test func exportTakesAPathAFolderAndTheJSONFormat() async throws {
        let h = try ChatHarness()
        h.send("hello")
        try await h.waitUntilIdle()
        let id = try #require(h.app.sessionID)
        let expected = SessionExport(try SessionTranscript(contentsOf: try #require(h.app.sessionURL)))
        try FileManager.default.createDirectory(at: h.work.appendingPathComponent("out"), withIntermediateDirectories: true)
        let cases: [(String, URL, ExportFormat)] = [
            ("/export notes.json", h.work.appendingPathComponent("notes.json"), .json),
            ("/export --json", h.work.appendingPathComponent("nook-\(id).json"), .json),
            ("/export out", h.work.appendingPathComponent("out/nook-\(id).md"), .markdown),
            ("/export ~/'my chat.txt'", h.folder.appendingPathComponent("my chat.txt"), .markdown),
            ("/export plain.json --markdown", h.work.appendingPathComponent("plain.json"), .markdown),
        ]
        for (line, file, format) in cases {
            h.send(line)
            #expect(h.transcriptLines.last == "system: exported this session (\(format.displayName), 1 turn) to \(file.path)", "\(line)")
            let data = try Data(contentsOf: file)
            if format == .json {
                #expect(try SessionExport.decode(data) == expected, "\(line)")
            } else {
                #expect(data.starts(with: Data("# hello\n".utf8)), "\(line)")
            }
        }
        for (line, message) in [("/export --json --markdown", "error: /export takes --markdown or --json, not both"),
                                ("/export a.md b.md", "error: /export takes one path (quote a path with spaces)"),
                                ("/export --pdf", "error: unknown option --pdf: /export [PATH] [--markdown|--json] [--force]")] {
            h.send(line)
            #expect(h.transcriptLines.last == message, "\(line)")
        }
    }
}
