import Conversation
import Foundation
import TerminalUI

/// Something the chat app reacts to: terminal input, or news from the reply being generated.
public enum AppEvent: Sendable, Equatable {
    /// A key, paste, mouse or resize event from the terminal.
    case input(InputEvent)
    /// A piece of the reply with this id.
    case replyText(id: Int, String)
    /// A note on how the reply with this id is being prepared (image encoding progress).
    case replyStatus(id: Int, String)
    /// The reply with this id finished.
    case replyDone(id: Int, StopReason, GenerationStats)
    /// The reply with this id failed; the message is one line.
    case replyFailed(id: Int, String)
    /// The reply stream with this id ended (after `replyDone`, a failure, or a cancellation).
    case replyEnded(id: Int)
    /// A model asked for with `/model` finished loading.
    case modelLoaded(LoadedModel)
    /// A model asked for with `/model` could not be loaded; the message is one line.
    case modelFailed(path: String, String)
    /// The process was asked to stop (SIGTERM, SIGHUP, the terminal went away).
    case terminate
}

/// A thread-safe queue of events for the UI thread, which is woken up after every post.
///
/// Reply tasks post from other threads; the UI loop drains the queue after each wake-up, so all
/// state changes happen on the UI thread in the order the events were posted.
public final class Mailbox: @unchecked Sendable {
    private let lock = NSLock()
    /// Posted events not yet drained; guarded by `lock`.
    private var events: [AppEvent] = []
    private let wake: @Sendable () -> Void

    /// `wake` is called after each post (the curses loop writes to its wake-up pipe).
    public init(wake: @escaping @Sendable () -> Void = {}) {
        self.wake = wake
    }

    /// Adds an event and wakes the UI thread.
    public func post(_ event: AppEvent) {
        lock.lock()
        events.append(event)
        lock.unlock()
        wake()
    }

    /// Takes every posted event, oldest first.
    public func drain() -> [AppEvent] {
        lock.lock()
        defer { lock.unlock() }
        let taken = events
        events.removeAll()
        return taken
    }

    /// Whether events are waiting.
    public var isEmpty: Bool {
        lock.lock()
        defer { lock.unlock() }
        return events.isEmpty
    }
}
