import Conversation
import Foundation
import Sessions
import Testing
@testable import App

@Suite struct ConfigAndFilesTests {
    @Test func configReadsKnownKeysAndNamesTheFileInErrors() throws {
        let config = try NookConfig.parse("model = \"m.gguf\"\npersona = \"tutor\"\ntheme = \"nook-light\"\nuser = \"Ada\"\n", file: "c.toml")
        #expect(config == NookConfig(model: "m.gguf", persona: "tutor", theme: "nook-light", user: "Ada"))
        func error(_ text: String) -> String {
            do { _ = try NookConfig.parse(text, file: "/h/.config/nook/config.toml"); return "no error" } catch { return "\(error)" }
        }
        #expect(error("modle = \"x\"") == "/h/.config/nook/config.toml: modle: unknown setting (known: model, persona, theme, user)")
        #expect(error("model = 3") == "/h/.config/nook/config.toml: model: expected a non-empty string")
        #expect(error("model = ").hasPrefix("/h/.config/nook/config.toml: line 1, column"))
    }

    @Test func settingAKeyEditsItsValueOnlyOrAddsALine() throws {
        func set(_ text: String, _ value: String = "nook-light") throws -> String {
            try ConfigFileEditor.setting("theme", to: value, in: text, file: "c.toml")
        }
        #expect(try set("") == "theme = \"nook-light\"\n")
        #expect(try set("user = \"Ada\" # me") == "user = \"Ada\" # me\ntheme = \"nook-light\"\n")
        #expect(try set("theme='old'   # keep this\r\nuser = \"Ada\"\r\n") == "theme=\"nook-light\"   # keep this\r\nuser = \"Ada\"\r\n")
        #expect(try set("  \"theme\" = \"a \\\" b\"\n") == "  \"theme\" = \"nook-light\"\n")
        // A line inside another key's multi-line string is not the theme's.
        let decoy = "user = \"\"\"\ntheme = \"no\"\n\"\"\"\ntheme = \"old\"\n"
        #expect(try set(decoy) == "user = \"\"\"\ntheme = \"no\"\n\"\"\"\ntheme = \"nook-light\"\n")
        #expect(try NookConfig.parse(try set("", "say \"hi\"\\\t"), file: "c").theme == "say \"hi\"\\\t")
        #expect(throws: ConfigError("c.toml: modle: unknown setting (known: model, persona, theme, user)")) { try set("modle = \"x\"\n") }
        #expect(throws: (any Error).self) { try set("theme = \n") }
    }

    @Test func savingASettingReplacesTheFileAtomicallyThroughALink() throws {
        let folder = try TemporaryFolder.make()
        let real = folder.appendingPathComponent("dotfiles/config.toml")
        try FileManager.default.createDirectory(at: real.deletingLastPathComponent(), withIntermediateDirectories: true)
        try "user = \"Ada\"\n".write(to: real, atomically: true, encoding: .utf8)
        let link = folder.appendingPathComponent("config/nook/config.toml")
        try FileManager.default.createDirectory(at: link.deletingLastPathComponent(), withIntermediateDirectories: true)
        try FileManager.default.createSymbolicLink(at: link, withDestinationURL: real)
        try ConfigFileEditor.set("theme", to: "gruvbox-dark", in: link)
        #expect(try String(contentsOf: real, encoding: .utf8) == "user = \"Ada\"\ntheme = \"gruvbox-dark\"\n")
        #expect(try FileManager.default.destinationOfSymbolicLink(atPath: link.path) == real.path)
        // No temporary file is left behind.
        #expect(try FileManager.default.contentsOfDirectory(atPath: real.deletingLastPathComponent().path) == ["config.toml"])
    }

    @Test func brokenFileWarningsAreReportedOncePerChangeOfTheFile() throws {
        let folder = try TemporaryFolder.make()
        let file = folder.appendingPathComponent("pirate.toml")
        try "name = 1\n".write(to: file, atomically: true, encoding: .utf8)
        let memory = ReportedWarnings(file: folder.appendingPathComponent("cache/reported-warnings.json"))
        let warning = FileWarning(file: file, message: "\(file.path): field name: expected a string")
        #expect(memory.unreported([warning]) == [warning.message])
        #expect(memory.unreported([warning]).isEmpty)
        // The file changed: said again, once.
        try "name = 12\n".write(to: file, atomically: true, encoding: .utf8)
        #expect(memory.unreported([warning]) == [warning.message])
        #expect(memory.unreported([warning]).isEmpty)
        // A corrupt memory is ignored and written again.
        try Data("{not json".utf8).write(to: memory.file)
        #expect(memory.unreported([warning]) == [warning.message])
        #expect(memory.unreported([warning]).isEmpty)
        // Fixed, then broken the same way again later: said again.
        #expect(memory.unreported([]).isEmpty)
        #expect(memory.unreported([warning]) == [warning.message])
    }

