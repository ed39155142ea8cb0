import Kernels

/// SmolVLM / Idefics3: 512-pixel tiles plus an overview, a SigLIP tower, pixel shuffle by the scale factor, and one
/// linear layer (`mm.model.fc.weight`). Tiles are laid out row by row with `<row_R_col_C>` markers; the overview,
/// marked `<global-img>`, comes last — as llama.cpp's mtmd lays them out.
struct Idefics3Projector: VisionProjector {
    let hp: VisionHyperparameters
    let tower: VisionTransformer
    let fc: WeightMatrix
    let scale: Int
    let outputWidth: Int
    var bidirectional: Bool { false }

    init(_ reader: TensorReader, _ hp: VisionHyperparameters) throws(MultimodalError) {
        self.hp = hp
        scale = hp.scaleFactor ?? 4
        guard hp.patchesPerSide % scale == 0 else {
            throw .file(reader.file.path, "\(hp.patchesPerSide) patches a side do not divide by the scale factor \(scale)")
        }
        let shape = try reader.shape("mm.model.fc.weight")
        guard shape.count == 2 else { throw .file(reader.file.path, "tensor mm.model.fc.weight has shape \(shape)") }
        outputWidth = shape[1]
        fc = try reader.matrix("mm.model.fc.weight", cols: hp.width * scale * scale, rows: outputWidth)
        tower = VisionTransformer(hp: hp, weights: try VisionTowerWeights(reader, hp, blockCount: hp.blocks),
                                  classToken: .none)
    }

    /// Rows each tile becomes.
    var tokensPerTile: Int { (hp.patchesPerSide / scale) * (hp.patchesPerSide / scale) }

    func plan(_ image: RGBImage, maxTokens: Int?) -> TilePlan {
        let tile = hp.imageSize
        var edge = hp.preprocessLongestEdge ?? 0
        if let maxTokens, edge > 0 {
            // Fewer tiles: the largest longest edge (a multiple of the tile) whose grid fits, else the overview alone.
            while edge >= tile, (Self.grid(image, edge: edge, tile: tile).count + 1) * tokensPerTile > maxTokens {
                edge -= tile
            }
        }
        let filter = ResizeFilter.lanczos
        var tiles: [PreparedTile] = [], pieces: [ImagePromptPiece] = [], order: [Int] = []
        let overview: RGBImage
        if edge >= tile {
            let g = Self.grid(image, edge: edge, tile: tile)
            let resized = image.resized(width: g.resized.0, height: g.resized.1, filter: filter)
            let refined = resized.resized(width: g.x * tile, height: g.y * tile, filter: filter)
            overview = refined.resized(width: tile, height: tile, filter: filter)
            for y in 0..<g.y {
                for x in 0..<g.x {
                    tiles.append(prepare(refined.cropped(x: x * tile, y: y * tile, width: tile, height: tile)))
                    pieces.append(.text("<fake_token_around_image><row_\(y + 1)_col_\(x + 1)>"))
                    pieces.append(.embeddings(EmbeddingBlock(values: [], count: 0, width: outputWidth)))
                    order.append(tiles.count - 1)
                }
                if y != g.y - 1 { pieces.append(.token("\n")) }
            }
        } else {
            overview = image.resized(width: tile, height: tile, filter: filter)
        }
        tiles.append(prepare(overview))
        pieces += [.token("\n\n"), .token("<fake_token_around_image>"), .token("<global-img>"),
                   .embeddings(EmbeddingBlock(values: [], count: 0, width: outputWidth)),
                   .token("<fake_token_around_image>")]
        order.append(tiles.count - 1)
        return TilePlan(tiles: tiles, pieces: pieces, tileOrder: order)
    }

    /// The aspect-preserving size with longest side `edge` (the other side made even), and its grid of tiles.
    static func grid(_ image: RGBImage, edge: Int, tile: Int) -> (resized: (Int, Int), x: Int, y: Int, count: Int) {
        let aspect = Double(image.width) / Double(image.height)
        var w = edge, h = edge
        if image.width >= image.height {
            h = Int(Double(edge) / aspect)
            h += h % 2
        } else {
            w = Int(Double(edge) * aspect)
            w += w % 2
        }
        w = max(w, 1); h = max(h, 1)
        let gx = (w + tile - 1) / tile, gy = (h + tile - 1) / tile
        return ((w, h), gx, gy, gx * gy)
    }

    private func prepare(_ image: RGBImage) -> PreparedTile {
        PreparedTile(pixels: image.normalized(mean: hp.imageMean, std: hp.imageStd), width: image.width, height: image.height)
    }

    func tokenCount(for tile: PreparedTile) -> Int {
        let c = (tile.width / hp.patchSize + scale - 1) / scale, r = (tile.height / hp.patchSize + scale - 1) / scale
        return c * r
    }

    func encode(_ tile: PreparedTile, matmul: MatMul) throws(MultimodalError) -> [Float] {
        let features = try tower.forward(tile.pixels, width: tile.width, height: tile.height, matmul: matmul)
        let shuffled = Buffer<Float>(PixelShuffle.merge(features, width: hp.width, columns: tile.width / hp.patchSize,
                                                        rows: tile.height / hp.patchSize, factor: scale))
        let tokens = shuffled.count / (hp.width * scale * scale)
        let out = Buffer<Float>(tokens * outputWidth)
        matmul.forward(fc, input: shuffled.p, tokens: tokens, output: out.p)
        return out.array
    }
}

/// Space-to-depth merge of a patch grid (llama.cpp's `build_patch_merge_permute`).
enum PixelShuffle {
    /// [rows·columns, width] patch features (row-major grid) → [(rows/f)·(columns/f), width·f²]: each output token
    /// concatenates the f×f patches of its cell, row of the cell outer, column inner. The grid is padded with zeros
    /// to a multiple of f.
    static func merge(_ x: [Float], width d: Int, columns: Int, rows: Int, factor f: Int) -> [Float] {
        let cw = (columns + f - 1) / f, ch = (rows + f - 1) / f
        var out = [Float](repeating: 0, count: cw * ch * d * f * f)
        for cy in 0..<ch {
            for cx in 0..<cw {
                let token = cy * cw + cx
                for dy in 0..<f {
                    for dx in 0..<f {
                        let px = cx * f + dx, py = cy * f + dy
                        guard px < columns, py < rows else { continue }
                        let src = (py * columns + px) * d
                        let dst = token * d * f * f + (dy * f + dx) * d
                        for i in 0..<d { out[dst + i] = x[src + i] }
                    }
                }
            }
        }
        return out
    }
}
