import Conversation
import Foundation

extension PersonaTOML {
    /// The persona as a TOML document that `parse` reads back to an equal persona.
    public static func encode(_ persona: Persona) -> String {
        var lines: [String] = []
        lines.append("name = \(quoted(persona.name))")
        if let display = persona.displayName { lines.append("display_name = \(quoted(display))") }
        lines.append("description = \(quoted(persona.description))")
        if !persona.tags.isEmpty { lines.append("tags = [\(persona.tags.map(quoted).joined(separator: ", "))]") }
        if let greeting = persona.greeting { lines.append("greeting = \(quoted(greeting))") }
        lines.append("system_prompt = \(quoted(persona.systemPrompt))")

        let s = persona.sampling
        var sampling: [String] = []
        if let v = s.temperature { sampling.append("temperature = \(number(v))") }
        if let v = s.topK { sampling.append("top_k = \(v)") }
        if let v = s.topP { sampling.append("top_p = \(number(v))") }
        if let v = s.minP { sampling.append("min_p = \(number(v))") }
        if let v = s.repeatPenalty { sampling.append("repeat_penalty = \(number(v))") }
        if let v = s.maxTokens { sampling.append("max_tokens = \(v)") }
        if !sampling.isEmpty { lines += ["", "[sampling]"] + sampling }

        var style: [String] = []
        if let length = persona.style.length { style.append("length = \(quoted(length.rawValue))") }
        if let tone = persona.style.tone { style.append("tone = \(quoted(tone))") }
        if !style.isEmpty { lines += ["", "[style]"] + style }
        return lines.joined(separator: "\n") + "\n"
    }

    /// A TOML float literal (always with a decimal point or exponent).
    private static func number(_ x: Float) -> String {
        let text = "\(x)"
        return text.contains(".") || text.contains("e") ? text : text + ".0"
    }

    /// A TOML string: basic on one line; multi-line literal (`'''`) when that needs no escapes; else multi-line basic.
    static func quoted(_ text: String) -> String {
        guard text.contains("\n") else { return "\"" + escape(text, keepNewlines: false) + "\"" }
        let literalSafe = !text.contains("'''") && !text.hasSuffix("'")
            && !text.unicodeScalars.contains { ($0.value < 0x20 && $0 != "\n" && $0 != "\t") || $0.value == 0x7F }
        if literalSafe { return "'''\n" + text + "'''" }
        return "\"\"\"\n" + escape(text, keepNewlines: true) + "\"\"\""
    }

    private static func escape(_ text: String, keepNewlines: Bool) -> String {
        var out = ""
        for scalar in text.unicodeScalars {
            switch scalar {
            case "\\": out += "\\\\"
            case "\"": out += "\\\""
            case "\n": out += keepNewlines ? "\n" : "\\n"
            case "\t": out += "\\t"
            case "\r": out += "\\r"
            default:
                if scalar.value < 0x20 || scalar.value == 0x7F {
                    out += String(format: "\\u%04X", scalar.value)
                } else {
                    out.unicodeScalars.append(scalar)
                }
            }
        }
        return out
    }
}
