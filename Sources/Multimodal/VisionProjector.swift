import GGUF
import Kernels

/// One tile as the tower reads it: normalized planar pixels and where its embeddings go among the markers.
struct PreparedTile: Sendable {
    /// [3, height, width] f32.
    var pixels: [Float]
    var width: Int
    var height: Int
}

/// A tile layout for one image: the tiles to encode, and the prompt pieces with `.embeddings` placeholders that
/// are filled, in order, with the tiles' projected rows.
struct TilePlan: Sendable {
    var tiles: [PreparedTile]
    /// Markers and one empty `.embeddings` placeholder per tile, in prompt order; `tileOrder[i]` is the tile index
    /// of the i-th placeholder.
    var pieces: [ImagePromptPiece]
    var tileOrder: [Int]
}

/// A projector family: how it tiles an image, how many tower blocks it reads, and how it maps the tower's output
/// to the decoder's embedding width. One file per family, registered in ``ProjectorRegistry``.
protocol VisionProjector: Sendable {
    /// The decoder embedding width this projector produces.
    var outputWidth: Int { get }
    /// Whether image rows attend bidirectionally inside a block.
    var bidirectional: Bool { get }
    /// The tiles of `image` and their prompt layout; `maxTokens` caps the embedding rows (nil: the family's own rule).
    func plan(_ image: RGBImage, maxTokens: Int?) -> TilePlan
    /// Embedding rows one tile becomes.
    func tokenCount(for tile: PreparedTile) -> Int
    /// Embedding rows [count, outputWidth] for one tile.
    func encode(_ tile: PreparedTile, matmul: MatMul) throws(MultimodalError) -> [Float]
}

/// The single table from `clip.projector_type` to the code that builds a projector.
enum ProjectorRegistry {
    typealias Builder = @Sendable (TensorReader, VisionHyperparameters) throws(MultimodalError) -> any VisionProjector

    static let builders: [String: Builder] = [
        "idefics3": { r, hp throws(MultimodalError) in try Idefics3Projector(r, hp) },
        "gemma3": { r, hp throws(MultimodalError) in try Gemma3Projector(r, hp) },
        "mlp": { r, hp throws(MultimodalError) in try LlavaProjector(r, hp) },
        "internvl": { r, hp throws(MultimodalError) in try InternVLProjector(r, hp) },
    ]

    static var supported: [String] { builders.keys.sorted() }
}
