import Conversation
import Foundation

/// JSON form of a record: one object with `time`, `type` and the payload's fields side by side.
extension SessionRecord: Codable {
    private enum Keys: String, CodingKey { case time, type }

    public init(from decoder: any Decoder) throws {
        let c = try decoder.container(keyedBy: Keys.self)
        let stamp = try c.decode(String.self, forKey: .time)
        guard let time = SessionTime.parse(stamp) else {
            throw DecodingError.dataCorruptedError(forKey: .time, in: c, debugDescription: "bad time '\(stamp)'")
        }
        self.time = time
        let type = try c.decode(String.self, forKey: .type)
        switch type {
        case "start": event = .start(try SessionStart(from: decoder))
        case "user": event = .user(try UserTurn(from: decoder))
        case "assistant": event = .assistant(try AssistantReply(from: decoder))
        case "partial": event = .partial(try PartialReply(from: decoder))
        case "failure": event = .failure(try ReplyFailure(from: decoder))
        case "persona": event = .persona(try PersonaSwitch(from: decoder))
        case "model": event = .model(try ModelSwitch(from: decoder))
        case "system": event = .systemPrompt(try SystemPromptChange(from: decoder))
        case "sampling": event = .sampling(try SamplingChange(from: decoder))
        case "theme": event = .theme(try ThemeSwitch(from: decoder))
        case "preference": event = .preference(try PreferenceUpdate(from: decoder))
        case "reset": event = .reset
        case "rewind": event = .rewind(try Rewind(from: decoder))
        default:
            throw DecodingError.dataCorruptedError(forKey: .type, in: c, debugDescription: "unknown event type '\(type)'")
        }
    }

    public func encode(to encoder: any Encoder) throws {
        var c = encoder.container(keyedBy: Keys.self)
        try c.encode(SessionTime.format(time), forKey: .time)
        try c.encode(event.typeName, forKey: .type)
        switch event {
        case .start(let p): try p.encode(to: encoder)
        case .user(let p): try p.encode(to: encoder)
        case .assistant(let p): try p.encode(to: encoder)
        case .partial(let p): try p.encode(to: encoder)
        case .failure(let p): try p.encode(to: encoder)
        case .persona(let p): try p.encode(to: encoder)
        case .model(let p): try p.encode(to: encoder)
        case .systemPrompt(let p): try p.encode(to: encoder)
        case .sampling(let p): try p.encode(to: encoder)
        case .theme(let p): try p.encode(to: encoder)
        case .preference(let p): try p.encode(to: encoder)
        case .reset: break
        case .rewind(let p): try p.encode(to: encoder)
        }
    }
}

/// Timestamps in session logs: ISO 8601 in UTC with milliseconds, e.g. `2025-05-01T09:30:00.125Z`.
public enum SessionTime {
    /// The timestamp as written in logs and exports, to the nearest millisecond, so that a time read
    /// back from a log is written again exactly as it was (the formatter alone truncates, turning
    /// `.123` read as `.12299…` into `.122`).
    public static func format(_ date: Date) -> String {
        let milliseconds = Int64((date.timeIntervalSince1970 * 1000).rounded())
        let seconds = milliseconds >= 0 ? milliseconds / 1000 : (milliseconds - 999) / 1000
        let whole = Date(timeIntervalSince1970: Double(seconds)).formatted(Date.ISO8601FormatStyle())
        return whole.dropLast() + String(format: ".%03dZ", Int(milliseconds - seconds * 1000))
    }

    /// Reads a timestamp written by `format` (or without fractional seconds).
    public static func parse(_ text: String) -> Date? {
        if let d = try? Date.ISO8601FormatStyle(includingFractionalSeconds: true).parse(text) { return d }
        return try? Date.ISO8601FormatStyle().parse(text)
    }
}

/// Encodes records as single JSON lines with sorted keys, and decodes them back.
enum SessionLineCoder {
    /// The record as UTF-8 JSON followed by one newline; JSON escapes keep it on one line.
    static func encode(_ record: SessionRecord) throws -> [UInt8] {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys, .withoutEscapingSlashes]
        var bytes = [UInt8](try encoder.encode(record))
        bytes.append(0x0A)
        return bytes
    }

    static func decode(_ line: Data) throws -> SessionRecord {
        try JSONDecoder().decode(SessionRecord.self, from: line)
    }
}
