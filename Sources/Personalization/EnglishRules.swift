import Foundation

/// One pattern for an explicit statement and the change it makes; `make` returns nil to reject a match.
struct ExtractionRule: @unchecked Sendable {
    var regex: Regex<AnyRegexOutput>
    var make: @Sendable (_ groups: [String], _ sentence: String) -> CandidateKind?

    init<Output>(_ regex: Regex<Output>, make: @escaping @Sendable (_ groups: [String], _ sentence: String) -> CandidateKind?) {
        self.regex = Regex(regex)
        self.make = make
    }

    /// The candidate for `sentence` when the whole sentence matches.
    func apply(to sentence: String) -> CandidateKind? {
        guard let match = sentence.wholeMatch(of: regex) else { return nil }
        let groups = (0..<match.output.count).map { String(match.output[$0].substring ?? "") }
        return make(groups, sentence)
    }
}

/// The English statement patterns, most specific first; a sentence takes the first rule that matches.
enum EnglishRules {
    /// Words that open a sentence without changing what it states ("Actually, I eat fish now").
    nonisolated(unsafe) static let opener = #/(?i)^(?:(?:actually|also|oh|well|and|so|btw|by the way|fyi|just so you know|for the record|note that|please note(?: that)?|remember(?: that)?|hey|ok|okay|hi|hello|just|anyway|fwiw|for what it's worth|as you know|to be clear|honestly)[,:]?\s+)+/#

