import Conversation
import Foundation
import Personalization
import Sessions

/// What `nook run` was asked for.
public struct RunOptions: Sendable {
    public var engine: ModelRequest
    public var persona: String?
    public var user: String?
    /// Files attached to the prompt.
    public var attachments: [String]
    public var sampling: SamplingOverrides
    /// nil: a random seed, recorded in the session.
    public var seed: UInt64?
    /// Whether to record the exchange as a session.
    public var record: Bool
    /// `--incognito`: the profile is neither read nor written.
    public var incognito = false
    /// `--print-prompt`: print the prompt the model would receive and stop, recording and learning nothing.
    public var printPrompt = false

    public init(engine: ModelRequest = ModelRequest(), persona: String? = nil, user: String? = nil, attachments: [String] = [],
                sampling: SamplingOverrides = SamplingOverrides(), seed: UInt64? = nil, record: Bool = true) {
        self.engine = engine
        self.persona = persona
        self.user = user
        self.attachments = attachments
        self.sampling = sampling
        self.seed = seed
        self.record = record
    }
}

/// `nook run`, `nook replay` and `nook persona`: the non-interactive commands. Each returns the
/// exit status and prints problems as one line on standard error.
public enum CommandLaunchers {
    /// Answers one prompt, streaming the reply to standard output. `interrupted` is polled between
    /// pieces: when it turns true the reply stops and what was written is kept (exit status 130).
    public static func run(_ options: RunOptions, prompt: String, environment: [String: String],
                           interrupted: @escaping @Sendable () -> Bool) -> Int32 {
        let paths = Paths(environment: environment)
        do {
            let config = try NookConfig.load(paths: paths, environment: environment)
            let (personas, warnings) = PersonaCatalog.loadReporting(folder: paths.personas)
            // Said once per change of the broken file, not on every run (the chat shows them every time).
            for warning in ReportedWarnings(paths: paths).unreported(warnings) { printError(warning) }
            let persona = try personas.persona(named: options.persona ?? config.persona ?? PersonaCatalog.defaultName)
            guard !prompt.trimmingCharacters(in: .whitespacesAndNewlines).isEmpty else {
                throw ConfigError("the prompt is empty")
            }
            // Attachments are checked before the model loads, so a bad file costs no loading time.
            let cwd = FileManager.default.currentDirectoryPath
            let early = AttachmentText(acceptsImages: options.engine.mmproj != nil)
            for path in options.attachments { _ = try early.attachment(forFileAt: path.hasPrefix("/") ? path : cwd + "/" + path) }
            let model = try ModelLoader.resolve(options.engine, environment: environment)
            let generator = try ModelLoader.load(model, options.engine, environment: environment)
            let text = generator.attachmentRules
            let attachments = try options.attachments.map { path in
                try text.attachment(forFileAt: path.hasPrefix("/") ? path : cwd + "/" + path)
            }
            if let warning = generator.contextWarning { printError("warning: \(warning)") }
            var setup = PromptRunner(generator: generator, persona: persona, userName: options.user ?? config.user,
                                     sampling: options.sampling.settings(for: persona, seed: options.seed ?? SamplingSettings.randomSeed()),
                                     store: options.record ? SessionStore(paths: paths) : nil)
            if !options.incognito && options.record {
                setup.profileContext = profileContext(for: prompt, persona: persona.name, user: options.user ?? config.user,
                                                      generator: generator, paths: paths, environment: environment)
            }
            let runner = setup
            if options.printPrompt {
                write(try printedPrompt(runner, prompt: prompt, attachments: attachments))
                return 0
            }
            let outcome = try Blocking.wait { () async throws -> PromptRunner.Outcome in
                let task = Task { try await runner.run(prompt: prompt, attachments: attachments) { write($0) } }
                let watcher = Task {
                    while !Task.isCancelled {
                        if interrupted() { return task.cancel() }
                        try? await Task.sleep(for: .milliseconds(50))
                    }
                }
                defer { watcher.cancel() }
                return try await task.value
            }
            if !outcome.text.hasSuffix("\n") { write("\n") }
            if let id = outcome.sessionID, !options.incognito {
                learn(prompt, sessionId: id, user: options.user ?? config.user, paths: paths, environment: environment)
            }
            if outcome.stopReason == .contextFull { printError("stopped: the context window is full") }
            return outcome.stopReason == nil ? 130 : 0
        } catch {
            printError("\(error)")
            return 1
        }
    }

