import ArgumentParser
import Foundation
import Engine

/// `nook tokenize`: prints the token ids of a text.
struct Tokenize: ParsableCommand {
    static let configuration = CommandConfiguration(abstract: "Print the token ids of TEXT (or of standard input).")

    @Option(name: .shortAndLong, help: "Path of a GGUF model (or vocabulary-only) file.")
    var model: String
    @Flag(name: .customLong("no-bos"), help: "Add neither BOS nor EOS.")
    var noBOS = false
    @Flag(name: .customLong("parse-special"), help: "Turn text such as <|im_start|> into special tokens.")
    var parseSpecial = false
    @Flag(help: "Read one JSON string per line of standard input; print one line of ids per input line.")
    var jsonl = false
    @Argument(help: "Text to tokenize (default: all of standard input).")
    var text: String?

    func run() throws {
        let tokenizer = try ModelContext.tokenizer(path: model)
        func line(_ s: String) -> String {
            tokenizer.encode(s, addSpecial: !noBOS, parseSpecial: parseSpecial).map(String.init).joined(separator: " ")
        }
        if jsonl {
            var out = ""
            for (i, raw) in try readStandardInput().split(separator: "\n", omittingEmptySubsequences: false).enumerated() {
                if raw.isEmpty { continue }
                guard let s = try? JSONDecoder().decode(String.self, from: Data(raw.utf8)) else {
                    throw ValidationError("standard input line \(i + 1) is not a JSON string")
                }
                out += line(s) + "\n"
            }
            Output.write(out)
        } else {
            Output.write(line(try text ?? readStandardInput()) + "\n")
        }
    }
}
