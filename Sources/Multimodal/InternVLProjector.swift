import Kernels

/// InternVL 2.5 / 3 (`internvl`): 448-pixel tiles chosen among the grids of `preproc_min_tiles…max_tiles` tiles
/// (llava-1.6's best-resolution rule), then an overview, all between `<img>` and `</img>`; an InternViT tower with
/// layer scales and the class token appended last (dropped after), pixel shuffle by the scale factor, then
/// layer norm, linear, GELU, linear.
struct InternVLProjector: VisionProjector {
    let hp: VisionHyperparameters
    let tower: VisionTransformer
    let scale: Int
    let norm: NormWeights
    let first: WeightMatrix, second: WeightMatrix
    let firstBias: [Float], secondBias: [Float]
    let outputWidth: Int
    let candidates: [(Int, Int)]
    private let gelu = GELUTable()
    var bidirectional: Bool { false }

    init(_ reader: TensorReader, _ hp: VisionHyperparameters) throws(MultimodalError) {
        self.hp = hp
        scale = hp.scaleFactor ?? 2
        guard hp.patchesPerSide % scale == 0 else {
            throw .file(reader.file.path, "\(hp.patchesPerSide) patches a side do not divide by the scale factor \(scale)")
        }
        let merged = hp.width * scale * scale
        norm = NormWeights(weight: try reader.values("mm.model.mlp.0.weight", count: merged),
                           bias: try reader.values("mm.model.mlp.0.bias", count: merged))
        let s1 = try reader.shape("mm.model.mlp.1.weight"), s3 = try reader.shape("mm.model.mlp.3.weight")
        guard s1.count == 2, s1[0] == merged, s3.count == 2, s3[0] == s1[1] else {
            throw .file(reader.file.path, "tensors mm.model.mlp.1.weight \(s1) and mm.model.mlp.3.weight \(s3) do not chain from \(merged) inputs")
        }
        first = try reader.matrix("mm.model.mlp.1.weight", cols: merged, rows: s1[1])
        firstBias = try reader.values("mm.model.mlp.1.bias", count: s1[1])
        second = try reader.matrix("mm.model.mlp.3.weight", cols: s1[1], rows: s3[1])
        secondBias = try reader.values("mm.model.mlp.3.bias", count: s3[1])
        outputWidth = s3[1]
        let lo = hp.minTiles ?? 1, hi = hp.maxTiles ?? 12
        guard lo >= 1, lo <= hi else {
            throw .file(reader.file.path, "clip.vision.preproc_min_tiles \(lo) and max_tiles \(hi) make no grid")
        }
        var c: [(Int, Int)] = []
        for a in lo...hi {
            let bLo = max((lo + a - 1) / a, lo), bHi = min(hi / a, hi)
            if bLo <= bHi { for b in bLo...bHi { c.append((a * hp.imageSize, b * hp.imageSize)) } }
        }
        candidates = hp.gridPinpoints.isEmpty ? c : hp.gridPinpoints
        tower = VisionTransformer(hp: hp, weights: try VisionTowerWeights(reader, hp, blockCount: hp.blocks),
                                  classToken: .last)
    }

    var tokensPerTile: Int { (hp.patchesPerSide / scale) * (hp.patchesPerSide / scale) }

    func plan(_ image: RGBImage, maxTokens: Int?) -> TilePlan {
        let s = hp.imageSize
        var tiles: [PreparedTile] = []
        func add(_ img: RGBImage) {
            tiles.append(PreparedTile(pixels: img.normalized(mean: hp.imageMean, std: hp.imageStd), width: img.width,
                                      height: img.height))
        }
        if image.width > s || image.height > s {
            var options = candidates
            if let maxTokens { options = options.filter { ($0.0 / s) * ($0.1 / s) * tokensPerTile + tokensPerTile <= maxTokens } }
            if let best = Self.bestResolution(image, options) {
                let refined = image.resized(width: best.0, height: best.1, filter: .bicubic, padding: .ceil(color: (0, 0, 0)))
                for y in stride(from: 0, to: best.1, by: s) {
                    for x in stride(from: 0, to: best.0, by: s) {
                        add(refined.cropped(x: x, y: y, width: min(s, best.0 - x), height: min(s, best.1 - y)))
                    }
                }
            }
        }
        add(image.resized(width: s, height: s, filter: .bicubic))
        var pieces: [ImagePromptPiece] = [.text("<img>")]
        for _ in tiles { pieces.append(.embeddings(EmbeddingBlock(values: [], count: 0, width: outputWidth))) }
        pieces.append(.text("</img>"))
        return TilePlan(tiles: tiles, pieces: pieces, tileOrder: Array(tiles.indices))
    }

    /// llava-1.6's `select_best_resolution`: the candidate keeping the most of the image's pixels, then the least waste.
    static func bestResolution(_ image: RGBImage, _ candidates: [(Int, Int)]) -> (Int, Int)? {
        var best: (Int, Int)?
        var bestEffective = 0, leastWaste = Int.max
        for c in candidates {
            let scale = min(Float(c.0) / Float(image.width), Float(c.1) / Float(image.height))
            let w = Int(Float(image.width) * scale), h = Int(Float(image.height) * scale)
            let effective = min(w * h, image.width * image.height)
            let waste = c.0 * c.1 - effective
            if effective > bestEffective || (effective == bestEffective && waste < leastWaste) {
                bestEffective = effective
                leastWaste = waste
                best = c
            }
        }
        return best
    }

    func tokenCount(for tile: PreparedTile) -> Int {
        let c = (tile.width / hp.patchSize + scale - 1) / scale, r = (tile.height / hp.patchSize + scale - 1) / scale
        return c * r
    }

    func encode(_ tile: PreparedTile, matmul: MatMul) throws(MultimodalError) -> [Float] {
        let d = hp.width
        let x = try tower.forward(tile.pixels, width: tile.width, height: tile.height, matmul: matmul)
        let cols = tile.width / hp.patchSize, rows = tile.height / hp.patchSize
        let patches = Array(x[0..<(cols * rows * d)])
        let merged = Buffer<Float>(PixelShuffle.merge(patches, width: d, columns: cols, rows: rows, factor: scale))
        let tokens = merged.count / (d * scale * scale)
        VisionOps.layerNorm(merged.p, rows: tokens, n: d * scale * scale, norm, eps: 1e-5)
        let hidden = Buffer<Float>(tokens * first.rows)
        matmul.forward(first, input: merged.p, tokens: tokens, output: hidden.p)
        VisionOps.addBias(hidden.p, rows: tokens, firstBias)
        VisionOps.gelu(hidden.p, tokens * first.rows, gelu)
        let out = Buffer<Float>(tokens * outputWidth)
        matmul.forward(second, input: hidden.p, tokens: tokens, output: out.p)
        VisionOps.addBias(out.p, rows: tokens, secondBias)
        return out.array
    }
}
