import CursesScreen
import Foundation
import TerminalUI

/// The UI loop: waits for terminal input or reply events, hands them to the app, and redraws.
/// While the screen is suspended in the background it keeps applying reply events, drawing nothing.
///
/// While a reply streams, frames are drawn at most every `frameInterval` (events in between are
/// all applied, then drawn together), so a fast model does not spend its time repainting.
public enum ChatRunner {
    public static let frameInterval = Duration.milliseconds(30)

    /// Runs until the user quits or the process is asked to stop; the screen stays open.
    public static func run(_ app: ChatApp, on screen: CursesScreen) {
        let clock = ContinuousClock()
        var dirty = true
        var lastFrame = clock.now - .seconds(1)
        while !app.isFinished {
            if dirty {
                let elapsed = clock.now - lastFrame
                if !app.isReplying || elapsed >= frameInterval {
                    if app.needsFullRedraw {
                        screen.invalidate()
                        app.needsFullRedraw = false
                    }
                    app.render(into: screen)
                    for sequence in app.takeTerminalOutput() { screen.writeRaw(sequence) }
                    lastFrame = clock.now
                    dirty = false
                }
            }
            var timeout: Int?
            if dirty {
                let left = frameInterval - (clock.now - lastFrame)
                timeout = max(1, Int(left.components.seconds * 1000 + left.components.attoseconds / 1_000_000_000_000_000))
            }
            let events = screen.nextEvents(timeoutMilliseconds: timeout)
            for event in events {
                app.handle(.input(event))
                dirty = true
            }
            if app.takeSuspendRequest() {
                // Ctrl-Z: back from here after `fg` (repainted whole), or still suspended after `bg`.
                screen.suspend()
                dirty = true
            }
            if screen.terminationRequested {
                app.handle(.terminate)
            }
            let posted = app.mailbox.drain()
            for event in posted { app.handle(event) }
            if !posted.isEmpty { dirty = true }
        }
    }
}
