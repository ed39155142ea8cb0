import Foundation
import TerminalUI
import Testing
import TestSupport
@testable import App

/// The whole chat screen after a short conversation, compared with files in Golden/.
/// Set NOOK_RECORD_GOLDENS=1 to rewrite them after an intended change (TestSupport.GoldenFolder).
@Suite struct ChatGoldenTests {
    static let golden = GoldenFolder(besides: #filePath)

    static func check(_ actual: String, _ name: String, sourceLocation: SourceLocation = #_sourceLocation) throws {
        golden.check(actual, named: name, sourceLocation: sourceLocation)
    }

    static func conversation(columns: Int, rows: Int) async throws -> ChatHarness {
        let h = try ChatHarness(user: "Ada", size: (columns, rows))
        let folder = h.work
        try "milk\n".write(to: folder.appendingPathComponent("list.txt"), atomically: true, encoding: .utf8)
        h.send("/attach list.txt")
        h.send("日本語で答えてください 🍣")
        try await h.waitUntilIdle()
        h.send("/attach list.txt")
        return h
    }

    @Test(arguments: [(40, 10), (80, 24)])
    func chatScreen(columns: Int, rows: Int) async throws {
        let h = try await Self.conversation(columns: columns, rows: rows)
        h.app.render(into: h.screen.screen)
        try Self.check(h.screen.screen.snapshot(), "chat-\(columns)x\(rows)")
    }

    @Test func streamingReplyAndHint() async throws {
        let h = try ChatHarness(generator: FakeGenerator(hangAfter: 2), size: (60, 12))
        h.send("hello")
        try await h.wait { h.app.view.transcript.messages.last?.text == "echo hello" }
        h.app.render(into: h.screen.screen)
        try Self.check(h.screen.screen.plainSnapshot(), "streaming-60x12")
        h.key(KeyPress(.escape))
        h.key(.control("c"))
        h.app.render(into: h.screen.screen)
        try Self.check(h.screen.screen.plainSnapshot(), "stopped-60x12")
    }
}
