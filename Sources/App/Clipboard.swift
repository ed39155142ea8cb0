import Foundation

/// Terminal clipboard access with OSC 52 (xterm, tmux with `set-clipboard`, most modern terminals).
public enum Clipboard {
    /// The escape sequence that puts `text` on the system clipboard: `ESC ] 52 ; c ; BASE64 BEL`.
    public static func osc52(_ text: String) -> String {
        "\u{1B}]52;c;" + Data(text.utf8).base64EncodedString() + "\u{07}"
    }
}

/// Copies a session log durably: a temporary file in the target folder, fsync, rename.
enum SessionCopy {
    static func copy(_ source: URL, to target: URL) throws {
        guard let data = FileManager.default.contents(atPath: source.path) else {
            throw ConfigError("\(source.path): cannot read the session log")
        }
        let folder = target.deletingLastPathComponent()
        let temp = folder.appendingPathComponent(".\(target.lastPathComponent).\(getpid()).tmp")
        let fd = open(temp.path, O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0o600)
        guard fd >= 0 else { throw ConfigError("\(temp.path): cannot create (\(String(cString: strerror(errno))))") }
        let written = data.withUnsafeBytes { raw in write(fd, raw.baseAddress, raw.count) }
        let synced = fsync(fd) == 0
        close(fd)
        guard written == data.count, synced else {
            unlink(temp.path)
            throw ConfigError("\(target.path): cannot write the copy")
        }
        guard link(temp.path, target.path) == 0 else {
            let reason = String(cString: strerror(errno))
            unlink(temp.path)
            throw ConfigError("\(target.path): cannot save (\(reason))")
        }
        unlink(temp.path)
        let dir = open(folder.path, O_RDONLY | O_DIRECTORY | O_CLOEXEC)
        if dir >= 0 {
            fsync(dir)
            close(dir)
        }
    }
}
