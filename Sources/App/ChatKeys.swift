import Foundation
import TerminalUI

extension ChatApp {
    /// Ctrl-C: stop the reply; at the idle prompt a draft is discarded on the second press, and an empty
    /// editor quits on the second press.
    func interrupt() {
        if active != nil {
            stopReply()
        } else if editing != nil {
            cancelEditing()
        } else if !view.editor.isEmpty {
            quitArmed = false
            if discardArmed {
                discardArmed = false
                view.editor.text = ""
                hint = "draft discarded"
            } else {
                discardArmed = true
                hint = "Ctrl-C again discards your draft (Ctrl-U clears the line)"
            }
        } else if quitArmed {
            quit()
        } else {
            discardArmed = false
            quitArmed = true
            hint = "press Ctrl-C again to quit"
        }
    }

    /// Esc: stop the reply, or leave `/edit`.
    func escape() {
        if active != nil {
            stopReply()
        } else if editing != nil {
            cancelEditing()
        }
    }

    /// Leaves `/edit` without sending: the editor is emptied.
    func cancelEditing() {
        editing = nil
        view.editor.text = ""
        hint = "edit cancelled"
    }

    /// Ctrl-Z: asks the UI loop to give the terminal back and stop; a reply being written goes on.
    func suspend() {
        suspendRequested = true
    }

    /// Whether Ctrl-Z asked for the chat to be suspended since the last call; the UI loop suspends the screen.
    public func takeSuspendRequest() -> Bool {
        defer { suspendRequested = false }
        return suspendRequested
    }
}
