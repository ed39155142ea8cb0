import Conversation
import Foundation
import Sessions

/// Resuming a recorded session in the chat: the recorded conversation and settings, with the command line's flags
/// on top, and plain words about what differs.
/// Which session `nook --continue` or `nook --session` continues.
public enum SessionChoice: Sendable, Equatable {
    /// The most recently active one.
    case last
    /// The session with this id or name.
    case named(String)
}

extension ChatApp {
    /// `--continue` or `--session ID|NAME`: resumes before the first frame; when there is none, says so and the chat
    /// starts afresh.
    public func resumeAtStart(_ choice: SessionChoice) {
        switch choice {
        case .last:
            guard let last = env.store.list().sessions.first else {
                return note("no earlier session to continue: this is a new one")
            }
            resume(last.id)
        case .named(let name):
            do {
                _ = try env.store.existing(name)
            } catch {
                return self.error("\(error): this is a new session")
            }
            resume(name)
        }
    }

    /// Continues session `id`: its log, conversation, persona and theme come back, and every sampling flag given on
    /// the command line wins over the recorded value (the change is recorded, so replays stay exact).
    func resume(_ id: String) {
        guard id != sessionID else { return note("this is session \(id) already") }
        let resumed: (log: SessionLog?, contents: SessionLogContents)
        do {
            let url = try env.store.url(for: id)
            // With --no-save the session is read, never appended to.
            resumed = savingDisabled ? (nil, try SessionLogReader.read(url)) : try SessionLog.resume(at: url)
        } catch {
            return self.error("\(error)")
        }
        learnFromSession()
        log?.close()
        log = resumed.log
        if !savingDisabled { notSaved = nil }
        sessionStart = resumed.contents.start
        sessionEvents = resumed.contents.entries.map(\.event)
        markIncognitoSession()
        editing = nil
        greetingIndex = nil
        conversation = ConversationState(contents: resumed.contents)
        persona = (try? env.personas.persona(named: conversation.persona))
            ?? Persona(name: conversation.persona, systemPrompt: conversation.systemPrompt)
        view.editor.placeholder = "Message \(persona.shownName) · /help for commands"
        if let name = conversation.theme, let found = env.themes.theme(named: name) {
            theme = found
            resolvedTheme = found.resolved(for: env.capability)
        }
        view.transcript.setMessages(TranscriptRebuilder.messages(for: resumed.contents, personas: env.personas,
                                                                userLabel: env.userName ?? "you"))
        view.transcriptView.scrollToBottom()
        for warning in resumed.contents.warnings { error(warning) }
        if let change = modelChange(recorded: conversation.model) { warn(change) }
        note("resumed session \(id) (\(conversation.turnCount) turn\(conversation.turnCount == 1 ? "" : "s"))" +
             (conversation.awaitsReply ? ": the last message has no reply; /regen writes one" : ""))
        applyFlagsOverRecordedSettings()
        refreshContextUsage()
    }

    /// What differs between the model a session recorded and the one running now, in one sentence; nil when alike.
    func modelChange(recorded: ModelInfo) -> String? {
        let now = env.generator.modelInfo
        var parts: [String] = []
        if !recorded.sha256.isEmpty, !now.sha256.isEmpty, recorded.sha256 != now.sha256 {
            if recorded.path == now.path {
                parts.append("the model file at \(now.path) changed since this session was recorded: new replies come from the file as it is now")
            } else {
                parts.append("this session was recorded with \(URL(fileURLWithPath: recorded.path).lastPathComponent); new replies come from \(URL(fileURLWithPath: now.path).lastPathComponent)")
            }
        }
        if let was = recorded.contextLength, let isNow = now.contextLength, was != isNow {
            parts.append("it was recorded with a context of \(was) tokens and this chat has \(isNow) (--ctx)")
        }
        if let isNow = now.kvType, (recorded.kvType ?? "f32") != isNow {
            parts.append("it was recorded with an \(recorded.kvType ?? "f32") KV cache and this chat uses \(isNow) (--kv-type)")
        }
        return parts.isEmpty ? nil : parts.joined(separator: "; ")
    }

    /// Puts the command line's sampling flags over the resumed session's settings and says which recorded ones stay.
    func applyFlagsOverRecordedSettings() {
        let recorded = conversation.sampling
        var now = env.sampling.applied(to: recorded)
        if env.seedFromFlag { now.seed = env.seed }
        let names = Self.samplingSettings
        let fromFlags = names.filter { $0.value(now) != $0.value(recorded) }
        let kept = names.filter { $0.value(now) == $0.value(recorded) }
        if now != recorded {
            record(.sampling(SamplingChange(sampling: now)))
            note("settings: from the command line " + fromFlags.map { "\($0.name) \($0.value(now))" }.joined(separator: ", ")
                 + "; kept from the session " + kept.map { "\($0.name) \($0.value(recorded))" }.joined(separator: ", "))
        }
    }
}
