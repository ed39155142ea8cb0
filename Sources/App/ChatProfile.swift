import Conversation
import Foundation
import Personalization
import Sessions

/// The user's profile as the chat uses it: the store handle (nil when started `--incognito`), whether this run is
/// incognito, and the learner.
public final class ChatProfile: @unchecked Sendable {
    let learner = SessionLearner()
    private let lock = NSLock()
    private var incognitoFlag: Bool
    private var lastBuilt: BuiltPrompt?
    private var current: UserProfile?

    /// The profile in use; nil when started incognito.
    public var profile: UserProfile? {
        get {
            lock.lock()
            defer { lock.unlock() }
            return current
        }
        set {
            lock.lock()
            current = newValue
            lock.unlock()
        }
    }

    /// The profile context built for the last message, for `/why`.
    var lastPrompt: BuiltPrompt? {
        get {
            lock.lock()
            defer { lock.unlock() }
            return lastBuilt
        }
        set {
            lock.lock()
            lastBuilt = newValue
            lock.unlock()
        }
    }

    public init(profile: UserProfile?, incognito: Bool = false) {
        current = profile
        incognitoFlag = incognito || profile == nil
    }

    /// Opens `user`'s profile in the store at `url` (nil when incognito, which opens nothing).
    public static func open(url: URL, user: String, incognito: Bool) throws -> ChatProfile {
        if incognito { return ChatProfile(profile: nil, incognito: true) }
        return ChatProfile(profile: try ProfileStore(url: url).profile(for: user))
    }

    /// While set, the chat neither reads nor writes the profile; once set it stays set until nook exits.
    public var incognito: Bool {
        lock.lock()
        defer { lock.unlock() }
        return incognitoFlag
    }

    func goIncognito() {
        lock.lock()
        incognitoFlag = true
        lock.unlock()
    }

    /// The profile context for a message: the user's preferences for `persona` and the three memories most relevant to
    /// `message`, by the prompt builder within a quarter of the context window (counted with the model's tokenizer
    /// when the generator has one); the ones used are marked used.
    public static func context(from profile: UserProfile, persona: String, message: String,
                               generator: any ReplyGenerator, markUsed: Bool = true) throws -> BuiltPrompt {
        let counter = generator as? TokenCounting
        let limit = (generator as? ContextUsageReporting)?.contextUsage.limit ?? 4096
        let builder = PromptBuilder(countTokens: { counter?.countTokens($0) ?? ($0.utf8.count / 4 + 1) },
                                    readText: { _ in "" }, now: profile.store.now)
        let input = PromptInput(systemPrompt: "", persona: persona, preferences: try profile.preferences(persona: persona),
                                memories: try profile.searchMemories(message, limit: 3).map(\.memory), history: [])
        let built = try builder.build(input, budget: max(64, limit / 4))
        if markUsed {
            try profile.touchPreferences(built.preferenceIds)
            try profile.touchMemories(built.memoryIds)
        }
        return built
    }

    /// The event that marks a session as incognito in its log, so that it is never learned from later.
    static let incognitoMark = SessionEvent.preference(PreferenceUpdate(key: "incognito", value: "on"))

    /// Finishes learning from sessions the profile registered but did not finish reading (nook was killed, or the
    /// machine stopped): each log changed since it was last read is read again. Returns one-line problems.
    public func catchUp(sessions: SessionStore) -> [String] {
        guard let profile, !incognito else { return [] }
        var problems: [String] = []
        do {
            for progress in try profile.sessionProgress() {
                guard let url = try? sessions.url(for: progress.sessionId),
                      let modified = (try? FileManager.default.attributesOfItem(atPath: url.path))?[.modificationDate] as? Date,
                      modified > progress.updated else { continue }
                let events = try SessionLogReader.read(url).entries.map(\.event)
                if events.contains(Self.incognitoMark) { continue }
                try learner.learn(from: Self.userMessages(events), sessionId: progress.sessionId, profile: profile)
                try profile.setProcessedTurns(Self.userMessages(events).count, sessionId: progress.sessionId)
            }
        } catch {
            problems.append("the profile was not brought up to date: \(error)")
        }
        return problems
    }

