import Conversation
import Foundation
import Sessions
import TerminalUI

extension ChatApp {
    /// Re-reads the persona and theme files added, changed or removed since the last look (before each message,
    /// and on `/reload`): the catalogs and Tab completion follow and one note says what changed; a file that does
    /// not load now is reported once and its last good version stays; the active persona and theme follow their file.
    func reloadUserFiles(asked: Bool) {
        guard var watcher = userFiles else {
            if asked { note("there are no persona or theme folders to read") }
            return
        }
        let reload = watcher.reload()
        userFiles = watcher
        var changes: [String] = []
        if let personas = reload.personas {
            let list = Self.changes(from: env.personas.personas, to: personas.personas) { $0.name }
            if !list.isEmpty { changes.append("personas: " + list.joined(separator: ", ")) }
            env.personas = personas
        }
        if let themes = reload.themes {
            let list = Self.changes(from: env.themes.themes, to: themes.themes) { $0.name }
            if !list.isEmpty { changes.append("themes: " + list.joined(separator: ", ")) }
            env.themes = themes
        }
        if reload.personas != nil || reload.themes != nil { refreshCompleter() }
        if !changes.isEmpty {
            note("reloaded " + changes.joined(separator: "; "))
        } else if asked && reload.problems.isEmpty {
            note("nothing changed in the persona and theme files")
        }
        for problem in reload.problems { error(problem) }
        if reload.personas != nil { followPersonaFile() }
        if reload.themes != nil { followThemeFile() }
    }

    /// When the active persona's file changed, the next reply follows the new version: recorded as a persona event.
    func followPersonaFile() {
        guard let updated = try? env.personas.persona(named: persona.name), updated != persona else { return }
        record(.persona(PersonaSwitch(persona: updated.name, systemPrompt: updated.effectiveSystemPrompt(userName: env.userName),
                                      sampling: env.sampling.settings(for: updated, seed: conversation.sampling.seed))))
        persona = updated
        view.editor.placeholder = "Message \(updated.shownName) · /help for commands"
    }

    /// When the active theme's file changed, the screen takes the new colours at once.
    func followThemeFile() {
        guard let updated = env.themes.theme(named: theme.name), updated != theme else { return }
        theme = updated
        resolvedTheme = updated.resolved(for: env.capability)
    }

    /// "pirate (new)", "tutor (changed)", "old (removed)" for the items that differ, by name.
    static func changes<Item: Equatable>(from old: [Item], to new: [Item], name: (Item) -> String) -> [String] {
        let before = Dictionary(old.map { (name($0), $0) }, uniquingKeysWith: { $1 })
        let after = Dictionary(new.map { (name($0), $0) }, uniquingKeysWith: { $1 })
        return Set(before.keys).union(after.keys).sorted().compactMap { key in
            switch (before[key], after[key]) {
            case (nil, .some): return "\(key) (new)"
            case (.some, nil): return "\(key) (removed)"
            case let (was?, now?) where was != now: return "\(key) (changed)"
            default: return nil
            }
        }
    }
}
