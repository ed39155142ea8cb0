import Conversation
import Foundation
import Sessions
import TerminalUI

extension ChatApp {
    /// One command of the chat: what `/help` says about it, other names it answers to, and what it does.
    struct Command: Sendable {
        let info: SlashCommand.Info
        var aliases: [String] = []
        /// Whether the command reads the rest of the line as free text (so quotes need not balance).
        var takesText = false
        let run: @Sendable (ChatApp, SlashCommand) -> Void
    }

    /// The one table of chat commands, in the order `/help` lists them: adding a command is one entry here.
    static let commandTable: [Command] = [
        Command(info: .init(name: "/help", usage: "/help", help: "list the commands and keys")) { app, c in
            app.noArguments(c) { app.note(SlashCommand.helpText) }
        },
        Command(info: .init(name: "/attach", usage: "/attach PATH…",
                            help: "attach text files, or images with --mmproj, to your next message (Tab completes paths)")) { app, c in
            app.attach(c.arguments)
        },
        Command(info: .init(name: "/detail", usage: "/detail [low|auto]",
                            help: "how many tokens images take: low (fewest tiles) or auto (the projector's own rule)")) { app, c in
            app.detail(c.arguments)
        },
        Command(info: .init(name: "/detach", usage: "/detach", help: "remove the files attached to your next message")) { app, c in
            app.noArguments(c, app.detach)
        },
        Command(info: .init(name: "/persona", usage: "/persona [NAME]", help: "list the personas, or switch to one")) { app, c in
            app.oneOptionalName(c) { app.switchPersona($0) }
        },
        Command(info: .init(name: "/theme", usage: "/theme [NAME] [--save]", help: "list or switch; --save keeps it")) { app, c in
            app.themeCommand(c.arguments)
        },
        Command(info: .init(name: "/reload", usage: "/reload", help: "re-read persona and theme files")) { app, c in
            app.noArguments(c) { app.reloadUserFiles(asked: true) }
        },
        Command(info: .init(name: "/new", usage: "/new", help: "start a new conversation")) { app, c in
            app.noArguments(c, app.newConversation)
        },
        Command(info: .init(name: "/sessions", usage: "/sessions [N|NAME]",
                            help: "list earlier sessions, 20 a page (/sessions page N for the rest), or resume one")) { app, c in
            app.sessionsCommand(c.arguments)
        },
        Command(info: .init(name: "/save", usage: "/save NAME|PATH",
                            help: "keep a copy of this session under a name, or in a file (PATH: /…, ~/… or ….jsonl)")) { app, c in
            guard c.arguments.count == 1 else {
                return app.error("/save needs one name or path, e.g. /save trip-plans or /save ~/chats/trip.jsonl")
            }
            app.save(as: c.arguments[0])
        },
        Command(info: .init(name: "/export", usage: "/export [PATH] [--json]",
                            help: "write this session as Markdown (or JSON) to PATH, default ./nook-ID.md; --force replaces a file")) { app, c in
            app.export(c.arguments)
        },
        Command(info: .init(name: "/set", usage: "/set [NAME VALUE]", help: "list the sampling settings, or change one (/set temp 0.7)")) { app, c in
            app.set(c.arguments)
        },
        Command(info: .init(name: "/system", usage: "/system [TEXT]", help: "show the system prompt, or replace it for this conversation"),
                takesText: true) { app, c in
            app.system(c.rawArgument)
        },
        Command(info: .init(name: "/regen", usage: "/regen", help: "write the last reply again (with a new seed)")) { app, c in
            app.noArguments(c, app.regenerate)
        },
        Command(info: .init(name: "/edit", usage: "/edit", help: "edit your last message and send it again")) { app, c in
            app.noArguments(c, app.editLast)
        },
        Command(info: .init(name: "/copy", usage: "/copy", help: "copy the last reply to the clipboard (OSC 52)")) { app, c in
            app.noArguments(c, app.copyLastReply)
        },
        Command(info: .init(name: "/model", usage: "/model [PATH|NAME]",
                            help: "show the model in use, or switch to another (NAME: NAME.gguf in the models folder)")) { app, c in
            app.model(c.rawArgument)
        },
        Command(info: .init(name: "/stats", usage: "/stats", help: "token counts and speed of the last reply and the session")) { app, c in
            app.noArguments(c, app.showStats)
        },
        Command(info: .init(name: "/pref", usage: "/pref [set|unset …]",
                            help: "list your preferences; set KEY VALUE or unset KEY (add --persona: this persona only)")) { app, c in
            app.prefCommand(c.arguments)
        },
        Command(info: .init(name: "/remember", usage: "/remember TEXT", help: "tell nook something to remember about you"),
                takesText: true) { app, c in
            app.rememberCommand(c.rawArgument)
        },
        Command(info: .init(name: "/memories", usage: "/memories", help: "list what nook remembers about you")) { app, c in
            app.noArguments(c, app.memoriesCommand)
        },
        Command(info: .init(name: "/forget", usage: "/forget ID|all", help: "delete one memory for good, or your whole profile")) { app, c in
            app.forgetCommand(c.arguments)
        },
        Command(info: .init(name: "/good", usage: "/good", help: "rate the last reply as good")) { app, c in
            app.noArguments(c) { app.feedbackCommand(.good) }
        },
        Command(info: .init(name: "/bad", usage: "/bad", help: "rate the last reply as bad")) { app, c in
            app.noArguments(c) { app.feedbackCommand(.bad) }
        },
        Command(info: .init(name: "/incognito", usage: "/incognito", help: "stop reading and writing your profile until you quit")) { app, c in
            app.noArguments(c, app.incognitoCommand)
        },
        Command(info: .init(name: "/why", usage: "/why", help: "which preferences and memories went into the last reply, and their tokens")) { app, c in
            app.noArguments(c, app.whyCommand)
        },
        Command(info: .init(name: "/clear", usage: "/clear", help: "clear the screen (the conversation goes on)")) { app, c in
            app.noArguments(c, app.clearScreen)
        },
        Command(info: .init(name: "/quit", usage: "/quit", help: "leave nook (also Ctrl-D, or Ctrl-C twice)"), aliases: ["/exit"]) { app, c in
            app.noArguments(c, app.quit)
        },
    ]

