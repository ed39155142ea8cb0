import Foundation

/// What reconciling one candidate did to the profile, in the manner of mem0.
public enum ReconcileAction: String, Sendable, Equatable {
    /// A new preference or memory.
    case add
    /// An existing one changed; the old value is kept in the history.
    case update
    /// An existing one was contradicted and removed; it is kept in the history.
    case delete
    /// Nothing changed (already known, or an inference that an explicit statement outranks).
    case none
}

/// One reconciled candidate.
public struct ReconcileOutcome: Sendable, Equatable {
    public var candidate: Candidate
    public var action: ReconcileAction
    /// The preference or memory changed, if any.
    public var entity: HistoryEntity?
    public var entityId: Int64?
}

/// Merges candidates into a user's profile: add what is new, update what a newer statement changes (the newer
/// explicit statement wins), delete what it contradicts, and leave the rest.
public struct Reconciler: Sendable {
    /// The confidence given to what the user says outright.
    public var statedConfidence: Double
    /// The importance given to new memories.
    public var memoryImportance: Double

    public init(statedConfidence: Double = 0.9, memoryImportance: Double = 0.5) {
        self.statedConfidence = statedConfidence
        self.memoryImportance = memoryImportance
    }

    /// Applies `candidates` in order; `source` says whether they were stated or inferred.
    public func apply(_ candidates: [Candidate], to profile: UserProfile, source: PreferenceSource = .stated,
                      sessionId: String? = nil) throws -> [ReconcileOutcome] {
        try candidates.map { try apply($0, to: profile, source: source, sessionId: sessionId) }
    }

    func apply(_ c: Candidate, to profile: UserProfile, source: PreferenceSource, sessionId: String?) throws -> ReconcileOutcome {
        let reason = "\(source.rawValue)\(c.evidence.map { " in \($0)" } ?? ""): \(c.sentence)"
        func outcome(_ action: ReconcileAction, _ entity: HistoryEntity? = nil, _ id: Int64? = nil) -> ReconcileOutcome {
            ReconcileOutcome(candidate: c, action: action, entity: entity, entityId: id)
        }
        switch c.kind {
        case .preference(let key, let value):
            let existing = try profile.preference(key: key, scope: .global)
            if let existing {
                if existing.source == .stated && source != .stated { return outcome(.none, .preference, existing.id) }
                if existing.value.caseInsensitiveCompare(value) == .orderedSame { return outcome(.none, .preference, existing.id) }
            }
            let confidence = source == .stated ? statedConfidence : min(statedConfidence, 0.5)
            let saved = try profile.setPreference(key: key, value: value, scope: .global, source: source, confidence: confidence,
                                                  evidence: c.evidence.map { [$0] } ?? [], reason: reason)
            return outcome(existing == nil ? .add : .update, .preference, saved.id)
        case .retraction(let key, let values):
            guard let existing = try profile.preference(key: key, scope: .global), values.contains(existing.value.lowercased()),
                  let id = existing.id else { return outcome(.none) }
            try profile.removePreference(id: id, reason: reason)
            return outcome(.delete, .preference, id)
        case .memory(let key, let text):
            let memories = try profile.memories()
            if memories.contains(where: { Self.same($0.text, text) }) { return outcome(.none) }
            let turn = c.evidence.flatMap { $0.split(separator: "#").last.flatMap { Int($0) } }
            if let key, let old = memories.last(where: { $0.key == key }), let id = old.id {
                try profile.updateMemory(id: id, text: text, sessionId: sessionId, turn: turn, reason: reason)
                return outcome(.update, .memory, id)
            }
            let added = try profile.addMemory(text, key: key, sessionId: sessionId, turn: turn, importance: memoryImportance, reason: reason)
            return outcome(.add, .memory, added.id)
        }
    }

    /// Whether two memory texts say the same thing (case, spacing and final punctuation aside).
    static func same(_ a: String, _ b: String) -> Bool {
        func norm(_ s: String) -> String {
            s.lowercased().filter { !$0.isWhitespace && !$0.isPunctuation }
        }
        return norm(a) == norm(b)
    }
}
