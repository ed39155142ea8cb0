import Conversation
import Foundation

/// What a replay must produce for one reply, and where that requirement was written.
struct Expectation: Sendable, Equatable {
    enum Kind: String, Sendable { case recorded, equals, contains, failure }
    var kind: Kind
    var text: String
    /// `file:line` of the recorded reply or the `/expect` line.
    var location: String
}

/// A user turn to send again, with what its reply is checked against.
struct PlannedTurn: Sendable {
    var turn: UserTurn
    var location: String
    var expectations: [Expectation]
    /// A reply that was cancelled in the recording: it is reused, not regenerated.
    var recordedPartial: PartialReply?

    /// Whether the recording or script says anything about this turn's reply yet.
    var isAnswered: Bool { !expectations.isEmpty || recordedPartial != nil }
}

/// One step of a replay: a state change, or a turn that needs a reply.
enum PlanStep: Sendable {
    case event(SessionEvent, location: String)
    case turn(PlannedTurn)
}

/// A recording or script turned into the same sequence of events, with every attachment checked
/// and every persona resolved before anything is generated.
struct ReplayPlan: Sendable {
    var source: URL
    var start: SessionStart
    var steps: [PlanStep]
    var warnings: [String]

    /// The plan for a recorded session: its events in order; each user turn is checked against the
    /// reply recorded right after it. Attachments must still have their recorded SHA-256.
    init(recording: SessionLogContents, model: ModelInfo) throws {
        source = recording.url
        start = recording.start
        steps = []
        warnings = recording.warnings
        let file = recording.url.path
        let recorded = recording.start.model
        if !recorded.sha256.isEmpty, !model.sha256.isEmpty, recorded.sha256 != model.sha256 {
            warnings.append("\(file): recorded with model \(recorded.path) (SHA-256 \(recorded.sha256.prefix(12))…) but replaying with \(model.path) (\(model.sha256.prefix(12))…): replies may differ")
        }
        for entry in recording.entries {
            let location = "\(file):\(entry.line)"
            switch entry.event {
            case .user(let turn):
                for attachment in turn.attachments { try AttachmentFiles.verify(attachment, location: location) }
                steps.append(.turn(PlannedTurn(turn: turn, location: location, expectations: [], recordedPartial: nil)))
            case .assistant(let reply):
                if let index = unansweredTurn(), case .turn(var planned) = steps[index] {
                    planned.expectations = [Expectation(kind: .recorded, text: reply.text, location: location)]
                    steps[index] = .turn(planned)
                } else {
                    steps.append(.event(entry.event, location: location))  // e.g. a persona greeting
                }
            case .partial(let reply):
                if let index = unansweredTurn(), case .turn(var planned) = steps[index] {
                    planned.recordedPartial = reply
                    steps[index] = .turn(planned)
                } else {
                    steps.append(.event(entry.event, location: location))
                }
            case .failure(let failure):
                // The replay must fail the same way: the failure is what the reply is checked against.
                if let index = unansweredTurn(), case .turn(var planned) = steps[index] {
                    planned.expectations = [Expectation(kind: .failure, text: failure.message, location: location)]
                    steps[index] = .turn(planned)
                } else {
                    steps.append(.event(entry.event, location: location))
                }
            default:
                steps.append(.event(entry.event, location: location))
            }
        }
    }

    /// The index of the last turn when no reply was recorded for it yet (settings events may follow it).
    private func unansweredTurn() -> Int? {
        guard let index = steps.lastIndex(where: { if case .turn = $0 { return true } else { return false } }),
              case .turn(let planned) = steps[index], !planned.isAnswered,
              !steps[index...].contains(where: Self.cutsConversation)
        else { return nil }
        return index
    }

    /// Whether a step ends the conversation a reply could still belong to (`/new`, `/regen`, `/edit`).
    private static func cutsConversation(_ step: PlanStep) -> Bool {
        switch step {
        case .event(.reset, _), .event(.rewind, _): return true
        default: return false
        }
    }

    /// The plan for a script: commands become events, `/expect` lines attach to the turn before them.
    init(script: Script, personas: PersonaCatalog, model: ModelInfo, baseSampling: SamplingSettings,
         userName: String?, theme: String?) throws {
        source = script.url
        steps = []
        warnings = []
        var persona = personas.defaultPersona
        var base = baseSampling
        var temperature: Float?
        func sampling() -> SamplingSettings {
            var s = persona.sampling.applied(to: base)
            if let temperature { s.temperature = temperature }
            return s
        }
        start = SessionStart(model: model, sampling: sampling(), persona: persona.name,
                             systemPrompt: persona.effectiveSystemPrompt(userName: userName), theme: theme, user: userName)
        for step in script.steps {
            let location = script.location(step.line)
            func event(_ e: SessionEvent) { steps.append(.event(e, location: location)) }
            switch step.action {
            case .message(let text, let files):
                let attachments = try files.map { try AttachmentFiles.attachment(for: $0.url, location: script.location($0.line)) }
                steps.append(.turn(PlannedTurn(turn: UserTurn(text: text, attachments: attachments), location: location,
                                               expectations: [], recordedPartial: nil)))
            case .expect(let text), .expectContains(let text):
                guard let index = steps.lastIndex(where: { if case .turn = $0 { return true } else { return false } }),
                      case .turn(var planned) = steps[index] else {
                    throw ScriptError(file: script.url.path, line: step.line, message: "no reply to check before this line")
                }
                let kind: Expectation.Kind
                if case .expect = step.action { kind = .equals } else { kind = .contains }
                planned.expectations.append(Expectation(kind: kind, text: text, location: location))
                steps[index] = .turn(planned)
            case .persona(let name):
                do {
                    persona = try personas.persona(named: name)
                } catch let error as PersonaError {
                    throw ScriptError(file: script.url.path, line: step.line, message: error.message)
                }
                event(.persona(PersonaSwitch(persona: persona.name, systemPrompt: persona.effectiveSystemPrompt(userName: userName),
                                             sampling: sampling())))
            case .theme(let name): event(.theme(ThemeSwitch(theme: name)))
            case .seed(let seed):
                base.seed = seed
                event(.sampling(SamplingChange(sampling: sampling())))
            case .temperature(let t):
                temperature = t
                event(.sampling(SamplingChange(sampling: sampling())))
            case .system(let prompt): event(.systemPrompt(SystemPromptChange(systemPrompt: prompt)))
            case .new: event(.reset)
            }
        }
    }
}