    /// The text `--print-prompt` writes: the run's request after the chat template, ending with a newline.
    static func printedPrompt(_ runner: PromptRunner, prompt: String, attachments: [Attachment]) throws -> String {
        guard let engine = runner.generator as? EngineReplyGenerator else { throw ConfigError("--print-prompt needs the engine") }
        var state = ConversationState(start: SessionStart(model: engine.modelInfo, sampling: runner.sampling, persona: runner.persona.name,
                                                          systemPrompt: runner.persona.effectiveSystemPrompt(userName: runner.userName),
                                                          user: runner.userName))
        if let context = runner.profileContext, !context.isEmpty {
            state.apply(.preference(PreferenceUpdate(key: ConversationState.profileContextKey, value: context)))
        }
        state.apply(.user(UserTurn(text: prompt, attachments: attachments)))
        let text = try engine.promptText(for: state.request)
        return text.hasSuffix("\n") ? text : text + "\n"
    }

    /// The profile context for a run's prompt; nil when there is none or the profile cannot be read (reported).
    static func profileContext(for prompt: String, persona: String, user: String?, generator: any ReplyGenerator,
                               paths: Paths, environment: [String: String]) -> String? {
        do {
            let name = try ProfileUser.resolve(flag: user, configured: nil, environment: environment)
            guard FileManager.default.fileExists(atPath: paths.profileDatabase.path),
                  let profile = try ProfileStore(url: paths.profileDatabase).existingProfile(for: name) else { return nil }
            return try ChatProfile.context(from: profile, persona: persona, message: prompt, generator: generator).messages.first?.text()
        } catch {
            printError("warning: the profile was not read: \(error)")
            return nil
        }
    }

    /// Learns from a one-turn session's prompt; a profile that cannot be opened is reported and skipped.
    static func learn(_ prompt: String, sessionId: String, user: String?, paths: Paths, environment: [String: String]) {
        do {
            let name = try ProfileUser.resolve(flag: user, configured: nil, environment: environment)
            let profile = try ProfileStore(url: paths.profileDatabase).profile(for: name)
            try SessionLearner().learn(from: [Message(role: .user, content: prompt)], sessionId: sessionId, profile: profile)
        } catch {
            printError("warning: the profile was not updated: \(error)")
        }
    }

