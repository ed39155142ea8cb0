import Conversation
import CursesScreen
import Foundation
import Personalization
import Sessions
import TerminalUI

/// What `nook chat` was asked for on the command line.
public struct ChatOptions: Sendable {
    /// The model, and the vision projector (`engine.mmproj`) when images should reach it.
    public var engine: ModelRequest
    public var sampling: SamplingOverrides
    /// nil: a random seed, recorded in the session.
    public var seed: UInt64?
    public var persona: String?
    public var theme: String?
    public var user: String?
    /// A session to continue at start (`--continue`, `--session`).
    public var session: SessionChoice?
    /// False with `--no-save`: neither the session nor the input history is written.
    public var record: Bool
    /// `--incognito`: the profile is neither read nor written.
    public var incognito = false

    public init(engine: ModelRequest = ModelRequest(), sampling: SamplingOverrides = SamplingOverrides(),
                seed: UInt64? = nil, persona: String? = nil, theme: String? = nil, user: String? = nil,
                session: SessionChoice? = nil, record: Bool = true) {
        self.session = session
        self.record = record
        self.engine = engine
        self.sampling = sampling
        self.seed = seed
        self.persona = persona
        self.theme = theme
        self.user = user
    }
}

/// Starts the full-screen chat: checks the terminal, finds and loads the model, loads personas
/// and themes, and runs the UI loop.
public enum ChatLauncher {
    /// The message for a standard output that is not a terminal, or an unset TERM.
    public static func terminalProblem(environment: [String: String], stdoutIsTerminal: Bool) -> String? {
        let advice = "use `nook run PROMPT` (or pipe the prompt to `nook run`) to ask from scripts and pipes"
        if !stdoutIsTerminal { return "nook chat needs a terminal, but standard output is not one: \(advice)" }
        let term = environment["TERM"] ?? ""
        if term.isEmpty { return "nook chat needs a terminal, but TERM is not set: \(advice)" }
        if term == "dumb" { return "nook chat needs a terminal that can move the cursor, but TERM is dumb: \(advice)" }
        return nil
    }

    /// Runs the chat; returns the exit status. Problems are printed to standard error in one line.
    public static func run(_ options: ChatOptions, environment: [String: String]) -> Int32 {
        if let problem = terminalProblem(environment: environment,
                                         stdoutIsTerminal: isatty(STDOUT_FILENO) == 1 && isatty(STDIN_FILENO) == 1) {
            printError(problem)
            return 1
        }
        let paths = Paths(environment: environment)
        var warnings: [String] = []
        var cautions: [String] = []
        let generator: EngineReplyGenerator
        let config: NookConfig
        do {
            config = try NookConfig.load(paths: paths, environment: environment)
            let model = try ModelLoader.resolve(options.engine, environment: environment)
            printError("loading \(model)…")
            generator = try ModelLoader.load(model, options.engine, environment: environment)
            if let warning = generator.contextWarning { cautions.append(warning) }
        } catch {
            printError("\(error)")
            return 1
        }
        let (personas, personaWarnings) = PersonaCatalog.load(paths: paths)
        let themes = ThemeLoader.loadAll(environment: environment)
        warnings = personaWarnings + themes.errors.map(\.description) + warnings
        var profile: ChatProfile?
        do {
            let user = try ProfileUser.resolve(flag: options.user, configured: config.user, environment: environment)
            // --no-save writes nothing at all, so it leaves the profile alone as --incognito does.
            profile = try ChatProfile.open(url: paths.profileDatabase, user: user, incognito: options.incognito || !options.record)
        } catch {
            warnings.append("\(error); this chat does not use the profile")
        }
        let screen: CursesScreen
        do {
            screen = try CursesScreen(environment: environment)
        } catch {
            printError("\(error)")
            return 1
        }
        var chatEnvironment = ChatEnvironment(
            generator: generator, modelDetails: generator.details, personas: personas, themes: themes,
            capability: screen.capability, store: SessionStore(paths: paths), history: options.record ? InputHistory(paths: paths) : nil,
            sampling: options.sampling, seed: options.seed ?? SamplingSettings.randomSeed(),
            personaName: options.persona ?? config.persona, themeName: options.theme ?? config.theme,
            userName: options.user ?? config.user, warnings: warnings,
            homeDirectory: environment["HOME"].flatMap { $0.isEmpty ? nil : $0 } ?? NSHomeDirectory(),
            attachments: generator.attachmentRules)
        chatEnvironment.cautions = cautions
        chatEnvironment.seedFromFlag = options.seed != nil
        chatEnvironment.modelsFolder = paths.models
        let engine = options.engine
        chatEnvironment.modelLoader = { @Sendable (path: String) throws -> LoadedModel in
            let generator = try ModelLoader.load(path, engine, environment: environment)
            return LoadedModel(generator: generator, details: generator.details, caution: generator.contextWarning)
        }
        chatEnvironment.personaFolder = paths.personas
        chatEnvironment.themeFolder = ThemeLoader.userDirectory(environment: environment)
        chatEnvironment.configFile = paths.configFile
        chatEnvironment.profile = profile
        chatEnvironment.warnings += profile?.catchUp(sessions: SessionStore(paths: paths)) ?? []
        let wakeup = screen.wakeup
        let app = ChatApp(environment: chatEnvironment, mailbox: Mailbox(wake: { wakeup.wake() }))
        if !options.record { app.disableSaving() }
        if let choice = options.session { app.resumeAtStart(choice) }
        app.markIncognitoSession()
        ChatRunner.run(app, on: screen)
        screen.close()
        if let url = app.sessionURL {
            printError("session saved in \(url.path) (replay it with: nook replay \(url.path))")
        } else if let reason = app.notSaved {
            printError("this session was not saved: \(reason)")
        }
        return 0
    }

    static func printError(_ message: String) {
        FileHandle.standardError.write(Data(("nook: " + message + "\n").utf8))
    }
}
