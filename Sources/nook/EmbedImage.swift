import ArgumentParser
import Foundation
import Media
import Multimodal

/// `--image-tokens auto|N`: the projector's own rule, or a cap on an image's embedding rows.
struct ImageTokens: ExpressibleByArgument, Equatable {
    /// nil: the projector's rule.
    var limit: Int?

    init(limit: Int?) { self.limit = limit }

    init?(argument: String) {
        if argument == "auto" { limit = nil; return }
        guard let n = Int(argument), n > 0 else { return nil }
        limit = n
    }

    var defaultValueDescription: String { limit.map(String.init) ?? "auto" }
}

/// `nook embed-image`: prints the projected embeddings of an image, one line per output token.
struct EmbedImage: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "embed-image",
        abstract: "Encode an image with a vision projector and print its embeddings, one line per token, all chunks in order.")

    @Option(help: "Vision projector (mmproj GGUF) file.")
    var mmproj: String

    @Option(help: "Image file (PNG, JPEG, WebP, GIF, BMP).")
    var image: String

    @Option(name: .customLong("image-tokens"), help: "auto (the projector's own rule) or N: at most N tokens, by using fewer tiles.")
    var imageTokens = ImageTokens(limit: nil)

    @Option(name: [.customShort("t"), .long], help: "Worker threads (default: one per core).")
    var threads: Int?

    func validate() throws {
        if let t = threads, t < 1 { throw ValidationError("--threads must be at least 1") }
    }

    func run() throws {
        let pixels: RGBImage
        do { pixels = RGBImage(try ImageDecoder().decode(fileAt: image).image) } catch {
            Output.error("nook: \(error)")
            throw ExitCode.failure
        }
        let encoded: EncodedImage
        do {
            let encoder = try VisionEncoder(path: mmproj, threads: threads ?? ProcessInfo.processInfo.activeProcessorCount)
            encoded = try encoder.encode(pixels, maxTokens: imageTokens.limit)
        } catch {
            Output.error("nook: \(error)")
            throw ExitCode.failure
        }
        var out = ""
        for block in encoded.blocks {
            for r in 0..<block.count {
                let row = block.values[(r * block.width)..<((r + 1) * block.width)]
                out += row.map { "\($0)" }.joined(separator: " ")
                out += "\n"
                if out.utf8.count > 1 << 20 { Output.write(out); out = "" }
            }
        }
        Output.write(out)
    }
}