    /// The user messages of a session's events, resets and edits included, in order.
    static func userMessages(_ events: [SessionEvent]) -> [Message] {
        events.compactMap { event in
            if case .user(let turn) = event { return Message(role: .user, content: turn.text) }
            return nil
        }
    }
}

extension ChatApp {
    /// The profile when the chat may use it; otherwise says why not and returns nil.
    func usableProfile(_ command: String) -> UserProfile? {
        guard let chat = env.profile else {
            error("\(command): no profile is open in this chat")
            return nil
        }
        guard !chat.incognito, let profile = chat.profile else {
            error("\(command): incognito: this session neither reads nor writes your profile")
            return nil
        }
        return profile
    }

    /// Registers the session just created so that a crash does not lose it for learning (nothing of it is stored).
    func registerSessionForLearning() {
        guard let chat = env.profile, !chat.incognito, let profile = chat.profile, let id = sessionID else { return }
        do {
            try profile.registerSession(id)
        } catch {
            self.error("the profile was not updated: \(error)")
        }
    }

    /// Marks the session in its log as incognito while the chat is (never learned from, even after a crash).
    func markIncognitoSession() {
        guard env.profile?.incognito == true, !sessionEvents.contains(ChatProfile.incognitoMark) else { return }
        record(ChatProfile.incognitoMark)
    }

    /// Learns from this session's user turns not yet learned from (at quit, `/new` and a switch of session).
    func learnFromSession() {
        guard let chat = env.profile, !chat.incognito, let profile = chat.profile, let id = sessionID else { return }
        do {
            try chat.learner.learn(from: ChatProfile.userMessages(sessionEvents), sessionId: id, profile: profile)
        } catch {
            self.error("the profile was not updated: \(error)")
        }
    }

    /// Builds the profile context for the message about to be sent (preferences for this persona, memories relevant
    /// to `text`) and records it in the log when it changed, so the reply and its replays see it.
    func updateProfileContext(for text: String) {
        let key = ConversationState.profileContextKey
        var context = ""
        if let chat = env.profile, !chat.incognito, let profile = chat.profile {
            do {
                let built = try ChatProfile.context(from: profile, persona: persona.name, message: text, generator: env.generator)
                chat.lastPrompt = built
                context = built.messages.first?.text() ?? ""
            } catch {
                self.error("the profile was not read: \(error)")
            }
        }
        if (conversation.preferences[key] ?? "") != context {
            record(.preference(PreferenceUpdate(key: key, value: context.isEmpty ? nil : context)))
        }
    }

    /// `/why`: which preferences and memories went into the last reply's prompt, and their tokens.
    func whyCommand() {
        guard let chat = env.profile, !chat.incognito else { return note("incognito: no profile context goes into the replies") }
        guard let built = chat.lastPrompt else { return note("no message sent yet in this run") }
        guard !built.accounts.isEmpty else { return note("no preferences or memories went into the last reply") }
        note((["the profile context of the last reply (after the persona's system prompt):"] + built.whyLines).joined(separator: "\n"))
    }

    /// `/pref`, `/pref set KEY VALUE… [--persona]`, `/pref unset KEY [--persona]`.
    func prefCommand(_ words: [String]) {
        guard let profile = usableProfile("/pref") else { return }
        let forPersona = words.contains("--persona")
        let args = words.filter { $0 != "--persona" }
        let scope: PreferenceScope = forPersona ? .persona(persona.name) : .global
        do {
            switch args.first {
            case nil:
                let prefs = try profile.preferences(persona: persona.name)
                note(prefs.isEmpty ? "no preferences yet: /pref set KEY VALUE adds one"
                     : prefs.map { "#\($0.id ?? 0) \($0.key) = \($0.value) (\($0.persona.isEmpty ? "global" : "persona \($0.persona)"), \($0.source.rawValue))" }
                        .joined(separator: "\n"))
            case "set" where args.count >= 3:
                let value = args.dropFirst(2).joined(separator: " ")
                let saved = try profile.setPreference(key: args[1], value: value, scope: scope, source: .stated, confidence: 1,
                                                      evidence: sessionID.map { ["\($0)#\(conversation.turnCount)"] } ?? [], reason: "/pref set")
                note("preference \(saved.key) = \(saved.value) (\(forPersona ? "persona \(persona.name)" : "global"))")
            case "unset" where args.count == 2:
                guard let pref = try profile.preference(key: args[1], scope: scope), let id = pref.id else {
                    return error("no \(forPersona ? "persona \(persona.name)" : "global") preference \(args[1])")
                }
                try profile.removePreference(id: id, reason: "/pref unset")
                note("removed preference \(pref.key)")
            default:
                error("/pref takes nothing, set KEY VALUE or unset KEY (add --persona for \(persona.name) only)")
            }
        } catch {
            self.error("\(error)")
        }
    }