    /// Runs a slash command; mistakes get a one-line hint.
    func run(_ command: SlashCommand) {
        if let entry = Self.commandTable.first(where: { $0.info.name == command.name || $0.aliases.contains(command.name) }) {
            return entry.run(self, command)
        }
        let close = SlashCommand.names.filter { $0.hasPrefix(String(command.name.prefix(3))) }
        let suggestion = close.count == 1 ? " (did you mean \(close[0])?)" : ""
        error("unknown command \(command.name)\(suggestion): /help lists the commands")
    }

    /// Runs `action` when the command came without arguments, else says it takes none.
    func noArguments(_ command: SlashCommand, _ action: () -> Void) {
        if command.arguments.isEmpty { action() } else { error("\(command.name) takes no arguments") }
    }

    func oneOptionalName(_ command: SlashCommand, _ action: (String?) -> Void) {
        guard command.arguments.count <= 1 else { return error("\(command.name) takes at most one name") }
        action(command.arguments.first)
    }

    var busy: Bool {
        guard active != nil else { return false }
        error("a reply is being written: wait for it, or press Esc to stop it")
        return true
    }

    // MARK: Attachments

    /// `/detail [low|auto]`: shows or sets how finely images are encoded.
    func detail(_ words: [String]) {
        guard let images = env.generator as? ImageDetailAdjustable, images.acceptsImages else {
            return error(AttachmentText.noVisionMessage)
        }
        switch words {
        case []: note("image detail: \(images.imageDetailLow ? "low (fewest tiles)" : "auto (the projector's own rule)")")
        case ["low"]: images.imageDetailLow = true; note("images now take the fewest tokens their projector allows")
        case ["auto"]: images.imageDetailLow = false; note("images now take as many tokens as their projector's own rule gives")
        default: error("/detail takes low or auto")
        }
    }

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
        learnFromSession()
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
