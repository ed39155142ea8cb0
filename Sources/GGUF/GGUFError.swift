/// A GGUF file that cannot be used, with the file's path and what is wrong with it.
public struct GGUFError: Error, CustomStringConvertible, Sendable, Equatable {
    public let path: String
    public let message: String

    public init(path: String, _ message: String) {
        self.path = path
        self.message = Self.printable(message)
    }

    /// The text with control characters (which a hostile file can put in a key or name) escaped, so the
    /// description stays on one line.
    public static func printable(_ s: String) -> String {
        guard s.unicodeScalars.contains(where: { $0.properties.generalCategory == .control }) else { return s }
        var out = ""
        for u in s.unicodeScalars {
            if u.properties.generalCategory == .control {
                out += "\\u{" + String(u.value, radix: 16) + "}"
            } else {
                out.unicodeScalars.append(u)
            }
        }
        return out
    }

    /// One line: `path: problem`.
    public var description: String { "\(path): \(message)" }
}
