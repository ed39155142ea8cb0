#define _XOPEN_SOURCE_EXTENDED 1
#define NCURSES_WIDECHAR 1
#include <locale.h>
#include <wchar.h>
#include <ncursesw/curses.h>

// Swift cannot import curses' macros (attributes, COLORS, stdscr as a macro on some builds) or
// variadic-free wrappers around them; these small helpers expose what CursesScreen needs.

static inline attr_t nook_a_normal(void) { return A_NORMAL; }
static inline attr_t nook_a_bold(void) { return A_BOLD; }
static inline attr_t nook_a_underline(void) { return A_UNDERLINE; }
static inline attr_t nook_a_reverse(void) { return A_REVERSE; }
static inline attr_t nook_a_italic(void) {
#ifdef A_ITALIC
    return A_ITALIC;
#else
    return A_NORMAL;
#endif
}

/// The number of colours the terminal description reports (COLORS), after start_color().
static inline int nook_colors(void) { return COLORS; }
/// The number of colour pairs available (COLOR_PAIRS), after start_color().
static inline int nook_color_pairs(void) { return COLOR_PAIRS; }
/// The standard screen window.
static inline WINDOW *nook_stdscr(void) { return stdscr; }

/// Draws one cell: up to CCHARW_MAX code points of one grapheme cluster (`count` of them, the
/// first a spacing character) at row `y`, column `x` with attributes and an extended colour pair.
/// Returns ERR only when the cluster cannot be stored (for example a lone combining mark).
static inline int nook_put_cell(int y, int x, const wchar_t *chars, int count, attr_t attrs, int pair) {
    wchar_t buffer[CCHARW_MAX + 1];
    int n = count < CCHARW_MAX ? count : CCHARW_MAX;
    for (int i = 0; i < n; i++) buffer[i] = chars[i];
    buffer[n] = L'\0';
    cchar_t cell;
    if (setcchar(&cell, buffer, attrs, 0, &pair) == ERR) return ERR;
    // Writing the bottom-right cell reports ERR (the cursor cannot move past it) but draws it.
    (void)mvwadd_wch(stdscr, y, x, &cell);
    return OK;
}

// MARK: Terminal restore on fatal signals

#include <signal.h>
#include <errno.h>
#include <string.h>
#include <termios.h>
#include <unistd.h>

// Signal handlers cannot reach Swift objects, so the state they need lives here. Only
// CursesScreen calls these functions, so there is one copy of it in the program.
/// The terminal settings saved before curses started (function-local so the storage is emitted
/// together with the functions that use it).
static inline struct termios *nook_saved_termios(void) {
    static struct termios saved;
    return &saved;
}
static volatile sig_atomic_t nook_restore_armed = 0;
static const char nook_restore_sequence[] =
    "\033[?1006l\033[?1000l\033[?2004l\033[0m\033[?25h\033[?1049l\r\n";

/// Puts the terminal back (modes off, saved termios) and dies of the same signal.
static void nook_fatal_signal(int sig) {
    if (nook_restore_armed) {
        nook_restore_armed = 0;
        ssize_t ignored = write(STDOUT_FILENO, nook_restore_sequence, sizeof nook_restore_sequence - 1);
        (void)ignored;
        tcsetattr(STDIN_FILENO, TCSAFLUSH, nook_saved_termios());
    }
    signal(sig, SIG_DFL);
    raise(sig);
}

/// Saves the terminal settings (call before curses changes them); 0 on success.
static inline int nook_save_terminal(void) {
    return tcgetattr(STDIN_FILENO, nook_saved_termios());
}

/// Installs the restoring handler for the signals that end a process with a crash.
static inline void nook_arm_crash_restore(void) {
    struct sigaction action;
    memset(&action, 0, sizeof action);
    action.sa_handler = nook_fatal_signal;
    sigemptyset(&action.sa_mask);
    action.sa_flags = SA_RESETHAND;
    int signals[] = {SIGSEGV, SIGBUS, SIGILL, SIGFPE, SIGABRT, SIGTRAP};
    for (unsigned i = 0; i < sizeof signals / sizeof signals[0]; i++) sigaction(signals[i], &action, 0);
    nook_restore_armed = 1;
}

/// Stops restoring on crashes (after a normal shutdown has restored the terminal).
static inline void nook_disarm_crash_restore(void) { nook_restore_armed = 0; }

// MARK: Resize and termination signals

#include <pthread.h>
#include <sys/ioctl.h>

