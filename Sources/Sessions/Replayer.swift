import Conversation
import Foundation

/// Progress of a running replay, for live display.
public enum ReplayProgress: Sendable {
    /// An entry was added to the transcript (replies are added once finished).
    case entry(TranscriptEntry)
    /// A piece of the reply being generated.
    case replyText(String)
}

/// How to replay.
public struct ReplayOptions: Sendable {
    /// Compare each new reply with the recorded one or the script's `/expect` lines.
    public var check: Bool
    /// Stop after the first failed check.
    public var stopAtFirstFailure: Bool
    /// Sampling a script starts from, before the default persona's values (seed included).
    public var baseSampling: SamplingSettings
    /// The user's name for `{{user}}` in persona prompts (scripts only).
    public var userName: String?
    /// The theme recorded for scripts.
    public var theme: String?
    /// When set, the run is recorded as a new session in this store.
    public var recordTo: SessionStore?
    /// Called as the replay progresses.
    public var onProgress: (@Sendable (ReplayProgress) -> Void)?
    /// Loads the model a recorded `/model` switch names, so later replies come from it; nil keeps one model throughout
    /// (with a warning at each switch).
    public var loadModel: (@Sendable (ModelInfo) throws -> any ReplyGenerator)?
    /// `--live-profile`: the profile context for a turn (persona, message) from today's profile, used instead of the
    /// recorded one; nil replays the recorded context.
    public var liveProfileContext: (@Sendable (_ persona: String, _ message: String) -> String?)?

    public init(check: Bool = false, stopAtFirstFailure: Bool = false, baseSampling: SamplingSettings = SamplingSettings(),
                userName: String? = nil, theme: String? = nil, recordTo: SessionStore? = nil,
                onProgress: (@Sendable (ReplayProgress) -> Void)? = nil,
                loadModel: (@Sendable (ModelInfo) throws -> any ReplyGenerator)? = nil) {
        self.loadModel = loadModel
        self.check = check
        self.stopAtFirstFailure = stopAtFirstFailure
        self.baseSampling = baseSampling
        self.userName = userName
        self.theme = theme
        self.recordTo = recordTo
        self.onProgress = onProgress
    }
}

/// A replay that could not run, described in one line.
public struct ReplayError: Error, CustomStringConvertible {
    public var location: String
    public var message: String

    public var description: String { "\(location): \(message)" }
}

/// Runs a recorded session (`.jsonl`) or a script (`.nook`) through a `ReplyGenerator`.
///
/// Every user turn is sent again with its attachments and the commands around it; the new replies form
/// the transcript and, in check mode, are compared with the recorded replies or `/expect` lines.
public struct Replayer: Sendable {
    public var generator: any ReplyGenerator
    public var personas: PersonaCatalog
    public var options: ReplayOptions

    public init(generator: any ReplyGenerator, personas: PersonaCatalog = PersonaCatalog(),
                options: ReplayOptions = ReplayOptions()) {
        self.generator = generator
        self.personas = personas
        self.options = options
    }

    /// Replays the file at `url`: `.nook` as a script, anything else as a session log.
    public func run(fileAt url: URL) async throws -> ReplayResult {
        if url.pathExtension.lowercased() == "nook" {
            return try await run(script: try ScriptParser.parse(contentsOf: url))
        }
        return try await run(recording: try SessionLogReader.read(url))
    }

    /// Replays a parsed script.
    public func run(script: Script) async throws -> ReplayResult {
        try await run(ReplayPlan(script: script, personas: personas, model: generator.modelInfo,
                                 baseSampling: options.baseSampling, userName: options.userName, theme: options.theme))
    }

    /// Replays a recorded session.
    public func run(recording: SessionLogContents) async throws -> ReplayResult {
        try await run(ReplayPlan(recording: recording, model: generator.modelInfo))
    }

