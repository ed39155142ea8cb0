import Foundation

/// One llama.cpp recording of tools/mmproj_reference.cpp (`<name>.json` plus its `.emb.f32` / `.pre.f32` files).
public struct MmprojRecording: Decodable, Sendable {
    public let mode: String
    public let image: String
    public let prompt: String
    public let n_threads: Int
    public let image_min_tokens: Int
    public let image_max_tokens: Int
    public let n_embd: Int
    public let row_stride: Int
    public let pre_stride: Int
    public let n_chunks: Int
    public let chunks: [Chunk]
    public let n_past: Int

    /// One chunk: text (token ids) or image (per-token statistics, stored rows, the preprocessed tile).
    public struct Chunk: Decodable, Sendable {
        public let index: Int
        public let type: String
        public let n_tokens: Int
        public let n_pos: Int
        public let pos_start: Int
        public let tokens: [Int32]?
        public let token_l2: [Double]?
        public let token_sum: [Double]?
        public let rows: [Int]?
        public let preprocessed: Preprocessed?
        public var isImage: Bool { type == "image" }
    }

    /// The f32 tile clip.cpp fed to the graph: planar RGB [3, ny, nx], its sums and where its sample lies.
    public struct Preprocessed: Decodable, Sendable {
        public let shape: [Int]
        public let sum: Double
        public let sumsq: Double
        public let max_abs: Double
        public let sample_offset: Int
        public let sample_count: Int
    }

    /// Reads `<name>.json` from MmprojFixture.folder.
    public static func load(_ name: String) throws -> MmprojRecording {
        let url = MmprojFixture.folder.appendingPathComponent("\(name).json")
        guard let data = try? Data(contentsOf: url) else { throw MmprojFixture.Failure("\(url.path): cannot read") }
        do {
            return try JSONDecoder().decode(MmprojRecording.self, from: data)
        } catch {
            throw MmprojFixture.Failure("\(url.path): not a recording: \(error)")
        }
    }

    /// The stored embedding rows per image chunk, in chunk order: (chunk index, token index, n_embd floats).
    public func storedRows(_ name: String) throws -> [(chunk: Int, token: Int, values: [Float])] {
        let floats = try Self.floats("\(name).emb.f32")
        var out: [(Int, Int, [Float])] = []
        var at = 0
        for c in chunks where c.isImage {
            for r in c.rows ?? [] {
                guard at + n_embd <= floats.count else { throw MmprojFixture.Failure("\(name).emb.f32: too short") }
                out.append((c.index, r, Array(floats[at..<at + n_embd])))
                at += n_embd
            }
        }
        guard at == floats.count else { throw MmprojFixture.Failure("\(name).emb.f32: \(floats.count - at) floats left over") }
        return out
    }

    /// The strided preprocessed samples of one image chunk (flat indices 0, pre_stride, 2·pre_stride, …).
    public func preprocessedSample(_ name: String, chunk: Chunk) throws -> [Float] {
        guard let p = chunk.preprocessed else { throw MmprojFixture.Failure("\(name): chunk \(chunk.index) has no tile") }
        let floats = try Self.floats("\(name).pre.f32")
        guard p.sample_offset + p.sample_count <= floats.count else { throw MmprojFixture.Failure("\(name).pre.f32: too short") }
        return Array(floats[p.sample_offset..<p.sample_offset + p.sample_count])
    }

    /// How far embeddings are from this recording: all image-token rows in chunk order, n_embd floats each.
    ///
    /// `worstRow` is the largest relative L2 error over the stored rows, `worstNorm` the largest relative
    /// difference of a token's L2 norm over every token; throws when the token count differs.
    public func embeddingErrors(_ name: String, embeddings: [Float]) throws -> (worstRow: Double, worstNorm: Double) {
        let images = chunks.filter(\.isImage)
        let total = images.reduce(0) { $0 + $1.n_tokens }
        guard embeddings.count == total * n_embd else {
            throw MmprojFixture.Failure("\(name): \(embeddings.count / max(n_embd, 1)) embedding rows of \(n_embd), llama.cpp has \(total)")
        }
        var start: [Int: Int] = [:]
        var base = 0
        var worstNorm = 0.0
        for c in images {
            start[c.index] = base
            for t in 0..<c.n_tokens {
                let row = embeddings[(base + t) * n_embd ..< (base + t + 1) * n_embd]
                let l2 = row.reduce(0.0) { $0 + Double($1) * Double($1) }.squareRoot()
                let ref = c.token_l2?[t] ?? 0
                worstNorm = max(worstNorm, abs(l2 - ref) / max(ref, 1e-30))
            }
            base += c.n_tokens
        }
        var worstRow = 0.0
        for (chunk, token, ref) in try storedRows(name) {
            let at = ((start[chunk] ?? 0) + token) * n_embd
            var diff = 0.0, norm = 0.0
            for k in 0..<n_embd {
                let d = Double(embeddings[at + k]) - Double(ref[k])
                diff += d * d
                norm += Double(ref[k]) * Double(ref[k])
            }
            worstRow = max(worstRow, (diff / max(norm, 1e-30)).squareRoot())
        }
        return (worstRow, worstNorm)
    }

    /// A little-endian f32 file of the fixtures folder.
    public static func floats(_ file: String) throws -> [Float] {
        let url = MmprojFixture.folder.appendingPathComponent(file)
        guard let data = try? Data(contentsOf: url), data.count % 4 == 0 else {
            throw MmprojFixture.Failure("\(url.path): missing or not a whole number of f32 values")
        }
        return data.withUnsafeBytes { raw in
            (0..<data.count / 4).map { Float(bitPattern: UInt32(littleEndian: raw.loadUnaligned(fromByteOffset: $0 * 4, as: UInt32.self))) }
        }
    }
}
