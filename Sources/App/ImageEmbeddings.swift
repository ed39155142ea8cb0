import Conversation
import Engine
import Foundation
import Media
import Multimodal

/// Turns image attachments into prompt pictures with a vision projector, remembering encodings in memory and in
/// the on-disk media cache, keyed by the projector's hash, the image's hash and the token limit.
final class ImageEmbeddings: @unchecked Sendable {
    let encoder: VisionEncoder
    let projectorHash: String
    let cache: MediaCache?
    private let lock = NSLock()
    private var recent: [String: EncodedImage] = [:]
    private var order: [String] = []
    /// Positions of pictures by key, from `positions` (counts only: small, kept for the session).
    private var planned: [String: Int] = [:]
    private static let recentLimit = 8

    init(encoder: VisionEncoder, projectorHash: String, cache: MediaCache?) {
        self.encoder = encoder
        self.projectorHash = projectorHash
        self.cache = cache
    }

    func key(for attachment: Attachment, maxTokens: Int?) -> String {
        "\(projectorHash)|\(attachment.sha256)|tokens=\(maxTokens.map(String.init) ?? "auto")"
    }

    /// The cached encoding of `attachment`, if any (memory first, then disk).
    func cached(_ attachment: Attachment, maxTokens: Int?) -> EncodedImage? {
        let key = key(for: attachment, maxTokens: maxTokens)
        lock.lock()
        if let hit = recent[key] { lock.unlock(); return hit }
        lock.unlock()
        guard let hit = cache?.image(for: key) else { return nil }
        remember(hit, key)
        return hit
    }

    /// The picture for `attachment`, encoding it when no cached copy exists. `progress(done, total)` reports tiles
    /// and returns false to cancel.
    func picture(_ attachment: Attachment, maxTokens: Int?, progress: (Int, Int) -> Bool) throws -> PromptImage {
        let key = key(for: attachment, maxTokens: maxTokens)
        if let hit = cached(attachment, maxTokens: maxTokens) { return PromptImage(encoded: hit, key: key) }
        let pixels: RGBImage
        do { pixels = RGBImage(try ImageDecoder().decode(fileAt: attachment.path).image) } catch {
            throw AttachmentProblem(path: attachment.path, message: AttachmentText.imageProblem(error, path: attachment.path))
        }
        let encoded = try encoder.encode(pixels, maxTokens: maxTokens, progress: progress)
        remember(encoded, key)
        cache?.store(encoded, for: key)
        return PromptImage(encoded: encoded, key: key)
    }

    /// Positions an image takes without encoding it (its rows plus a few marker tokens, an estimate for fitting the
    /// context): the encoded count when cached, else the projector's plan, worked out once per picture and cap.
    func positions(_ attachment: Attachment, maxTokens: Int?) -> Int? {
        let key = key(for: attachment, maxTokens: maxTokens)
        lock.lock()
        if let n = planned[key] { lock.unlock(); return n }
        lock.unlock()
        let rows: Int
        if let hit = cached(attachment, maxTokens: maxTokens) {
            rows = hit.embeddingCount
        } else {
            guard let image = try? ImageDecoder().decode(fileAt: attachment.path).image else { return nil }
            rows = encoder.plannedTokens(RGBImage(image), maxTokens: maxTokens)
        }
        lock.lock()
        planned[key] = rows + Self.markerAllowance
        lock.unlock()
        return rows + Self.markerAllowance
    }

    /// Positions allowed for a picture's marker tokens when only its rows are known.
    private static let markerAllowance = 8

    private func remember(_ image: EncodedImage, _ key: String) {
        lock.lock()
        defer { lock.unlock() }
        if recent[key] == nil { order.append(key) }
        recent[key] = image
        while order.count > Self.recentLimit { recent[order.removeFirst()] = nil }
    }
}
