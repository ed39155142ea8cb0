import Conversation
import Foundation
import Personalization
import Testing
@testable import App

/// The PrefEval-style evaluation in `sessions/eval/prefeval.tsv`: what the user stated in one session reaches the
/// prompt of a question asked after unrelated turns and a restart, every time. (Whether a model's reply then follows
/// it needs a real model and is not checked here.)
@Suite struct PrefEvalTests {
    struct Case {
        var id: String
        var statement: String
        var unrelated: [String]
        var question: String
        /// The text the prompt must carry; with a leading "-", must not carry.
        var expected: String
    }

    static func cases() throws -> [Case] {
        let text = try String(contentsOf: Fixtures.root.appendingPathComponent("sessions/eval/prefeval.tsv"), encoding: .utf8)
        return try text.split(separator: "\n").compactMap { line in
            guard !line.hasPrefix("#") else { return nil }
            let f = line.split(separator: "\t", omittingEmptySubsequences: false).map(String.init)
            guard f.count == 5 else { throw ProfileError("prefeval.tsv: bad line \(line)") }
            return Case(id: f[0], statement: f[1], unrelated: f[2].components(separatedBy: " | "), question: f[3], expected: f[4])
        }
    }

    @Test func eachStatedPreferenceReachesThePromptAfterARestart() async throws {
        let cases = try Self.cases()
        #expect(cases.count >= 15)
        var passed = 0
        for c in cases {
            let folder = try TemporaryFolder.make()
            let database = folder.appendingPathComponent("data/nook/profile.sqlite")
            let clock = Date(timeIntervalSince1970: 1_800_000_000)
            do {
                let first = try ChatHarness(folder: folder, profile: ChatProfile(profile: try ProfileStore(url: database, clock: { clock }).profile(for: "aki")))
                for message in [c.statement] + c.unrelated {
                    first.send(message)
                    try await first.waitUntilIdle()
                }
                first.app.quit()
            }
            // A new nook: a new chat on the same profile file.
            let second = try ChatHarness(folder: folder, profile: ChatProfile(profile: try ProfileStore(url: database, clock: { clock }).profile(for: "aki")))
            second.send(c.question)
            try await second.waitUntilIdle()
            let system = try #require(second.generator.requests.last?.systemPrompt)
            let ok = c.expected.hasPrefix("-") ? !system.contains(c.expected.dropFirst()) : system.contains(c.expected)
            #expect(ok, "\(c.id): \(system)")
            if ok { passed += 1 }
        }
        print("prefeval: the stated preference reached the prompt in \(passed) of \(cases.count) cases")
    }
}