    /// Replays a session log or script; with `check`, exits 1 with the first difference.
    public static func replay(file: String, engine: ModelRequest, check: Bool, json: Bool, sampling: SamplingOverrides,
                              seed: UInt64?, samplingGiven: Bool, environment: [String: String], liveProfile: Bool = false) -> Int32 {
        let url = URL(fileURLWithPath: file).standardizedFileURL
        let paths = Paths(environment: environment)
        do {
            var isDirectory: ObjCBool = false
            guard FileManager.default.fileExists(atPath: url.path, isDirectory: &isDirectory) else {
                throw ConfigError("\(url.path): no such file (give a session log .jsonl or a script .nook)")
            }
            if isDirectory.boolValue { throw ConfigError("\(url.path): is a folder, not a session log or script") }
            var recordedUser: String?
            var recordedModel: String?
            var recordedTemplate: String?
            var engine = engine
            let isScript = url.pathExtension.lowercased() == "nook"
            if !isScript {
                let contents = try SessionLogReader.read(url)
                recordedUser = contents.start.user
                recordedModel = contents.start.model.path
                recordedTemplate = contents.start.model.template
                // The context decides which old turns a reply saw: replay with the recorded one unless --ctx says otherwise.
                if engine.contextLength == nil { engine.contextLength = contents.start.model.contextLength }
                // Likewise the KV cache type; logs from before the choice were made with an f32 cache.
                if engine.kvType == nil { engine.kvType = contents.start.model.kvType ?? "f32" }
                // And the vision projector and its token cap, when the session had one and the file is still there.
                if engine.mmproj == nil, let recorded = contents.start.model.mmproj {
                    guard FileManager.default.fileExists(atPath: recorded) else {
                        throw ConfigError("\(url.path): the session's vision projector \(recorded) does not exist (give --mmproj)")
                    }
                    engine.mmproj = recorded
                    if engine.imageTokens == nil { engine.imageTokens = contents.start.model.imageTokens }
                }
                if samplingGiven {
                    printError("sampling flags are ignored for a recorded session: it replays with the settings it recorded")
                }
            } else {
                _ = try ScriptParser.parse(contentsOf: url)
            }
            let model = try ModelLoader.resolve(engine, environment: environment, preferred: recordedModel)
            let generator = try ModelLoader.load(model, engine, environment: environment, template: recordedTemplate)
            let (personas, warnings) = PersonaCatalog.load(paths: paths)
            for warning in warnings { printError(warning) }
            let printer = TranscriptPrinter()
            let progress: (@Sendable (ReplayProgress) -> Void)? = json ? nil : { @Sendable (step: ReplayProgress) in printer.show(step) }
            // A recorded /model switch loads that model too, unless --model chose one model for the whole replay.
            let request = engine
            var loadModel: (@Sendable (ModelInfo) throws -> any ReplyGenerator)?
            if engine.model == nil {
                loadModel = { @Sendable (info: ModelInfo) throws -> any ReplyGenerator in
                    try ModelLoader.load(info.path, request, environment: environment, template: info.template)
                }
            }
            var options = ReplayOptions(check: check, stopAtFirstFailure: true,
                                        baseSampling: sampling.applied(to: SamplingSettings(seed: seed ?? 0)),
                                        onProgress: progress, loadModel: loadModel)
            if liveProfile {
                let config = try NookConfig.load(paths: paths, environment: environment)
                let name = try ProfileUser.resolve(flag: recordedUser, configured: config.user, environment: environment)
                let profile = FileManager.default.fileExists(atPath: paths.profileDatabase.path)
                    ? try ProfileStore(url: paths.profileDatabase).existingProfile(for: name) : nil
                options.liveProfileContext = { @Sendable persona, message in
                    guard let profile else { return nil }
                    return try? ChatProfile.context(from: profile, persona: persona, message: message, generator: generator,
                                                    markUsed: false).messages.first?.text()
                }
            }
            let replying: any ReplyGenerator = isScript ? OverridingGenerator(base: generator, overrides: sampling) : generator
            let replayer = Replayer(generator: replying, personas: personas, options: options)
            let result = try Blocking.wait { try await replayer.run(fileAt: url) }
            for warning in result.warnings { printError(warning) }
            if json {
                write(String(decoding: try result.jsonData(), as: UTF8.self) + "\n")
            }
            if check {
                FileHandle.standardError.write(Data((result.summary + "\n").utf8))
                return result.passed ? 0 : 1
            }
            return 0
        } catch {
            printError("\(error)")
            return 1
        }
    }

    /// Lists the personas: name, description and where each comes from.
    public static func listPersonas(environment: [String: String]) -> Int32 {
        let paths = Paths(environment: environment)
        let (catalog, warnings) = PersonaCatalog.load(paths: paths)
        for warning in warnings { printError(warning) }
        let width = catalog.names.map(\.count).max() ?? 0
        var out = ""
        for persona in catalog.personas {
            let source: String
            switch catalog.source(of: persona.name) {
            case .file(let url)?: source = url.path
            default: source = "built-in"
            }
            out += persona.name.padding(toLength: width, withPad: " ", startingAt: 0) + "  "
                + (persona.description.isEmpty ? "" : persona.description + " ") + "(\(source))\n"
        }
        write(out)
        return 0
    }

    /// Imports a Character Card V2 as a persona file in the user's persona folder.
    public static func importPersona(card: String, overwrite: Bool, environment: [String: String]) -> Int32 {
        let paths = Paths(environment: environment)
        do {
            let (persona, file) = try CharacterCardImporter.importCard(at: URL(fileURLWithPath: card), into: paths.personas,
                                                                       overwrite: overwrite)
            write("imported \(persona.shownName) as persona '\(persona.name)' in \(file.path)\nuse it with: nook chat --persona \(persona.name)   (or /persona \(persona.name) in the chat)\n")
            return 0
        } catch {
            printError("\(error)")
            return 1
        }
    }

    static func write(_ text: String) {
        FileHandle.standardOutput.write(Data(text.utf8))
    }

    static func printError(_ message: String) {
        FileHandle.standardError.write(Data(("nook: " + message + "\n").utf8))
    }
}
