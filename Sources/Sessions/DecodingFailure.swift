import Foundation

/// One-line descriptions of `DecodingError`s that name the field, for file error messages.
enum DecodingFailure {
    /// "missing field data.first_mes", "field text: expected a string", "not valid JSON", …
    static func reason(_ error: any Error) -> String {
        guard let error = error as? DecodingError else { return "\(error)" }
        switch error {
        case .keyNotFound(let key, let ctx):
            return "missing field \(path(ctx.codingPath + [key]))"
        case .typeMismatch(let type, let ctx):
            return "field \(path(ctx.codingPath)): expected \(name(of: type))"
        case .valueNotFound(let type, let ctx):
            return "field \(path(ctx.codingPath)): expected \(name(of: type)), found null"
        case .dataCorrupted(let ctx):
            if ctx.codingPath.isEmpty { return "not valid JSON" }
            return "field \(path(ctx.codingPath)): \(ctx.debugDescription)"
        @unknown default:
            return "\(error)"
        }
    }

    /// `data.tags[2]` style path.
    private static func path(_ keys: [any CodingKey]) -> String {
        keys.map { $0.intValue.map { "[\($0)]" } ?? $0.stringValue }.joined(separator: ".")
            .replacingOccurrences(of: ".[", with: "[")
    }

    /// A JSON-level name for a Swift type.
    private static func name(of type: Any.Type) -> String {
        let swiftName = "\(type)"
        if swiftName.hasPrefix("Array") { return "an array" }
        if swiftName.hasPrefix("Dictionary") { return "an object" }
        switch swiftName {
        case "String": return "a string"
        case "Bool": return "true or false"
        case "Double", "Float": return "a number"
        case "Int", "Int32", "Int64", "UInt32", "UInt64": return "an integer"
        default: return swiftName
        }
    }
}
