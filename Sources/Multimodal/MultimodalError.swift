/// Why a vision projector file could not be loaded or an image could not be encoded.
public struct MultimodalError: Error, CustomStringConvertible, Sendable, Equatable {
    public let message: String

    public init(_ message: String) { self.message = message }

    /// An error about the mmproj file at `path`.
    static func file(_ path: String, _ what: String) -> MultimodalError { MultimodalError("\(path): \(what)") }

    public var description: String { message }
}