    private func run(_ plan: ReplayPlan) async throws -> ReplayResult {
        var start = plan.start
        start.model = generator.modelInfo
        start.nookVersion = NookVersion.current
        start.formatVersion = SessionFormat.version
        let log = try options.recordTo?.create(start: start)
        defer { log?.close() }
        var state = ConversationState(start: start)
        var entries: [TranscriptEntry] = []
        var failures: [CheckFailure] = []
        var checksRun = 0
        var turnNumber = 0
        var generator = self.generator
        var warnings = plan.warnings
        func add(_ entry: TranscriptEntry) {
            entries.append(entry)
            options.onProgress?(.entry(entry))
        }
        func apply(_ event: SessionEvent) throws {
            state.apply(event)
            try log?.append(event)
        }

        stepLoop: for step in plan.steps {
            try Task.checkCancellation()
            switch step {
            case .event(.model(let change), let location):
                if let load = options.loadModel {
                    do {
                        generator = try load(change.model)
                    } catch {
                        throw ReplayError(location: location, message: "cannot load the model the session switched to: \(error)")
                    }
                } else {
                    warnings.append("\(location): the session switched to \(change.model.path); this replay keeps \(generator.modelInfo.path)")
                }
                try apply(.model(ModelSwitch(model: generator.modelInfo)))
                if let note = Self.note(for: .model(change)) { add(TranscriptEntry(kind: .note, text: note, location: location)) }
            case .event(let event, let location):
                if options.liveProfileContext != nil, case .preference(let p) = event, p.key == ConversationState.profileContextKey {
                    continue stepLoop  // replaced by today's profile at each turn
                }
                try apply(event)
                if let note = Self.note(for: event) { add(TranscriptEntry(kind: .note, text: note, location: location)) }
                if case .assistant(let reply) = event {
                    add(TranscriptEntry(kind: .assistant, text: reply.text, location: location,
                                        stopReason: reply.stopReason, stats: reply.stats))
                }
                if case .partial(let reply) = event {
                    add(TranscriptEntry(kind: .partial, text: reply.text, location: location, stopReason: reply.reason))
                }
            case .turn(let planned):
                turnNumber += 1
                if let live = options.liveProfileContext {
                    let key = ConversationState.profileContextKey
                    let context = live(state.persona, planned.turn.text) ?? ""
                    if (state.preferences[key] ?? "") != context {
                        try apply(.preference(PreferenceUpdate(key: key, value: context.isEmpty ? nil : context)))
                        add(TranscriptEntry(kind: .note, text: context.isEmpty ? "profile context (live): none"
                                                : "profile context (live):\n\(context)", location: planned.location))
                    }
                }
                try apply(.user(planned.turn))
                add(TranscriptEntry(kind: .user, text: planned.turn.text, location: planned.location,
                                    attachments: planned.turn.attachments))
                if let partial = planned.recordedPartial {
                    try apply(.partial(partial))
                    add(TranscriptEntry(kind: .partial, text: partial.text, location: planned.location, stopReason: partial.reason))
                    continue stepLoop
                }
                let reply: AssistantReply
                switch try await generate(state.request, with: generator) {
                case .reply(let r):
                    reply = r
                case .failed(let message):
                    try apply(.failure(ReplyFailure(message: message)))
                    add(TranscriptEntry(kind: .failure, text: message, location: planned.location))
                    guard options.check else { continue stepLoop }
                    for expectation in planned.expectations {
                        checksRun += 1
                        if let failure = Self.check(failure: message, against: expectation, turn: turnNumber) {
                            failures.append(failure)
                            if options.stopAtFirstFailure { break stepLoop }
                        }
                    }
                    continue stepLoop
                }
                if reply.stopReason == .cancelled {
                    try apply(.partial(PartialReply(text: reply.text, reason: .cancelled, stats: reply.stats)))
                    add(TranscriptEntry(kind: .partial, text: reply.text, location: planned.location,
                                        stopReason: reply.stopReason, stats: reply.stats))
                } else {
                    try apply(.assistant(reply))
                    add(TranscriptEntry(kind: .assistant, text: reply.text, location: planned.location,
                                        stopReason: reply.stopReason, stats: reply.stats))
                }
                guard options.check else { continue stepLoop }
                for expectation in planned.expectations {
                    checksRun += 1
                    if let failure = Self.check(reply.text, against: expectation, turn: turnNumber) {
                        failures.append(failure)
                        if options.stopAtFirstFailure { break stepLoop }
                    }
                }
            }
        }
        return ReplayResult(transcript: Transcript(source: plan.source.path, entries: entries), checkMode: options.check,
                            checksRun: checksRun, failures: failures, warnings: warnings, sessionID: log?.id)
    }

    /// What generating one reply came to.
    private enum Generated {
        case reply(AssistantReply)
        /// The generator threw before finishing; the error in one line.
        case failed(String)
    }