static int nook_wake_fd = -1;
static volatile sig_atomic_t nook_resized = 0;
static volatile sig_atomic_t nook_terminate = 0;
static volatile sig_atomic_t nook_suspend = 0;
static volatile sig_atomic_t nook_continued = 0;

/// SIGWINCH, SIGTSTP, SIGCONT, SIGTERM, SIGHUP, SIGINT, SIGQUIT: note which, and wake the UI loop through its pipe.
static void nook_wake_signal(int sig) {
    int saved = errno;
    if (sig == SIGWINCH) nook_resized = 1;
    else if (sig == SIGTSTP) nook_suspend = 1;
    else if (sig == SIGCONT) nook_continued = 1;
    else nook_terminate = 1;
    if (nook_wake_fd >= 0) {
        char byte = 's';
        ssize_t ignored = write(nook_wake_fd, &byte, 1);
        (void)ignored;
    }
    errno = saved;
}

/// Routes the resize and termination signals to `nook_wake_signal`, which writes to `wake_fd`.
static inline void nook_install_wake_signals(int wake_fd) {
    nook_wake_fd = wake_fd;
    struct sigaction action;
    memset(&action, 0, sizeof action);
    action.sa_handler = nook_wake_signal;
    sigemptyset(&action.sa_mask);
    action.sa_flags = SA_RESTART;
    int signals[] = {SIGWINCH, SIGTSTP, SIGCONT, SIGTERM, SIGHUP, SIGINT, SIGQUIT};
    sigset_t unblock;
    sigemptyset(&unblock);
    for (unsigned i = 0; i < sizeof signals / sizeof signals[0]; i++) {
        sigaction(signals[i], &action, 0);
        sigaddset(&unblock, signals[i]);
    }
    // A parent may have started nook with these blocked (threads of thread pools block every
    // signal, and children inherit the mask): unblock them so resizes and SIGTERM arrive.
    pthread_sigmask(SIG_UNBLOCK, &unblock, 0);
}

/// Puts the default handlers back.
static inline void nook_remove_wake_signals(void) {
    int signals[] = {SIGWINCH, SIGTSTP, SIGCONT, SIGTERM, SIGHUP, SIGINT, SIGQUIT};
    for (unsigned i = 0; i < sizeof signals / sizeof signals[0]; i++) signal(signals[i], SIG_DFL);
    nook_wake_fd = -1;
}

/// Whether a resize signal came since the last call.
static inline int nook_take_resize(void) { int r = nook_resized; nook_resized = 0; return r; }
/// Whether a termination signal came since the last call.
static inline int nook_take_terminate(void) { int t = nook_terminate; nook_terminate = 0; return t; }
/// Whether SIGTSTP (a stop asked from outside, as `kill -TSTP` does) came since the last call.
static inline int nook_take_suspend(void) { int t = nook_suspend; nook_suspend = 0; return t; }
/// Whether SIGCONT (`fg` or `bg` in the shell) came since the last call.
static inline int nook_take_continued(void) { int t = nook_continued; nook_continued = 0; return t; }

/// Stops the process as the default SIGTSTP does, and returns once it is continued (SIGCONT).
static inline void nook_stop_self(void) {
    struct sigaction stop, previous;
    memset(&stop, 0, sizeof stop);
    stop.sa_handler = SIG_DFL;
    sigemptyset(&stop.sa_mask);
    sigaction(SIGTSTP, &stop, &previous);
    sigset_t unblock;
    sigemptyset(&unblock);
    sigaddset(&unblock, SIGTSTP);
    pthread_sigmask(SIG_UNBLOCK, &unblock, 0);
    kill(getpid(), SIGTSTP);
    sigaction(SIGTSTP, &previous, 0);
}

/// Whether this process's group is the terminal's foreground group (after `fg`, not after `bg`).
static inline int nook_is_foreground(int fd) { return tcgetpgrp(fd) == getpgrp(); }

/// The terminal's size from the kernel; 0 on success.
static inline int nook_window_size(int fd, int *rows, int *columns) {
    struct winsize size;
    if (ioctl(fd, TIOCGWINSZ, &size) != 0 || size.ws_row == 0 || size.ws_col == 0) return -1;
    *rows = size.ws_row;
    *columns = size.ws_col;
    return 0;
}

/// Sets the background cell (blank in the given attributes and pair) and erases the window with it.
static inline int nook_erase_with(attr_t attrs, int pair) {
    cchar_t blank;
    wchar_t space[2] = {L' ', L'\0'};
    if (setcchar(&blank, space, attrs, 0, &pair) == ERR) return ERR;
    wbkgrndset(stdscr, &blank);
    return werase(stdscr);
}
