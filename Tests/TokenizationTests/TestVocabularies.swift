import Foundation
import GGUF
import TestSupport
@testable import Tokenization

/// Loads the shared and bundled test vocabularies, each once per test process.
enum TestVocabularies {
    /// `../shared/fixtures/vocab`, or nil when the shared folder (or that folder in it) is absent.
    static var sharedVocabFolder: URL? {
        guard let url = SharedFolder.url()?.appendingPathComponent("fixtures/vocab") else { return nil }
        var isDirectory: ObjCBool = false
        return FileManager.default.fileExists(atPath: url.path, isDirectory: &isDirectory) && isDirectory.boolValue ? url : nil
    }

    /// This target's bundled fixtures folder.
    static var fixtures: URL {
        Bundle.module.resourceURL!.appendingPathComponent("Fixtures")
    }

    /// The `ggml-vocab-*.gguf` files in the shared folder, sorted.
    static func sharedVocabularies() -> [URL] {
        guard let dir = sharedVocabFolder,
              let names = try? FileManager.default.contentsOfDirectory(atPath: dir.path) else { return [] }
        return names.filter { $0.hasPrefix("ggml-vocab-") && $0.hasSuffix(".gguf") }.sorted()
            .map { dir.appendingPathComponent($0) }
    }

    private static let cache = TokenizerCache()

    /// The tokenizer of a GGUF file, loaded once.
    static func tokenizer(_ url: URL) throws -> any Tokenizer {
        try cache.tokenizer(url.path)
    }
}

/// Keeps loaded tokenizers for the tests; the big vocabularies take a moment to load.
private final class TokenizerCache: @unchecked Sendable {
    private let lock = NSLock()
    private var loaded: [String: any Tokenizer] = [:]

    func tokenizer(_ path: String) throws -> any Tokenizer {
        lock.lock()
        defer { lock.unlock() }
        if let t = loaded[path] { return t }
        let t = try TokenizerFactory.make(path: path)
        loaded[path] = t
        return t
    }
}

/// A `.inp`/`.out` pair of llama.cpp's tokenizer tests.
struct VocabTestFile {
    let inputs: [String]
    let expected: [[Int32]]

    /// Reads `<vocab>.inp` (strings separated by "\n__ggml_vocab_test__\n") and `<vocab>.out`
    /// (one line of space-separated ids per string).
    init(vocab: URL) throws {
        let raw = try String(contentsOf: URL(fileURLWithPath: vocab.path + ".inp"), encoding: .utf8)
        let out = try String(contentsOf: URL(fileURLWithPath: vocab.path + ".out"), encoding: .utf8)
        var inputs: [String] = []
        var rest = Substring(raw)
        let sep = "\n__ggml_vocab_test__\n"
        while !rest.isEmpty {
            if let r = rest.range(of: sep) {
                inputs.append(String(rest[..<r.lowerBound]))
                rest = rest[r.upperBound...]
            } else {
                inputs.append(String(rest))
                break
            }
        }
        var lines = out.components(separatedBy: "\n")
        if lines.last == "" { lines.removeLast() }
        self.inputs = inputs
        expected = lines.map { line in
            line.split(separator: " ").compactMap { Int32($0) }
        }
    }
}
