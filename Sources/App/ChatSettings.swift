import Conversation
import Foundation
import Sessions

/// `/set` and `/system`: the sampling settings and system prompt of this conversation, recorded in the session log.
extension ChatApp {
    /// One settable value: its names, how to read it from text, and where it goes.
    private struct Setting: Sendable {
        let names: [String]
        let help: String
        let apply: @Sendable (inout SamplingSettings, String) -> String?

        var name: String { names[0] }
    }

    /// Every value `/set` knows, in the order it lists them; `apply` answers a problem in words, or nil.
    private static let settings: [Setting] = [
        Setting(names: ["temp", "temperature"], help: "0 picks the most likely token") { s, text in
            guard let v = Float(text), v >= 0, v.isFinite else { return "temp needs a number of at least 0 (0 is greedy)" }
            s.temperature = v
            return nil
        },
        Setting(names: ["top-k"], help: "0 keeps every token") { s, text in
            guard let v = Int(text), v >= 0 else { return "top-k needs a whole number of at least 0" }
            s.topK = v
            return nil
        },
        Setting(names: ["top-p"], help: "1 keeps every token") { s, text in
            guard let v = Float(text), (0...1).contains(v) else { return "top-p needs a number from 0 to 1" }
            s.topP = v
            return nil
        },
        Setting(names: ["min-p"], help: "0 keeps every token") { s, text in
            guard let v = Float(text), (0...1).contains(v) else { return "min-p needs a number from 0 to 1" }
            s.minP = v
            return nil
        },
        Setting(names: ["repeat-penalty"], help: "1 is off") { s, text in
            guard let v = Float(text), v > 0, v.isFinite else { return "repeat-penalty needs a number above 0 (1 is off)" }
            s.repeatPenalty = v
            return nil
        },
        Setting(names: ["presence-penalty"], help: "0 is off") { s, text in
            guard let v = Float(text), v.isFinite else { return "presence-penalty needs a number (0 is off)" }
            s.presencePenalty = v
            return nil
        },
        Setting(names: ["max-tokens", "n"], help: "none: until the model stops or the context is full") { s, text in
            if text == "none" { s.maxTokens = nil; return nil }
            guard let v = Int(text), v >= 1 else { return "max-tokens needs a whole number of at least 1, or none" }
            s.maxTokens = v
            return nil
        },
        Setting(names: ["seed"], help: "the same seed writes the same reply") { s, text in
            guard let v = UInt64(text) else { return "seed needs a whole number from 0 to \(UInt64.max)" }
            s.seed = v
            return nil
        },
    ]

    /// `/set` lists the settings; `/set NAME VALUE` changes one for the following replies.
    func set(_ arguments: [String]) {
        let current = conversation.sampling
        let fields = SamplingSettings.describedFields
        func value(_ name: String) -> String { fields.first { $0.name == name }?.value(current) ?? "" }
        guard !arguments.isEmpty else {
            let width = Self.settings.map(\.name.count).max() ?? 0
            let lines = Self.settings.map { "  " + $0.name.padding(toLength: width, withPad: " ", startingAt: 0)
                + "  " + value($0.name) + "  (\($0.help))" }
            return note((["Sampling settings (/set NAME VALUE changes one):"] + lines).joined(separator: "\n"))
        }
        guard arguments.count == 2 else { return error("/set needs a name and a value, e.g. /set temp 0.7 (/set lists them)") }
        let name = arguments[0].lowercased()
        guard let setting = Self.settings.first(where: { $0.names.contains(name) }) else {
            return error("/set knows \(Self.settings.map(\.name).joined(separator: ", ")), not \(arguments[0])")
        }
        guard !busy else { return }
        var next = current
        if let problem = setting.apply(&next, arguments[1]) { return error(problem) }
        guard next != current else { return note("\(setting.name) is \(value(setting.name)) already") }
        record(.sampling(SamplingChange(sampling: next)))
        let now = fields.first { $0.name == setting.name }?.value(next) ?? arguments[1]
        note("\(setting.name) \(now) (was \(value(setting.name))): the next replies use it")
    }

    /// `/system` shows the system prompt; `/system TEXT` replaces it for this conversation (until a persona switch).
    func system(_ text: String) {
        guard !text.isEmpty else {
            return note("System prompt (/system TEXT replaces it for this conversation):\n" + conversation.systemPrompt)
        }
        guard !busy else { return }
        record(.systemPrompt(SystemPromptChange(systemPrompt: text)))
        note("system prompt set for this conversation; /persona NAME brings a persona's own back")
        refreshContextUsage()
    }
}
