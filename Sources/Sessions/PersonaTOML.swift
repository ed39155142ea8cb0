import Conversation
import Foundation
import TOMLKit

/// A persona file or lookup problem, described in one line naming the file and field.
public struct PersonaError: Error, CustomStringConvertible, Equatable {
    public var file: String
    public var message: String

    public init(file: String, message: String) {
        self.file = file
        self.message = message
    }

    public var description: String { file.isEmpty ? message : "\(file): \(message)" }
}

/// Reads and writes personas as TOML (format in docs/session-format.md).
public enum PersonaTOML {
    static let topFields = ["name", "display_name", "description", "system_prompt", "greeting", "tags", "sampling", "style"]
    static let samplingFields = ["temperature", "top_k", "top_p", "min_p", "repeat_penalty", "max_tokens"]
    static let styleFields = ["length", "tone"]

    /// Whether `name` can name a persona: letters, digits, `-` and `_`, not empty.
    public static func isValidName(_ name: String) -> Bool {
        !name.isEmpty && name.allSatisfy { $0.isLetter || $0.isNumber || $0 == "-" || $0 == "_" }
    }

    /// Reads the persona file at `url`; a missing `name` defaults to the file name without `.toml`.
    public static func load(_ url: URL) throws -> Persona {
        guard let data = FileManager.default.contents(atPath: url.path) else {
            throw PersonaError(file: url.path, message: "cannot read persona file")
        }
        guard let text = String(data: data, encoding: .utf8) else {
            throw PersonaError(file: url.path, message: "persona file is not UTF-8 text")
        }
        return try parse(text, file: url.path, defaultName: url.deletingPathExtension().lastPathComponent)
    }

    /// Parses persona TOML; `file` names the source in errors.
    public static func parse(_ text: String, file: String, defaultName: String? = nil) throws -> Persona {
        func fail(_ message: String) -> PersonaError { PersonaError(file: file, message: message) }
        let table: TOMLTable
        do {
            table = try TOMLTable(string: text)
        } catch let error as TOMLParseError {
            let at = error.source.begin
            throw PersonaError(file: "\(file):\(at.line):\(at.column)", message: "invalid TOML (\(error.description))")
        }
        let fields = Fields(table: table, prefix: "", fail: fail)
        try fields.rejectUnknown(topFields)
        guard let name = try fields.string("name") ?? defaultName else { throw fail("missing field name") }
        guard isValidName(name) else {
            throw fail("field name: '\(name)' must be letters, digits, '-' or '_' without spaces")
        }
        guard let prompt = try fields.string("system_prompt") else { throw fail("missing field system_prompt") }
        var persona = Persona(name: name, displayName: try fields.string("display_name"),
                              description: try fields.string("description") ?? "", systemPrompt: prompt,
                              greeting: try fields.string("greeting"), tags: try fields.strings("tags") ?? [])
        if let sampling = try fields.table("sampling") {
            try sampling.rejectUnknown(samplingFields)
            persona.sampling = SamplingDefaults(
                temperature: try sampling.number("temperature", in: 0...1000).map(Float.init),
                topK: try sampling.integer("top_k", in: 0...Int(Int32.max)),
                topP: try sampling.number("top_p", in: 0...1).map(Float.init),
                minP: try sampling.number("min_p", in: 0...1).map(Float.init),
                repeatPenalty: try sampling.number("repeat_penalty", in: 0.0001...1000).map(Float.init),
                maxTokens: try sampling.integer("max_tokens", in: 1...Int(Int32.max)))
        }
        if let style = try fields.table("style") {
            try style.rejectUnknown(styleFields)
            var length: ResponseLength?
            if let raw = try style.string("length") {
                guard let value = ResponseLength(rawValue: raw) else {
                    throw fail("field style.length: '\(raw)' is not one of short, medium, long")
                }
                length = value
            }
            persona.style = StylePreferences(length: length, tone: try style.string("tone"))
        }
        return persona
    }

    /// Typed access to a TOML table with errors naming the field's full path.
    private struct Fields {
        let table: TOMLTable
        let prefix: String
        let fail: (String) -> PersonaError

        func path(_ key: String) -> String { prefix + key }

        func rejectUnknown(_ known: [String]) throws {
            for key in table.keys.sorted() where !known.contains(key) {
                throw fail("unknown field \(path(key)) (known: \(known.map(path).joined(separator: ", ")))")
            }
        }

        func wrongType(_ key: String, _ expected: String, _ value: any TOMLValueConvertible) -> PersonaError {
            fail("field \(path(key)): expected \(expected), found \(value.type)")
        }

        func string(_ key: String) throws -> String? {
            guard let value = table[key] else { return nil }
            guard let s = value.string else { throw wrongType(key, "a string", value) }
            return s
        }

        func strings(_ key: String) throws -> [String]? {
            guard let value = table[key] else { return nil }
            guard let array = value.array else { throw wrongType(key, "an array of strings", value) }
            return try array.map { element in
                guard let s = element.string else { throw wrongType(key, "an array of strings", element) }
                return s
            }
        }

        func number(_ key: String, in range: ClosedRange<Double>) throws -> Double? {
            guard let value = table[key] else { return nil }
            guard let x = value.double ?? value.int.map(Double.init) else { throw wrongType(key, "a number", value) }
            guard x.isFinite, range.contains(x) else {
                throw fail("field \(path(key)): \(x) is outside \(range.lowerBound)...\(range.upperBound)")
            }
            return x
        }

        func integer(_ key: String, in range: ClosedRange<Int>) throws -> Int? {
            guard let value = table[key] else { return nil }
            guard let x = value.int else { throw wrongType(key, "an integer", value) }
            guard range.contains(x) else { throw fail("field \(path(key)): \(x) is outside \(range.lowerBound)...\(range.upperBound)") }
            return x
        }

        func table(_ key: String) throws -> Fields? {
            guard let value = table[key] else { return nil }
            guard let sub = value.table else { throw wrongType(key, "a table", value) }
            return Fields(table: sub, prefix: path(key) + ".", fail: fail)
        }
    }
}
