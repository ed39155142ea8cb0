import App
import Conversation
import Foundation
import Sessions
import TerminalUI

/// A deterministic generator for tests: the reply depends on the system prompt, the last user
/// message (with the names of its attachments) and the seed, and streams word by word.
final class FakeGenerator: ReplyGenerator, ContextUsageReporting, @unchecked Sendable {
    let modelInfo: ModelInfo
    /// The window `contextUsage(for:)` reports, counting one token per word; nil reports nothing (no status figure).
    let contextLimit: Int?
    /// Seconds to wait before each piece after the first (tests that interrupt set it).
    let pieceDelay: Double
    /// When set, the reply stops after this many pieces and waits until it is cancelled.
    let hangAfter: Int?
    /// When set, a last user message containing this text fails, as a prompt that does not fit would.
    let failOn: String?
    private let lock = NSLock()
    private var _requests: [ReplyRequest] = []

    struct Failure: Error, CustomStringConvertible {
        var description: String { "the prompt has 9000 tokens but the context holds 64: shorten it or raise --ctx" }
    }

    init(pieceDelay: Double = 0, hangAfter: Int? = nil, failOn: String? = nil, contextLimit: Int? = nil,
         modelInfo: ModelInfo = ModelInfo(path: "/models/fake.gguf", sha256: "fa4e", template: "chatml")) {
        self.pieceDelay = pieceDelay
        self.hangAfter = hangAfter
        self.failOn = failOn
        self.contextLimit = contextLimit
        self.modelInfo = modelInfo
    }

    var contextUsage: (used: Int, limit: Int) { (0, contextLimit ?? 0) }

    /// One token per word of the system prompt and messages; the oldest messages are left out until it fits.
    func contextUsage(for request: ReplyRequest) -> ContextUsage? {
        guard let limit = contextLimit else { return nil }
        func words(_ text: String) -> Int { text.split(whereSeparator: \.isWhitespace).count }
        var dropped = 0
        var used = words(request.systemPrompt) + request.messages.reduce(0) { $0 + words($1.content) }
        while used > limit, dropped < request.messages.count - 1 {
            used -= words(request.messages[dropped].content)
            dropped += 1
        }
        return ContextUsage(used: used, limit: limit, droppedMessages: dropped)
    }

    /// Every request received, oldest first.
    var requests: [ReplyRequest] {
        lock.lock()
        defer { lock.unlock() }
        return _requests
    }

    /// The reply text for a request.
    static func text(for request: ReplyRequest) -> String {
        let last = request.messages.last { $0.role == .user }
        let files = last?.attachments.map { URL(fileURLWithPath: $0.path).lastPathComponent } ?? []
        var words = ["echo", "\(last?.content ?? "")"]
        if !files.isEmpty { words.append("files=" + files.joined(separator: "+")) }
        words += ["seed=\(request.sampling.seed)", "turns=\(request.messages.filter { $0.role == .user }.count)",
                  "sys=\(request.systemPrompt.count)"]
        return words.joined(separator: " ")
    }

    func reply(to request: ReplyRequest) -> AsyncThrowingStream<TokenEvent, any Error> {
        lock.lock()
        _requests.append(request)
        lock.unlock()
        let pieces = Self.text(for: request).split(separator: " ", omittingEmptySubsequences: false)
            .enumerated().map { $0.offset == 0 ? String($0.element) : " " + $0.element }
        let delay = pieceDelay
        let hang = hangAfter
        if let failOn, request.messages.last?.content.contains(failOn) == true {
            return AsyncThrowingStream { $0.finish(throwing: Failure()) }
        }
        let stop = request.stop
        return AsyncThrowingStream { continuation in
            let task = Task {
                for (n, piece) in pieces.enumerated() {
                    if stop?.isSet == true {
                        // Asked to stop: the final counts of what was written, as the engine sends them.
                        continuation.yield(.done(.cancelled, GenerationStats(promptTokens: 10, generatedTokens: n,
                                                                             promptSeconds: 0.01, generationSeconds: 0.1)))
                        continuation.finish()
                        return
                    }
                    if let hang, n >= hang {
                        while !Task.isCancelled && stop?.isSet != true { try? await Task.sleep(for: .milliseconds(5)) }
                        if stop?.isSet == true {
                            continuation.yield(.done(.cancelled, GenerationStats(promptTokens: 10, generatedTokens: n,
                                                                                 promptSeconds: 0.01, generationSeconds: 0.1)))
                            continuation.finish()
                            return
                        }
                        continuation.finish(throwing: CancellationError())
                        return
                    }
                    if n > 0, delay > 0 { try? await Task.sleep(for: .seconds(delay)) }
                    if Task.isCancelled {
                        continuation.finish(throwing: CancellationError())
                        return
                    }
                    continuation.yield(.text(piece))
                }
                continuation.yield(.done(.endOfGeneration, GenerationStats(promptTokens: 10, generatedTokens: pieces.count,
                                                                           promptSeconds: 0.01, generationSeconds: 0.1)))
                continuation.finish()
            }
            continuation.onTermination = { _ in task.cancel() }
        }
    }
}

