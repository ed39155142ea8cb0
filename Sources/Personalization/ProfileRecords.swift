import Foundation
import GRDB

/// Where a preference came from: said by the user, inferred from their messages, or learned from feedback.
public enum PreferenceSource: String, Codable, Sendable, CaseIterable {
    case stated, inferred, feedback
}

/// Whether a preference holds for every persona or for one.
public enum PreferenceScope: Sendable, Equatable, Hashable {
    case global
    case persona(String)

    /// The stored column value: "" for global, else the persona's name.
    var column: String {
        switch self {
        case .global: return ""
        case .persona(let name): return name
        }
    }

    init(column: String) { self = column.isEmpty ? .global : .persona(column) }
}

/// One preference of a user, such as `answer.length = short`.
public struct Preference: Codable, Sendable, Equatable, FetchableRecord, MutablePersistableRecord {
    public static let databaseTableName = "preference"
    public var id: Int64?
    public var userId: Int64
    public var key: String
    public var value: String
    /// "" for a global preference, else the persona it belongs to.
    public var persona: String
    /// How sure nook is of it, 0...1.
    public var confidence: Double
    public var source: PreferenceSource
    /// Where the user said it, as "SESSION#TURN".
    public var evidence: [String]
    public var created: Date
    public var updated: Date
    public var lastUsed: Date?

    /// Global or persona-scoped.
    public var scope: PreferenceScope { PreferenceScope(column: persona) }

    public mutating func didInsert(_ inserted: InsertionSuccess) { id = inserted.rowID }
}

/// A fact about the user in their own words.
public struct Memory: Codable, Sendable, Equatable, FetchableRecord, MutablePersistableRecord {
    public static let databaseTableName = "memory"
    public var id: Int64?
    public var userId: Int64
    /// What the fact is about (such as "home"), so a newer statement replaces an older one; nil when unkeyed.
    public var key: String?
    public var text: String
    public var sessionId: String?
    public var turn: Int?
    /// How much it matters, 0...1.
    public var importance: Double
    public var created: Date
    public var lastUsed: Date?
    /// A dense embedding (little-endian Float32), when an embedding model is configured.
    public var embedding: Data?

    public mutating func didInsert(_ inserted: InsertionSuccess) { id = inserted.rowID }
}

/// The kinds of implicit and explicit feedback on a reply.
public enum FeedbackKind: String, Codable, Sendable, CaseIterable {
    case good, bad, regenerate, edit
}

/// One feedback event on a reply.
public struct FeedbackEvent: Codable, Sendable, Equatable, FetchableRecord, MutablePersistableRecord {
    public static let databaseTableName = "feedback"
    public var id: Int64?
    public var userId: Int64
    public var kind: FeedbackKind
    public var sessionId: String?
    public var turn: Int?
    /// Free detail, such as how much an edit shortened the reply.
    public var detail: String?
    public var at: Date

    public mutating func didInsert(_ inserted: InsertionSuccess) { id = inserted.rowID }
}

/// What kind of row a history entry is about.
public enum HistoryEntity: String, Codable, Sendable {
    case preference, memory
}

/// What a history entry changed.
public enum HistoryAction: String, Codable, Sendable {
    case add, update, delete
}

/// One change to a preference or memory, with the row before and after as JSON, so it can be inspected and undone.
public struct HistoryEntry: Codable, Sendable, Equatable, FetchableRecord, MutablePersistableRecord {
    public static let databaseTableName = "history"
    public var id: Int64?
    public var userId: Int64
    public var entity: HistoryEntity
    public var entityId: Int64
    public var action: HistoryAction
    public var before: String?
    public var after: String?
    /// Why it changed, such as "stated in session S turn 3".
    public var reason: String
    public var at: Date

    public mutating func didInsert(_ inserted: InsertionSuccess) { id = inserted.rowID }
}
