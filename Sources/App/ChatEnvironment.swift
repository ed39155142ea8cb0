import Conversation
import Foundation
import Sessions
import TerminalUI

/// Sampling values given on the command line; they win over a persona's defaults.
///
/// The same optional fields as a persona's ``SamplingDefaults``, applied last.
public typealias SamplingOverrides = SamplingDefaults

extension SamplingDefaults {
    /// nook's defaults, then the persona's, then these overrides; the seed is `seed`.
    public func settings(for persona: Persona, seed: UInt64) -> SamplingSettings {
        applied(to: persona.sampling.applied(to: SamplingSettings(seed: seed)))
    }
}

/// A model loaded for the chat (by `/model`): the generator and what `/model` shows about it.
public final class LoadedModel: Sendable, Equatable {
    public let generator: any ReplyGenerator
    public let details: [String]
    /// A warning to show (a context above the trained length), if any.
    public let caution: String?

    public init(generator: any ReplyGenerator, details: [String], caution: String? = nil) {
        self.generator = generator
        self.details = details
        self.caution = caution
    }

    public static func == (a: LoadedModel, b: LoadedModel) -> Bool { a === b }
}

/// Everything the chat app takes from outside: the generator, the catalogs, where files go and
/// the choices made on the command line. Tests build one with a fake generator and temporary folders.
public struct ChatEnvironment: Sendable {
    public var generator: any ReplyGenerator
    /// Lines shown by `/model`.
    public var modelDetails: [String]
    public var personas: PersonaCatalog
    public var themes: ThemeCatalog
    /// What the terminal can show; themes are fitted to it.
    public var capability: ColorCapability
    public var store: SessionStore
    /// Persisted input history; nil keeps history in memory only.
    public var history: InputHistory?
    public var sampling: SamplingOverrides
    /// The seed recorded for the session.
    public var seed: UInt64
    /// Whether `seed` was given on the command line (it then wins over a resumed session's seed too).
    public var seedFromFlag = false
    public var personaName: String?
    public var themeName: String?
    public var userName: String?
    /// Problems found while loading (broken persona or theme files), shown at the start as errors.
    public var warnings: [String]
    /// Things to know that are not problems (a context above the trained length), shown at the start as warnings.
    public var cautions: [String] = []
    /// Loads another model for `/model` (called off the UI thread); nil when the chat cannot switch models.
    public var modelLoader: (@Sendable (String) throws -> LoadedModel)?
    /// Where `/model NAME` looks for `NAME.gguf` (`$XDG_DATA_HOME/nook/models`).
    public var modelsFolder: URL?
    public var workingDirectory: String
    public var homeDirectory: String
    public var attachments: AttachmentText
    /// The user's persona folder, re-read when its files change (nil: not watched).
    public var personaFolder: URL?
    /// The user's theme folder, re-read when its files change (nil: not watched).
    public var themeFolder: URL?
    /// config.toml, where `/theme NAME --save` writes (nil: themes cannot be saved).
    public var configFile: URL?
    /// The user's profile for `/pref`, `/remember`, `/memories` and learning at the end of a session (nil: none).
    public var profile: ChatProfile?

    public init(generator: any ReplyGenerator, modelDetails: [String] = [], personas: PersonaCatalog = PersonaCatalog(),
                themes: ThemeCatalog = ThemeCatalog(themes: Theme.builtIns), capability: ColorCapability = .ansi256,
                store: SessionStore, history: InputHistory? = nil, sampling: SamplingOverrides = SamplingOverrides(),
                seed: UInt64 = 0, personaName: String? = nil, themeName: String? = nil, userName: String? = nil,
                warnings: [String] = [], workingDirectory: String = FileManager.default.currentDirectoryPath,
                homeDirectory: String = NSHomeDirectory(), attachments: AttachmentText = AttachmentText()) {
        self.generator = generator
        self.modelDetails = modelDetails
        self.personas = personas
        self.themes = themes
        self.capability = capability
        self.store = store
        self.history = history
        self.sampling = sampling
        self.seed = seed
        self.personaName = personaName
        self.themeName = themeName
        self.userName = userName
        self.warnings = warnings
        self.workingDirectory = workingDirectory
        self.homeDirectory = homeDirectory
        self.attachments = attachments
    }
}

/// A generator whose requests get the command line's sampling flags on top of whatever a script's
/// personas chose, so that flags win over persona defaults in script replays as they do in the chat.
public struct OverridingGenerator: ReplyGenerator {
    public var base: any ReplyGenerator
    public var overrides: SamplingOverrides

    public init(base: any ReplyGenerator, overrides: SamplingOverrides) {
        self.base = base
        self.overrides = overrides
    }

    public var modelInfo: ModelInfo { base.modelInfo }

    public func reply(to request: ReplyRequest) -> AsyncThrowingStream<TokenEvent, any Error> {
        var changed = request
        changed.sampling = overrides.applied(to: request.sampling)
        return base.reply(to: changed)
    }
}
