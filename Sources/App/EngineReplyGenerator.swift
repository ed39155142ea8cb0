import Conversation
import Engine
import Foundation
import Sessions
import Tokenization

/// A generator that can say how full the model's context window is.
public protocol ContextUsageReporting: Sendable {
    /// Tokens held in the context after the last reply, and the size of the window.
    var contextUsage: (used: Int, limit: Int) { get }

    /// What the prompt for `request` takes of the window, and how many old messages it leaves out to fit;
    /// nil when it cannot be worked out (an attachment that no longer reads).
    func contextUsage(for request: ReplyRequest) -> ContextUsage?
}

/// How full the context window is for a conversation as it stands.
public struct ContextUsage: Sendable, Equatable {
    /// Prompt tokens of the conversation (after leaving old messages out).
    public var used: Int
    /// The size of the window.
    public var limit: Int
    /// Oldest messages left out of the prompt because they no longer fit.
    public var droppedMessages: Int

    public init(used: Int, limit: Int, droppedMessages: Int) {
        self.used = used
        self.limit = limit
        self.droppedMessages = droppedMessages
    }
}

/// A `ReplyGenerator` over the native engine: renders the conversation with the model's chat
/// template, inlines text attachments, samples as the request's `SamplingSettings` say, and
/// streams the reply from a worker thread.
///
/// One generation runs at a time (later requests wait for the running one); the KV cache is kept
/// between replies, so a conversation that grows by one turn only evaluates the new tokens.
/// When the conversation no longer fits the context window, the oldest messages are left out of
/// the prompt (the system prompt always stays).
public final class EngineReplyGenerator: ReplyGenerator, ContextUsageReporting, @unchecked Sendable {
    /// How to load and run the model.
    public struct Options: Sendable {
        /// Worker threads for matrix products.
        public var threads: Int
        /// Context window in tokens; nil: the model's, at most 4096.
        public var contextLength: Int?
        /// Chat template name overriding the one detected from the model.
        public var template: String?
        /// KV cache type (`f16`, `f32`); nil is f16.
        public var kvType: String?
        /// Reads and checks text attachments.
        public var attachments: AttachmentText
        /// Where model hashes are remembered; nil hashes the file every time.
        public var hashCache: ModelHashCache?

        public init(threads: Int = ModelContext.defaultThreads, contextLength: Int? = nil, template: String? = nil,
                    attachments: AttachmentText = AttachmentText(), hashCache: ModelHashCache? = nil, kvType: String? = nil) {
            self.kvType = kvType
            self.threads = threads
            self.contextLength = contextLength
            self.template = template
            self.attachments = attachments
            self.hashCache = hashCache
        }
    }

    public let context: ModelContext
    public let template: ChatTemplate
    public let modelInfo: ModelInfo
    private let generator: Generator
    private let options: Options
    /// Testing only: seconds to pause after each streamed piece, so that a small model's reply is slow enough to
    /// interrupt. Internal, and set outside tests only by debug builds (`NOOK_DEBUG_PIECE_DELAY_MS`).
    let pieceDelay: Double
    /// Held while a generation runs: the generator is not thread-safe.
    private let runLock = NSLock()
    private let usageLock = NSLock()
    /// Tokens in the KV cache after the last reply; guarded by `usageLock`.
    private var usedTokens = 0

    /// Loads the model at `path` and resolves its chat template.
    public convenience init(modelPath path: String, options: Options = Options()) throws {
        try self.init(modelPath: path, options: options, pieceDelay: 0)
    }

