import ArgumentParser
import Foundation

extension Nook {
    /// Parses and runs the command; every failure is one line `nook: …` on standard error, usage mistakes
    /// with a pointer to the command's help, like the errors of chat, run and replay.
    static func runAsMain(arguments: [String] = Array(CommandLine.arguments.dropFirst())) -> Never {
        var command: any ParsableCommand
        do {
            command = try parseAsRoot(arguments)
        } catch {
            fail(error)
        }
        do {
            try command.run()
            Foundation.exit(0)
        } catch let error as ValidationError {
            // A mistake in the arguments found while running: point to that command's help.
            let name = type(of: command).configuration.commandName ?? "\(type(of: command))".lowercased()
            FileHandle.standardError.write(Data("nook: \(error.message) (see 'nook \(name) --help')\n".utf8))
            Foundation.exit(ExitCode.validationFailure.rawValue)
        } catch {
            fail(error)
        }
    }

    /// Reports a parse or run error in nook's one-line style and exits with ArgumentParser's status for it.
    private static func fail(_ error: any Error) -> Never {
        if let exit = error as? ExitCode { Foundation.exit(exit.rawValue) }
        let code = exitCode(for: error)
        if code == .success {
            // --help, --version: the full text goes to standard output.
            FileHandle.standardOutput.write(Data((fullMessage(for: error) + "\n").utf8))
            Foundation.exit(0)
        }
        FileHandle.standardError.write(Data((oneLine(for: error) + "\n").utf8))
        Foundation.exit(code.rawValue)
    }

    /// `nook: message`, lower-cased like nook's own errors, with `(see 'nook CMD --help')` for usage mistakes.
    static func oneLine(for error: any Error) -> String {
        var message = self.message(for: error).trimmingCharacters(in: .whitespacesAndNewlines)
        message = message.split(separator: "\n").map { $0.trimmingCharacters(in: .whitespaces) }.joined(separator: " ")
        if let first = message.first, first.isUppercase, message.dropFirst().first?.isLowercase == true {
            message = first.lowercased() + message.dropFirst()
        }
        let full = fullMessage(for: error)
        if let see = full.split(separator: "\n").first(where: { $0.contains("See '") }),
           let open = see.range(of: "'"), let close = see.range(of: "'", options: .backwards), open.upperBound < close.lowerBound {
            message += " (see '\(see[open.upperBound..<close.lowerBound])')"
        }
        return "nook: " + message
    }
}
