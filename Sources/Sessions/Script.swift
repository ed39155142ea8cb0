import Foundation

/// A parsed `.nook` script: user messages and commands in file order.
public struct Script: Sendable, Equatable {
    /// The script file; attachments are relative to its folder and errors name it.
    public var url: URL
    public var steps: [ScriptStep]

    public init(url: URL, steps: [ScriptStep]) {
        self.url = url
        self.steps = steps
    }

    /// `file:line` for error messages.
    public func location(_ line: Int) -> String { "\(url.path):\(line)" }
}

/// One step of a script and the line it starts on.
public struct ScriptStep: Sendable, Equatable {
    public var line: Int
    public var action: ScriptAction

    public init(line: Int, action: ScriptAction) {
        self.line = line
        self.action = action
    }
}

/// A file named by `/attach`, resolved against the script's folder.
public struct ScriptAttachment: Sendable, Equatable {
    public var url: URL
    /// Line of the `/attach` command.
    public var line: Int

    public init(url: URL, line: Int) {
        self.url = url
        self.line = line
    }
}

/// What a script step does.
public enum ScriptAction: Sendable, Equatable {
    /// A user message (one paragraph) with the files attached by the `/attach` lines before it.
    case message(String, attachments: [ScriptAttachment])
    /// `/persona NAME`: switch persona (its prompt and sampling defaults).
    case persona(String)
    /// `/theme NAME`: switch UI theme.
    case theme(String)
    /// `/expect TEXT`: the previous reply, trimmed, must equal TEXT.
    case expect(String)
    /// `/expect-contains TEXT`: the previous reply must contain TEXT.
    case expectContains(String)
    /// `/seed N`: sampler seed for the following replies.
    case seed(UInt64)
    /// `/temp T`: temperature for the following replies, kept across persona switches.
    case temperature(Float)
    /// `/system TEXT`: replace the system prompt until the next `/persona`.
    case system(String)
    /// `/new`: start a fresh conversation; persona and settings stay.
    case new
}

/// A script error, described as `file:line: what is wrong`.
public struct ScriptError: Error, CustomStringConvertible, Equatable {
    public var file: String
    public var line: Int
    public var message: String

    public init(file: String, line: Int, message: String) {
        self.file = file
        self.line = line
        self.message = message
    }

    public var description: String { line > 0 ? "\(file):\(line): \(message)" : "\(file): \(message)" }
}
