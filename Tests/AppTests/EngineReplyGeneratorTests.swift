import Conversation
import Engine
import Foundation
import Sessions
import Testing
@testable import App

/// The repository root and the small test model.
enum Fixtures {
    static let root = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
    static let modelURL = root.appendingPathComponent("Tests/ModelsTests/Fixtures/llama-gqa-Q8_0.gguf")
    /// The model path, or nil (with a note) when the fixtures are not in this checkout.
    static var model: String? {
        guard FileManager.default.fileExists(atPath: modelURL.path) else { return nil }
        return modelURL.path
    }
    static let missingNote = "skipped: Tests/ModelsTests/Fixtures/llama-gqa-Q8_0.gguf is not in this checkout"
}

@Suite(.enabled(if: Fixtures.model != nil, "needs Tests/ModelsTests/Fixtures/llama-gqa-Q8_0.gguf"))
struct EngineReplyGeneratorTests {
    static func generator(_ options: EngineReplyGenerator.Options = .init(threads: 1),
                          pieceDelay: Double = 0) throws -> EngineReplyGenerator {
        try EngineReplyGenerator(modelPath: try #require(Fixtures.model), options: options, pieceDelay: pieceDelay)
    }

    static func collect(_ stream: AsyncThrowingStream<TokenEvent, any Error>) async throws -> (String, StopReason?, GenerationStats?) {
        var text = ""
        var done: (StopReason, GenerationStats)?
        for try await event in stream {
            switch event {
            case .text(let piece): text += piece
            case .done(let reason, let stats): done = (reason, stats)
            case .status: break
            }
        }
        return (text, done?.0, done?.1)
    }

    static let greedy = SamplingSettings(temperature: 0, maxTokens: 12, seed: 0)

    @Test func describesTheModelForSessions() throws {
        let g = try Self.generator()
        #expect(g.modelInfo.path == Fixtures.modelURL.standardizedFileURL.path)
        #expect(g.modelInfo.sha256 == (try FileHash.sha256(of: Fixtures.modelURL)))
        #expect(g.modelInfo.template == "chatml")
        #expect(g.contextUsage == (0, 256))
        #expect(g.details.contains { $0.hasPrefix("architecture: llama, 2 layers") })
    }

    @Test func repliesAreStreamedCountedAndReproducible() async throws {
        let g = try Self.generator()
        let request = ReplyRequest(systemPrompt: "Be brief.", messages: [Message(role: .user, content: "Then the night comes")],
                                   sampling: SamplingSettings(temperature: 0.8, maxTokens: 12, seed: 42))
        let (first, reason, stats) = try await Self.collect(g.reply(to: request))
        #expect(reason == .tokenLimit)
        #expect(stats?.generatedTokens == 12)
        #expect(stats?.promptTokens ?? 0 > 5)
        #expect(!first.isEmpty)
        #expect(g.contextUsage.used > 12)
        // A fresh generator, and the same one with its cache warm, write the same reply.
        let (again, _, _) = try await Self.collect(g.reply(to: request))
        let (fresh, _, _) = try await Self.collect(try Self.generator().reply(to: request))
        #expect(again == first)
        #expect(fresh == first)
        // Another seed gives another reply.
        var other = request
        other.sampling.seed = 43
        let (different, _, _) = try await Self.collect(g.reply(to: other))
        #expect(different != first)
    }

    @Test func recordedSamplingSettingsAreWhatTheSamplerUses() throws {
        // One type from the session log to the sampler: what a log records decodes to exactly the values used.
        let settings = SamplingSettings(temperature: 0.7, topK: 7, topP: 0.9, minP: 0.1, repeatPenalty: 1.1,
                                        presencePenalty: 0.25, maxTokens: 9, seed: UInt64.max)
        let json = try JSONEncoder().encode(settings)
        let text = String(decoding: json, as: UTF8.self)
        #expect(text.contains("\"temperature\":0.7"), "\(text)")
        #expect(text.contains("\"seed\":18446744073709551615"), "\(text)")
        #expect(try JSONDecoder().decode(SamplingSettings.self, from: json) == settings)
        // A log written before the penalties were recorded: the missing values are the defaults.
        let old = #"{"temperature":0.5,"topK":40,"topP":0.95,"minP":0.05,"repeatPenalty":1.0,"seed":4294967295}"#
        let decoded = try JSONDecoder().decode(SamplingSettings.self, from: Data(old.utf8))
        #expect(decoded == SamplingSettings(temperature: 0.5, seed: 4_294_967_295))
        #expect(decoded.penaltyLastN == 64 && decoded.presencePenalty == 0 && decoded.maxTokens == nil)
    }

    @Test func textAttachmentsReachThePrompt() throws {
        let g = try Self.generator()
        let folder = try TemporaryFolder.make()
        let file = folder.appendingPathComponent("list.txt")
        try "milk and eggs".write(to: file, atomically: true, encoding: .utf8)
        let attachment = try AttachmentText().attachment(forFileAt: file.path)
        let with = ReplyRequest(systemPrompt: "", messages: [Message(role: .user, content: "buy?", attachments: [attachment])],
                                sampling: Self.greedy)
        let without = ReplyRequest(systemPrompt: "", messages: [Message(role: .user, content: "buy?")], sampling: Self.greedy)
        let tokens = try g.prompt(for: with).tokens
        let expected = g.context.promptTokens(for: [Message(role: .user, content: "[file list.txt]\nmilk and eggs\n[end of file list.txt]\n\nbuy?")],
                                              template: g.template)
        #expect(tokens == expected)
        #expect(tokens.count > (try g.prompt(for: without).tokens.count))
    }

    @Test func aBrokenAttachmentFailsTheReplyWithOneLine() async throws {
        let g = try Self.generator()
        let folder = try TemporaryFolder.make()
        let file = folder.appendingPathComponent("gone.txt")
        try "x".write(to: file, atomically: true, encoding: .utf8)
        let attachment = try AttachmentText().attachment(forFileAt: file.path)
        try Data([0x00, 0xFF]).write(to: file)
        let request = ReplyRequest(systemPrompt: "", messages: [Message(role: .user, content: "?", attachments: [attachment])],
                                   sampling: Self.greedy)
        await #expect(throws: AttachmentProblem.self) { _ = try await Self.collect(g.reply(to: request)) }
        let image = Attachment(path: "/tmp/cat.png", kind: .image, sha256: "")
        let picture = ReplyRequest(systemPrompt: "", messages: [Message(role: .user, content: "?", attachments: [image])],
                                   sampling: Self.greedy)
        await #expect(throws: AttachmentProblem(path: "/tmp/cat.png", message: "this model cannot see images: load a vision projector with --mmproj")) {
            _ = try await Self.collect(g.reply(to: picture))
        }
    }