    static func normalize(_ sentence: String) -> String {
        var s = sentence.replacingOccurrences(of: "’", with: "'").trimmingCharacters(in: .whitespaces)
        s = s.replacing(opener, with: "")
        s = s.replacing(#/(?i)[,\s]*(?:please|thanks|thank you|thx)\s*$/#, with: "")
        return s.trimmingCharacters(in: CharacterSet(charactersIn: " ,;"))
    }

    static func length(_ word: String) -> String {
        ["short", "shorter", "brief", "briefer", "concise", "terse", "succinct"].contains(word.lowercased()) ? "short" : "detailed"
    }

    static let rules: [ExtractionRule] = [
        // Name.
        ExtractionRule(#/(?i)(?:please\s+)?(?:call me|you can call me|i go by)\s+(\p{Lu}[\p{L}'\-]{0,30}(?:\s\p{Lu}[\p{L}'\-]{0,30})?)/#) { g, _ in
            .preference(key: "name", value: g[1])
        },
        ExtractionRule(#/(?i)my (?:first )?name is\s+(\p{Lu}[\p{L}'\-]{0,30}(?:\s\p{Lu}[\p{L}'\-]{0,30})?)(?:(?:,|\s+and\b|\s+but\b).*)?/#) { g, _ in
            .preference(key: "name", value: g[1])
        },
        // Answer length.
        ExtractionRule(#/(?i)i(?:'d| would)? (?:prefer|like|want|need|love)\s+(?:your\s+)?(short|shorter|brief|concise|terse|succinct|long|longer|detailed|thorough|in-depth)\s+(?:answers|replies|responses|explanations|messages)(?:\s.*)?/#) { g, _ in
            .preference(key: "answer.length", value: length(g[1]))
        },
        ExtractionRule(#/(?i)(?:please\s+)?(?:always\s+)?(?:keep|make)\s+(?:your\s+|the\s+)?(?:answers|replies|responses|explanations)\s+(short|shorter|brief|concise|terse|succinct|long|longer|detailed|thorough)(?:\s.*)?/#) { g, _ in
            .preference(key: "answer.length", value: length(g[1]))
        },
        ExtractionRule(#/(?i)(?:please\s+)?(?:always\s+)?be\s+(?:more\s+)?(brief|concise|terse|succinct|detailed|thorough)(?:\s+(?:with me|in your answers|when you answer))?/#) { g, _ in
            .preference(key: "answer.length", value: length(g[1]))
        },
        ExtractionRule(#/(?i)i(?:'d| would)? (?:prefer|like|want)\s+(?:it\s+)?(short|brief|concise|detailed)(?:\s.*)?/#) { g, _ in
            .preference(key: "answer.length", value: length(g[1]))
        },
        // Emoji.
        ExtractionRule(#/(?i)(?:please\s+)?(?:never|don't|do not|dont|stop)\s+(?:ever\s+)?(?:use|using|add|adding|put|include)\s+(?:any\s+)?emojis?(?:\s.*)?/#) { _, _ in
            .preference(key: "emoji", value: "never")
        },
        ExtractionRule(#/(?i)(?:no (?:more )?emojis?|i (?:hate|dislike|don't like|do not like|can't stand) emojis?)(?:\s.*)?/#) { _, _ in
            .preference(key: "emoji", value: "never")
        },
        ExtractionRule(#/(?i)(?:feel free to use emojis?|i (?:like|love|enjoy) emojis?|(?:please )?use (?:more |lots of )?emojis?)(?:\s.*)?/#) { _, _ in
            .preference(key: "emoji", value: "ok")
        },
        // Language.
        ExtractionRule(#/(?i)(?:please\s+)?(?:always\s+|only\s+)?(?:answer|reply|respond|write|talk|speak)(?:\s+to me)?\s+(?:only\s+)?in\s+(english|japanese|french|german|spanish|italian|portuguese|chinese|korean|dutch|russian|polish|swedish)(?:\s.*)?/#) { g, _ in
            .preference(key: "language", value: g[1].capitalized)
        },
        ExtractionRule(#/(?i)i(?:'d| would)?\s+prefer\s+(?:answers\s+in\s+|replies\s+in\s+)?(english|japanese|french|german|spanish|italian|portuguese|chinese|korean|dutch|russian|polish|swedish)(?:\s+(?:answers|replies|please))?/#) { g, _ in
            .preference(key: "language", value: g[1].capitalized)
        },
        // Diet, and its retraction.
        ExtractionRule(#/(?i)i(?:'m| am)\s+(?:now\s+|a\s+|now a\s+|strictly\s+|strict\s+)*(vegetarian|vegan|pescatarian|pescetarian)(?:\s.*)?/#) { g, _ in
            .preference(key: "diet", value: g[1].lowercased() == "pescetarian" ? "pescatarian" : g[1].lowercased())
        },
        ExtractionRule(#/(?i)i(?:'m| am)\s+(?:no longer|not)\s+(?:a\s+)?(vegetarian|vegan|pescatarian)(?:\s+(?:anymore|any more|now))?/#) { g, _ in
            .retraction(key: "diet", values: [g[1].lowercased()])
        },
        ExtractionRule(#/(?i)i\s+(?:do\s+)?(?:eat|now eat|started eating|have started eating|eat some|also eat)\s+(meat|fish|chicken|beef|pork|seafood)(?:\s+(?:now|again|these days|sometimes))*/#) { g, _ in
            let meat = ["meat", "chicken", "beef", "pork"].contains(g[1].lowercased())
            return .retraction(key: "diet", values: meat ? ["vegetarian", "vegan", "pescatarian"] : ["vegetarian", "vegan"])
        },
    ] + facts

    /// Facts kept as memories in the user's words.
    static let facts: [ExtractionRule] = [
        ExtractionRule(#/(?i)i(?:'m| am)\s+(?:severely\s+|very\s+|mildly\s+)?allergic to\s+(.+)/#) { g, s in
            .memory(key: "allergy:" + g[1].lowercased(), text: s)
        },
        ExtractionRule(#/(?i)i\s+(?:don't|do not|never|can't|cannot)\s+(?:eat|drink)\s+(.+)/#) { g, s in
            .memory(key: "avoid:" + g[1].lowercased(), text: s)
        },
        ExtractionRule(#/(?i)i(?:\s+now)?\s+(?:live|am living|'m living)\s+in\s+(.+)/#) { _, s in .memory(key: "home", text: s) },
        ExtractionRule(#/(?i)i(?:'ve| have)?\s+(?:just\s+)?moved to\s+(.+)/#) { _, s in .memory(key: "home", text: s) },
        ExtractionRule(#/(?i)i(?:'m| am)\s+(?:originally\s+)?from\s+(.+)/#) { _, s in .memory(key: "origin", text: s) },
        ExtractionRule(#/(?i)i\s+work\s+(?:as|at|for)\s+(.+)/#) { _, s in .memory(key: "job", text: s) },
        ExtractionRule(#/(?i)i(?:'m| am)\s+(\d{1,3})\s+(?:years old|yo)/#) { _, s in .memory(key: "age", text: s) },
        ExtractionRule(#/(?i)my birthday is\s+(.+)/#) { _, s in .memory(key: "birthday", text: s) },
        ExtractionRule(#/(?i)my (?:favou?rite)\s+(\p{L}+(?:\s\p{L}+)?)\s+is\s+(.+)/#) { g, s in
            .memory(key: "favorite:" + g[1].lowercased(), text: s)
        },
        ExtractionRule(#/(?i)my\s+(dog|cat|pet|son|daughter|wife|husband|partner|boyfriend|girlfriend|kid|child|bird|rabbit|horse)(?:'s name)?\s+is\s+(?:called|named)?\s*(\p{Lu}[\p{L}\-]*)/#) { g, s in
            .memory(key: "named:" + g[1].lowercased(), text: s)
        },
        ExtractionRule(#/(?i)i(?:'m| am)\s+(?:currently\s+)?(?:learning|studying)\s+(.+)/#) { g, s in
            .memory(key: "learning:" + g[1].lowercased(), text: s)
        },
        ExtractionRule(#/(?i)i\s+(?:speak|am fluent in|'m fluent in)\s+(.+)/#) { _, s in .memory(key: nil, text: s) },
        ExtractionRule(#/(?i)i\s+have\s+(?:a|an|one|two|three|four|five|\d+)\s+(?!question|problem|bug|idea|doubt|issue|error|meeting|minute|second|moment|request|suggestion|quick|few)(.+)/#) { _, s in
            .memory(key: nil, text: s)
        },
        ExtractionRule(#/(?i)i(?:'m| am)\s+(?:a|an)\s+(?!bit\b|little\b|tad\b|lot\b|moment\b|second\b|fan of that)(.+)/#) { _, s in
            .memory(key: nil, text: s)
        },
        ExtractionRule(#/(?i)i\s+(?:really\s+|absolutely\s+|truly\s+)?(?:love|like|enjoy|adore|hate|dislike|can't stand|prefer)\s+(?!it\b|that\b|this\b|your\b|you\b|the way you|when you|how you)(.+)/#) { _, s in
            .memory(key: nil, text: s)
        },
        ExtractionRule(#/(?i)i\s+(?:usually|always|often|never)\s+(.+)/#) { _, s in .memory(key: nil, text: s) },
        ExtractionRule(#/(?i)i\s+(?:keep|grow|raise|own|drive|ride|play|collect|volunteer|cook|bake|paint|knit|surf|climb|swim)\s+(?!\p{L}+ing\b)(.+)/#) { _, s in
            .memory(key: nil, text: s)
        },
        ExtractionRule(#/(?i)(?:please\s+)?(always|never)\s+(?!mind\b)(.+)/#) { g, s in
            .preference(key: "instruction:" + g[2].lowercased(), value: s)
        },
        ExtractionRule(#/(?i)(?:please\s+)?(?:don't|do not)\s+(?:ever\s+)?(use|add|include|say|call|write|apologi[sz]e|explain|start|end|repeat|mention|give)\b(.*)/#) { g, s in
            .preference(key: "instruction:" + (g[1] + g[2]).lowercased(), value: s)
        },
    ]
}
