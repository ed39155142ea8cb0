import Conversation
import Engine
import Foundation
import Multimodal
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
        /// The vision projector (mmproj GGUF) that lets the model see image attachments.
        public var mmproj: String?
        /// At most this many tokens an image (nil: the projector's own rule).
        public var imageTokens: Int?
        /// Where encoded images are kept between runs; nil keeps them in memory only.
        public var mediaCache: MediaCache?

        public init(threads: Int = ModelContext.defaultThreads, contextLength: Int? = nil, template: String? = nil,
                    attachments: AttachmentText = AttachmentText(), hashCache: ModelHashCache? = nil, kvType: String? = nil,
                    mmproj: String? = nil, imageTokens: Int? = nil, mediaCache: MediaCache? = nil) {
            self.mmproj = mmproj
            self.imageTokens = imageTokens
            self.mediaCache = mediaCache
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
    private var options: Options
    /// The vision projector's encoder and its caches; nil without `--mmproj`.
    private let images: ImageEmbeddings?
    /// `/detail low`: images at the fewest tokens their projector allows; guarded by `usageLock`.
    private var lowDetail = false
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
        var options = options
        if let mmproj = options.mmproj {
            let projector = URL(fileURLWithPath: mmproj).standardizedFileURL
            guard FileManager.default.fileExists(atPath: projector.path) else {
                throw GenerationSetupError(message: "\(projector.path): no such projector file (--mmproj)")
            }
            let encoder = try VisionEncoder(path: projector.path, threads: options.threads)
            guard encoder.outputWidth == context.model.hyperparameters.dim else {
                throw GenerationSetupError(message: "\(projector.path): the projector makes rows of \(encoder.outputWidth) values "
                                           + "but \(url.lastPathComponent) takes \(context.model.hyperparameters.dim): "
                                           + "it belongs to another model")
            }
            let projectorHash = try options.hashCache?.sha256(ofFileAt: projector.path) ?? FileHash.sha256(of: projector)
            images = ImageEmbeddings(encoder: encoder, projectorHash: projectorHash, cache: options.mediaCache)
            options.attachments.acceptsImages = true
        } else {
            images = nil
        }
        self.options = options
    }

    /// Whether image attachments reach the model (a vision projector is loaded).
    public var acceptsImages: Bool { images != nil }

    /// The attachment rules of this generator (images accepted when a projector is loaded).
    public var attachmentRules: AttachmentText { options.attachments }

    /// `/detail`: `low` sends images at the fewest tokens their projector allows, `auto` at its own rule
    /// (or `--image-tokens`).
    public var imageDetailLow: Bool {
        get { usageLock.lock(); defer { usageLock.unlock() }; return lowDetail }
        set { usageLock.lock(); lowDetail = newValue; usageLock.unlock() }
    }

    /// The token cap for images now.
    private var imageTokenLimit: Int? { imageDetailLow ? 1 : options.imageTokens }

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
        guard let (messages, dropped) = try? fitted(request) else { return nil }
        return ContextUsage(used: estimatedPositions(messages), limit: generator.contextLength, droppedMessages: dropped)
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

    /// The prompt tokens for a request (images as their markers' text) and how many of its oldest messages were
    /// left out to fit.
    public func prompt(for request: ReplyRequest) throws -> (tokens: [Int32], dropped: Int) {
        let (messages, dropped) = try fitted(request)
        return (context.promptTokens(for: messages, template: template), dropped)
    }

    /// The messages that fit the window (attachments inlined, system prompt first) and how many were left out.
    ///
    /// Messages are dropped from the front while the prompt leaves fewer than
    /// `min(maxTokens ?? limit/4, limit/2)` positions for the reply; the last message always stays.
    func fitted(_ request: ReplyRequest) throws -> (messages: [Message], dropped: Int) {
        let messages = try request.messages.map(options.attachments.inline)
        let limit = generator.contextLength
        let reserve = max(1, min(request.sampling.maxTokens ?? limit / 4, limit / 2))
        var first = 0
        while true {
            var kept = Array(messages[first...])
            if !request.systemPrompt.isEmpty { kept.insert(Message(role: .system, content: request.systemPrompt), at: 0) }
            if estimatedPositions(kept) + reserve <= limit || first >= messages.count - 1 { return (kept, first) }
            first += 1
        }
    }

    /// Positions the rendered messages take: their tokens, plus each image's rows (cached or planned).
    private func estimatedPositions(_ messages: [Message]) -> Int {
        let tokens = context.promptTokens(for: messages, template: template).count
        guard let images else { return tokens }
        let limit = imageTokenLimit
        return tokens + messages.flatMap(\.attachments).filter { $0.kind == .image }.reduce(0) {
            $0 + (images.positions($1, maxTokens: limit) ?? 0)
        }
    }

    /// The prompt as chunks, encoding the kept messages' images (with progress notes) when a projector is loaded.
    func chunks(for request: ReplyRequest, status: (String) -> Void, isCancelled: () -> Bool) throws -> [PromptChunk] {
        let (messages, _) = try fitted(request)
        guard let images else {
            return [.tokens(context.promptTokens(for: messages, template: template))]
        }
        let attached = messages.flatMap(\.attachments).filter { $0.kind == .image }
        let limit = imageTokenLimit
        var pictures: [PromptImage] = []
        for (i, attachment) in attached.enumerated() {
            let name = URL(fileURLWithPath: attachment.path).lastPathComponent
            pictures.append(try images.picture(attachment, maxTokens: limit) { done, total in
                if done < total {
                    status(attached.count > 1 ? "encoding \(name) (\(i + 1) of \(attached.count)): tile \(done + 1) of \(total)…"
                                              : "encoding \(name): tile \(done + 1) of \(total)…")
                }
                return !isCancelled()
            })
        }
        return try context.promptChunks(for: messages, template: template, images: pictures)
    }

    public func reply(to request: ReplyRequest) -> AsyncThrowingStream<TokenEvent, any Error> {
        TokenStream.runReporting { [self] cancelled, emit, status in
            runLock.lock()
            defer { runLock.unlock() }
            guard !cancelled.isSet else { throw CancellationError() }
            let stop = request.stop
            let chunks = try self.chunks(for: request, status: status, isCancelled: { cancelled.isSet || stop?.isSet == true })
            guard !cancelled.isSet, stop?.isSet != true else { throw CancellationError() }
            let generation = GenerationRequest(chunks: chunks, maxTokens: request.sampling.maxTokens,
                                               sampling: request.sampling,
                                               stopStrings: template.stopStrings)
            let delay = pieceDelay
            let result = try generator.generate(generation, shouldCancel: { cancelled.isSet || stop?.isSet == true }) { piece in
                emit(piece)
                if delay > 0 { Thread.sleep(forTimeInterval: delay) }
            }
            usageLock.lock()
            usedTokens = generator.cachedCount
            usageLock.unlock()
            return (result.reason, result.stats)
        }
    }
}

/// A generator whose image detail the chat's `/detail` can change.
public protocol ImageDetailAdjustable: AnyObject, Sendable {
    /// Whether images reach the model at all.
    var acceptsImages: Bool { get }
    /// Images at the fewest tokens their projector allows.
    var imageDetailLow: Bool { get set }
}

extension EngineReplyGenerator: ImageDetailAdjustable {}

/// A generator setting that cannot work, in one line.
public struct GenerationSetupError: Error, CustomStringConvertible {
    public var message: String
    public var description: String { message }
}