/// A chat app on a fake generator and temporary folders, driven like the UI loop drives it.
final class ChatHarness {
    let folder: URL
    let generator: FakeGenerator
    let app: ChatApp
    let screen: MemoryScreenBox

    init(generator: FakeGenerator = FakeGenerator(), folder: URL? = nil, persona: String? = nil, theme: String? = nil,
         user: String? = nil, personas: PersonaCatalog = PersonaCatalog(), warnings: [String] = [],
         sampling: SamplingOverrides = SamplingOverrides(), seedFromFlag: Bool = false,
         size: (Int, Int) = (80, 24), profile: ChatProfile? = nil) throws {
        let base = try folder ?? TemporaryFolder.make()
        self.folder = base
        self.generator = generator
        try FileManager.default.createDirectory(at: base.appendingPathComponent("work"), withIntermediateDirectories: true)
        var environment = ChatEnvironment(
            generator: generator, modelDetails: ["file: /models/fake.gguf"], personas: personas,
            store: SessionStore(folder: base.appendingPathComponent("sessions")),
            history: InputHistory(file: base.appendingPathComponent("history")), sampling: sampling,
            seed: 7, personaName: persona, themeName: theme, userName: user, warnings: warnings,
            workingDirectory: base.appendingPathComponent("work").path, homeDirectory: base.path)
        environment.seedFromFlag = seedFromFlag
        // The user's folders under config/nook, watched as the real chat watches them.
        environment.personaFolder = base.appendingPathComponent("config/nook/personas")
        environment.themeFolder = base.appendingPathComponent("config/nook/themes")
        environment.configFile = base.appendingPathComponent("config/nook/config.toml")
        environment.profile = profile
        app = ChatApp(environment: environment)
        screen = MemoryScreenBox(columns: size.0, rows: size.1)
    }

    var work: URL { folder.appendingPathComponent("work") }
    var sessions: URL { folder.appendingPathComponent("sessions") }
    var personaFolder: URL { folder.appendingPathComponent("config/nook/personas") }
    var themeFolder: URL { folder.appendingPathComponent("config/nook/themes") }
    var configFile: URL { folder.appendingPathComponent("config/nook/config.toml") }

    /// Types text (as the terminal sends it) and presses Enter.
    func send(_ text: String) {
        app.handle(.input(.text(text)))
        app.handle(.input(.key(KeyPress(.enter))))
    }

    func key(_ press: KeyPress) { app.handle(.input(.key(press))) }

    /// Applies posted events until no reply is running (or the time is up).
    func waitUntilIdle(timeout: Double = 60) async throws {
        let deadline = Date().addingTimeInterval(timeout)
        while true {
            for event in app.mailbox.drain() { app.handle(event) }
            if !app.isReplying && app.mailbox.isEmpty { return }
            guard Date() < deadline else { throw HarnessError(message: "the reply did not finish in \(timeout) s") }
            try await Task.sleep(for: .milliseconds(2))
        }
    }

    /// Applies posted events until `condition` holds.
    func wait(timeout: Double = 60, until condition: () -> Bool) async throws {
        let deadline = Date().addingTimeInterval(timeout)
        while true {
            for event in app.mailbox.drain() { app.handle(event) }
            if condition() { return }
            guard Date() < deadline else { throw HarnessError(message: "condition not met in \(timeout) s") }
            try await Task.sleep(for: .milliseconds(2))
        }
    }

    /// The events of the session log, in order (after the start).
    func loggedEvents() throws -> [SessionEvent] {
        guard let url = app.sessionURL else { return [] }
        return try SessionLogReader.read(url).entries.map(\.event)
    }

    /// What the screen shows now.
    func render() -> String {
        app.render(into: screen.screen)
        return screen.screen.plainSnapshot()
    }

    /// The transcript's messages as `role: text` lines.
    var transcriptLines: [String] {
        app.view.transcript.messages.map { "\($0.role.rawValue): \($0.text)" }
    }
}

/// Holds a `MemoryScreen` (kept in a box so the harness stays a simple class).
final class MemoryScreenBox {
    let screen: MemoryScreen
    init(columns: Int, rows: Int) { screen = MemoryScreen(size: TerminalSize(columns: columns, rows: rows)) }
}

struct HarnessError: Error, CustomStringConvertible {
    var message: String
    var description: String { message }
}

/// Fresh temporary folders, removed at exit by the OS's temp cleaning (tests never share one).
enum TemporaryFolder {
    static func make() throws -> URL {
        let url = FileManager.default.temporaryDirectory
            .appendingPathComponent("nook-app-tests-\(getpid())-\(UUID().uuidString.prefix(8))")
        try FileManager.default.createDirectory(at: url, withIntermediateDirectories: true)
        return url
    }
}
