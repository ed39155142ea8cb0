import Conversation
import Foundation
@testable import Sessions

/// A fresh temporary folder, removed when the value is released.
final class TempFolder: @unchecked Sendable {
    let url: URL

    init() throws {
        url = FileManager.default.temporaryDirectory
            .appendingPathComponent("nook-sessions-tests-\(UUID().uuidString)", isDirectory: true)
        try FileManager.default.createDirectory(at: url, withIntermediateDirectories: true)
    }

    deinit { try? FileManager.default.removeItem(at: url) }

    func file(_ name: String) -> URL { url.appendingPathComponent(name) }

    @discardableResult
    func write(_ name: String, _ text: String) throws -> URL {
        let target = file(name)
        try FileManager.default.createDirectory(at: target.deletingLastPathComponent(), withIntermediateDirectories: true)
        try Data(text.utf8).write(to: target)
        return target
    }
}

/// A deterministic reply generator: the reply is a function of the request, streamed in small pieces.
struct FakeGenerator: ReplyGenerator {
    var modelInfo = ModelInfo(path: "/models/fake-model.gguf", sha256: String(repeating: "ab", count: 32), template: "chatml")
    var respond: @Sendable (ReplyRequest) -> String = FakeGenerator.echo
    var stopReason: StopReason = .endOfGeneration

    /// "echo: TEXT" with the persona's first words, seed, temperature, turn count and attachment kinds.
    static let echo: @Sendable (ReplyRequest) -> String = { request in
        let user = request.messages.last?.content ?? ""
        let files = request.messages.last?.attachments.map(\.kind.rawValue).joined(separator: ",") ?? ""
        let system = request.systemPrompt.split(separator: " ").prefix(3).joined(separator: " ")
        let turns = request.messages.filter { $0.role == .user }.count
        return "echo: \(user) [system: \(system)] [seed \(request.sampling.seed), temp \(request.sampling.temperature)] [turns \(turns)]"
            + (files.isEmpty ? "" : " [files \(files)]")
    }

    func reply(to request: ReplyRequest) -> AsyncThrowingStream<TokenEvent, any Error> {
        let text = respond(request)
        let stop = stopReason
        return AsyncThrowingStream { continuation in
            var piece = ""
            for ch in text {
                piece.append(ch)
                if ch == " " { continuation.yield(.text(piece)); piece = "" }
            }
            if !piece.isEmpty { continuation.yield(.text(piece)) }
            let tokens = text.split(separator: " ").count
            continuation.yield(.done(stop, GenerationStats(promptTokens: 10, generatedTokens: tokens,
                                                          promptSeconds: 0.5, generationSeconds: 0.25)))
            continuation.finish()
        }
    }
}

/// A start event for tests.
func sampleStart(persona: String = "assistant", systemPrompt: String = "You are a test.") -> SessionStart {
    SessionStart(model: ModelInfo(path: "/models/qwen2.5-0.5b-q8_0.gguf", sha256: String(repeating: "cd", count: 32), template: "chatml"),
                 sampling: SamplingSettings(temperature: 0.7, seed: 1234), persona: persona, systemPrompt: systemPrompt,
                 theme: "dark", user: "Ada")
}
