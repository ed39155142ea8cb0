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
/// before the process dies. Input is read as raw bytes from standard input and parsed by
/// `KeyParser`; curses is only used for output, which it diffs against what is on the terminal.
public final class CursesScreen: Screen {
    public private(set) var size: TerminalSize
    /// The colours the terminal can show: the lesser of what the environment and terminfo say.
    public let capability: ColorCapability
    /// Wakes `nextEvents` from another thread.
    public let wakeup: Wakeup
    /// Set when SIGTERM, SIGHUP, SIGINT or SIGQUIT arrived, or standard input closed.
    public private(set) var terminationRequested = false

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
        writeRaw("\u{1B}[?2004h\u{1B}[?1000h\u{1B}[?1006h")
    }

    deinit { close() }

    /// Restores the terminal: modes off, curses ended, signals back to their defaults. Idempotent.
    public func close() {
        guard !closed else { return }
        closed = true
        writeRaw("\u{1B}[?1006l\u{1B}[?1000l\u{1B}[?2004l")
        _ = endwin()
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

    // MARK: Input

    /// Waits for input, a resize, a termination signal or a `wakeup`, then returns the parsed
    /// events (possibly none). `timeoutMilliseconds` nil waits indefinitely; a lone Esc is
    /// resolved after `KeyParser.escapeTimeoutMilliseconds`.
    public func nextEvents(timeoutMilliseconds: Int? = nil) -> [InputEvent] {
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
        if ready > 0, fds[0].revents & Int16(POLLIN | POLLHUP | POLLERR) != 0 {
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
