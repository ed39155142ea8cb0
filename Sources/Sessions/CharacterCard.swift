import Conversation
import Foundation

/// A character card that cannot be imported, described in one line naming the file and field.
public struct CharacterCardError: Error, CustomStringConvertible, Equatable {
    public var file: String
    public var message: String

    public var description: String { "\(file): \(message)" }
}

/// Imports Character Card V2 files (`"spec": "chara_card_v2"`, JSON or PNG with a `chara` text chunk)
/// as personas, written crash-safely as TOML into the user's persona folder.
public enum CharacterCardImporter {
    /// The fields of a V2 card's `data` object that a persona uses. The V1 fields are required, as the spec
    /// says; the fields V2 added are optional because many cards in the wild omit them.
    struct CardData: Decodable {
        var name: String
        var description: String
        var personality: String
        var scenario: String
        var first_mes: String
        var mes_example: String
        var creator_notes: String?
        var system_prompt: String?
        var post_history_instructions: String?
        var tags: [String]?
    }

    private struct Card: Decodable {
        var spec: String
        var data: CardData
    }

    /// Reads a card from a `.json` file or a `.png` with an embedded card.
    public static func load(_ url: URL) throws -> Persona {
        guard let bytes = FileManager.default.contents(atPath: url.path) else {
            throw CharacterCardError(file: url.path, message: "cannot read character card")
        }
        if bytes.starts(with: pngSignature) {
            guard let json = PNGText.value(forKeyword: "chara", in: [UInt8](bytes)),
                  let decoded = Data(base64Encoded: json, options: .ignoreUnknownCharacters) else {
                throw CharacterCardError(file: url.path, message: "PNG has no embedded character card (no 'chara' text chunk)")
            }
            return try persona(fromCard: decoded, file: url.path)
        }
        return try persona(fromCard: bytes, file: url.path)
    }

    /// Maps card JSON to a persona; `file` names the source in errors.
    public static func persona(fromCard json: Data, file: String) throws -> Persona {
        func fail(_ message: String) -> CharacterCardError { CharacterCardError(file: file, message: message) }
        guard let object = try? JSONSerialization.jsonObject(with: json), let top = object as? [String: Any] else {
            throw fail("not a JSON object, so not a character card")
        }
        guard let spec = top["spec"] else {
            if top["name"] != nil || top["first_mes"] != nil || top["char_name"] != nil {
                throw fail("Character Card V1 is not supported (no \"spec\" field); re-export the card as V2 (chara_card_v2)")
            }
            throw fail("missing field spec (expected \"chara_card_v2\")")
        }
        guard let specName = spec as? String, specName == "chara_card_v2" else {
            throw fail("unsupported card spec '\(spec)' (only chara_card_v2 can be imported)")
        }
        let card: Card
        do {
            card = try JSONDecoder().decode(Card.self, from: json)
        } catch {
            throw fail(DecodingFailure.reason(error))
        }
        return try persona(from: card.data, fail: fail)
    }

    static func persona(from d: CardData, fail: (String) -> CharacterCardError) throws -> Persona {
        let displayName = d.name.trimmingCharacters(in: .whitespacesAndNewlines)
        guard !displayName.isEmpty else { throw fail("field data.name is empty") }
        let original = "You are {{char}}. Stay in character and reply as {{char}} would in a conversation with {{user}}."
        var parts: [String] = []
        if let custom = clean(d.system_prompt) {
            parts.append(custom.replacingOccurrences(of: "{{original}}", with: original))
        } else {
            parts.append(original)
        }
        if let v = clean(d.description) { parts.append(v) }
        if let v = clean(d.personality) { parts.append("{{char}}'s personality: \(v)") }
        if let v = clean(d.scenario) { parts.append("Scenario: \(v)") }
        if let v = clean(d.mes_example.replacingOccurrences(of: "<START>", with: "")) {
            parts.append("Example dialogue:\n\(v)")
        }
        if let v = clean(d.post_history_instructions) { parts.append(v) }
        let summary = clean(d.creator_notes).flatMap { notes in
            notes.split(whereSeparator: \.isNewline).first.map { String($0.prefix(120)) }
        } ?? "Imported character card: \(displayName)"
        return Persona(name: slug(displayName), displayName: displayName, description: summary,
                       systemPrompt: parts.joined(separator: "\n\n"), greeting: clean(d.first_mes),
                       tags: d.tags ?? [])
    }

    /// Imports the card at `url` into `folder` as `<name>.toml`, atomically (temp file, fsync, rename,
    /// folder fsync). Refuses to replace an existing file unless `overwrite`.
    @discardableResult
    public static func importCard(at url: URL, into folder: URL, overwrite: Bool = false) throws -> (persona: Persona, file: URL) {
        let persona = try load(url)
        let target = folder.appendingPathComponent(persona.name + ".toml")
        if !overwrite && FileManager.default.fileExists(atPath: target.path) {
            throw CharacterCardError(file: url.path, message: "persona file \(target.path) already exists (import with overwrite to replace it)")
        }
        try DurableFile.makeDirectory(folder)
        try DurableFile.writeAtomically(Array(PersonaTOML.encode(persona).utf8), to: target)
        return (persona, target)
    }

    /// A persona name from a character name: lower-case letters and digits joined by `-`.
    static func slug(_ name: String) -> String {
        var out = ""
        for ch in name.lowercased() {
            if ch.isLetter || ch.isNumber || ch == "_" {
                out.append(ch)
            } else if !out.isEmpty && out.last != "-" {
                out.append("-")
            }
        }
        while out.hasSuffix("-") { out.removeLast() }
        return out.isEmpty ? "character" : out
    }

    /// Trimmed text with legacy `<USER>`/`<BOT>` and capitalised placeholders normalised; nil when empty.
    private static func clean(_ text: String?) -> String? {
        guard var t = text?.trimmingCharacters(in: .whitespacesAndNewlines), !t.isEmpty else { return nil }
        for (from, to) in [("<USER>", "{{user}}"), ("<BOT>", "{{char}}"), ("{{User}}", "{{user}}"),
                           ("{{USER}}", "{{user}}"), ("{{Char}}", "{{char}}"), ("{{CHAR}}", "{{char}}")] {
            t = t.replacingOccurrences(of: from, with: to)
        }
        return t
    }

    static let pngSignature: [UInt8] = [0x89, 0x50, 0x4E, 0x47, 0x0D, 0x0A, 0x1A, 0x0A]
}

/// Reads uncompressed `tEXt` chunks from PNG bytes.
enum PNGText {
    /// The text of the first `tEXt` chunk with `keyword`, nil if none.
    static func value(forKeyword keyword: String, in png: [UInt8]) -> String? {
        var offset = 8
        while offset + 12 <= png.count {
            let length = png[offset..<offset + 4].reduce(0) { $0 << 8 | Int($1) }
            let type = String(decoding: png[offset + 4..<offset + 8], as: UTF8.self)
            let start = offset + 8
            guard length >= 0, start + length + 4 <= png.count else { return nil }
            if type == "tEXt", let zero = png[start..<start + length].firstIndex(of: 0),
               String(decoding: png[start..<zero], as: UTF8.self) == keyword {
                // tEXt is Latin-1; a base64 payload is plain ASCII.
                return String(png[(zero + 1)..<(start + length)].map { Character(Unicode.Scalar($0)) })
            }
            if type == "IEND" { return nil }
            offset = start + length + 4
        }
        return nil
    }
}
