import CNCurses
import Foundation
import TerminalUI
#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// Why the terminal UI cannot start, in one line.
public struct CursesError: Error, CustomStringConvertible {
    public var message: String
    public init(_ message: String) { self.message = message }
    public var description: String { message }
}

/// Wakes the UI loop of a `CursesScreen` from any thread (the reply task, after posting an event).
public final class Wakeup: Sendable {
    let fd: Int32

    init(fd: Int32) { self.fd = fd }

    /// Makes the screen's `nextEvents` return. Never blocks: a full pipe already means "awake".
    public func wake() {
        var byte: UInt8 = 0x77
        _ = write(fd, &byte, 1)
    }
}

/// A `Screen` on the real terminal through ncursesw.
///
/// Starting it saves the terminal settings, switches to the alternate screen in raw mode and turns
/// on bracketed paste and SGR mouse reports; `close()` (also run on SIGTERM/SIGHUP through the
/// app's loop) turns them off and restores everything, and a crash signal restores the terminal
/// before the process dies. `suspend()` (Ctrl-Z, or SIGTSTP) gives the terminal back before
/// stopping and takes it again, repainted whole, when continued in the foreground. Input is read
/// as raw bytes from standard input and parsed by `KeyParser`; curses is only used for output,
/// which it diffs against what is on the terminal.
public final class CursesScreen: Screen {
    public private(set) var size: TerminalSize
    /// The colours the terminal can show: the lesser of what the environment and terminfo say.
    public let capability: ColorCapability
    /// Wakes `nextEvents` from another thread.
    public let wakeup: Wakeup
    /// Set when SIGTERM, SIGHUP, SIGINT or SIGQUIT arrived, or standard input closed.
    public private(set) var terminationRequested = false
    /// True from a suspension until the process is continued in the foreground: meanwhile nothing is drawn or read.
    public private(set) var isSuspended = false

    private var parser = KeyParser()
    private var cursor: Position?
    private var palette: CursesPalette
    private let wakeRead: Int32
    private let wakeWrite: Int32
    private let screen: OpaquePointer
    private let output: UnsafeMutablePointer<FILE>
    private let input: UnsafeMutablePointer<FILE>
    private var closed = false

    /// Takes over the terminal. Throws when standard input or output is not a terminal or the
    /// terminal type is unknown.
    public init(environment: [String: String] = ProcessInfo.processInfo.environment) throws {
        guard isatty(STDIN_FILENO) == 1, isatty(STDOUT_FILENO) == 1 else {
            throw CursesError("the chat needs a terminal on standard input and output")
        }
        let term = environment["TERM"] ?? ""
        guard !term.isEmpty else { throw CursesError("TERM is not set, so the terminal type is unknown") }
        var fds: [Int32] = [0, 0]
        guard pipe(&fds) == 0 else { throw CursesError("cannot create a pipe (\(String(cString: strerror(errno))))") }
        for fd in fds {
            _ = fcntl(fd, F_SETFL, fcntl(fd, F_GETFL) | O_NONBLOCK)
            _ = fcntl(fd, F_SETFD, FD_CLOEXEC)
        }
        wakeRead = fds[0]
        wakeWrite = fds[1]
        wakeup = Wakeup(fd: fds[1])
        guard let out = fdopen(dup(STDOUT_FILENO), "w"), let inp = fdopen(dup(STDIN_FILENO), "r") else {
            throw CursesError("cannot open the terminal (\(String(cString: strerror(errno))))")
        }
        output = out
        input = inp
        _ = nook_save_terminal()
        guard let created = newterm(nil, out, inp) else {
            closeDescriptor(fds[0])
            closeDescriptor(fds[1])
            fclose(out)
            fclose(inp)
            throw CursesError("cannot start the terminal UI: TERM=\(term) is not in the terminfo database")
        }
        screen = created
        _ = set_term(created)
        raw()
        noecho()
        nonl()
        _ = keypad(nook_stdscr(), false)
        var terminfo = ColorCapability.none
        if has_colors() {
            _ = start_color()
            _ = use_default_colors()
            let colors = nook_colors()
            terminfo = colors >= 1 << 24 ? .truecolor : colors >= 256 ? .ansi256 : colors >= 8 ? .ansi8 : .none
        }
        let wanted = ColorCapability.detect(environment: environment)
        capability = min(wanted, terminfo)
        palette = CursesPalette(direct: capability == .truecolor && nook_colors() >= 1 << 24,
                                maxPairs: Int(nook_color_pairs()))
        size = TerminalSize(columns: Int(getmaxx(nook_stdscr())), rows: Int(getmaxy(nook_stdscr())))
        nook_arm_crash_restore()
        nook_install_wake_signals(fds[1])
        writeRaw(Self.modesOn)
    }

