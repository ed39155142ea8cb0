import Foundation
import Testing
import TestSupport

/// The engine's commands (`tokenize`, `logits`, `generate`, `bench`) and `image-info` as other tools call them.
@Suite struct EngineCommandLineTests {
    static let fixtures = Fixtures.root.appendingPathComponent("Tests/ModelsTests/Fixtures")
    static func fixture(_ name: String) -> String { fixtures.appendingPathComponent(name).path }

    /// Runs nook with arguments and optional standard input; returns (status, stdout, stderr).
    func nook(_ args: [String], input: String? = nil, environment: [String: String] = [:]) throws -> (Int32, String, String) {
        let binary = try #require(NookBinary.url, Comment(rawValue: NookBinary.missingNote))
        let p = Process()
        p.executableURL = binary
        p.arguments = args
        if !environment.isEmpty { p.environment = ProcessInfo.processInfo.environment.merging(environment) { $1 } }
        let out = Pipe(), err = Pipe(), inp = Pipe()
        p.standardOutput = out
        p.standardError = err
        p.standardInput = inp
        try p.run()
        if let input { inp.fileHandleForWriting.write(Data(input.utf8)) }
        try inp.fileHandleForWriting.close()
        let o = out.fileHandleForReading.readDataToEndOfFile()
        let e = err.fileHandleForReading.readDataToEndOfFile()
        p.waitUntilExit()
        return (p.terminationStatus, String(decoding: o, as: UTF8.self), String(decoding: e, as: UTF8.self))
    }

    @Test func tokenizePrintsIdsOnOneLine() throws {
        struct Tokens: Decodable { let prompt: String; let ids: [Int32]; let ids_no_parse_special: [Int32] }
        let t = try JSONDecoder().decode(Tokens.self, from: Data(contentsOf: Self.fixtures.appendingPathComponent("prompt-1.tokens.json")))
        let (status, out, _) = try nook(["tokenize", "--model", Self.fixture("llama-gqa-F32.gguf"), "--no-bos", t.prompt])
        #expect(status == 0)
        #expect(out == t.ids_no_parse_special.map(String.init).joined(separator: " ") + "\n")

        let special = try nook(["tokenize", "--model", Self.fixture("llama-gqa-F32.gguf"), "--no-bos"], input: "<|im_start|>")
        let parsed = try nook(["tokenize", "--model", Self.fixture("llama-gqa-F32.gguf"), "--no-bos", "--parse-special"], input: "<|im_start|>")
        #expect(parsed.1 == "1\n")
        #expect(special.1 != "1\n")
    }

    @Test func tokenizeJSONLinesMatchesLlamaCppVocabularies() throws {
        guard let shared = SharedFolder.url() else {
            print("skipped: ../shared is absent, so llama.cpp's vocabulary fixtures are not available")
            return
        }
        let vocab = shared.appendingPathComponent("fixtures/vocab/ggml-vocab-qwen2.gguf").path
        let inputs = try String(contentsOfFile: vocab + ".inp", encoding: .utf8).components(separatedBy: "\n__ggml_vocab_test__\n")
        let expected = try String(contentsOfFile: vocab + ".out", encoding: .utf8).split(separator: "\n", omittingEmptySubsequences: false)
        let cases = Array(inputs.prefix(20))
        let jsonl = try cases.map { String(decoding: try JSONEncoder().encode($0), as: UTF8.self) }.joined(separator: "\n")
        let (status, out, err) = try nook(["tokenize", "--model", vocab, "--no-bos", "--jsonl"], input: jsonl)
        #expect(status == 0, "\(err)")
        let lines = out.split(separator: "\n", omittingEmptySubsequences: false)
        for i in cases.indices {
            #expect(lines[i].trimmingCharacters(in: .whitespaces) == expected[i].trimmingCharacters(in: .whitespaces), "case \(i)")
        }
    }

    @Test func logitsMatchTheReferenceRows() throws {
        let reference = try String(contentsOfFile: Self.fixture("llama-gqa-F32.logits"), encoding: .utf8).split(separator: "\n")
        struct Entry: Decodable { let model: String; let tokens: [Int32] }
        let manifest = try JSONDecoder().decode([Entry].self, from: Data(contentsOf: Self.fixtures.appendingPathComponent("manifest.json")))
        let tokens = try #require(manifest.first { $0.model == "llama-gqa-F32.gguf" }).tokens.prefix(5)
        let (status, out, err) = try nook(["logits", "--model", Self.fixture("llama-gqa-F32.gguf"),
                                           "--tokens", tokens.map(String.init).joined(separator: " ")])
        #expect(status == 0, "\(err)")
        let rows = out.split(separator: "\n")
        #expect(rows.count == 5)
        for (row, ref) in zip(rows, reference) {
            let a = row.split(separator: " ").map { Double($0)! }, b = ref.split(separator: " ").map { Double($0)! }
            #expect(a.count == 512)
            let err = zip(a, b).map { ($0 - $1) * ($0 - $1) }.reduce(0, +).squareRoot() / b.map { $0 * $0 }.reduce(0, +).squareRoot()
            #expect(err < 5e-3)
        }
        let bad = try nook(["logits", "--model", Self.fixture("llama-gqa-F32.gguf"), "--tokens", "1 99999"])
        #expect(bad.0 != 0)
        #expect(bad.2.contains("token id 99999 is outside the vocabulary"))
    }

