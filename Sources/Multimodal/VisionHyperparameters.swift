import GGUF

/// The activation inside a vision block's feed-forward layer (`clip.use_gelu`, `clip.use_silu`, else quick GELU).
public enum VisionActivation: String, Sendable {
    case gelu, silu, quickGELU
}

/// The `clip.*` metadata of an mmproj file's vision encoder.
public struct VisionHyperparameters: Sendable {
    /// `clip.projector_type` (or `clip.vision.projector_type`), e.g. "idefics3".
    public var projectorType: String
    public var imageSize: Int
    public var patchSize: Int
    public var width: Int
    public var feedForward: Int
    public var heads: Int
    public var blocks: Int
    public var projectionDim: Int
    public var eps: Float
    public var imageMean: [Float]
    public var imageStd: [Float]
    public var activation: VisionActivation
    /// `clip.vision.projector.scale_factor` when present (patch merge per side).
    public var scaleFactor: Int?
    /// `clip.vision.preproc_image_size` when present (idefics3's longest edge).
    public var preprocessLongestEdge: Int?
    /// `clip.vision.preproc_min_tiles` / `max_tiles` when present.
    public var minTiles: Int?
    public var maxTiles: Int?
    /// `clip.vision.image_grid_pinpoints` as (width, height) pairs.
    public var gridPinpoints: [(Int, Int)]
    /// `clip.vision.feature_layer` when present.
    public var featureLayers: [Int]

    public var headDim: Int { width / heads }
    /// Patches along one side of a square input.
    public var patchesPerSide: Int { imageSize / patchSize }

    /// Reads the vision encoder's metadata from `file`, naming any missing or unusable key.
    public init(_ file: GGUFFile) throws(MultimodalError) {
        func int(_ key: String) throws(MultimodalError) -> Int {
            guard let v = file.int(key) else { throw .file(file.path, "missing metadata \(key)") }
            guard v > 0 else { throw .file(file.path, "metadata \(key) is \(v), expected a positive number") }
            return v
        }
        guard file.bool("clip.has_vision_encoder") == true else {
            throw .file(file.path, "this projector has no vision encoder (clip.has_vision_encoder is not true)")
        }
        guard let type = file.string("clip.vision.projector_type") ?? file.string("clip.projector_type") else {
            throw .file(file.path, "missing metadata clip.projector_type")
        }
        projectorType = type
        imageSize = try int("clip.vision.image_size")
        patchSize = try int("clip.vision.patch_size")
        width = try int("clip.vision.embedding_length")
        feedForward = try int("clip.vision.feed_forward_length")
        heads = try int("clip.vision.attention.head_count")
        blocks = try int("clip.vision.block_count")
        projectionDim = file.int("clip.vision.projection_dim") ?? 0
        eps = Float(file.double("clip.vision.attention.layer_norm_epsilon") ?? 1e-6)
        guard width % heads == 0 else {
            throw .file(file.path, "clip.vision.embedding_length \(width) is not a multiple of the \(heads) heads")
        }
        guard imageSize % patchSize == 0 else {
            throw .file(file.path, "clip.vision.image_size \(imageSize) is not a multiple of the patch size \(patchSize)")
        }
        guard let mean = file.floatArray("clip.vision.image_mean"), let std = file.floatArray("clip.vision.image_std"),
              mean.count >= 3, std.count >= 3, !std.prefix(3).contains(0) else {
            throw .file(file.path, "clip.vision.image_mean and image_std must hold three values each (std not zero)")
        }
        imageMean = Array(mean.prefix(3))
        imageStd = Array(std.prefix(3))
        let gelu = file.bool("clip.use_gelu") ?? false, silu = file.bool("clip.use_silu") ?? false
        guard !(gelu && silu) else { throw .file(file.path, "clip.use_gelu and clip.use_silu are both true") }
        activation = gelu ? .gelu : silu ? .silu : .quickGELU
        scaleFactor = file.int("clip.vision.projector.scale_factor")
        preprocessLongestEdge = file.int("clip.vision.preproc_image_size")
        minTiles = file.int("clip.vision.preproc_min_tiles")
        maxTiles = file.int("clip.vision.preproc_max_tiles")
        let pins = file.intArray("clip.vision.image_grid_pinpoints") ?? []
        guard pins.count % 2 == 0 else {
            throw .file(file.path, "clip.vision.image_grid_pinpoints has an odd number of values")
        }
        gridPinpoints = stride(from: 0, to: pins.count, by: 2).map { (pins[$0], pins[$0 + 1]) }
        featureLayers = file.intArray("clip.vision.feature_layer") ?? []
    }
}
