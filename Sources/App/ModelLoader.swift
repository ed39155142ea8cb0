import Foundation
import Multimodal
import Sessions

/// Which model to load and how, as given on the command line.
public struct ModelRequest: Sendable {
    /// `--model`; nil falls back to `$NOOK_MODEL`, then config.toml.
    public var model: String?
    public var threads: Int?
    public var contextLength: Int?
    public var template: String?
    /// `--kv-type`: `f16` (nil) or `f32`.
    public var kvType: String?
    /// `--mmproj`: the vision projector that lets the model see images.
    public var mmproj: String?
    /// `--image-tokens N`: at most N tokens an image (nil: the projector's own rule).
    public var imageTokens: Int?

    public init(model: String? = nil, threads: Int? = nil, contextLength: Int? = nil, template: String? = nil,
                kvType: String? = nil, mmproj: String? = nil, imageTokens: Int? = nil) {
        self.kvType = kvType
        self.mmproj = mmproj
        self.imageTokens = imageTokens
        self.model = model
        self.threads = threads
        self.contextLength = contextLength
        self.template = template
    }
}

/// Finds and loads the model for chat, run and replay.
public enum ModelLoader {
    /// The model path: `--model`, else `preferred` when that file exists (a recording's model),
    /// else `$NOOK_MODEL`, else config.toml.
    public static func resolve(_ request: ModelRequest, environment: [String: String], preferred: String? = nil) throws -> String {
        let paths = Paths(environment: environment)
        if request.model == nil, let preferred, FileManager.default.fileExists(atPath: preferred) { return preferred }
        let config = try NookConfig.load(paths: paths, environment: environment)
        return try ModelResolver.resolve(flag: request.model, environment: environment, config: config,
                                         configFile: paths.configFile)
    }

    /// Loads the model at `path` with the request's settings (hashes cached in nook's cache folder).
    public static func load(_ path: String, _ request: ModelRequest, environment: [String: String],
                            template: String? = nil) throws -> EngineReplyGenerator {
        try EngineReplyGenerator(modelPath: path, options: .init(
            threads: request.threads ?? EngineReplyGenerator.Options().threads, contextLength: request.contextLength,
            template: request.template ?? template, hashCache: ModelHashCache(paths: Paths(environment: environment)),
            kvType: request.kvType, mmproj: request.mmproj, imageTokens: request.imageTokens,
            mediaCache: MediaCache(folder: MediaCache.defaultFolder(environment: environment))),
            pieceDelay: debugPieceDelay(environment))
    }

    /// Debug builds only: `NOOK_DEBUG_PIECE_DELAY_MS` slows replies down so the tmux tests can interrupt them.
    static func debugPieceDelay(_ environment: [String: String]) -> Double {
        #if DEBUG
        if let ms = environment["NOOK_DEBUG_PIECE_DELAY_MS"].flatMap(Double.init), (0...10_000).contains(ms) { return ms / 1000 }
        #endif
        return 0
    }
}
