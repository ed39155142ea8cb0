import Conversation
import Foundation
import Testing
@testable import Sessions

@Suite struct PersonaTests {
    func parseError(_ toml: String, file: String = "p.toml") -> String? {
        do {
            _ = try PersonaTOML.parse(toml, file: file, defaultName: "p")
            return nil
        } catch {
            return "\(error)"
        }
    }

    @Test func aFullPersonaFileParses() throws {
        let persona = try PersonaTOML.parse("""
        name = "pirate"
        display_name = "Captain Flint"
        description = "Talks like a pirate."
        tags = ["fun", "roleplay"]
        greeting = "Ahoy, {{user}}!"
        system_prompt = '''
        You are {{char}}, a pirate.
        Never break character.'''

        [sampling]
        temperature = 1
        top_k = 50
        top_p = 0.9
        min_p = 0.1
        repeat_penalty = 1.15
        max_tokens = 300

        [style]
        length = "short"
        tone = "boisterous"
        """, file: "pirate.toml")
        #expect(persona == Persona(
            name: "pirate", displayName: "Captain Flint", description: "Talks like a pirate.",
            systemPrompt: "You are {{char}}, a pirate.\nNever break character.", greeting: "Ahoy, {{user}}!",
            sampling: SamplingDefaults(temperature: 1, topK: 50, topP: 0.9, minP: 0.1, repeatPenalty: 1.15, maxTokens: 300),
            style: StylePreferences(length: .short, tone: "boisterous"), tags: ["fun", "roleplay"]))
        #expect(persona.effectiveSystemPrompt(userName: "Ada") == """
        You are Captain Flint, a pirate.
        Never break character.

        Keep your answers short: a few sentences at most. Use a boisterous tone.
        """)
        #expect(persona.effectiveGreeting(userName: nil) == "Ahoy, User!")
        let applied = persona.sampling.applied(to: SamplingSettings(seed: 5))
        #expect(applied == SamplingSettings(temperature: 1, topK: 50, topP: 0.9, minP: 0.1, repeatPenalty: 1.15, maxTokens: 300, seed: 5))
    }

    @Test func aMinimalPersonaTakesItsNameFromTheFile() throws {
        let persona = try PersonaTOML.parse("system_prompt = \"Be kind.\"", file: "kind.toml", defaultName: "kind")
        #expect(persona == Persona(name: "kind", systemPrompt: "Be kind."))
        #expect(persona.effectiveSystemPrompt() == "Be kind.")
        #expect(SamplingDefaults().applied(to: SamplingSettings()) == SamplingSettings())
    }

    @Test func badPersonaFilesGiveOneLineErrorsNamingFileAndField() {
        #expect(parseError("name = \"x\"") == "p.toml: missing field system_prompt")
        #expect(parseError("system_prompt = 3") == "p.toml: field system_prompt: expected a string, found integer")
        #expect(parseError("name = \"two words\"\nsystem_prompt = \"\"") == "p.toml: field name: 'two words' must be letters, digits, '-' or '_' without spaces")
        #expect(parseError("system_prompt = \"\"\ncolour = \"red\"") == "p.toml: unknown field colour (known: name, display_name, description, system_prompt, greeting, tags, sampling, style)")
        #expect(parseError("system_prompt = \"\"\n[sampling]\ntemprature = 0.5") == "p.toml: unknown field sampling.temprature (known: sampling.temperature, sampling.top_k, sampling.top_p, sampling.min_p, sampling.repeat_penalty, sampling.max_tokens)")
        #expect(parseError("system_prompt = \"\"\n[sampling]\ntemperature = \"hot\"") == "p.toml: field sampling.temperature: expected a number, found string")
        #expect(parseError("system_prompt = \"\"\n[sampling]\ntop_p = 1.5") == "p.toml: field sampling.top_p: 1.5 is outside 0.0...1.0")
        #expect(parseError("system_prompt = \"\"\n[sampling]\nmax_tokens = 0") == "p.toml: field sampling.max_tokens: 0 is outside 1...2147483647")
        #expect(parseError("system_prompt = \"\"\n[sampling]\ntop_k = 2.5") == "p.toml: field sampling.top_k: expected an integer, found floating-point number")
        #expect(parseError("system_prompt = \"\"\n[style]\nlength = \"epic\"") == "p.toml: field style.length: 'epic' is not one of short, medium, long")
        #expect(parseError("system_prompt = \"\"\nsampling = 3") == "p.toml: field sampling: expected a table, found integer")
        #expect(parseError("system_prompt = \"\"\ntags = [\"a\", 1]") == "p.toml: field tags: expected an array of strings, found integer")
        let syntax = parseError("system_prompt = \"unterminated\nname = 1")
        #expect(syntax?.hasPrefix("p.toml:1:") == true)
        #expect(syntax?.contains("invalid TOML") == true)
        #expect(syntax?.contains("\n") == false)
    }

    @Test func personasRoundTripThroughTOML() throws {
        let tricky = Persona(name: "tricky", displayName: "Tricky \"one\"", description: "tab\there, back\\slash",
                             systemPrompt: "Line 1\nIt's '''quoted''' and ends with '",
                             greeting: "Multi\nline \"greeting\"\u{1}", sampling: SamplingDefaults(temperature: 0.75, topK: 3, minP: 1e-05),
                             style: StylePreferences(length: .long, tone: nil), tags: ["a\"b", "c"])
        for persona in BuiltinPersonas.all + [tricky] {
            let text = PersonaTOML.encode(persona)
            let back = try PersonaTOML.parse(text, file: "\(persona.name).toml")
            #expect(back == persona, "\(text)")
        }
        #expect(PersonaTOML.quoted("a\nb") == "'''\na\nb'''")
    }

    @Test func builtInsCoverTheExpectedPersonas() throws {
        let catalog = PersonaCatalog()
        #expect(catalog.names == ["assistant", "coder", "concise", "japanese-tutor", "storyteller", "tutor"])
        #expect(catalog.defaultPersona.name == "assistant")
        for persona in catalog.personas {
            #expect(PersonaTOML.isValidName(persona.name))
            #expect(!persona.description.isEmpty && !persona.systemPrompt.isEmpty)
            #expect(catalog.source(of: persona.name) == .builtIn)
        }
        #expect(try catalog.persona(named: "Coder").name == "coder")
        #expect(throws: PersonaError(file: "", message: "unknown persona 'nobody' (available: assistant, coder, concise, japanese-tutor, storyteller, tutor)")) {
            try catalog.persona(named: "nobody")
        }
        #expect(try catalog.persona(named: "concise").effectiveSystemPrompt().hasSuffix("Keep your answers short: a few sentences at most. Use a neutral tone."))
    }

    @Test func userFilesOverrideBuiltInsByNameAndBrokenFilesBecomeWarnings() throws {
        let dir = try TempFolder()
        let env = ["HOME": "/home/nobody", "XDG_CONFIG_HOME": dir.url.path]
        let paths = Paths(environment: env)
        try dir.write("nook/personas/my-tutor.toml", "name = \"tutor\"\nsystem_prompt = \"My own tutor.\"\n")
        try dir.write("nook/personas/chef.toml", "system_prompt = \"You cook.\"\n[style]\ntone = \"cheerful\"\n")
        try dir.write("nook/personas/broken.toml", "system_prompt = 1\n")
        try dir.write("nook/personas/notes.txt", "ignored")
        let (catalog, warnings) = PersonaCatalog.load(paths: paths)
        #expect(try catalog.persona(named: "tutor").systemPrompt == "My own tutor.")
        #expect(catalog.source(of: "tutor") == .file(dir.file("nook/personas/my-tutor.toml")))
        #expect(try catalog.persona(named: "chef").effectiveSystemPrompt() == "You cook.\n\nUse a cheerful tone.")
        #expect(catalog.names.contains("assistant"))
        #expect(warnings == ["\(dir.file("nook/personas/broken.toml").path): field system_prompt: expected a string, found integer"])
        let (empty, none) = PersonaCatalog.load(folder: dir.file("missing"))
        #expect(empty.names.count == BuiltinPersonas.all.count && none.isEmpty)
    }
}