    @Test func theOldestMessagesAreLeftOutWhenTheContextIsFull() throws {
        let g = try Self.generator()
        var messages: [Message] = []
        for n in 0..<30 {
            messages.append(Message(role: .user, content: "question number \(n) about the weather"))
            messages.append(Message(role: .assistant, content: "answer number \(n)"))
        }
        messages.append(Message(role: .user, content: "last question"))
        let request = ReplyRequest(systemPrompt: "You are terse.", messages: messages, sampling: Self.greedy)
        let (tokens, dropped) = try g.prompt(for: request)
        #expect(dropped > 0)
        #expect(tokens.count + 12 <= 256)
        let kept = [Message(role: .system, content: "You are terse.")] + Array(messages[dropped...])
        #expect(tokens == g.context.promptTokens(for: kept, template: g.template))
        // One more message would not have fitted.
        let more = [Message(role: .system, content: "You are terse.")] + Array(messages[(dropped - 1)...])
        #expect(g.context.promptTokens(for: more, template: g.template).count + 12 > 256)
    }

    @Test func cancellingStopsTheReplyEarly() async throws {
        let g = try Self.generator(.init(threads: 1), pieceDelay: 0.01)
        let request = ReplyRequest(systemPrompt: "", messages: [Message(role: .user, content: "go on")],
                                   sampling: SamplingSettings(temperature: 0.8, maxTokens: 200, seed: 1))
        var pieces = 0
        for try await event in g.reply(to: request) {
            if case .text = event { pieces += 1 }
            if pieces == 3 { break }
        }
        // The generator is free again and answers the next request.
        let (_, reason, stats) = try await Self.collect(g.reply(to: ReplyRequest(systemPrompt: "", messages: request.messages,
                                                                                 sampling: Self.greedy)))
        #expect(reason == .tokenLimit)
        #expect(stats?.generatedTokens == 12)
    }

    @Test func badModelFilesAndTemplatesAreRefusedInOneLine() throws {
        let folder = try TemporaryFolder.make()
        let junk = folder.appendingPathComponent("junk.gguf")
        try Data("not a model".utf8).write(to: junk)
        do {
            _ = try EngineReplyGenerator(modelPath: junk.path)
            Issue.record("a junk file loaded")
        } catch {
            #expect("\(error)".contains("junk.gguf"))
            #expect(!"\(error)".contains("\n"))
        }
        do {
            _ = try Self.generator(.init(threads: 1, template: "no-such-template"))
            Issue.record("an unknown template was accepted")
        } catch {
            #expect("\(error)".contains("no-such-template"))
        }
    }
}
