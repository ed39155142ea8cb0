import Conversation
import Foundation
import Models
import Tokenization

/// What to generate: a prompt, a budget, how to sample and when to stop.
public struct GenerationRequest: Sendable {
    /// The prompt: token ids and, for pictures, embedding rows, at consecutive positions.
    public var chunks: [PromptChunk]
    /// Most tokens to generate (nil: until end of generation or a full context).
    public var maxTokens: Int?
    public var sampling: SamplingSettings
    public var stopStrings: [String]

    public init(chunks: [PromptChunk], maxTokens: Int? = nil, sampling: SamplingSettings, stopStrings: [String] = []) {
        self.chunks = chunks
        self.maxTokens = maxTokens
        self.sampling = sampling
        self.stopStrings = stopStrings
    }

    /// A text-only request.
    public init(prompt: [Int32], maxTokens: Int? = nil, sampling: SamplingSettings, stopStrings: [String] = []) {
        self.init(chunks: [.tokens(prompt)], maxTokens: maxTokens, sampling: sampling, stopStrings: stopStrings)
    }

    /// The token ids of the prompt's text (embedding rows left out).
    public var prompt: [Int32] { chunks.textTokens }

    /// Positions the prompt fills.
    public var promptLength: Int { chunks.reduce(0) { $0 + $1.count } }
}

/// Errors of a generation that could not run.
public enum GenerationError: Error, CustomStringConvertible, Sendable {
    case emptyPrompt
    case promptTooLong(tokens: Int, context: Int)

    public var description: String {
        switch self {
        case .emptyPrompt: return "the prompt is empty"
        case .promptTooLong(let n, let c):
            return "the prompt has \(n) tokens but the context holds \(c): shorten it or raise --ctx"
        }
    }
}

/// Runs generations on one model context, keeping the KV cache between calls so a shared prefix is not recomputed.
///
/// Not thread-safe: use one generator from one task at a time.
public final class Generator: @unchecked Sendable {
    public let context: ModelContext
    public let cache: KVCache
    /// What each cached position holds, in order.
    private var cachedItems: [CachedItem] = []

    /// The token ids among the cached positions, in order (embedding rows left out).
    public var cachedTokens: [Int32] {
        cachedItems.compactMap { if case .token(let t) = $0 { t } else { nil } }
    }

    /// Positions in the cache.
    public var cachedCount: Int { cachedItems.count }

    /// A generator with a context of `contextLength` tokens (default: the model's, at most 4096); a context whose
    /// KV cache would not fit in memory is refused before anything is allocated.
    public init(context: ModelContext, contextLength: Int? = nil) throws {
        self.context = context
        let n = contextLength ?? min(context.model.hyperparameters.contextLength, 4096)
        cache = try context.model.makeCache(capacity: max(16, n))
    }

    public var contextLength: Int { cache.capacity }

    /// How the cache stores keys and values (`f16` or `f32`).
    public var kvType: String { cache.type.rawValue }

