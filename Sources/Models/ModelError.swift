import GGUF

/// A model that cannot be loaded or evaluated, described in one line.
public enum ModelError: Error, CustomStringConvertible, Sendable, Equatable {
    /// The file itself is malformed (see ``GGUFError``).
    case file(GGUFError)
    /// The file is a valid GGUF but not a model nook can run: names the file and the problem.
    case invalid(path: String, String)
    /// The context window cannot hold the tokens.
    case contextFull(capacity: Int, needed: Int)
    /// A token id outside the vocabulary.
    case tokenOutOfRange(Int32, vocabularySize: Int)
    /// The KV cache for the requested context would not fit in memory.
    case contextTooLarge(requested: Int, bytesNeeded: Int?, bytesAvailable: Int, largestFitting: Int)

    public var description: String {
        switch self {
        case .file(let e): return e.description
        case .invalid(let path, let m): return "\(path): \(GGUFError.printable(m))"
        case .contextFull(let c, let n): return "context full: \(n) tokens needed, the context holds \(c)"
        case .tokenOutOfRange(let t, let v): return "token id \(t) is outside the vocabulary (0..<\(v))"
        case .contextTooLarge(let n, let need, let have, let largest):
            let size = need.map { "needs \(SystemMemory.describe($0))" } ?? "is larger than any memory"
            return "a context of \(n) tokens does not fit: its KV cache \(size) and \(SystemMemory.describe(have)) "
                + "of memory is available; the largest context that fits is \(largest) tokens"
        }
    }
}
