import Conversation
import Foundation
import Sessions
import TerminalUI

extension ChatApp {
    /// Runs a slash command; mistakes get a one-line hint.
    func run(_ command: SlashCommand) {
        let args = command.arguments
        func noArguments(_ action: () -> Void) {
            if args.isEmpty { action() } else { error("\(command.name) takes no arguments") }
        }
        switch command.name {
        case "/help": noArguments { note(SlashCommand.helpText) }
        case "/attach": attach(args)
        case "/detach": noArguments(detach)
        case "/persona": oneOptionalName(command) { switchPersona($0) }
        case "/theme": themeCommand(args)
        case "/new": noArguments(newConversation)
        case "/sessions": sessionsCommand(args)
        case "/export": export(args)
        case "/save":
            guard args.count == 1 else { return error("/save needs one name or path, e.g. /save trip-plans or /save ~/chats/trip.jsonl") }
            save(as: args[0])
        case "/set": set(args)
        case "/system": system(command.rawArgument)
        case "/regen": noArguments(regenerate)
        case "/edit": noArguments(editLast)
        case "/copy": noArguments(copyLastReply)
        case "/model": model(command.rawArgument)
        case "/stats": noArguments(showStats)
        case "/clear": noArguments(clearScreen)
        case "/reload": noArguments { reloadUserFiles(asked: true) }
        case "/quit", "/exit": noArguments(quit)
        default:
            let close = SlashCommand.names.filter { $0.hasPrefix(String(command.name.prefix(3))) }
            let suggestion = close.count == 1 ? " (did you mean \(close[0])?)" : ""
            error("unknown command \(command.name)\(suggestion): /help lists the commands")
        }
    }

    private func oneOptionalName(_ command: SlashCommand, _ action: (String?) -> Void) {
        guard command.arguments.count <= 1 else { return error("\(command.name) takes at most one name") }
        action(command.arguments.first)
    }

    var busy: Bool {
        guard active != nil else { return false }
        error("a reply is being written: wait for it, or press Esc to stop it")
        return true
    }

    // MARK: Attachments

    func attach(_ words: [String]) {
        guard !words.isEmpty else { return error("/attach needs a file path (Tab completes paths)") }
        var added: [String] = []
        for word in words {
            var path = word
            if path == "~" || path.hasPrefix("~/") { path = env.homeDirectory + path.dropFirst() }
            if !path.hasPrefix("/") { path = env.workingDirectory + "/" + path }
            do {
                let attachment = try env.attachments.attachment(forFileAt: path)
                if pendingAttachments.contains(where: { $0.path == attachment.path }) { continue }
                pendingAttachments.append(attachment)
                added.append(URL(fileURLWithPath: attachment.path).lastPathComponent)
            } catch {
                self.error("\(error)")
            }
        }
        guard !added.isEmpty else { return }
        note("attached \(added.joined(separator: ", ")): \(added.count == 1 ? "it goes" : "they go") with your next message (/detach removes \(added.count == 1 ? "it" : "them"))")
    }

    func detach() {
        guard !pendingAttachments.isEmpty else { return note("no files are attached") }
        let n = pendingAttachments.count
        pendingAttachments = []
        note("removed \(n) attached file\(n == 1 ? "" : "s")")
    }

    // MARK: Persona and theme

    func switchPersona(_ name: String?) {
        guard let name else {
            let lines = env.personas.personas.map { p in
                (p.name == persona.name ? "* " : "  ") + p.name + (p.description.isEmpty ? "" : " — " + p.description)
            }
            return note((["Personas (/persona NAME switches):"] + lines).joined(separator: "\n"))
        }
        guard !busy else { return }
        let next: Persona
        do {
            next = try env.personas.persona(named: name)
        } catch {
            return self.error("\(error)")
        }
        let sampling = env.sampling.settings(for: next, seed: conversation.sampling.seed)
        let hadGreetingOnly = !conversation.messages.contains { $0.role == .user }
        record(.persona(PersonaSwitch(persona: next.name, systemPrompt: next.effectiveSystemPrompt(userName: env.userName),
                                      sampling: sampling)))
        persona = next
        view.editor.placeholder = "Message \(next.shownName) · /help for commands"
        if hadGreetingOnly {
            // Nothing was said yet: the new persona greets instead of the old one.
            if !conversation.messages.isEmpty { record(.rewind(Rewind(keep: 0))) }
            if let index = greetingIndex, index < view.transcript.messages.count {
                var kept = view.transcript.messages
                kept.remove(at: index)
                view.transcript.setMessages(kept)
            }
            greetingIndex = nil
            note("persona: \(next.shownName)" + (next.description.isEmpty ? "" : " — \(next.description)"))
            showGreeting()
        } else {
            note("persona: \(next.shownName)" + (next.description.isEmpty ? "" : " — \(next.description)"))
        }
        refreshContextUsage()
    }

    /// `/theme [NAME] [--save]`: list, switch, and with `--save` remember the theme in config.toml.
    func themeCommand(_ args: [String]) {
        let save = args.contains("--save")
        let names = args.filter { $0 != "--save" }
        guard names.count <= 1, !names.contains(where: { $0.hasPrefix("--") }) else {
            return error("/theme takes at most one name, and --save to keep it in config.toml")
        }
        guard save else {
            switchTheme(names.first)
            return
        }
        if let name = names.first {
            guard switchTheme(name) else { return }
        }
        saveTheme()
    }

