import GGUF
import Kernels

/// Builds a ready-to-run model from a parsed file: the one thing each architecture provides.
public typealias ModelBuilder = @Sendable (GGUFFile, ModelOptions) throws(ModelError) -> any LanguageModel

/// One `general.architecture` value and the code that builds its model.
public struct Architecture: Sendable {
    public let name: String
    let build: ModelBuilder

    public init(name: String, build: @escaping ModelBuilder) {
        self.name = name
        self.build = build
    }
}

/// The architectures nook runs, keyed by `general.architecture`: the single table that maps architectures to code.
///
/// A model with another block structure is one new file with a builder, plus one line here.
public enum ArchitectureRegistry {
    public static let architectures: [Architecture] = [
        Architecture(name: "llama", build: LlamaModel.builder(ropeStyle: .normal) { l, hp throws(ModelError) in
            try DecoderWeights.loadStandard(l, hp, requireBiases: false, qkNorm: false)
        }),
        Architecture(name: "qwen2", build: LlamaModel.builder(ropeStyle: .neox) { l, hp throws(ModelError) in
            try DecoderWeights.loadStandard(l, hp, requireBiases: true, qkNorm: false)
        }),
        Architecture(name: "qwen3", build: LlamaModel.builder(ropeStyle: .neox) { l, hp throws(ModelError) in
            try DecoderWeights.loadStandard(l, hp, requireBiases: false, qkNorm: true)
        }),
        Architecture(name: "phi3", build: LlamaModel.builder(ropeStyle: .neox, weights: Phi3.load)),
        Architecture(name: "gemma3", build: Gemma3Model.builder),
    ]

    public static func architecture(named name: String) -> Architecture? {
        architectures.first { $0.name == name }
    }

    /// Loads the model in an already parsed GGUF file.
    public static func load(_ file: GGUFFile, options: ModelOptions = ModelOptions()) throws(ModelError) -> any LanguageModel {
        guard let name = file.string("general.architecture") else {
            throw .invalid(path: file.path, "missing metadata general.architecture")
        }
        guard let arch = architecture(named: name) else {
            let known = architectures.map(\.name).joined(separator: ", ")
            throw .invalid(path: file.path, "architecture \(name) is not supported (nook runs \(known))")
        }
        return try arch.build(file, options)
    }

    /// Opens and loads a model file.
    public static func load(path: String, options: ModelOptions = ModelOptions()) throws(ModelError) -> any LanguageModel {
        let file: GGUFFile
        do { file = try GGUFFile(path: path) } catch { throw .file(error) }
        return try load(file, options: options)
    }
}