    init(modelPath path: String, options: Options, pieceDelay: Double) throws {
        self.pieceDelay = pieceDelay
        let url = URL(fileURLWithPath: path).standardizedFileURL
        context = try ModelContext(path: url.path, threads: options.threads, maxBatch: 512, kvType: options.kvType)
        template = try context.chatTemplate(override: options.template)
        let hash = try options.hashCache?.sha256(ofFileAt: url.path) ?? FileHash.sha256(of: url)
        if let n = options.contextLength, n < 16 {
            throw GenerationSetupError(message: "--ctx \(n) is too small (at least 16 tokens)")
        }
        generator = try Generator(context: context, contextLength: options.contextLength)
        modelInfo = ModelInfo(path: url.path, sha256: hash, template: template.rawValue, contextLength: generator.contextLength,
                              kvType: generator.kvType)
        self.options = options
    }

    /// The size of the context window in tokens.
    public var contextLength: Int { generator.contextLength }

    /// A warning when the context window is larger than the model was trained for.
    public var contextWarning: String? { context.contextWarning(for: generator.contextLength) }

    public var contextUsage: (used: Int, limit: Int) {
        usageLock.lock()
        defer { usageLock.unlock() }
        return (usedTokens, generator.contextLength)
    }

    public func contextUsage(for request: ReplyRequest) -> ContextUsage? {
        guard let (tokens, dropped) = try? prompt(for: request) else { return nil }
        return ContextUsage(used: tokens.count, limit: generator.contextLength, droppedMessages: dropped)
    }

    /// A few lines describing the model, for `/model`.
    public var details: [String] {
        let h = context.model.hyperparameters
        let size = (try? FileManager.default.attributesOfItem(atPath: modelInfo.path)[.size] as? NSNumber)?.int64Value ?? 0
        return [
            "file: \(modelInfo.path) (\(ByteCountFormatter.string(fromByteCount: size, countStyle: .file)))",
            "architecture: \(h.architecture), \(h.layers) layers, \(h.dim) dimensions, \(h.heads) heads, vocabulary \(h.vocabularySize)",
            "context: \(generator.contextLength) tokens (trained for \(h.contextLength))",
            "chat template: \(template.rawValue)",
            "SHA-256: \(modelInfo.sha256)",
        ]
    }

    /// The prompt tokens for a request and how many of its oldest messages were left out to fit.
    ///
    /// Messages are dropped from the front while the prompt leaves fewer than
    /// `min(maxTokens ?? limit/4, limit/2)` tokens for the reply; the last message always stays.
    public func prompt(for request: ReplyRequest) throws -> (tokens: [Int32], dropped: Int) {
        let messages = try request.messages.map(options.attachments.inline)
        let limit = generator.contextLength
        let reserve = max(1, min(request.sampling.maxTokens ?? limit / 4, limit / 2))
        var first = 0
        while true {
            var kept = Array(messages[first...])
            if !request.systemPrompt.isEmpty { kept.insert(Message(role: .system, content: request.systemPrompt), at: 0) }
            let tokens = context.promptTokens(for: kept, template: template)
            if tokens.count + reserve <= limit || first >= messages.count - 1 { return (tokens, first) }
            first += 1
        }
    }

    public func reply(to request: ReplyRequest) -> AsyncThrowingStream<TokenEvent, any Error> {
        TokenStream.run { [self] cancelled, emit in
            runLock.lock()
            defer { runLock.unlock() }
            guard !cancelled.isSet else { throw CancellationError() }
            let prompt = try self.prompt(for: request).tokens
            let generation = GenerationRequest(prompt: prompt, maxTokens: request.sampling.maxTokens,
                                               sampling: request.sampling,
                                               stopStrings: template.stopStrings)
            let delay = pieceDelay
            let stop = request.stop
            let result = try generator.generate(generation, shouldCancel: { cancelled.isSet || stop?.isSet == true }) { piece in
                emit(piece)
                if delay > 0 { Thread.sleep(forTimeInterval: delay) }
            }
            usageLock.lock()
            usedTokens = generator.cachedTokens.count
            usageLock.unlock()
            return (result.reason, result.stats)
        }
    }
}

/// A generator setting that cannot work, in one line.
public struct GenerationSetupError: Error, CustomStringConvertible {
    public var message: String
    public var description: String { message }
}