    /// Bracketed paste and SGR mouse reports on, and off again.
    static let modesOn = "\u{1B}[?2004h\u{1B}[?1000h\u{1B}[?1006h"
    static let modesOff = "\u{1B}[?1006l\u{1B}[?1000l\u{1B}[?2004l"

    deinit { close() }

    /// Restores the terminal: modes off, curses ended, signals back to their defaults. Idempotent.
    public func close() {
        guard !closed else { return }
        closed = true
        if !isSuspended {
            // A suspended screen gave the terminal back already (and touching it from the background would stop nook).
            writeRaw(Self.modesOff)
            _ = endwin()
        }
        delscreen(screen)
        nook_remove_wake_signals()
        nook_disarm_crash_restore()
        fclose(output)
        fclose(input)
        closeDescriptor(wakeRead)
        closeDescriptor(wakeWrite)
    }

    // MARK: Screen

    public func clear(style: Style) {
        let (attrs, pair) = palette.attributes(for: style)
        _ = nook_erase_with(attrs, pair)
    }

    public func put(_ character: Character, width: Int, row: Int, column: Int, style: Style) {
        guard row >= 0, row < size.rows, column >= 0, column < size.columns, width > 0 else { return }
        let (attrs, pair) = palette.attributes(for: style)
        if width == 2 && column + 1 >= size.columns {
            var space: [wchar_t] = [0x20]
            _ = nook_put_cell(Int32(row), Int32(column), &space, 1, attrs, pair)
            return
        }
        var chars = character.unicodeScalars.map { wchar_t(bitPattern: $0.value) }
        if nook_put_cell(Int32(row), Int32(column), &chars, Int32(chars.count), attrs, pair) == ERR {
            var replacement: [wchar_t] = [0xFFFD]
            _ = nook_put_cell(Int32(row), Int32(column), &replacement, 1, attrs, pair)
        }
    }

    public func setCursor(_ position: Position?) { cursor = position }

    public func flush() {
        guard !isSuspended else { return }
        if let cursor, cursor.row >= 0, cursor.row < size.rows, cursor.column >= 0, cursor.column < size.columns {
            _ = wmove(nook_stdscr(), Int32(cursor.row), Int32(cursor.column))
            _ = curs_set(1)
        } else {
            _ = curs_set(0)
        }
        _ = wrefresh(nook_stdscr())
    }

    /// Makes the next `flush` repaint the whole terminal (Ctrl-L).
    public func invalidate() {
        _ = clearok(nook_stdscr(), true)
    }

    /// Writes bytes straight to the terminal after curses' own output (OSC 52 and mode switches).
    public func writeRaw(_ text: String) {
        guard !isSuspended else { return }
        fflush(output)
        let bytes = Array(text.utf8)
        var offset = 0
        while offset < bytes.count {
            let n = bytes[offset...].withUnsafeBytes { write(STDOUT_FILENO, $0.baseAddress, $0.count) }
            if n < 0 && errno == EINTR { continue }
            if n <= 0 { break }
            offset += n
        }
    }

    // MARK: Suspending

    /// Gives the terminal back (modes off, curses ended) and stops the process, as Ctrl-Z does in a shell.
    ///
    /// Continued in the foreground (`fg`), it takes the terminal again and repaints it whole before
    /// returning. Continued in the background (`bg`), it returns still suspended: the app goes on (a
    /// reply keeps being written) without drawing or reading until `fg`, which `nextEvents` notices.
    public func suspend() {
        guard !closed, !isSuspended else { return }
        writeRaw(Self.modesOff)
        _ = endwin()
        isSuspended = true
        nook_stop_self()
        _ = resumeIfForeground()
    }

