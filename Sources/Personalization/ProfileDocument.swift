import Foundation

/// The stable JSON form of one user's profile, written by `nook profile export --json` and read by
/// `nook profile import`. Version 1; fields are only ever added.
public struct ProfileDocument: Codable, Sendable, Equatable {
    /// Always "nook-profile".
    public var format: String
    public var version: Int
    public var user: String
    public var preferences: [PreferenceEntry]
    public var memories: [MemoryEntry]
    public var feedback: [FeedbackEntry]
    public var history: [HistoryItem]
    public var sessions: [SessionEntry]

    public static let currentVersion = 1

    /// The document of a user with nothing stored.
    public static func empty(user: String) -> ProfileDocument {
        ProfileDocument(format: "nook-profile", version: currentVersion, user: user, preferences: [], memories: [], feedback: [],
                        history: [], sessions: [])
    }

    public struct PreferenceEntry: Codable, Sendable, Equatable {
        public var id: Int64
        public var key: String
        public var value: String
        /// The persona it belongs to; nil for a global preference.
        public var persona: String?
        public var confidence: Double
        public var source: PreferenceSource
        public var evidence: [String]
        public var created: Date
        public var updated: Date
        public var lastUsed: Date?
    }

    public struct MemoryEntry: Codable, Sendable, Equatable {
        public var id: Int64
        public var key: String?
        public var text: String
        public var sessionId: String?
        public var turn: Int?
        public var importance: Double
        public var created: Date
        public var lastUsed: Date?
        /// Base64 of little-endian Float32 values.
        public var embedding: Data?
    }

    public struct FeedbackEntry: Codable, Sendable, Equatable {
        public var kind: FeedbackKind
        public var sessionId: String?
        public var turn: Int?
        public var detail: String?
        public var at: Date
    }

    public struct HistoryItem: Codable, Sendable, Equatable {
        public var entity: HistoryEntity
        /// The `id` of the preference or memory in this document (or of one since removed).
        public var entityId: Int64
        public var action: HistoryAction
        /// The row before and after, as JSON text.
        public var before: String?
        public var after: String?
        public var reason: String
        public var at: Date
    }

    public struct SessionEntry: Codable, Sendable, Equatable {
        public var sessionId: String
        public var processedTurns: Int
        public var updated: Date
    }

    /// The document as pretty JSON with sorted keys and ISO 8601 dates (milliseconds, UTC).
    public func json() throws -> Data {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.prettyPrinted, .sortedKeys, .withoutEscapingSlashes]
        encoder.dateEncodingStrategy = .custom { date, encoder in
            var c = encoder.singleValueContainer()
            try c.encode(ProfileDocument.formatter().string(from: date))
        }
        return try encoder.encode(self)
    }

    /// Reads an export; `file` names it in errors.
    public static func read(_ data: Data, file: String) throws -> ProfileDocument {
        let decoder = JSONDecoder()
        decoder.dateDecodingStrategy = .custom { decoder in
            let text = try decoder.singleValueContainer().decode(String.self)
            guard let date = formatter().date(from: text) else {
                throw DecodingError.dataCorrupted(.init(codingPath: decoder.codingPath, debugDescription: "not an ISO 8601 date: \(text)"))
            }
            return date
        }
        struct Header: Decodable { var format: String?; var version: Int? }
        guard let header = try? decoder.decode(Header.self, from: data), header.format == "nook-profile" else {
            throw ProfileError("\(file): not a nook profile export (no \"format\": \"nook-profile\")")
        }
        guard let version = header.version, version <= currentVersion else {
            throw ProfileError("\(file): profile export version \(header.version.map(String.init) ?? "missing") is newer than this nook reads (\(currentVersion))")
        }
        do {
            return try decoder.decode(ProfileDocument.self, from: data)
        } catch let DecodingError.keyNotFound(key, context) {
            throw ProfileError("\(file): missing \"\(key.stringValue)\" at \(path(context.codingPath))")
        } catch let DecodingError.typeMismatch(_, context), let DecodingError.valueNotFound(_, context),
                let DecodingError.dataCorrupted(context) {
            throw ProfileError("\(file): bad value at \(path(context.codingPath)): \(context.debugDescription)")
        }
    }

    private static func path(_ keys: [any CodingKey]) -> String {
        keys.isEmpty ? "the top level" : keys.map { $0.intValue.map { "[\($0)]" } ?? ".\($0.stringValue)" }.joined()
    }

    static func formatter() -> ISO8601DateFormatter {
        let f = ISO8601DateFormatter()
        f.formatOptions = [.withInternetDateTime, .withFractionalSeconds]
        return f
    }
}
