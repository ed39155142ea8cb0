import GGUF
import Kernels

/// How one `general.architecture` value is loaded: the single table that maps architectures to code.
public struct Architecture: Sendable {
    public let name: String
    let ropeStyle: Rope.Style
    let loadWeights: @Sendable (WeightLoader, Hyperparameters) throws(ModelError) -> DecoderWeights
}

/// The architectures nook runs, keyed by `general.architecture`.
public enum ArchitectureRegistry {
    public static let architectures: [Architecture] = [
        Architecture(name: "llama", ropeStyle: .normal) { l, hp throws(ModelError) in
            try DecoderWeights.loadStandard(l, hp, requireBiases: false, qkNorm: false)
        },
        Architecture(name: "qwen2", ropeStyle: .neox) { l, hp throws(ModelError) in
            try DecoderWeights.loadStandard(l, hp, requireBiases: true, qkNorm: false)
        },
        Architecture(name: "qwen3", ropeStyle: .neox) { l, hp throws(ModelError) in
            try DecoderWeights.loadStandard(l, hp, requireBiases: false, qkNorm: true)
        },
        Architecture(name: "phi3", ropeStyle: .neox) { l, hp throws(ModelError) in
            try Phi3.load(l, hp)
        },
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
        let hp = try Hyperparameters(file: file, architecture: name)
        let weights = try arch.loadWeights(WeightLoader(file: file), hp)
        return LlamaModel(file: file, hyperparameters: hp, weights: weights, ropeStyle: arch.ropeStyle, options: options)
    }

    /// Opens and loads a model file.
    public static func load(path: String, options: ModelOptions = ModelOptions()) throws(ModelError) -> any LanguageModel {
        let file: GGUFFile
        do { file = try GGUFFile(path: path) } catch { throw .file(error) }
        return try load(file, options: options)
    }
}
