import Conversation
import Foundation
import Sessions

/// Saving the session: the log that cannot be written, and `/save NAME|PATH`.
extension ChatApp {
    /// Goes on in memory after the log could not be created or written, and says so once, in words.
    func stopSaving(_ reason: String) {
        log?.close()
        log = nil
        guard notSaved == nil else { return }
        notSaved = reason
        error("this session is not being saved: \(reason). The chat goes on in memory and nothing you wrote is lost; "
              + "/save PATH writes it to a file you choose")
    }

    /// `--no-save`: nothing is written for this session unless the user asks with `/save`.
    public func disableSaving() {
        notSaved = "--no-save was given"
        savingDisabled = true
        note("this session is not saved (--no-save): nothing of it is written; /save PATH writes it if you change your mind")
    }

    /// `/save NAME` keeps a copy under a name in the sessions folder; `/save PATH` (starting with `/` or `~`, or
    /// ending in `.jsonl`) writes it to that file. A session that could not be saved is saved there from memory and goes on there.
    func save(as target: String) {
        guard sessionEvents.contains(where: { if case .user = $0 { return true } else { return false } }) else {
            return error("nothing to save yet: send a message first")
        }
        let url: URL
        let isPath = target.hasPrefix("/") || target.hasPrefix("~") || target.hasSuffix(".jsonl")
        if isPath {
            var path = target
            if path == "~" || path.hasPrefix("~/") { path = env.homeDirectory + path.dropFirst() }
            if !path.hasPrefix("/") { path = env.workingDirectory + "/" + path }
            url = URL(fileURLWithPath: path).standardizedFileURL
        } else {
            do {
                url = try env.store.url(for: target)
            } catch {
                return self.error("\(error)")
            }
        }
        guard !FileManager.default.fileExists(atPath: url.path) else {
            return error(isPath ? "\(url.path) exists already: choose another path"
                                : "a session named \(target) exists already: choose another name")
        }
        do {
            if let log, notSaved == nil {
                try SessionCopy.copy(log.url, to: url)
                refreshCompleter()
                let resume = isPath ? "" : "/sessions \(target) resumes it, "
                return note("saved a copy of this session as \(isPath ? url.path : target): \(resume)nook replay \(url.path) replays it")
            }
            // Not saved so far: write the whole session from memory and keep writing there.
            let written = try SessionLog.create(at: url, start: sessionStart)
            for event in sessionEvents { try written.append(event) }
            log = written
            notSaved = nil
            savingDisabled = false
            refreshCompleter()
            note("this session is saved in \(url.path) from now on (nook replay \(url.path) replays it)")
        } catch {
            self.error("cannot save to \(url.path): \(error)")
        }
    }
}
