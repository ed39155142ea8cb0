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

    /// llama.cpp's layout: without a cap, the longest edge scaled to `preproc_image_size` (Lanczos), stretched up to
    /// whole tiles, plus a Lanczos overview. With a cap of N tokens, the tiles get N minus the overview's share: the
    /// refined size is llama.cpp's `image_max_tokens` rule for that budget (bicubic, fitted with black padding, the
    /// overview bicubic too), and below one tile's share the overview comes alone.
    func plan(_ image: RGBImage, maxTokens: Int?) -> TilePlan {
        let tile = hp.imageSize
        var tiles: [PreparedTile] = [], pieces: [ImagePromptPiece] = [], order: [Int] = []
        func addTiles(of refined: RGBImage, columns: Int, rows: Int) {
            for y in 0..<rows {
                for x in 0..<columns {
                    tiles.append(prepare(refined.cropped(x: x * tile, y: y * tile, width: tile, height: tile)))
                    pieces.append(.text("<fake_token_around_image><row_\(y + 1)_col_\(x + 1)>"))
                    pieces.append(.embeddings(EmbeddingBlock(values: [], count: 0, width: outputWidth)))
                    order.append(tiles.count - 1)
                }
                if y != rows - 1 { pieces.append(.token("\n")) }
            }
        }
        let overview: RGBImage
        if let maxTokens {
            let budget = maxTokens - tokensPerTile
            if budget >= tokensPerTile {
                let patchArea = hp.patchSize * hp.patchSize * scale * scale
                let size = Self.preservedRatioSize(image, align: tile, maxPixels: budget * patchArea,
                                                   longestEdge: hp.preprocessLongestEdge ?? 0)
                let refined = image.resized(width: size.0, height: size.1, filter: .bicubic, padding: .ceil(color: (0, 0, 0)))
                addTiles(of: refined, columns: size.0 / tile, rows: size.1 / tile)
            }
            overview = image.resized(width: tile, height: tile, filter: .bicubic)
        } else if let edge = hp.preprocessLongestEdge, edge > 0 {
            let g = Self.grid(image, edge: edge, tile: tile)
            let resized = image.resized(width: g.resized.0, height: g.resized.1, filter: .lanczos)
            let refined = resized.resized(width: g.x * tile, height: g.y * tile, filter: .lanczos)
            overview = refined.resized(width: tile, height: tile, filter: .lanczos)
            addTiles(of: refined, columns: g.x, rows: g.y)
        } else {
            let size = Self.preservedRatioSize(image, align: tile, maxPixels: 0, longestEdge: 0)
            let refined = image.resized(width: size.0, height: size.1, filter: .bicubic, padding: .ceil(color: (0, 0, 0)))
            addTiles(of: refined, columns: size.0 / tile, rows: size.1 / tile)
            overview = image.resized(width: tile, height: tile, filter: .bicubic)
        }
        tiles.append(prepare(overview))
        pieces += [.token("\n\n"), .token("<fake_token_around_image>"), .token("<global-img>"),
                   .embeddings(EmbeddingBlock(values: [], count: 0, width: outputWidth)),
                   .token("<fake_token_around_image>")]
        order.append(tiles.count - 1)
        return TilePlan(tiles: tiles, pieces: pieces, tileOrder: order)
    }

    /// llama.cpp's `calc_size_preserved_ratio` ("smart resize"): the size aligned to `align`, scaled to the longest
    /// edge when one is given, then shrunk under `maxPixels` when that is set (float arithmetic as in C++).
    static func preservedRatioSize(_ image: RGBImage, align: Int, maxPixels: Int, longestEdge: Int) -> (Int, Int) {
        let width = image.width, height = image.height, f = Float(align)
        func round(_ x: Float) -> Int { Int((x / f).rounded()) * align }
        func ceil(_ x: Float) -> Int { Int((x / f).rounded(.up)) * align }
        func floor(_ x: Float) -> Int { Int((x / f).rounded(.down)) * align }
        var w: Int, h: Int
        if longestEdge > 0 {
            let s = min(Float(longestEdge) / Float(width), Float(longestEdge) / Float(height))
            w = ceil(Float(width) * s)
            h = ceil(Float(height) * s)
        } else {
            w = max(align, round(Float(width)))
            h = max(align, round(Float(height)))
        }
        if maxPixels > 0, h * w > maxPixels {
            let beta = (Float(height) * Float(width) / Float(maxPixels)).squareRoot()
            h = max(align, floor(Float(height) / beta))
            w = max(align, floor(Float(width) / beta))
        }
        return (w, h)
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
