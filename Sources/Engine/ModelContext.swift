import Conversation
import Foundation
import GGUF
import Kernels
import Models
import Tokenization

/// A loaded model file: the decoder, its tokenizer and its chat template metadata.
public final class ModelContext: @unchecked Sendable {
    public let path: String
    public let file: GGUFFile
    public let model: any LanguageModel
    public let tokenizer: any Tokenizer
    /// Vocabulary entries found by their text (``vocabularyToken(_:)``), so each marker is searched for once.
    let pieceIDs = PieceIndex()

    /// Opens `path`, validates it and loads model and tokenizer without copying the weights.
    public init(path: String, options: ModelOptions = ModelOptions()) throws {
        self.path = path
        do { file = try GGUFFile(path: path) } catch { throw ModelError.file(error) }
        model = try ArchitectureRegistry.load(file, options: options)
        tokenizer = try TokenizerFactory.make(from: file)
        guard tokenizer.vocabularySize <= model.hyperparameters.vocabularySize else {
            throw ModelError.invalid(path: path, "tokenizer has \(tokenizer.vocabularySize) tokens but the model only \(model.hyperparameters.vocabularySize)")
        }
    }

    /// The model's own Jinja chat template, if the file has one.
    public var jinjaTemplate: String? { file.string("tokenizer.chat_template") }

    /// The chat template to use: the override when given, else the one detected from the file.
    public func chatTemplate(override: String?) throws -> ChatTemplate {
        try ChatTemplateResolver.resolve(override: override, jinja: jinjaTemplate, modelPath: path)
    }

    /// Text of a special token for templates (`<s>`, `</s>` …), empty when the model has none.
    public func tokenText(_ id: Int32?) -> String {
        guard let id else { return "" }
        return tokenizer.text(of: id)
    }

    /// Renders a conversation with the chat template and tokenizes it (special tokens parsed).
    public func promptTokens(for messages: [Message], template: ChatTemplate) -> [Int32] {
        let text = template.render(messages, addAssistantPrefix: true,
                                   bosToken: tokenText(tokenizer.bos), eosToken: tokenText(tokenizer.eos))
        return tokenizer.encode(text, addSpecial: true, parseSpecial: true)
    }
}

extension ModelContext {
    /// One worker thread per core: the default of every command.
    public static var defaultThreads: Int { ModelOptions.defaultThreads }

    /// Opens `path` with `threads` workers (default: one per core) evaluating at most `maxBatch` tokens per pass, with a
    /// KV cache of `kvType` (`f16`, `f32` or `q8_0`, default f16).
    public convenience init(path: String, threads: Int?, maxBatch: Int = 512, kvType: String? = nil) throws {
        guard let type = KVCacheType(rawValue: kvType ?? KVCacheType.f16.rawValue) else {
            throw ModelError.invalid(path: path, "unknown KV cache type \(kvType ?? "") (nook stores \(Self.kvTypes.joined(separator: ", ")))")
        }
        try self.init(path: path, options: ModelOptions(threads: threads ?? ModelOptions.defaultThreads, maxBatch: maxBatch,
                                                        kvType: type))
    }

    /// The KV cache types `--kv-type` takes.
    public static var kvTypes: [String] { KVCacheType.allCases.map(\.rawValue) }

    /// The tokenizer of a model or vocabulary-only GGUF file, without loading any weights.
    public static func tokenizer(path: String) throws -> any Tokenizer {
        try TokenizerFactory.make(from: GGUFFile(path: path))
    }

    /// A one-line warning when `length` is above the context the model was trained for; nil otherwise.
    public func contextWarning(for length: Int) -> String? {
        let trained = model.hyperparameters.contextLength
        guard length > trained else { return nil }
        return "a context of \(length) tokens is above the \(trained) this model was trained for: replies may degrade past \(trained)"
    }

    /// The kernel level the matrix products run at (the CPU's best, capped by `NOOK_CPU`).
    public static var kernelLevel: String { KernelLevel.best.description }

    /// A one-line warning when `NOOK_CPU` cannot be honoured as written; nil when it is unset or fine.
    public static func cpuOverrideWarning(environment: [String: String]) -> String? {
        KernelLevel.overrideWarning(environment: environment)
    }
}
