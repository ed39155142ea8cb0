import Conversation
import Foundation
import Testing
@testable import Sessions

@Suite struct CharacterCardTests {
    static let card = """
    {
      "spec": "chara_card_v2",
      "spec_version": "2.0",
      "data": {
        "name": "Seraphina Vale",
        "description": "{{char}} is a forest guardian who heals travellers.",
        "personality": "gentle, wise, <BOT> protects <USER>",
        "scenario": "{{user}} wakes up in {{Char}}'s glade.",
        "first_mes": "*Seraphina smiles.* You're awake, {{user}}.",
        "mes_example": "<START>\\n{{user}}: Who are you?\\n{{char}}: A guardian of this forest.",
        "creator_notes": "A kind healer.\\nBest with long replies.",
        "system_prompt": "{{original}} Write in third person.",
        "post_history_instructions": "Keep {{char}}'s voice gentle.",
        "alternate_greetings": ["Hello there."],
        "tags": ["fantasy", "healer"],
        "creator": "someone",
        "character_version": "1.2",
        "extensions": {"depth_prompt": {"prompt": "x", "depth": 4}}
      }
    }
    """

    @Test func aV2CardMapsToAPersona() throws {
        let persona = try CharacterCardImporter.persona(fromCard: Data(Self.card.utf8), file: "sera.json")
        #expect(persona.name == "seraphina-vale")
        #expect(persona.displayName == "Seraphina Vale")
        #expect(persona.description == "A kind healer.")
        #expect(persona.tags == ["fantasy", "healer"])
        #expect(persona.greeting == "*Seraphina smiles.* You're awake, {{user}}.")
        #expect(persona.effectiveSystemPrompt(userName: "Ada") == """
        You are Seraphina Vale. Stay in character and reply as Seraphina Vale would in a conversation with Ada. Write in third person.

        Seraphina Vale is a forest guardian who heals travellers.

        Seraphina Vale's personality: gentle, wise, Seraphina Vale protects Ada

        Scenario: Ada wakes up in Seraphina Vale's glade.

        Example dialogue:
        Ada: Who are you?
        Seraphina Vale: A guardian of this forest.

        Keep Seraphina Vale's voice gentle.
        """)
    }

    @Test func importWritesAPersonaFileThatLoadsBack() throws {
        let dir = try TempFolder()
        let cardURL = try dir.write("sera.json", Self.card)
        let folder = dir.file("config/nook/personas")
        let (persona, file) = try CharacterCardImporter.importCard(at: cardURL, into: folder)
        #expect(file == folder.appendingPathComponent("seraphina-vale.toml"))
        #expect(try PersonaTOML.load(file) == persona)
        let leftovers = try FileManager.default.contentsOfDirectory(atPath: folder.path)
        #expect(leftovers == ["seraphina-vale.toml"])
        #expect(throws: CharacterCardError.self) { try CharacterCardImporter.importCard(at: cardURL, into: folder) }
        #expect(try CharacterCardImporter.importCard(at: cardURL, into: folder, overwrite: true).persona == persona)
        let (catalog, warnings) = PersonaCatalog.load(folder: folder)
        #expect(warnings.isEmpty)
        #expect(try catalog.persona(named: "seraphina-vale") == persona)
    }

    @Test func aPNGCardWithACharaChunkImports() throws {
        let dir = try TempFolder()
        let url = dir.file("card.png")
        try Data(Self.png(textChunks: [("Software", "paint"), ("chara", Data(Self.card.utf8).base64EncodedString())])).write(to: url)
        #expect(try CharacterCardImporter.load(url).name == "seraphina-vale")
        let plain = dir.file("plain.png")
        try Data(Self.png(textChunks: [])).write(to: plain)
        #expect(throws: CharacterCardError(file: plain.path, message: "PNG has no embedded character card (no 'chara' text chunk)")) {
            try CharacterCardImporter.load(plain)
        }
    }

    @Test func v1UnknownSpecsAndMissingFieldsAreRejected() {
        func error(_ json: String) -> String? {
            do {
                _ = try CharacterCardImporter.persona(fromCard: Data(json.utf8), file: "c.json")
                return nil
            } catch {
                return "\(error)"
            }
        }
        #expect(error("{\"name\": \"Old\", \"first_mes\": \"hi\", \"description\": \"\"}") == "c.json: Character Card V1 is not supported (no \"spec\" field); re-export the card as V2 (chara_card_v2)")
        #expect(error("{\"spec\": \"chara_card_v3\", \"data\": {}}") == "c.json: unsupported card spec 'chara_card_v3' (only chara_card_v2 can be imported)")
        #expect(error("{\"data\": {}}") == "c.json: missing field spec (expected \"chara_card_v2\")")
        #expect(error("[1]") == "c.json: not a JSON object, so not a character card")
        #expect(error("{\"spec\": \"chara_card_v2\"}") == "c.json: missing field data")
        #expect(error("{\"spec\": \"chara_card_v2\", \"data\": {\"name\": \"A\", \"description\": \"\", \"personality\": \"\", \"scenario\": \"\", \"mes_example\": \"\"}}") == "c.json: missing field data.first_mes")
        #expect(error("{\"spec\": \"chara_card_v2\", \"data\": {\"name\": \"A\", \"description\": \"\", \"personality\": \"\", \"scenario\": \"\", \"first_mes\": \"\", \"mes_example\": \"\", \"tags\": \"x\"}}") == "c.json: field data.tags: expected an array")
        #expect(error("{\"spec\": \"chara_card_v2\", \"data\": {\"name\": \" \", \"description\": \"\", \"personality\": \"\", \"scenario\": \"\", \"first_mes\": \"\", \"mes_example\": \"\"}}") == "c.json: field data.name is empty")
    }

    @Test func namesBecomeSlugs() {
        #expect(CharacterCardImporter.slug("Seraphina Vale") == "seraphina-vale")
        #expect(CharacterCardImporter.slug("  Dr. Who?! ") == "dr-who")
        #expect(CharacterCardImporter.slug("アクア") == "アクア")
        #expect(CharacterCardImporter.slug("!!!") == "character")
    }

    /// A 1×1 PNG with the given tEXt chunks (CRCs are not checked by the importer, so they are zero).
    static func png(textChunks: [(String, String)]) -> [UInt8] {
        var out = CharacterCardImporter.pngSignature
        func chunk(_ type: String, _ data: [UInt8]) {
            let n = UInt32(data.count)
            out += [UInt8(n >> 24), UInt8(n >> 16 & 0xff), UInt8(n >> 8 & 0xff), UInt8(n & 0xff)]
            out += Array(type.utf8) + data + [0, 0, 0, 0]
        }
        chunk("IHDR", [0, 0, 0, 1, 0, 0, 0, 1, 8, 0, 0, 0, 0])
        for (key, value) in textChunks { chunk("tEXt", Array(key.utf8) + [0] + Array(value.utf8)) }
        chunk("IEND", [])
        return out
    }
}
