/// A GGUF file that cannot be used, with the file's path and what is wrong with it.
public struct GGUFError: Error, CustomStringConvertible, Sendable, Equatable {
    public let path: String
    public let message: String

    public init(path: String, _ message: String) {
        self.path = path
        self.message = message
    }

    /// One line: `path: problem`.
    public var description: String { "\(path): \(message)" }
}
