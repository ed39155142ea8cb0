import GGUF

/// The kind of a vocabulary entry, from `tokenizer.ggml.token_type`.
public enum TokenAttribute: Sendable, Equatable {
    /// Ordinary text.
    case normal
    /// A control token such as `<s>` or `<|im_end|>`: matched in text only when special tokens are parsed.
    case control
    /// An added token that is always matched in text before tokenization.
    case userDefined
    /// The unknown token.
    case unknown
    /// A byte-fallback token such as `<0x0A>`.
    case byte
    /// A reserved token the model never uses.
    case unused
    /// No type given (type 0, or a type number llama.cpp does not know); such tokens detokenize to nothing.
    case undefined
}

/// Turns text into token ids and back, exactly as llama.cpp does for the same GGUF vocabulary.
public protocol Tokenizer: Sendable {
    /// Number of tokens in the vocabulary.
    var vocabularySize: Int { get }
    /// The beginning-of-sequence token (`tokenizer.ggml.bos_token_id`, or llama.cpp's default for the model type).
    var bos: Int32? { get }
    /// The end-of-sequence token (`tokenizer.ggml.eos_token_id`; for BERT vocabularies the [SEP] token that ends a sequence).
    var eos: Int32? { get }
    /// Whether `encode(addSpecial: true)` starts with ``bos`` (`tokenizer.ggml.add_bos_token`, with llama.cpp's defaults).
    var addBOS: Bool { get }
    /// Whether `encode(addSpecial: true)` ends with ``eos`` (`tokenizer.ggml.add_eos_token`, with llama.cpp's defaults).
    var addEOS: Bool { get }
    /// Token ids of text. `addSpecial` adds BOS/EOS per the flags; `parseSpecial` lets text like
    /// "<|im_start|>" become the control token (otherwise it is tokenized as plain text).
    func encode(_ text: String, addSpecial: Bool, parseSpecial: Bool) -> [Int32]
    /// The bytes a token stands for when detokenized, as llama.cpp's `token_to_piece` with special
    /// tokens rendered. Empty for an out-of-range id.
    func piece(_ token: Int32) -> [UInt8]
    /// The raw vocabulary string of a token; empty for an out-of-range id.
    func text(of token: Int32) -> String
    /// The kind of a token; `.undefined` for an out-of-range id.
    func attribute(of token: Int32) -> TokenAttribute
    /// Whether generation ends at this token: eos, eot, eom and the tokens llama.cpp recognises by text
    /// (`<|im_end|>`, `<|eot_id|>`, `<|end|>`, `<end_of_turn>`, `<|endoftext|>`, …).
    func isEndOfGeneration(_ token: Int32) -> Bool
    /// The id of the token whose vocabulary string is exactly `text` (the last one when several are).
    func tokenID(_ text: String) -> Int32?
}

extension Tokenizer {
    /// Token ids of text, adding BOS/EOS per the vocabulary's flags and leaving special-token text as plain text.
    public func encode(_ text: String) -> [Int32] {
        encode(text, addSpecial: true, parseSpecial: false)
    }

    /// The bytes of a token sequence: its pieces concatenated.
    public func bytes(of tokens: [Int32]) -> [UInt8] {
        var out: [UInt8] = []
        for t in tokens { out.append(contentsOf: piece(t)) }
        return out
    }

    /// The text of a token sequence; invalid UTF-8 becomes U+FFFD.
    public func decode(_ tokens: [Int32]) -> String {
        String(decoding: bytes(of: tokens), as: UTF8.self)
    }
}

/// A vocabulary that cannot be used, with the GGUF file's path and what is wrong with it.
public struct TokenizerError: Error, CustomStringConvertible, Sendable, Equatable {
    public let path: String
    public let message: String

    public init(path: String, _ message: String) {
        self.path = path
        self.message = message
    }

    /// One line: `path: problem`.
    public var description: String { "\(path): \(GGUFError.printable(message))" }
}