    /// Generates a continuation of `request.prompt`, calling `onText` with each piece of text as it is decoded.
    ///
    /// `shouldCancel` is checked between tokens; a cancelled generation keeps what was produced.
    @discardableResult
    public func generate(_ request: GenerationRequest, shouldCancel: () -> Bool = { false },
                         onText: (String) -> Void) throws -> (reason: StopReason, stats: GenerationStats, tokens: [Int32]) {
        let length = request.promptLength
        guard length > 0 else { throw GenerationError.emptyPrompt }
        guard length < cache.capacity else {
            throw GenerationError.promptTooLong(tokens: length, context: cache.capacity)
        }
        let model = context.model, tokenizer = context.tokenizer
        let vocab = model.hyperparameters.vocabularySize
        let items = request.chunks.items

        // Reuse the cached prefix; always re-evaluate at least the last prompt position to get its logits. A block of
        // embedding rows is reused whole or not at all (its rows may attend to each other both ways).
        var common = 0
        while common < cachedItems.count, common < length - 1, cachedItems[common] == items[common] { common += 1 }
        if common < length, case .row(_, let row, _) = items[common], row > 0 { common -= row }
        cache.truncate(to: common)
        cachedItems.removeSubrange(common...)

        let clock = ContinuousClock()
        let t0 = clock.now
        var logits = UnsafeBufferPointer<Float>(start: nil, count: 0)
        for chunk in request.chunks.dropping(positions: common) {
            switch chunk {
            case .tokens(let t): logits = try model.evaluate(.tokens(t), cache: cache, logits: .last)
            case .embeddings(let rows, _): logits = try model.evaluate(.embeddings(rows), cache: cache, logits: .last)
            }
        }
        cachedItems += items[common...]
        let promptTime = clock.now - t0

        var sampler = Sampler(request.sampling, vocabularySize: vocab)
        for t in request.prompt { sampler.accept(t) }
        var detok = StreamingDetokenizer(tokenizer: tokenizer)
        var stops = StopStringMatcher(stops: request.stopStrings)
        var generated: [Int32] = []
        var reason = StopReason.tokenLimit
        let t1 = clock.now
        loop: while true {
            if let m = request.maxTokens, generated.count >= m { reason = .tokenLimit; break }
            if shouldCancel() { reason = .cancelled; break }
            let token = sampler.sample(logits: logits)
            sampler.accept(token)
            if tokenizer.isEndOfGeneration(token) { reason = .endOfGeneration; break }
            generated.append(token)
            // Control tokens (<|im_start|> and the like) are structure, not text: they are not shown.
            let piece = tokenizer.attribute(of: token) == .control ? "" : detok.append(token)
            let (text, stopped) = stops.push(piece)
            if !text.isEmpty { onText(text) }
            if stopped { reason = .stopString; break loop }
            if cache.count >= cache.capacity { reason = .contextFull; break }
            logits = try model.evaluate([token], cache: cache, logits: .last)
            cachedItems.append(.token(token))
        }
        if reason != .stopString {
            let (text, _) = stops.push(detok.flush())
            let rest = text + stops.flush()
            if !rest.isEmpty { onText(rest) }
        }
        let genTime = clock.now - t1
        let stats = GenerationStats(promptTokens: length - common, generatedTokens: generated.count,
                                    promptSeconds: promptTime.seconds, generationSeconds: genTime.seconds)
        return (reason, stats, generated)
    }

    /// Streams a generation as ``TokenEvent``s; cancelling the consuming task stops it between tokens.
    public func stream(_ request: GenerationRequest) -> AsyncThrowingStream<TokenEvent, Error> {
        TokenStream.run { cancelled, emit in
            let r = try self.generate(request, shouldCancel: { cancelled.isSet }, onText: emit)
            return (r.reason, r.stats)
        }
    }

    /// Forgets the cached conversation.
    public func reset() {
        cache.truncate(to: 0)
        cachedItems.removeAll()
    }
}

/// A flag set from one thread and read from another.
public final class CancellationFlag: @unchecked Sendable {
    private let lock = NSLock()
    private var value = false
    public init() {}
    public func set() { lock.lock(); value = true; lock.unlock() }
    public var isSet: Bool { lock.lock(); defer { lock.unlock() }; return value }
}

/// Runs a blocking generation on its own thread and exposes it as a stream of ``TokenEvent``s.
///
/// The engine never runs on Swift's cooperative pool: a reply can take seconds of CPU per token.
public enum TokenStream {
    /// Runs `body` on a new thread with a large stack. `body` gets a flag that is set when the consumer stops
    /// listening, and a function that yields text; it returns why and how the generation ended, which becomes
    /// the final `.done` event. A thrown error finishes the stream with that error.
    public static func run(
        _ body: @escaping @Sendable (CancellationFlag, (String) -> Void) throws -> (StopReason, GenerationStats)
    ) -> AsyncThrowingStream<TokenEvent, Error> {
        runReporting { cancelled, text, _ in try body(cancelled, text) }
    }

    /// ``run(_:)`` whose body can also yield `.status` notes (progress while the prompt is prepared).
    public static func runReporting(
        _ body: @escaping @Sendable (CancellationFlag, (String) -> Void, (String) -> Void) throws -> (StopReason, GenerationStats)
    ) -> AsyncThrowingStream<TokenEvent, Error> {
        let (stream, continuation) = AsyncThrowingStream<TokenEvent, Error>.makeStream()
        let cancelled = CancellationFlag()
        continuation.onTermination = { _ in cancelled.set() }
        let worker = Thread {
            do {
                let (reason, stats) = try body(cancelled, { continuation.yield(.text($0)) }, { continuation.yield(.status($0)) })
                continuation.yield(.done(reason, stats))
                continuation.finish()
            } catch {
                continuation.finish(throwing: error)
            }
        }
        worker.stackSize = 8 << 20
        worker.start()
        return stream
    }
}

extension Duration {
    /// The duration in seconds as a Double.
    public var seconds: Double { Double(components.seconds) + Double(components.attoseconds) * 1e-18 }
}