    @Test func theModelComesFromTheFlagThenTheEnvironmentThenTheConfig() throws {
        let folder = try TemporaryFolder.make()
        let a = folder.appendingPathComponent("a.gguf"), b = folder.appendingPathComponent("b.gguf")
        let configDir = folder.appendingPathComponent("config/nook")
        try FileManager.default.createDirectory(at: configDir, withIntermediateDirectories: true)
        for url in [a, b, configDir.appendingPathComponent("c.gguf")] { try Data("x".utf8).write(to: url) }
        try Data("model = \"c.gguf\"\n".utf8).write(to: configDir.appendingPathComponent("config.toml"))
        let env = ["HOME": folder.path, "XDG_CONFIG_HOME": folder.appendingPathComponent("config").path]
        #expect(try ModelLoader.resolve(ModelRequest(model: a.path), environment: env.merging(["NOOK_MODEL": b.path]) { $1 }) == a.path)
        #expect(try ModelLoader.resolve(ModelRequest(), environment: env.merging(["NOOK_MODEL": b.path]) { $1 }) == b.path)
        #expect(try ModelLoader.resolve(ModelRequest(), environment: env) == configDir.appendingPathComponent("c.gguf").path)
        // A recording's own model is preferred when it still exists and no --model is given.
        #expect(try ModelLoader.resolve(ModelRequest(), environment: env, preferred: a.path) == a.path)
        #expect(try ModelLoader.resolve(ModelRequest(), environment: env, preferred: "/gone.gguf") == configDir.appendingPathComponent("c.gguf").path)

        let bare = ["HOME": folder.path, "XDG_CONFIG_HOME": folder.appendingPathComponent("none").path]
        #expect(throws: ConfigError("no model given: pass --model PATH.gguf, set NOOK_MODEL, or add model = \"PATH.gguf\" to \(folder.path)/none/nook/config.toml")) {
            try ModelLoader.resolve(ModelRequest(), environment: bare)
        }
        #expect(throws: ConfigError("/missing.gguf: no such model file (from NOOK_MODEL)")) {
            try ModelLoader.resolve(ModelRequest(), environment: bare.merging(["NOOK_MODEL": "/missing.gguf"]) { $1 })
        }
        #expect(throws: ConfigError("\(folder.path): is a folder, not a model file (from --model)")) {
            try ModelLoader.resolve(ModelRequest(model: folder.path), environment: bare)
        }
    }

    @Test func samplingFlagsWinOverPersonaDefaults() {
        let persona = BuiltinPersonas.concise  // temperature 0.3, 256 tokens
        let plain = SamplingOverrides().settings(for: persona, seed: 5)
        #expect(plain.temperature == 0.3)
        #expect(plain.maxTokens == 256)
        #expect(plain.seed == 5)
        let flags = SamplingOverrides(temperature: 0, maxTokens: 12).settings(for: persona, seed: 5)
        #expect(flags.temperature == 0)
        #expect(flags.maxTokens == 12)
        #expect(flags.topK == 40)
    }

    @Test func historyKeepsMultiLineEntriesAndItsLimit() throws {
        let folder = try TemporaryFolder.make()
        let history = InputHistory(file: folder.appendingPathComponent("data/history"), limit: 3)
        #expect(history.load().isEmpty)
        for entry in ["one", "two\nlines", "three", "four"] { #expect(history.append(entry) == nil) }
        #expect(history.load() == ["two\nlines", "three", "four"])
        let mode = try FileManager.default.attributesOfItem(atPath: history.file.path)[.posixPermissions] as? Int
        #expect(mode == 0o600)
    }

    @Test func modelHashesAreCachedUntilTheFileChanges() throws {
        let folder = try TemporaryFolder.make()
        let model = folder.appendingPathComponent("m.gguf")
        try Data("first".utf8).write(to: model)
        let cache = ModelHashCache(file: folder.appendingPathComponent("cache/hashes.json"))
        #expect(try cache.sha256(ofFileAt: model.path) == FileHash.sha256(of: Data("first".utf8)))
        #expect(FileManager.default.fileExists(atPath: cache.file.path))
        try Data("second!".utf8).write(to: model)
        #expect(try cache.sha256(ofFileAt: model.path) == FileHash.sha256(of: Data("second!".utf8)))
    }

    @Test func textAttachmentsAreInlinedBeforeTheMessage() throws {
        let folder = try TemporaryFolder.make()
        let file = folder.appendingPathComponent("list.txt")
        try "milk\neggs\n".write(to: file, atomically: true, encoding: .utf8)
        let reader = AttachmentText()
        let attachment = try reader.attachment(forFileAt: file.path)
        let message = try reader.inline(Message(role: .user, content: "What should I buy?", attachments: [attachment]))
        #expect(message.content == "[file list.txt]\nmilk\neggs\n[end of file list.txt]\n\nWhat should I buy?")
        let plain = Message(role: .user, content: "no files")
        #expect(try reader.inline(plain) == plain)
    }

    @Test func attachmentsOverTheLimitOrChangedToBinaryAreRefused() throws {
        let folder = try TemporaryFolder.make()
        let file = folder.appendingPathComponent("big.txt")
        try String(repeating: "a", count: 2000).write(to: file, atomically: true, encoding: .utf8)
        let small = AttachmentText(maximumBytes: 1024)
        #expect(throws: AttachmentProblem(path: file.path, message: "is larger than 1 KiB; attach a smaller text file")) {
            try small.attachment(forFileAt: file.path)
        }
        let attachment = try AttachmentText().attachment(forFileAt: file.path)
        try Data([0, 1, 2]).write(to: file)
        #expect(throws: AttachmentProblem(path: file.path, message: "looks like a binary file (it contains NUL bytes); only text files can be attached")) {
            try AttachmentText().text(of: attachment)
        }
        try FileManager.default.removeItem(at: file)
        #expect(throws: AttachmentProblem(path: file.path, message: "no such file")) { try AttachmentText().text(of: attachment) }
    }

    @Test func utf16AttachmentsWithAByteOrderMarkAreDecoded() throws {
        let folder = try TemporaryFolder.make()
        let text = "café\r\nnaïve 😀 ok\n"
        let little = folder.appendingPathComponent("notes-le.txt")
        try (Data([0xFF, 0xFE]) + Data(text.utf16.flatMap { [UInt8($0 & 0xFF), UInt8($0 >> 8)] })).write(to: little)
        let big = folder.appendingPathComponent("notes-be.dat")
        try (Data([0xFE, 0xFF]) + Data(text.utf16.flatMap { [UInt8($0 >> 8), UInt8($0 & 0xFF)] })).write(to: big)
        let reader = AttachmentText()
        for file in [little, big] {
            let attachment = try reader.attachment(forFileAt: file.path)
            #expect(attachment.kind == .text)
            #expect(try reader.text(of: attachment) == text)
            let name = file.lastPathComponent
            let message = try reader.inline(Message(role: .user, content: "Fix?", attachments: [attachment]))
            #expect(message.content == "[file \(name)]\n\(text.dropLast())\n[end of file \(name)]\n\nFix?")
        }
    }

    @Test func binariesAndBrokenUTF16AreStillRefused() throws {
        let folder = try TemporaryFolder.make()
        let reader = AttachmentText()
        func refusal(_ bytes: [UInt8], _ name: String) throws -> String {
            let file = folder.appendingPathComponent(name)
            try Data(bytes).write(to: file)
            do {
                _ = try reader.attachment(forFileAt: file.path)
                return "accepted"
            } catch let problem as AttachmentProblem {
                return problem.message
            }
        }
        let binary = "looks like a binary file (it contains NUL bytes); only text files can be attached"
        // UTF-16 without a byte-order mark is not guessed at.
        #expect(try refusal(Array("hi".utf16).flatMap { [UInt8($0 & 0xFF), UInt8($0 >> 8)] }, "no-bom.txt") == binary)
        #expect(try refusal([0x89, 0x50, 0x4E, 0x47, 0x0D, 0x0A, 0x1A, 0x0A, 0, 0, 0, 13], "image.dat") == binary)
        let invalid = "is not valid UTF-16 text (after its byte-order mark); only text files can be attached"
        #expect(try refusal([0xFF, 0xFE, 0x41, 0x00, 0x00, 0xD8, 0x41, 0x00], "lone-surrogate.txt") == invalid)
        #expect(try refusal([0xFF, 0xFE, 0x41, 0x00, 0x42], "odd-length.txt") == invalid)
        #expect(try refusal([0xFF, 0xFE, 0x41, 0x00, 0x00, 0x00, 0x42, 0x00], "nul.txt")
            == "looks like a binary file (it contains NUL characters); only text files can be attached")
        // A UTF-32 byte-order mark starts like UTF-16's; its zero code units make it a binary.
        #expect(try refusal([0xFF, 0xFE, 0x00, 0x00, 0x41, 0x00, 0x00, 0x00], "utf32.txt")
            == "looks like a binary file (it contains NUL characters); only text files can be attached")
    }

    @Test(.enabled(if: getuid() != 0, "root reads every file, so permissions cannot make one unreadable"))
    func unreadableAttachmentsAreRefused() throws {
        let folder = try TemporaryFolder.make()
        let file = folder.appendingPathComponent("secret.txt")
        try "x".write(to: file, atomically: true, encoding: .utf8)
        try FileManager.default.setAttributes([.posixPermissions: 0], ofItemAtPath: file.path)
        #expect(throws: AttachmentProblem(path: file.path, message: "cannot read the file (permission denied)")) {
            try AttachmentText().attachment(forFileAt: file.path)
        }
    }

    @Test func terminalProblemsPointToRun() {
        let notTTY = ChatLauncher.terminalProblem(environment: ["TERM": "xterm"], stdoutIsTerminal: false)
        #expect(notTTY?.contains("standard output is not one") == true)
        #expect(notTTY?.contains("nook run") == true)
        let noTerm = ChatLauncher.terminalProblem(environment: [:], stdoutIsTerminal: true)
        #expect(noTerm?.contains("TERM is not set") == true)
        #expect(ChatLauncher.terminalProblem(environment: ["TERM": "dumb"], stdoutIsTerminal: true)?.contains("TERM is dumb") == true)
        #expect(ChatLauncher.terminalProblem(environment: ["TERM": "xterm"], stdoutIsTerminal: true) == nil)
    }
}
