import Foundation
import Sessions

/// Changes one setting of config.toml in place: every other key, comment and line stays as it was.
public enum ConfigFileEditor {
    /// Sets `key = "value"` in the file at `url` (created if missing), crash-safely: a temporary file is written,
    /// synced and renamed over it. A file that cannot be read or parsed is left alone, and the error says why.
    public static func set(_ key: String, to value: String, in url: URL) throws {
        let target = url.resolvingSymlinksInPath()
        var text = ""
        var permissions: mode_t?
        let exists = FileManager.default.fileExists(atPath: target.path)
        if exists {
            guard let data = FileManager.default.contents(atPath: target.path) else {
                throw ConfigError("\(target.path): cannot read the configuration file")
            }
            guard let decoded = String(data: data, encoding: .utf8) else {
                throw ConfigError("\(target.path): the configuration file is not UTF-8 text")
            }
            text = decoded
            if let mode = (try? FileManager.default.attributesOfItem(atPath: target.path))?[.posixPermissions] as? Int {
                permissions = mode_t(mode & 0o7777)
            }
        }
        let edited = try setting(key, to: value, in: text, file: target.path)
        guard edited != text || !exists else { return }
        try PrivateFolder.make(target.deletingLastPathComponent())
        try AtomicFile.write(Data(edited.utf8), to: target, permissions: permissions)
    }

    /// The text of a config file with `key = "value"`: the value on the key's line replaced (the rest of the
    /// line, a comment included, kept), or a line added at the end. Throws when `text` is not a valid config.
    public static func setting(_ key: String, to value: String, in text: String, file: String) throws -> String {
        let original = try NookConfig.parse(text, file: file)
        var expected = original
        try expected.set(key, to: value)
        let encoded = basicString(value)
        // A candidate line can sit inside a multi-line string; the one whose edit parses as expected is it.
        for range in valueRanges(of: key, in: text) {
            var candidate = text
            candidate.replaceSubrange(range, with: encoded)
            if (try? NookConfig.parse(candidate, file: file)) == expected { return candidate }
        }
        guard original.value(of: key) == nil else {
            throw ConfigError("\(file): cannot find the line that sets \(key), so the file was not changed")
        }
        let newline = text.contains("\r\n") ? "\r\n" : "\n"
        let separator = text.isEmpty || text.hasSuffix("\n") ? "" : newline
        let added = text + separator + "\(key) = \(encoded)" + newline
        guard (try? NookConfig.parse(added, file: file)) == expected else {
            throw ConfigError("\(file): cannot add \(key) at the end, so the file was not changed")
        }
        return added
    }

    /// A TOML basic string holding `value`.
    static func basicString(_ value: String) -> String {
        var out = "\""
        for scalar in value.unicodeScalars {
            switch scalar {
            case "\"": out += "\\\""
            case "\\": out += "\\\\"
            case "\t": out += "\\t"
            case "\n": out += "\\n"
            case "\r": out += "\\r"
            case _ where scalar.value < 0x20 || scalar.value == 0x7F:
                out += String(format: "\\u%04X", scalar.value)
            default: out.unicodeScalars.append(scalar)
            }
        }
        return out + "\""
    }

    /// The ranges of the string values on lines that start with `key =` (bare or quoted key), first to last.
    static func valueRanges(of key: String, in text: String) -> [Range<String.Index>] {
        var ranges: [Range<String.Index>] = []
        var lineStart = text.startIndex
        while lineStart < text.endIndex {
            if let range = valueRange(of: key, lineAt: lineStart, in: text) { ranges.append(range) }
            guard let newline = text[lineStart...].firstIndex(where: \.isNewline) else { break }
            lineStart = text.index(after: newline)
        }
        return ranges
    }

    /// The range of the string value of `key = …` on the line starting at `start`, nil when the line is not one.
    static func valueRange(of key: String, lineAt start: String.Index, in text: String) -> Range<String.Index>? {
        var i = start
        func skipBlanks() { while i < text.endIndex, text[i] == " " || text[i] == "\t" { i = text.index(after: i) } }
        func take(_ word: String) -> Bool {
            guard text[i...].hasPrefix(word) else { return false }
            i = text.index(i, offsetBy: word.count)
            return true
        }
        skipBlanks()
        guard take(key) || take("\"\(key)\"") || take("'\(key)'") else { return nil }
        skipBlanks()
        guard take("=") else { return nil }
        skipBlanks()
        let valueStart = i
        for delimiter in ["\"\"\"", "'''", "\"", "'"] where text[i...].hasPrefix(delimiter) {
            i = text.index(i, offsetBy: delimiter.count)
            let escapes = delimiter.hasPrefix("\"")
            let multiLine = delimiter.count == 3
            while i < text.endIndex {
                if escapes, text[i] == "\\" {
                    i = text.index(after: i)
                    if i < text.endIndex { i = text.index(after: i) }
                    continue
                }
                if !multiLine, text[i].isNewline { return nil }
                if text[i...].hasPrefix(delimiter) { return valueStart..<text.index(i, offsetBy: delimiter.count) }
                i = text.index(after: i)
            }
            return nil
        }
        return nil
    }
}

extension NookConfig {
    /// The value of a known key.
    func value(of key: String) -> String? {
        switch key {
        case "model": return model
        case "persona": return persona
        case "theme": return theme
        case "user": return user
        default: return nil
        }
    }

    /// Sets a known key; any other is an error.
    mutating func set(_ key: String, to value: String) throws {
        switch key {
        case "model": model = value
        case "persona": persona = value
        case "theme": theme = value
        case "user": user = value
        default: throw ConfigError("\(key): unknown setting (known: \(Self.keys.joined(separator: ", ")))")
        }
    }
}