    /// Lists the themes (no name) or switches to one at once; false when there is no such theme.
    @discardableResult
    func switchTheme(_ name: String?) -> Bool {
        guard let name else {
            let lines = env.themes.themes.map { t in
                (t.name == theme.name ? "* " : "  ") + t.name + (t.description.isEmpty ? "" : " — " + t.description)
            }
            note((["Themes (/theme NAME switches):"] + lines).joined(separator: "\n"))
            return true
        }
        guard let next = env.themes.theme(named: name) ?? env.themes.themes.first(where: { $0.name.lowercased() == name.lowercased() }) else {
            error("unknown theme '\(name)' (available: \(env.themes.names.joined(separator: ", ")))")
            return false
        }
        theme = next
        resolvedTheme = next.resolved(for: env.capability)
        record(.theme(ThemeSwitch(theme: next.name)))
        hint = "theme: \(next.name)"
        return true
    }

    /// Writes the current theme into config.toml, so that the next chat starts with it.
    func saveTheme() {
        guard let file = env.configFile else { return error("there is no configuration file to save the theme in") }
        let shown = ThemeLoader.displayPath(file.path, environment: ["HOME": env.homeDirectory])
        do {
            try ConfigFileEditor.set("theme", to: theme.name, in: file)
            note("saved theme = \"\(theme.name)\" in \(shown): new chats start with it")
        } catch {
            self.error("the theme was not saved (\(shown) is unchanged): \(error)")
        }
    }

    // MARK: Conversation

    func newConversation() {
        guard !busy else { return }
        record(.reset)
        editing = nil
        view.transcript.removeAll()
        view.transcriptView.scrollToBottom()
        note("new conversation with \(persona.shownName)")
        showGreeting()
        refreshContextUsage()
    }

    func regenerate() {
        guard !busy else { return }
        let messages = conversation.messages
        guard let last = messages.lastIndex(where: { $0.role == .user }) else {
            return error("nothing to write again yet: send a message first")
        }
        if last < messages.count - 1 {
            let turn = messages[last]
            var attachments: [Attachment] = []
            for old in turn.attachments {
                do {
                    attachments.append(try env.attachments.attachment(forFileAt: old.path))
                } catch {
                    return self.error("\(error)")
                }
            }
            guard ensureLog() else { return }
            record(.rewind(Rewind(keep: last)))
            var sampling = conversation.sampling
            sampling.seed &+= 1
            record(.sampling(SamplingChange(sampling: sampling)))
            record(.user(UserTurn(text: turn.content, attachments: attachments)))
            trimTranscript(keepingLastUser: true)
            if sampling.temperature <= 0 { hint = "temperature is 0: the same reply will come again" }
        }
        startReply()
    }

    func editLast() {
        guard !busy else { return }
        guard let last = conversation.messages.lastIndex(where: { $0.role == .user }) else {
            return error("nothing to edit yet: send a message first")
        }
        let turn = conversation.messages[last]
        editing = Editing(keep: last, attachments: turn.attachments)
        view.editor.text = turn.content
        hint = "editing your last message: Enter sends it again, Esc cancels"
    }

    func copyLastReply() {
        guard let reply = conversation.messages.last(where: { $0.role == .assistant }), !reply.content.isEmpty else {
            return error("there is no reply to copy yet")
        }
        terminalOutput.append(Clipboard.osc52(reply.content))
        hint = "copied the last reply (\(reply.content.count) characters)"
    }

    func showStats() {
        var lines: [String] = []
        if let s = lastStats {
            lines.append(String(format: "last reply: %d prompt tokens evaluated (%.1f tok/s), %d generated (%.1f tok/s)",
                                s.promptTokens, s.promptTokensPerSecond, s.generatedTokens, s.generationTokensPerSecond))
        } else {
            lines.append("no reply yet")
        }
        lines.append("this run: \(totals.replies) replies, \(totals.promptTokens) prompt and \(totals.generatedTokens) generated tokens in \(String(format: "%.1f", totals.seconds)) s")
        lines.append("conversation: \(conversation.messages.count) messages, \(conversation.turnCount) turns in the session")
        if view.status.contextLimit > 0 {
            lines.append("context: \(view.status.contextUsed) of \(view.status.contextLimit) tokens")
        }
        let s = conversation.sampling
        lines.append("sampling: temperature \(s.temperature), top-k \(s.topK), top-p \(s.topP), min-p \(s.minP), seed \(s.seed)" +
                     (s.maxTokens.map { ", at most \($0) tokens" } ?? ""))
        if let id = sessionID { lines.append("session: \(id)") }
        note(lines.joined(separator: "\n"))
    }

    func clearScreen() {
        if active != nil, let streaming = view.transcript.messages.last {
            view.transcript.setMessages([streaming])
        } else {
            view.transcript.removeAll()
        }
        greetingIndex = nil
        view.transcriptView.scrollToBottom()
        needsFullRedraw = true
    }

    // MARK: Sessions

    /// `/sessions N` or `/sessions ID|NAME`: resumes that session.
    func sessions(_ choice: String) {
        guard !busy else { return }
        var id = choice
        if let n = Int(choice), n >= 1 {
            guard n <= listedSessions.count else {
                return error("no session number \(n): /sessions lists \(listedSessions.count)")
            }
            id = listedSessions[n - 1].id
        } else {
            do {
                _ = try env.store.existing(choice)
            } catch {
                return self.error("\(error)")
            }
        }
        resume(id)
    }
}