    @Test func generateIsReproducibleAndReportsStats() throws {
        let args = ["generate", "--model", Self.fixture("llama-gqa-Q8_0.gguf"), "--prompt", "The river", "-n", "12",
                    "--temp", "0.9", "--seed", "7", "--stats"]
        let a = try nook(args), b = try nook(args)
        #expect(a.0 == 0)
        #expect(a.1 == b.1)
        #expect(!a.1.isEmpty)
        #expect(a.2.contains("tokens/s"))
        let chat = try nook(["generate", "--model", Self.fixture("qwen2-Q8_0.gguf"), "--chat", "-n", "6", "--temp", "0"], input: "Hello")
        #expect(chat.0 == 0, "\(chat.2)")
        let unknown = try nook(["generate", "--model", Self.fixture("qwen2-Q8_0.gguf"), "--chat", "--template", "nosuch", "-p", "x"])
        #expect(unknown.0 != 0)
        #expect(unknown.2.contains("nosuch"))
    }

    @Test func badModelFilesGiveOneLineErrors() throws {
        let dir = FileManager.default.temporaryDirectory.appendingPathComponent("nook-cli-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: dir, withIntermediateDirectories: true)
        let truncated = dir.appendingPathComponent("truncated.gguf")
        let whole = try Data(contentsOf: URL(fileURLWithPath: Self.fixture("llama-gqa-Q4_0.gguf")))
        try whole.prefix(whole.count / 2).write(to: truncated)
        for cmd in [["generate", "-p", "hi"], ["logits", "--tokens", "1"], ["bench", "-p", "4", "-n", "1"]] {
            let (status, _, err) = try nook([cmd[0], "--model", truncated.path] + cmd.dropFirst())
            #expect(status != 0)
            #expect(err.contains(truncated.path))
            #expect(err.contains("beyond the end of the file"))
            #expect(err.trimmingCharacters(in: .whitespacesAndNewlines).split(separator: "\n").count == 1, "\(err)")
        }
    }

    @Test func benchPrintsJSON() throws {
        let (status, out, err) = try nook(["bench", "--model", Self.fixture("llama-gqa-Q4_K.gguf"), "-p", "16", "-n", "4", "-r", "1", "--json"])
        #expect(status == 0, "\(err)")
        struct Report: Decodable { struct R: Decodable { let test: String; let median: Double }; let results: [R] }
        let r = try JSONDecoder().decode(Report.self, from: Data(out.utf8))
        #expect(r.results.map(\.test) == ["pp16", "tg4"])
        #expect(r.results.allSatisfy { $0.median > 0 })
    }

    @Test func nookCPUForcesAKernelLevelOnTheRealBinary() throws {
        struct Report: Decodable { let kernels: String }
        let args = ["bench", "--model", Self.fixture("llama-gqa-Q8_0.gguf"), "-p", "8", "-n", "2", "-r", "1", "--json"]
        let scalar = try nook(args, environment: ["NOOK_CPU": "scalar"])
        #expect(scalar.0 == 0, "\(scalar.2)")
        #expect(try JSONDecoder().decode(Report.self, from: Data(scalar.1.utf8)).kernels == "scalar")
        #expect(scalar.2.isEmpty, "\(scalar.2)")

        let unknown = try nook(args, environment: ["NOOK_CPU": "sse9"])
        #expect(unknown.0 == 0)
        #expect(unknown.2 == "nook: NOOK_CPU=sse9 is not a kernel level (scalar, avx2, avx-vnni, avx512): ignored\n")

        // The scalar and the best level compute the same products: with an f32 cache their logits agree to 1e-3;
        // with the default f16 cache, roundings to f16 that land on either side widen that to the fixture's bound.
        let tokens = "1 297 80 261 294 346"
        for (kv, bound) in [("f32", 1e-3), ("f16", 1.2e-2)] {
            let logits = ["logits", "--model", Self.fixture("qwen2-Q8_0.gguf"), "--kv-type", kv, "--tokens", tokens]
            let best = try nook(logits), forced = try nook(logits, environment: ["NOOK_CPU": "scalar"])
            #expect(best.0 == 0 && forced.0 == 0)
            let a = best.1.split(whereSeparator: { $0 == " " || $0 == "\n" }).compactMap { Double($0) }
            let b = forced.1.split(whereSeparator: { $0 == " " || $0 == "\n" }).compactMap { Double($0) }
            #expect(a.count == b.count && !a.isEmpty)
            let diff = zip(a, b).map { ($0 - $1) * ($0 - $1) }.reduce(0, +).squareRoot()
            let norm = b.map { $0 * $0 }.reduce(0, +).squareRoot()
            #expect(diff / norm < bound, "\(kv) cache: scalar and best kernels differ by \(diff / norm)")
        }
    }

    @Test func aContextThatDoesNotFitIsRefusedBeforeAllocating() throws {
        for args in [["generate", "--model", Self.fixture("llama-gqa-Q8_0.gguf"), "--ctx", "99999999", "--prompt", "hi"],
                     ["run", "--model", Self.fixture("llama-gqa-Q8_0.gguf"), "--ctx", "99999999", "--no-save", "hi"],
                     ["generate", "--model", Self.fixture("llama-gqa-Q8_0.gguf"), "--ctx", "999999999999999999", "--prompt", "hi"]] {
            let (status, _, err) = try nook(args)
            #expect(status == 1, "\(args)")
            let lines = err.split(separator: "\n").filter { !$0.hasPrefix("nook: loading") }
            #expect(lines.count == 1, "\(args): \(err)")
            #expect(err.contains("nook: a context of \(args[4]) tokens does not fit: its KV cache "), "\(err)")
            #expect(err.contains("of memory is available; the largest context that fits is "), "\(err)")
            #expect(!err.contains("Fatal error"))
        }
        // Above the trained length (256 for the fixture) is allowed, with a warning.
        let (status, _, err) = try nook(["generate", "--model", Self.fixture("llama-gqa-Q8_0.gguf"), "--ctx", "512", "-n", "2", "-p", "hi"])
        #expect(status == 0)
        #expect(err == "nook: warning: a context of 512 tokens is above the 256 this model was trained for: replies may degrade past 256\n")
    }

    @Test func everyCommandReportsMistakesInOneNookLine() throws {
        let model = Self.fixture("llama-gqa-Q8_0.gguf")
        let cases: [([String], String)] = [
            (["generate", "--model", model, "--temp", "-1", "-p", "hi"], "nook: --temp must be a number of at least 0 (0 is greedy) (see 'nook generate --help')"),
            (["run", "--model", model, "--temp", "-1", "hi"], "nook: --temp must be a number of at least 0 (0 is greedy) (see 'nook run --help')"),
            (["tokenize"], "nook: missing expected argument '--model <model>' (see 'nook tokenize --help')"),
            (["logits", "--model", model, "--tokens", "x"], "nook: 'x' in --tokens is not a token id (see 'nook logits --help')"),
            (["bench", "--model", model, "-p", "0", "-n", "0"], "nook: nothing to measure: give -p or -n above 0 (see 'nook bench --help')"),
            (["generate", "--model", model, "--ctx", "-5", "-p", "hi"], "nook: --ctx must be at least 16 (see 'nook generate --help')"),
            (["run", "--seed", "-3", "hi"], "nook: the value '-3' is invalid for '--seed <seed>' (see 'nook run --help')"),
        ]
        for (args, line) in cases {
            let (status, out, err) = try nook(args)
            #expect(status != 0, "\(args)")
            #expect(out.isEmpty, "\(args)")
            #expect(err == line + "\n", "\(args): \(err)")
        }
    }

    @Test func benchJSONKeepsSlashes() throws {
        let (status, out, _) = try nook(["bench", "--model", Self.fixture("llama-gqa-Q4_K.gguf"), "-p", "8", "-n", "0", "-r", "2", "--json"])
        #expect(status == 0)
        #expect(out.contains("\"model\" : \"\(Self.fixture("llama-gqa-Q4_K.gguf"))\""), "\(out)")
        #expect(!out.contains("\\/"))
    }

    @Test func imageInfoPrintsWhatTheDecoderSeesAndOneLinePerFailure() throws {
        let images = Fixtures.root.appendingPathComponent("Tests/MediaTests/Fixtures")
        let rotated = images.appendingPathComponent("images/jpeg-orientation-6.jpg").path
        let png = images.appendingPathComponent("images/png-named-as-jpeg.jpg").path
        let bomb = images.appendingPathComponent("hostile/png-10000x10000.png").path
        let (status, out, err) = try nook(["image-info", rotated, png, bomb])
        #expect(status == 1)
        #expect(out == "\(rotated): JPEG, 9×17, RGB, orientation 6 (rotated 90° clockwise)\n\(png): PNG, 3×5, RGB, orientation 1 (normal)\n")
        #expect(err == "nook: \(bomb): the PNG header says 10000×10000 pixels (100 megapixels), over the 50-megapixel limit: refused without decoding\n")
        let (_, _, none) = try nook(["image-info"])
        #expect(none == "nook: missing expected argument '<files> ...' (see 'nook image-info --help')\n")
    }
}
