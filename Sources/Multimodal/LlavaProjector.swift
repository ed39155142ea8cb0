import Kernels

/// LLaVA-1.5 (`mlp`): one 336-pixel image (bicubic, padded with the CLIP mean colour), a CLIP tower read at its
/// second-to-last block with the class token appended last, rows 1…patches taken (llama.cpp skips row 0 — the
/// first patch — and keeps the class token), then linear, GELU, linear.
struct LlavaProjector: VisionProjector {
    let hp: VisionHyperparameters
    let tower: VisionTransformer
    let first: WeightMatrix, second: WeightMatrix?
    let firstBias: [Float], secondBias: [Float]?
    let outputWidth: Int
    private let gelu = GELUTable()
    var bidirectional: Bool { false }

    init(_ reader: TensorReader, _ hp: VisionHyperparameters) throws(MultimodalError) {
        self.hp = hp
        let s0 = try reader.shape("mm.0.weight")
        guard s0.count == 2, s0[0] == hp.width else {
            throw .file(reader.file.path, "tensor mm.0.weight has shape \(s0), expected [\(hp.width), hidden]")
        }
        first = try reader.matrix("mm.0.weight", cols: hp.width, rows: s0[1])
        firstBias = try reader.values("mm.0.bias", count: s0[1])
        if reader.has("mm.2.weight") {
            let s2 = try reader.shape("mm.2.weight")
            guard s2.count == 2, s2[0] == s0[1] else {
                throw .file(reader.file.path, "tensor mm.2.weight has shape \(s2), expected [\(s0[1]), out]")
            }
            second = try reader.matrix("mm.2.weight", cols: s0[1], rows: s2[1])
            secondBias = try reader.values("mm.2.bias", count: s2[1])
            outputWidth = s2[1]
        } else {
            second = nil
            secondBias = nil
            outputWidth = s0[1]
        }
        // The deepest block read: the last explicit feature layer, else the second to last.
        let depth = hp.featureLayers.max().map { min($0, hp.blocks) } ?? hp.blocks - 1
        tower = VisionTransformer(hp: hp, weights: try VisionTowerWeights(reader, hp, blockCount: max(0, depth)),
                                  classToken: .last)
    }

    func plan(_ image: RGBImage, maxTokens: Int?) -> TilePlan {
        let s = hp.imageSize
        let resized = image.resized(width: s, height: s, filter: .bicubic, padding: .ceil(color: (122, 116, 104)))
        let tile = PreparedTile(pixels: resized.normalized(mean: hp.imageMean, std: hp.imageStd), width: s, height: s)
        return TilePlan(tiles: [tile], pieces: [.embeddings(EmbeddingBlock(values: [], count: 0, width: outputWidth))],
                        tileOrder: [0])
    }

    func tokenCount(for tile: PreparedTile) -> Int { (tile.width / hp.patchSize) * (tile.height / hp.patchSize) }

    func encode(_ tile: PreparedTile, matmul: MatMul) throws(MultimodalError) -> [Float] {
        let d = hp.width
        let x = try tower.forward(tile.pixels, width: tile.width, height: tile.height, matmul: matmul)
        let patches = (tile.width / hp.patchSize) * (tile.height / hp.patchSize)
        let offset = tower.classToken == .none ? 0 : 1
        let rows = Buffer<Float>(Array(x[(offset * d)..<((offset + patches) * d)]))
        let hidden = Buffer<Float>(patches * first.rows)
        matmul.forward(first, input: rows.p, tokens: patches, output: hidden.p)
        VisionOps.addBias(hidden.p, rows: patches, firstBias)
        VisionOps.gelu(hidden.p, patches * first.rows, gelu)
        guard let second else { return hidden.array }
        let out = Buffer<Float>(patches * outputWidth)
        matmul.forward(second, input: hidden.p, tokens: patches, output: out.p)
        VisionOps.addBias(out.p, rows: patches, secondBias)
        return out.array
    }
}
