import Foundation

/// One pane in a private tmux server, running a command: keys in, screen text out.
///
/// Each instance has its own server socket (`tmux -L`) and config, and kills its server when
/// closed. The command runs under a shell that prints its exit status and stays, so the last
/// screen and the status can still be read.
final class TmuxPane {
    static let tmux: String? = ["/usr/bin/tmux", "/usr/local/bin/tmux", "/bin/tmux"]
        .first { FileManager.default.isExecutableFile(atPath: $0) }
    static let missingNote = "skipped: tmux is not installed (apt-get install tmux; .ci/run installs it)"

    let socket: String
    let folder: URL

    /// Starts `command` (argv) under a shell that prints `[exit STATUS]` when it ends, in a
    /// detached window of `columns`×`rows`, in `directory`, with exactly `environment`.
    convenience init(command: [String], environment: [String: String], directory: URL, columns: Int = 100, rows: Int = 30) throws {
        let exports = environment.sorted { $0.key < $1.key }.map { "\($0.key)=\(Self.shellQuote($0.value))" }
        // The shell stays as the pane's process and prints the command's status: tmux does not
        // always report the status of a multi-threaded program that exits. The status goes on a line of its
        // own, so that bash's long "Killed …" message cannot wrap it; a program killed in raw mode leaves
        // the terminal without newline translation, so the shell restores it and returns the carriage itself.
        let line = "env -i " + exports.joined(separator: " ") + " " + command.map(Self.shellQuote).joined(separator: " ")
            + "; s=$?; stty sane 2>/dev/null; printf '\\r\\n[exit %d]\\r\\n' $s; sleep 600"
        try self.init(line: line, directory: directory, columns: columns, rows: rows)
    }

    /// Starts the shell command `line` in a detached window of `columns`×`rows`, in `directory`.
    private init(line: String, directory: URL, columns: Int, rows: Int) throws {
        guard Self.tmux != nil else { throw HarnessError(message: Self.missingNote) }
        socket = "nook-test-\(getpid())-\(UUID().uuidString.prefix(8))"
        folder = try TemporaryFolder.make()
        let config = folder.appendingPathComponent("tmux.conf")
        try """
        set -g remain-on-exit on
        set -g default-terminal tmux-256color
        set -g escape-time 0
        set -g status off
        set -g history-limit 50
        """.write(to: config, atomically: true, encoding: .utf8)
        try tmux(["-f", config.path, "new-session", "-d", "-s", "t", "-x", "\(columns)", "-y", "\(rows)",
                  "-c", directory.path, line])
    }

    /// Starts an interactive shell with job control (bash, prompt `nook-test$`) with exactly `environment`, so that
    /// a test can type commands, suspend them with Ctrl-Z and bring them back with `fg`.
    convenience init(shellWith environment: [String: String], directory: URL, columns: Int = 100, rows: Int = 30) throws {
        let exports = environment.merging(["PS1": Self.prompt + " "]) { $1 }.sorted { $0.key < $1.key }
            .map { "\($0.key)=\(Self.shellQuote($0.value))" }
        try self.init(line: "env -i " + exports.joined(separator: " ") + " bash --norc --noprofile -i",
                      directory: directory, columns: columns, rows: rows)
    }

    /// The prompt of `init(shellWith:)`'s shell (followed by a space, which `screen()` does not show at a line's end).
    static let prompt = "nook-test$"

    deinit { close() }

    /// Kills the server (and whatever still runs in it).
    func close() {
        _ = try? tmux(["kill-server"], check: false)
    }

    static func shellQuote(_ word: String) -> String {
        "'" + word.replacingOccurrences(of: "'", with: "'\\''") + "'"
    }

    /// Runs tmux on this pane's server; returns its standard output.
    @discardableResult
    func tmux(_ arguments: [String], check: Bool = true) throws -> String {
        let output = folder.appendingPathComponent("tmux-output-\(UUID().uuidString.prefix(8))")
        defer { try? FileManager.default.removeItem(at: output) }
        let status = try Spawn.run([Self.tmux ?? "/usr/bin/tmux", "-L", socket] + arguments, output: output)
        if check, status != 0 {
            throw HarnessError(message: "tmux \(arguments.joined(separator: " ")) failed (\(status))")
        }
        return (try? String(contentsOf: output, encoding: .utf8)) ?? ""
    }

    /// Types text literally.
    func type(_ text: String) throws { try tmux(["send-keys", "-t", "t", "-l", text]) }

    /// Presses keys by tmux name: Enter, Escape, C-c, PPage, …
    func press(_ keys: String...) throws { try tmux(["send-keys", "-t", "t"] + keys) }

    /// Types a line and presses Enter.
    func send(_ line: String) throws {
        try type(line)
        try press("Enter")
    }

    /// The visible screen as text (`escapes`: with colour and attribute sequences).
    func screen(escapes: Bool = false) throws -> String {
        try tmux(["capture-pane", "-p", "-t", "t"] + (escapes ? ["-e"] : []))
    }

    /// Polls the screen until `condition` holds; returns that screen, or throws with the last one.
    @discardableResult
    func waitFor(_ what: String, timeout: Double = 10, _ condition: (String) -> Bool) throws -> String {
        let deadline = Date().addingTimeInterval(timeout)
        var last = ""
        while Date() < deadline {
            last = try screen()
            if condition(last) { return last }
            Thread.sleep(forTimeInterval: 0.03)
        }
        throw HarnessError(message: "timed out after \(timeout) s waiting for \(what); the screen was:\n\(last)")
    }

    /// Waits until the screen contains `text`.
    @discardableResult
    func waitFor(_ text: String, timeout: Double = 10) throws -> String {
        try waitFor("'\(text)'", timeout: timeout) { $0.contains(text) }
    }

    /// The command's process (the child of the pane's shell).
    func pid() throws -> Int32 {
        let shell = try tmux(["display-message", "-p", "-t", "t", "#{pane_pid}"]).trimmingCharacters(in: .whitespacesAndNewlines)
        let children = (try? String(contentsOfFile: "/proc/\(shell)/task/\(shell)/children", encoding: .utf8)) ?? ""
        return children.split(separator: " ").first.flatMap { Int32($0) } ?? -1
    }

    /// The exit status once the command ended (the shell printed it), nil while it runs.
    func exitStatus() throws -> Int32? {
        let screen = try self.screen()
        guard let range = screen.range(of: "[exit ", options: .backwards) else { return nil }
        return Int32(screen[range.upperBound...].prefix { $0.isNumber })
    }

    /// Waits for the command to end and returns its exit status (128 + N after signal N).
    func waitForExit(timeout: Double = 10) throws -> Int32 {
        let deadline = Date().addingTimeInterval(timeout)
        while Date() < deadline {
            if let status = try exitStatus() { return status }
            Thread.sleep(forTimeInterval: 0.03)
        }
        throw HarnessError(message: "the command did not exit in \(timeout) s; the screen was:\n\((try? screen()) ?? "")")
    }

    /// Resizes the window (the program sees SIGWINCH).
    func resize(columns: Int, rows: Int) throws {
        try tmux(["resize-window", "-t", "t", "-x", "\(columns)", "-y", "\(rows)"])
    }
}
