import TerminalUI

/// Sample content shared by the snapshot tests.
enum Fixtures {
    static let status = StatusInfo(model: "qwen2.5-0.5b-instruct-q8_0", persona: "coder", user: "ada",
                                   contextUsed: 1234, contextLimit: 8192, tokensPerSecond: 23.456,
                                   attachments: 1)

    static let reply = """
        Here is a **quick** way to reverse a string in `Swift`:

        ```swift
        // Reverse the characters
        let word = "nook"
        let reversed = String(word.reversed()) // "koon"
        print(reversed.count + 1)
        ```

        Key points:
        - `reversed()` works on grapheme clusters
        - it is **lazy**, so wrap it in `String(...)`
        1. Build it
        2. Run it
        """

    static func transcript() -> Transcript {
        Transcript(messages: [
            TranscriptMessage(role: .system, label: "system", text: "Persona coder loaded. Be concise."),
            TranscriptMessage(role: .user, label: "ada", text: "How do I reverse a string in Swift? Keep it short please.",
                              detail: "1 file"),
            TranscriptMessage(role: .assistant, label: "nook", text: reply, detail: "23.5 tok/s"),
        ])
    }

    static func chat(theme: Theme = .nookDark) -> ChatView {
        var editor = InputEditor()
        editor.placeholder = "Message nook (Enter sends, Alt-Enter adds a line)"
        return ChatView(transcript: transcript(), editor: editor, status: status)
    }

    /// Renders a chat at a size and returns the screen.
    static func render(_ chat: inout ChatView, columns: Int, rows: Int, theme: Theme = .nookDark,
                       capability: ColorCapability = .ansi256) -> MemoryScreen {
        let screen = MemoryScreen(size: TerminalSize(columns: columns, rows: rows))
        chat.render(into: screen, theme: theme.resolved(for: capability))
        return screen
    }
}
