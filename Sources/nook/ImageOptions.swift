import ArgumentParser
import Engine
import Foundation
import Media
import Multimodal

/// The vision flags of chat, run, replay, generate and bench: the projector, and how many tokens an image may take.
struct VisionOptionGroup: ParsableArguments {
    @Option(help: "Vision projector (mmproj GGUF) that lets the model see images.")
    var mmproj: String?

    @Option(name: .customLong("image-tokens"), help: "auto (the projector's own rule) or N: at most N tokens an image, by using fewer tiles.")
    var imageTokens = ImageTokens(limit: nil)
}

/// The picture flags of generate and bench: the vision flags and the images themselves.
struct ImageOptionGroup: ParsableArguments {
    @OptionGroup var vision: VisionOptionGroup

    @Option(name: .customLong("image"), help: "Image file to show the model (repeatable); placed where the prompt says <__media__>, else before it.")
    var images: [String] = []

    var mmproj: String? { vision.mmproj }
    var imageTokens: ImageTokens { vision.imageTokens }

    func validate() throws {
        if !images.isEmpty && mmproj == nil {
            throw ValidationError("this model cannot see images: load a vision projector with --mmproj")
        }
    }

    /// Decodes and encodes every image, in order; an unreadable image stops with one line naming it.
    func encode(threads: Int?, progress: ((String, Int, Int) -> Void)? = nil) throws -> (images: [PromptImage], seconds: Double) {
        guard let mmproj, !images.isEmpty else { return ([], 0) }
        let encoder = try VisionEncoder(path: mmproj, threads: threads ?? ModelContext.defaultThreads)
        let decoder = ImageDecoder()
        let clock = ContinuousClock(), start = clock.now
        var out: [PromptImage] = []
        for path in images {
            let pixels = RGBImage(try decoder.decode(fileAt: path).image)
            let encoded = try encoder.encode(pixels, maxTokens: imageTokens.limit) { done, total in
                progress?(path, done, total)
                return true
            }
            out.append(PromptImage(encoded: encoded, key: "\(mmproj)|\(path)|\(imageTokens.limit ?? 0)"))
        }
        return (out, (clock.now - start).seconds)
    }

    /// `text` with one media marker per image in front when it marks none itself.
    func marking(_ text: String) -> String {
        guard !images.isEmpty, !text.contains(ModelContext.mediaMarker) else { return text }
        return String(repeating: ModelContext.mediaMarker, count: images.count) + text
    }
}