    /// Streams one reply to the end and gathers it; a generator error is an outcome (recorded and checked like a
    /// reply), cancellation is not.
    private func generate(_ request: ReplyRequest, with generator: any ReplyGenerator) async throws -> Generated {
        var text = ""
        var stop = StopReason.endOfGeneration
        var stats = GenerationStats(promptTokens: 0, generatedTokens: 0, promptSeconds: 0, generationSeconds: 0)
        do {
            for try await event in generator.reply(to: request) {
                switch event {
                case .text(let piece):
                    text += piece
                    options.onProgress?(.replyText(piece))
                case .done(let reason, let s):
                    stop = reason
                    stats = s
                case .status:
                    break
                }
            }
        } catch is CancellationError {
            throw CancellationError()
        } catch {
            return .failed("\(error)")
        }
        return .reply(AssistantReply(text: text, stopReason: stop, stats: stats))
    }

    /// The failure when a replay failed with `message` where `expectation` wanted something; nil when the recording
    /// failed the same way.
    static func check(failure message: String, against expectation: Expectation, turn: Int) -> CheckFailure? {
        if expectation.kind == .failure, expectation.text == message { return nil }
        let want = expectation.kind == .failure ? "failure: \(expectation.text)" : expectation.text
        return CheckFailure(location: expectation.location, turn: turn, kind: expectation.kind.rawValue, expected: want,
                            actual: "failure: \(message)",
                            diff: TextDiff.describe(expected: want, actual: "failure: \(message)",
                                                    expectedLabel: expectation.kind == .failure ? "recorded" : "expected",
                                                    actualLabel: "replayed"))
    }

    /// The failure when `reply` does not meet `expectation`, nil when it does.
    static func check(_ reply: String, against expectation: Expectation, turn: Int) -> CheckFailure? {
        switch expectation.kind {
        case .failure:
            let got = "reply: \(reply)", want = "failure: \(expectation.text)"
            return CheckFailure(location: expectation.location, turn: turn, kind: "failure", expected: want, actual: got,
                                diff: TextDiff.describe(expected: want, actual: got, expectedLabel: "recorded", actualLabel: "replayed"))
        case .recorded:
            guard reply != expectation.text else { return nil }
            return CheckFailure(location: expectation.location, turn: turn, kind: "recorded", expected: expectation.text,
                                actual: reply, diff: TextDiff.describe(expected: expectation.text, actual: reply,
                                                                       expectedLabel: "recorded", actualLabel: "replayed"))
        case .equals:
            let got = reply.trimmingCharacters(in: .whitespacesAndNewlines)
            let want = expectation.text.trimmingCharacters(in: .whitespacesAndNewlines)
            guard got != want else { return nil }
            return CheckFailure(location: expectation.location, turn: turn, kind: "equals", expected: want, actual: got,
                                diff: TextDiff.describe(expected: want, actual: got, expectedLabel: "expected", actualLabel: "replayed"))
        case .contains:
            guard !reply.contains(expectation.text) else { return nil }
            let shown = reply.count > 400 ? String(reply.prefix(400)) + "…" : reply
            return CheckFailure(location: expectation.location, turn: turn, kind: "contains", expected: expectation.text,
                                actual: reply, diff: "missing: \(expectation.text)\nreply:   \(shown)")
        }
    }

    /// The transcript note for a state change, nil for events shown otherwise.
    static func note(for event: SessionEvent) -> String? {
        switch event {
        case .persona(let p): return "persona: \(p.persona)"
        case .model(let m): return "model: \(URL(fileURLWithPath: m.model.path).lastPathComponent)"
        case .theme(let t): return "theme: \(t.theme)"
        case .systemPrompt(let s): return "system prompt: \(s.systemPrompt.replacingOccurrences(of: "\n", with: " "))"
        case .sampling(let s): return "sampling: temperature \(s.sampling.temperature), seed \(s.sampling.seed)"
        case .preference(let p): return p.value.map { "preference: \(p.key) = \($0)" } ?? "preference removed: \(p.key)"
        case .reset: return "new conversation"
        case .rewind(let r): return "conversation rewound to \(r.keep) message\(r.keep == 1 ? "" : "s")"
        case .start, .user, .assistant, .partial, .failure: return nil
        }
    }
}
