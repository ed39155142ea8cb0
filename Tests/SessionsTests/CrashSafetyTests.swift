import Conversation
import Foundation
import Testing
@testable import Sessions

/// Kills a process that is appending to a session log and checks that every earlier event survived.
///
/// The writer is this same test binary, started again with a filter that runs only
/// `childWritesUntilKilled` and an environment variable naming the log.
@Suite struct CrashSafetyTests {
    static let childVariable = "NOOK_SESSIONS_CRASH_CHILD_LOG"

    /// The writer half: runs only inside the child process.
    @Test(.enabled(if: ProcessInfo.processInfo.environment[childVariable] != nil, "runs only as the crash-test child"))
    func childWritesUntilKilled() throws {
        let path = try #require(ProcessInfo.processInfo.environment[Self.childVariable])
        let log = try SessionLog.create(at: URL(fileURLWithPath: path), start: sampleStart())
        // Runs until the parent kills it; the deadline only ends an orphan.
        let deadline = Date().addingTimeInterval(600)
        var i = 0
        while Date() < deadline {
            // Large events make it likely that the kill lands inside a write.
            let text = "turn \(i) " + String(repeating: "lorem ipsum ", count: 200 + (i * 37) % 800)
            try log.append(.user(UserTurn(text: text)))
            try log.append(.assistant(AssistantReply(text: "reply \(i)", stopReason: .endOfGeneration,
                                                     stats: GenerationStats(promptTokens: i, generatedTokens: 2,
                                                                            promptSeconds: 0, generationSeconds: 0))))
            i += 1
        }
    }

    /// Synchronous on purpose: an async test that sleeps can wait on the cooperative thread pool for minutes
    /// while the rest of the suite fills it, long after the child has written its lines.
    @Test func killingTheWriterLosesNoEarlierEvent() throws {
        #if os(Linux)
        let dir = try TempFolder()
        let logURL = dir.file("killed.jsonl")
        let child = Process()
        child.executableURL = URL(fileURLWithPath: "/proc/self/exe").resolvingSymlinksInPath()
        child.arguments = ["--testing-library", "swift-testing", "--filter", "childWritesUntilKilled"]
        child.environment = ProcessInfo.processInfo.environment.merging([Self.childVariable: logURL.path]) { $1 }
        child.standardOutput = FileHandle.nullDevice
        child.standardError = FileHandle.nullDevice
        try child.run()

        // Wait until the child has written a good number of events, then kill it mid-stream.
        var seenLines = 0
        let deadline = Date().addingTimeInterval(120)
        while seenLines < 60 && Date() < deadline && child.isRunning {
            usleep(20_000)
            let data = (try? Data(contentsOf: logURL)) ?? Data()
            seenLines = data.reduce(0) { $0 + ($1 == 0x0A ? 1 : 0) }
        }
        kill(child.processIdentifier, SIGKILL)
        child.waitUntilExit()
        #expect(child.terminationReason == .uncaughtSignal)
        try #require(seenLines >= 60, "the child wrote only \(seenLines) lines before the deadline")

        let contents = try SessionLogReader.read(logURL)
        #expect(contents.warnings.count <= 1)
        print("CrashSafetyTests: killed after \(seenLines) lines; \(contents.entries.count + 1) events kept; warnings: \(contents.warnings)")
        // Every line seen before the kill (the start plus seenLines - 1 events) is still there and in order.
        #expect(contents.entries.count >= seenLines - 1)
        for (index, entry) in contents.entries.enumerated() {
            switch entry.event {
            case .user(let turn): #expect(index % 2 == 0 && turn.text.hasPrefix("turn \(index / 2) "))
            case .assistant(let reply): #expect(index % 2 == 1 && reply.text == "reply \(index / 2)")
            default: Issue.record("unexpected event \(entry.event)")
            }
        }
        // The session can be continued after the crash.
        let (log, _) = try SessionLog.resume(at: logURL)
        try log.append(.reset)
        log.close()
        let after = try SessionLogReader.read(logURL)
        #expect(after.warnings.isEmpty)
        #expect(after.entries.last?.event == .reset)
        #else
        print("CrashSafetyTests: skipped, re-running the test binary as a child is only set up on Linux")
        #endif
    }
}
