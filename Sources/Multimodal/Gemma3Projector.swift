import Kernels

/// Gemma 3: one 896-pixel image (bilinear, black padding), a SigLIP tower, 4×4 average pooling, an RMS norm and
/// the input projection; the rows sit between `<start_of_image>` and `<end_of_image>` and attend to each other
/// both ways.
struct Gemma3Projector: VisionProjector {
    let hp: VisionHyperparameters
    let tower: VisionTransformer
    let pool: Int
    let softNorm: [Float]
    /// The input projection transposed to [outputWidth rows, width inputs], as llama.cpp computes with it.
    let projection: WeightMatrix
    private let projectionData: TransposedMatrix
    let outputWidth: Int
    var bidirectional: Bool { true }

    init(_ reader: TensorReader, _ hp: VisionHyperparameters) throws(MultimodalError) {
        self.hp = hp
        pool = hp.scaleFactor ?? 4
        guard hp.patchesPerSide % pool == 0 else {
            throw .file(reader.file.path, "\(hp.patchesPerSide) patches a side do not divide by the pool size \(pool)")
        }
        softNorm = try reader.values("mm.soft_emb_norm.weight", count: hp.width)
        let shape = try reader.shape("mm.input_projection.weight")
        guard shape.count == 2, shape[1] == hp.width else {
            throw .file(reader.file.path, "tensor mm.input_projection.weight has shape \(shape), expected [out, \(hp.width)]")
        }
        outputWidth = shape[0]
        // Stored [out, in] with `in` rows of `out` values: transpose so each output is a row.
        let stored = try reader.matrix("mm.input_projection.weight", cols: outputWidth, rows: hp.width)
        projectionData = try TransposedMatrix(stored, path: reader.file.path, name: "mm.input_projection.weight")
        projection = projectionData.matrix
        tower = VisionTransformer(hp: hp, weights: try VisionTowerWeights(reader, hp, blockCount: hp.blocks),
                                  classToken: .none)
    }

    func plan(_ image: RGBImage, maxTokens: Int?) -> TilePlan {
        let s = hp.imageSize
        let resized = image.resized(width: s, height: s, filter: .bilinear, padding: .ceil(color: (0, 0, 0)))
        let tile = PreparedTile(pixels: resized.normalized(mean: hp.imageMean, std: hp.imageStd), width: s, height: s)
        return TilePlan(tiles: [tile],
                        pieces: [.text("<start_of_image>"),
                                 .embeddings(EmbeddingBlock(values: [], count: 0, width: outputWidth)),
                                 .text("<end_of_image>")],
                        tileOrder: [0])
    }

    func tokenCount(for tile: PreparedTile) -> Int { let side = tile.width / hp.patchSize / pool; return side * side }

    func encode(_ tile: PreparedTile, matmul: MatMul) throws(MultimodalError) -> [Float] {
        let d = hp.width
        let x = try tower.forward(tile.pixels, width: tile.width, height: tile.height, matmul: matmul)
        let side = tile.width / hp.patchSize, out = side / pool
        let pooled = Buffer<Float>(out * out * d)
        let inv = 1 / Float(pool * pool)
        for oy in 0..<out {
            for ox in 0..<out {
                let dst = pooled.p + (oy * out + ox) * d
                for dy in 0..<pool {
                    for dx in 0..<pool {
                        let src = ((oy * pool + dy) * side + ox * pool + dx) * d
                        for i in 0..<d { dst[i] += x[src + i] }
                    }
                }
                for i in 0..<d { dst[i] *= inv }
            }
        }
        VisionOps.rmsNorm(pooled.p, rows: out * out, n: d, weight: softNorm, eps: hp.eps)
        let result = Buffer<Float>(out * out * outputWidth)
        matmul.forward(projection, input: pooled.p, tokens: out * out, output: result.p)
        return result.array
    }
}

/// A copy of a float matrix (F32, F16 or BF16) with rows and columns swapped, owned for the projector's lifetime.
final class TransposedMatrix: @unchecked Sendable {
    let matrix: WeightMatrix
    private let storage: UnsafeMutableRawPointer

    init(_ m: WeightMatrix, path: String, name: String) throws(MultimodalError) {
        let size: Int
        switch m.type {
        case .f32: size = 4
        case .f16, .bf16: size = 2
        default: throw .file(path, "tensor \(name) has type \(m.type); nook transposes only f32, f16 and bf16 here")
        }
        storage = .allocate(byteCount: m.rows * m.cols * size, alignment: 64)
        for r in 0..<m.rows {
            for c in 0..<m.cols {
                (storage + (c * m.rows + r) * size).copyMemory(from: m.data + r * m.rowBytes + c * size, byteCount: size)
            }
        }
        matrix = WeightMatrix(type: m.type, rows: m.cols, cols: m.rows, data: UnsafeRawPointer(storage))
    }

    deinit { storage.deallocate() }
}
