import Conversation
import Foundation
import Sessions

/// `/set` and `/system`: the sampling settings and system prompt of this conversation, recorded in the session log.
extension ChatApp {
    /// One settable sampling value: its names, how it is shown, how to read it from text, and where it goes.
    struct SamplingSetting: Sendable {
        let names: [String]
        let help: String
        let value: @Sendable (SamplingSettings) -> String
        let apply: @Sendable (inout SamplingSettings, String) -> String?

        var name: String { names[0] }
    }

    /// The one table of sampling values `/set` and the resume note know, in the order they are listed; `apply`
    /// answers a problem in words, or nil.
    static let samplingSettings: [SamplingSetting] = [
        SamplingSetting(names: ["temp", "temperature"], help: "0 picks the most likely token", value: { "\($0.temperature)" }) { s, text in
            guard let v = Float(text), v >= 0, v.isFinite else { return "temp needs a number of at least 0 (0 is greedy)" }
            s.temperature = v
            return nil
        },
        SamplingSetting(names: ["top-k"], help: "0 keeps every token", value: { "\($0.topK)" }) { s, text in
            guard let v = Int(text), v >= 0 else { return "top-k needs a whole number of at least 0" }
            s.topK = v
            return nil
        },
        SamplingSetting(names: ["top-p"], help: "1 keeps every token", value: { "\($0.topP)" }) { s, text in
            guard let v = Float(text), (0...1).contains(v) else { return "top-p needs a number from 0 to 1" }
            s.topP = v
            return nil
        },
        SamplingSetting(names: ["min-p"], help: "0 keeps every token", value: { "\($0.minP)" }) { s, text in
            guard let v = Float(text), (0...1).contains(v) else { return "min-p needs a number from 0 to 1" }
            s.minP = v
            return nil
        },
        SamplingSetting(names: ["repeat-penalty"], help: "1 is off", value: { "\($0.repeatPenalty)" }) { s, text in
            guard let v = Float(text), v > 0, v.isFinite else { return "repeat-penalty needs a number above 0 (1 is off)" }
            s.repeatPenalty = v
            return nil
        },
        SamplingSetting(names: ["presence-penalty"], help: "0 is off", value: { "\($0.presencePenalty)" }) { s, text in
            guard let v = Float(text), v.isFinite else { return "presence-penalty needs a number (0 is off)" }
            s.presencePenalty = v
            return nil
        },
        SamplingSetting(names: ["max-tokens", "n"], help: "none: until the model stops or the context is full", value: { $0.maxTokens.map(String.init) ?? "none" }) { s, text in
            if text == "none" { s.maxTokens = nil; return nil }
            guard let v = Int(text), v >= 1 else { return "max-tokens needs a whole number of at least 1, or none" }
            s.maxTokens = v
            return nil
        },
        SamplingSetting(names: ["seed"], help: "the same seed writes the same reply", value: { "\($0.seed)" }) { s, text in
            guard let v = UInt64(text) else { return "seed needs a whole number from 0 to \(UInt64.max)" }
            s.seed = v
            return nil
        },
    ]

    /// `/set` lists the settings; `/set NAME VALUE` changes one for the following replies.
    func set(_ arguments: [String]) {
        let current = conversation.sampling
        let settings = Self.samplingSettings
        guard !arguments.isEmpty else {
            let width = settings.map(\.name.count).max() ?? 0
            let lines = settings.map { "  " + $0.name.padding(toLength: width, withPad: " ", startingAt: 0)
                + "  " + $0.value(current) + "  (\($0.help))" }
            return note((["Sampling settings (/set NAME VALUE changes one):"] + lines).joined(separator: "\n"))
        }
        guard arguments.count == 2 else { return error("/set needs a name and a value, e.g. /set temp 0.7 (/set lists them)") }
        let name = arguments[0].lowercased()
        guard let setting = settings.first(where: { $0.names.contains(name) }) else {
            return error("/set knows \(settings.map(\.name).joined(separator: ", ")), not \(arguments[0])")
        }
        guard !busy else { return }
        var next = current
        if let problem = setting.apply(&next, arguments[1]) { return error(problem) }
        guard next != current else { return note("\(setting.name) is \(setting.value(current)) already") }
        record(.sampling(SamplingChange(sampling: next)))
        note("\(setting.name) \(setting.value(next)) (was \(setting.value(current))): the next replies use it")
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
