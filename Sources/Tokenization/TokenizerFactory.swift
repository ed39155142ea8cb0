import GGUF

/// The one place that maps `tokenizer.ggml.model` to a tokenizer implementation.
public enum TokenizerFactory {
    /// The `tokenizer.ggml.model` values nook implements.
    public static let supportedModels = ["gpt2", "llama", "bert"]

    /// The tokenizer of a GGUF file's vocabulary.
    /// - Throws: ``TokenizerError`` naming the file when the vocabulary is missing, malformed or of
    ///   an unknown model or pre-tokenizer.
    public static func make(from file: GGUFFile) throws -> any Tokenizer {
        guard let value = file.metadata["tokenizer.ggml.model"] else {
            throw TokenizerError(path: file.path, "missing tokenizer.ggml.model: the file has no vocabulary")
        }
        guard let model = value.stringValue else {
            throw TokenizerError(path: file.path, "tokenizer.ggml.model must be a string")
        }
        switch model {
        case "gpt2": return try BPETokenizer(file: file)
        case "llama": return try SentencePieceTokenizer(file: file)
        case "bert": return try WordPieceTokenizer(file: file)
        default:
            throw TokenizerError(path: file.path,
                                 "unknown tokenizer.ggml.model '\(model)' (nook supports \(supportedModels.joined(separator: ", ")))")
        }
    }

    /// The tokenizer of the GGUF file at a path.
    public static func make(path: String) throws -> any Tokenizer {
        try make(from: GGUFFile(path: path))
    }
}
