import Foundation
import Conversation
import Models
import Multimodal
import Tokenization

/// An encoded picture with the identity its embeddings are cached under.
public struct PromptImage: Sendable {
    public var encoded: EncodedImage
    /// Names the picture and how it was encoded (projector, pixels, settings): equal keys mean equal rows.
    public var key: String

    public init(encoded: EncodedImage, key: String) {
        self.encoded = encoded
        self.key = key
    }
}

/// Why a prompt with pictures could not be assembled.
public struct ImagePromptError: Error, CustomStringConvertible, Sendable {
    public let description: String
}

extension ModelContext {
    /// The text that stands for one picture in a message or prompt until the prompt is assembled (llama.cpp's
    /// default media marker).
    public static let mediaMarker = "<__media__>"

    /// Splits `text` at each ``mediaMarker`` and puts `images[i]` in place of the i-th marker, as llama.cpp's mtmd
    /// does: each text run is tokenized on its own (special tokens parsed), image markers are tokenized or looked
    /// up in the vocabulary, BOS (and EOS) are added per the model's flags when `addSpecial`.
    public func promptChunks(text: String, images: [PromptImage], addSpecial: Bool) throws -> [PromptChunk] {
        let parts = text.components(separatedBy: Self.mediaMarker)
        guard parts.count - 1 == images.count else {
            throw ImagePromptError(description: "the prompt marks \(parts.count - 1) pictures but \(images.count) were given")
        }
        var chunks: [PromptChunk] = []
        func add(_ tokens: [Int32]) {
            guard !tokens.isEmpty else { return }
            if case .tokens(let t) = chunks.last { chunks[chunks.count - 1] = .tokens(t + tokens) } else { chunks.append(.tokens(tokens)) }
        }
        let width = model.hyperparameters.dim
        for (i, part) in parts.enumerated() {
            add(tokenizer.encode(part, addSpecial: false, parseSpecial: true))
            guard i < images.count else { continue }
            var block = 0
            for piece in images[i].encoded.pieces {
                switch piece {
                case .text(let s): add(tokenizer.encode(s, addSpecial: false, parseSpecial: true))
                case .token(let s): add([try vocabularyToken(s)])
                case .embeddings(let b):
                    guard b.width == width else {
                        throw ImagePromptError(description: "the vision projector makes rows of \(b.width) values but \(path) "
                                               + "takes \(width): the projector does not belong to this model")
                    }
                    chunks.append(.embeddings(EmbeddingRows(values: b.values, count: b.count, bidirectional: b.bidirectional),
                                              key: "\(images[i].key)/\(block)"))
                    block += 1
                }
            }
        }
        if addSpecial, tokenizer.addBOS, let bos = tokenizer.bos {
            if case .tokens(let t) = chunks.first { chunks[0] = .tokens([bos] + t) } else { chunks.insert(.tokens([bos]), at: 0) }
        }
        if addSpecial, tokenizer.addEOS, let eos = tokenizer.eos { add([eos]) }
        return chunks
    }

    /// Renders a conversation with the chat template and assembles it with the pictures its messages mark.
    public func promptChunks(for messages: [Message], template: ChatTemplate, images: [PromptImage]) throws -> [PromptChunk] {
        let text = template.render(messages, addAssistantPrefix: true,
                                   bosToken: tokenText(tokenizer.bos), eosToken: tokenText(tokenizer.eos))
        return try promptChunks(text: text, images: images, addSpecial: true)
    }

    /// The first token whose detokenized text is exactly `text` (llama.cpp's `lookup_token`); found once, then
    /// remembered.
    public func vocabularyToken(_ text: String) throws -> Int32 {
        if let id = pieceIDs[text] { return id }
        let bytes = Array(text.utf8)
        for id in 0..<Int32(tokenizer.vocabularySize) where tokenizer.piece(id) == bytes {
            pieceIDs[text] = id
            return id
        }
        throw ImagePromptError(description: "\(path): the vocabulary has no token \(text.debugDescription), which the "
                               + "vision projector's image markers need: the projector does not belong to this model")
    }
}

/// Token ids by the text they detokenize to, shared by the threads that assemble prompts.
final class PieceIndex: @unchecked Sendable {
    private let lock = NSLock()
    private var ids: [String: Int32] = [:]

    subscript(text: String) -> Int32? {
        get { lock.lock(); defer { lock.unlock() }; return ids[text] }
        set { lock.lock(); ids[text] = newValue; lock.unlock() }
    }
}