    /// Takes the terminal back after a suspension when this process is in the foreground; true when it did.
    private func resumeIfForeground() -> Bool {
        guard isSuspended, nook_is_foreground(STDIN_FILENO) != 0 else { return false }
        _ = nook_take_continued()
        isSuspended = false
        _ = refreshSize()
        // The first refresh after endwin puts curses' terminal modes and the alternate screen back.
        invalidate()
        _ = wrefresh(nook_stdscr())
        writeRaw(Self.modesOn)
        return true
    }

    /// While suspended in the background: waits for a signal or a `wakeup` only, and resumes on `fg`.
    ///
    /// `fg` of a job that runs in the background sends no signal (the shell only hands it the terminal), so the
    /// terminal's foreground group is looked at every `Self.foregroundCheckMilliseconds` as well.
    private func nextEventsWhileSuspended(timeout: Int32) -> [InputEvent] {
        var fds = [pollfd(fd: wakeRead, events: Int16(POLLIN), revents: 0)]
        let wait = timeout < 0 ? Self.foregroundCheckMilliseconds : min(timeout, Self.foregroundCheckMilliseconds)
        if poll(&fds, 1, wait) > 0 {
            var sink = [UInt8](repeating: 0, count: 256)
            while read(wakeRead, &sink, sink.count) > 0 {}
        }
        if nook_take_terminate() != 0 { terminationRequested = true }
        _ = nook_take_continued()
        return resumeIfForeground() ? [.resize(size)] : []
    }

    /// How often a screen suspended in the background looks whether it is in the foreground again.
    static let foregroundCheckMilliseconds: Int32 = 200

    // MARK: Input

    /// Waits for input, a resize, a termination or stop signal or a `wakeup`, then returns the parsed
    /// events (possibly none); a resume after a suspension is reported as a resize.
    /// `timeoutMilliseconds` nil waits indefinitely; a lone Esc is resolved after
    /// `KeyParser.escapeTimeoutMilliseconds`.
    public func nextEvents(timeoutMilliseconds: Int? = nil) -> [InputEvent] {
        if isSuspended { return nextEventsWhileSuspended(timeout: Int32(clamping: timeoutMilliseconds ?? -1)) }
        var events: [InputEvent] = []
        let escapePending = parser.hasPendingInput && !parser.isPasting
        var timeout = Int32(clamping: timeoutMilliseconds ?? -1)
        if escapePending { timeout = timeout < 0 ? Int32(KeyParser.escapeTimeoutMilliseconds) : min(timeout, Int32(KeyParser.escapeTimeoutMilliseconds)) }
        var fds = [pollfd(fd: STDIN_FILENO, events: Int16(POLLIN), revents: 0),
                   pollfd(fd: wakeRead, events: Int16(POLLIN), revents: 0)]
        let ready = poll(&fds, 2, timeout)
        if ready == 0, escapePending { events += parser.flush() }
        if ready > 0, fds[1].revents != 0 {
            var sink = [UInt8](repeating: 0, count: 256)
            while read(wakeRead, &sink, sink.count) > 0 {}
        }
        if nook_take_resize() != 0 { events.append(.resize(refreshSize())) }
        if nook_take_terminate() != 0 { terminationRequested = true }
        if nook_take_suspend() != 0 {
            suspend()
            if !isSuspended { events.append(.resize(size)) }
        }
        if ready > 0, !isSuspended, fds[0].revents & Int16(POLLIN | POLLHUP | POLLERR) != 0 {
            var buffer = [UInt8](repeating: 0, count: 4096)
            let n = read(STDIN_FILENO, &buffer, buffer.count)
            if n > 0 {
                events += parser.feed(buffer[0..<n])
            } else if n == 0 || (errno != EINTR && errno != EAGAIN) {
                terminationRequested = true
            }
        }
        return events
    }

    /// Reads the terminal size from the kernel and resizes curses to it.
    private func refreshSize() -> TerminalSize {
        var rows: Int32 = 0, columns: Int32 = 0
        if nook_window_size(STDOUT_FILENO, &rows, &columns) == 0 {
            _ = resizeterm(rows, columns)
        }
        size = TerminalSize(columns: Int(getmaxx(nook_stdscr())), rows: Int(getmaxy(nook_stdscr())))
        return size
    }
}

/// `close(2)`, under a name the screen's own `close()` does not hide.
private func closeDescriptor(_ fd: Int32) {
    _ = close(fd)
}
