import GGUF
import Kernels

/// A vision projector file (mmproj GGUF) ready to turn pictures into decoder embeddings.
///
/// One encoder serves one caller at a time (its matrix products reuse scratch buffers).
public final class VisionEncoder: @unchecked Sendable {
    public let path: String
    public let hyperparameters: VisionHyperparameters
    private let file: GGUFFile
    private let projector: any VisionProjector
    private let matmul: MatMul

    /// Loads the projector at `path`, computing on `threads` threads.
    public init(path: String, threads: Int) throws(MultimodalError) {
        self.path = path
        do { file = try GGUFFile(path: path) } catch { throw .file(path, "not a readable GGUF file (\(error))") }
        hyperparameters = try VisionHyperparameters(file)
        guard let build = ProjectorRegistry.builders[hyperparameters.projectorType] else {
            throw .file(path, "projector type \"\(hyperparameters.projectorType)\" is not supported "
                        + "(nook runs \(ProjectorRegistry.supported.joined(separator: ", ")))")
        }
        projector = try build(TensorReader(file: file), hyperparameters)
        matmul = MatMul(pool: ThreadPool(threads: threads))
    }

    /// The decoder embedding width the projector produces (must equal the text model's).
    public var outputWidth: Int { projector.outputWidth }

    /// The normalized tiles of `image` in prompt order ([3, h, w] planar each), for checking preprocessing.
    public func preprocess(_ image: RGBImage, maxTokens: Int? = nil) -> [(width: Int, height: Int, pixels: [Float])] {
        let plan = projector.plan(image, maxTokens: maxTokens)
        return plan.tileOrder.map { plan.tiles[$0] }.map { ($0.width, $0.height, $0.pixels) }
    }

    /// The prompt pieces `image` will become, with empty embedding blocks (the layout without running the tower).
    public func layout(_ image: RGBImage, maxTokens: Int? = nil) -> [ImagePromptPiece] {
        projector.plan(image, maxTokens: maxTokens).pieces
    }

    /// Embedding rows `image` will take, from the tile plan alone (no encoding).
    public func plannedTokens(_ image: RGBImage, maxTokens: Int? = nil) -> Int {
        projector.plan(image, maxTokens: maxTokens).tiles.reduce(0) { $0 + projector.tokenCount(for: $1) }
    }

    /// Encodes `image`; `progress(done, total)` is called before each tile and after the last, and returning false
    /// from it cancels the encoding (throwing `CancellationError`).
    public func encode(_ image: RGBImage, maxTokens: Int? = nil,
                       progress: (Int, Int) -> Bool = { _, _ in true }) throws -> EncodedImage {
        let plan = projector.plan(image, maxTokens: maxTokens)
        var rows: [[Float]] = []
        for (i, tile) in plan.tiles.enumerated() {
            guard progress(i, plan.tiles.count) else { throw CancellationError() }
            rows.append(try projector.encode(tile, matmul: matmul))
        }
        _ = progress(plan.tiles.count, plan.tiles.count)
        var next = 0
        let width = projector.outputWidth, bidirectional = projector.bidirectional
        let pieces = plan.pieces.map { piece -> ImagePromptPiece in
            guard case .embeddings = piece else { return piece }
            let values = rows[plan.tileOrder[next]]
            next += 1
            return .embeddings(EmbeddingBlock(values: values, count: values.count / width, width: width,
                                              bidirectional: bidirectional))
        }
        return EncodedImage(pieces: pieces)
    }
}
