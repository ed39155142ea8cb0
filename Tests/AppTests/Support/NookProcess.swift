import Foundation

/// The built `nook` executable, and a way to run it with a private set of XDG folders.
enum NookBinary {
    /// The executable: `$NOOK_BINARY`, else next to the test bundle, else `.build/debug/nook`.
    static let url: URL? = {
        var candidates: [URL] = []
        if let env = ProcessInfo.processInfo.environment["NOOK_BINARY"] { candidates.append(URL(fileURLWithPath: env)) }
        if let exe = try? FileManager.default.destinationOfSymbolicLink(atPath: "/proc/self/exe") {
            var dir = URL(fileURLWithPath: exe).deletingLastPathComponent()
            for _ in 0..<4 {
                candidates.append(dir.appendingPathComponent("nook"))
                dir.deleteLastPathComponent()
            }
        }
        candidates.append(Bundle.main.bundleURL.deletingLastPathComponent().appendingPathComponent("nook"))
        candidates.append(Fixtures.root.appendingPathComponent(".build/debug/nook"))
        return candidates.first { FileManager.default.isExecutableFile(atPath: $0.path) && !$0.hasDirectoryPath }
    }()

    static let missingNote = "skipped: the nook executable was not found (build it with swift build, or set NOOK_BINARY)"
}

/// A private home for one test: XDG folders under a temporary folder.
struct NookHome {
    let root: URL

    init() throws { root = try TemporaryFolder.make() }

    var environment: [String: String] {
        var env = ["HOME": root.path,
                   "XDG_DATA_HOME": root.appendingPathComponent("data").path,
                   "XDG_CONFIG_HOME": root.appendingPathComponent("config").path,
                   "XDG_CACHE_HOME": root.appendingPathComponent("cache").path,
                   "PATH": ProcessInfo.processInfo.environment["PATH"] ?? "/usr/bin:/bin",
                   "LANG": "C.UTF-8"]
        if let term = ProcessInfo.processInfo.environment["TERM"] { env["TERM"] = term }
        return env
    }

    var sessions: URL { root.appendingPathComponent("data/nook/sessions") }
    var personas: URL { root.appendingPathComponent("config/nook/personas") }
    var themes: URL { root.appendingPathComponent("config/nook/themes") }

    /// Session logs, oldest first.
    func sessionFiles() throws -> [URL] {
        let names = (try? FileManager.default.contentsOfDirectory(atPath: sessions.path)) ?? []
        return names.filter { $0.hasSuffix(".jsonl") }.sorted().map { sessions.appendingPathComponent($0) }
    }

    /// What a finished run printed and its status.
    struct Result {
        var status: Int32
        var stdout: String
        var stderr: String
    }

    /// Runs nook with arguments, optional standard input, and a time limit.
    func run(_ arguments: [String], stdin: String? = nil, extraEnvironment: [String: String] = [:],
             removing: [String] = [], timeout: Double = 60) throws -> Result {
        guard let binary = NookBinary.url else { throw HarnessError(message: NookBinary.missingNote) }
        let process = Process()
        process.executableURL = binary
        process.arguments = arguments
        var env = environment.merging(extraEnvironment) { $1 }
        for key in removing { env[key] = nil }
        process.environment = env
        process.currentDirectoryURL = root
        let out = root.appendingPathComponent("stdout-\(UUID().uuidString.prefix(6))")
        let err = root.appendingPathComponent("stderr-\(UUID().uuidString.prefix(6))")
        FileManager.default.createFile(atPath: out.path, contents: nil)
        FileManager.default.createFile(atPath: err.path, contents: nil)
        process.standardOutput = try FileHandle(forWritingTo: out)
        process.standardError = try FileHandle(forWritingTo: err)
        if let stdin {
            let input = root.appendingPathComponent("stdin-\(UUID().uuidString.prefix(6))")
            try Data(stdin.utf8).write(to: input)
            process.standardInput = try FileHandle(forReadingFrom: input)
        } else {
            process.standardInput = FileHandle.nullDevice
        }
        try process.run()
        let deadline = Date().addingTimeInterval(timeout)
        while process.isRunning {
            if Date() > deadline {
                process.terminate()
                throw HarnessError(message: "nook \(arguments.joined(separator: " ")) ran longer than \(timeout) s")
            }
            Thread.sleep(forTimeInterval: 0.01)
        }
        return Result(status: process.terminationStatus,
                      stdout: (try? String(contentsOf: out, encoding: .utf8)) ?? "",
                      stderr: (try? String(contentsOf: err, encoding: .utf8)) ?? "")
    }
}