    /// `/remember TEXT`.
    func rememberCommand(_ text: String) {
        guard !text.isEmpty else { return error("/remember needs something to remember, e.g. /remember I'm allergic to peanuts") }
        guard let chat = env.profile, let profile = usableProfile("/remember") else { return }
        do {
            let outcomes = try chat.learner.remember(text, profile: profile, sessionId: sessionID)
            let changed = outcomes.filter { $0.action != .none }
            note(changed.isEmpty ? "already known" : changed.map { "\($0.action.rawValue): \($0.candidate.sentence)" }.joined(separator: "\n"))
        } catch {
            self.error("\(error)")
        }
    }

    /// `/forget ID` (a memory, as `/memories` lists it) or `/forget all`.
    func forgetCommand(_ words: [String]) {
        guard words.count == 1 else { return error("/forget takes one memory id (see /memories) or all") }
        guard let profile = usableProfile("/forget") else { return }
        do {
            if words[0] == "all" {
                try profile.forgetAll()
                // The chat goes on with an empty profile; what this session said so far stays forgotten.
                let fresh = try profile.store.profile(for: profile.name)
                env.profile?.profile = fresh
                if let id = sessionID { try fresh.setProcessedTurns(ChatProfile.userMessages(sessionEvents).count, sessionId: id) }
                return note("forgot everything in the profile of \(profile.name)")
            }
            guard let id = Int64(words[0].trimmingCharacters(in: CharacterSet(charactersIn: "#"))) else {
                return error("/forget takes a memory id such as 12 (see /memories) or all")
            }
            note(try profile.forgetMemory(id: id) ? "forgot memory #\(id)" : "no memory #\(id) (see /memories)")
        } catch {
            self.error("\(error)")
        }
    }

    /// `/memories`.
    func memoriesCommand() {
        guard let profile = usableProfile("/memories") else { return }
        do {
            let memories = try profile.memories()
            note(memories.isEmpty ? "no memories yet: /remember TEXT adds one"
                 : memories.map { "#\($0.id ?? 0) \"\($0.text)\"" }.joined(separator: "\n") + "\n/forget ID deletes one")
        } catch {
            self.error("\(error)")
        }
    }

    /// `/good` and `/bad` on the last reply.
    func feedbackCommand(_ kind: FeedbackKind) {
        guard conversation.messages.last?.role == .assistant else { return error("/\(kind.rawValue) needs a reply to rate") }
        guard let profile = usableProfile("/\(kind.rawValue)") else { return }
        do {
            try FeedbackNudges().apply(kind, usedPreferences: [], to: profile, sessionId: sessionID, turn: conversation.turnCount)
            note(kind == .good ? "noted: a good reply" : "noted: a bad reply")
        } catch {
            self.error("\(error)")
        }
    }

    /// `/incognito`.
    func incognitoCommand() {
        guard let chat = env.profile else { return note("no profile is open: nothing is read or written") }
        if chat.incognito { return note("incognito already: this session neither reads nor writes your profile") }
        chat.goIncognito()
        markIncognitoSession()
        updateStatus()
        note("incognito: this session neither reads nor writes your profile, until you quit nook")
    }
}
