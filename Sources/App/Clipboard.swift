import Foundation
import Sessions

/// Terminal clipboard access with OSC 52 (xterm, tmux with `set-clipboard`, most modern terminals).
public enum Clipboard {
    /// The escape sequence that puts `text` on the system clipboard: `ESC ] 52 ; c ; BASE64 BEL`.
    public static func osc52(_ text: String) -> String {
        "\u{1B}]52;c;" + Data(text.utf8).base64EncodedString() + "\u{07}"
    }
}

/// Copies a session log durably, whole or not at all, never over an existing file.
enum SessionCopy {
    static func copy(_ source: URL, to target: URL) throws {
        guard let data = FileManager.default.contents(atPath: source.path) else {
            throw ConfigError("\(source.path): cannot read the session log")
        }
        try ExportFile.write(data, to: target, overwrite: false)
    }
}
