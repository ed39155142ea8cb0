/// A piece of the prompt that stands for an image: marker text around rows of embeddings.
public enum ImagePromptPiece: Sendable, Equatable {
    /// Text tokenized with special tokens recognised (e.g. `<fake_token_around_image><row_1_col_1>`).
    case text(String)
    /// One vocabulary entry whose text is exactly this (llama.cpp's `lookup_token`, e.g. "\n\n").
    case token(String)
    /// Rows of projected embeddings, entered into the decoder at consecutive positions.
    case embeddings(EmbeddingBlock)
}

/// `count` rows of `width` floats each, row-major, as the decoder reads them.
public struct EmbeddingBlock: Sendable, Equatable {
    public var values: [Float]
    public var count: Int
    public var width: Int
    /// Whether the rows attend to each other both ways inside the block (Gemma 3).
    public var bidirectional: Bool

    public init(values: [Float], count: Int, width: Int, bidirectional: Bool = false) {
        self.values = values
        self.count = count
        self.width = width
        self.bidirectional = bidirectional
    }
}

/// An image as the decoder will read it: its pieces in order.
public struct EncodedImage: Sendable, Equatable {
    public var pieces: [ImagePromptPiece]

    public init(pieces: [ImagePromptPiece]) { self.pieces = pieces }

    /// The embedding blocks in order (one per tile, the overview included).
    public var blocks: [EmbeddingBlock] {
        pieces.compactMap { if case .embeddings(let b) = $0 { b } else { nil } }
    }

    /// Rows of embeddings in all.
    public var embeddingCount: Int { blocks.reduce(0) { $0 + $1.count } }
}
