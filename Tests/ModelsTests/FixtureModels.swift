import Foundation
import GGUF
import Testing

/// The committed random-weight models and llama.cpp's outputs for them (see Fixtures/README.md).
enum FixtureModels {
    static let folder = URL(fileURLWithPath: #filePath).deletingLastPathComponent().appendingPathComponent("Fixtures")

    /// One entry of Fixtures/manifest.json.
    struct Entry: Decodable, Sendable {
        let model: String
        let logits: String
        let tokens: [Int32]
        let arch: String
        let file_type: String
        let weight_class: String
        var path: String { folder.appendingPathComponent(model).path }
    }

    static func manifest() throws -> [Entry] {
        try JSONDecoder().decode([Entry].self, from: Data(contentsOf: folder.appendingPathComponent("manifest.json")))
    }

    /// Reads a reference logits file: one line per position, values separated by spaces.
    static func referenceLogits(_ name: String) throws -> [[Float]] {
        let text = try String(contentsOf: folder.appendingPathComponent(name), encoding: .utf8)
        return text.split(separator: "\n").map { line in line.split(separator: " ").map { Float($0)! } }
    }

    /// Parses a model file's bytes (written to a temporary file) to learn where its tensor data starts.
    static func entryData(_ data: Data) throws -> GGUFFile {
        let path = FileManager.default.temporaryDirectory.appendingPathComponent("nook-parse-\(UUID().uuidString).gguf").path
        try data.write(to: URL(fileURLWithPath: path))
        return try GGUFFile(path: path)
    }

    /// Rows `tokens` of an F32 file's token_embd.weight, each multiplied by √width in f32 (as Gemma 3 scales them).
    static func scaledEmbeddingRows(path: String, tokens: [Int32], width: Int) throws -> [Float] {
        let file = try GGUFFile(path: path)
        let info = try #require(file.tensor("token_embd.weight"))
        #expect(info.type == .f32)
        let table = try file.data(of: info).assumingMemoryBound(to: Float.self)
        let scale = Float(width).squareRoot()
        return tokens.flatMap { t in (0..<width).map { table[Int(t) * width + $0] * scale } }
    }
}
