import ArgumentParser
import Media

/// `nook image-info`: decodes image files and prints what nook sees in them.
struct ImageInfo: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "image-info",
        abstract: "Decode image files (PNG, JPEG, WebP, GIF, BMP) and print each one's format, size and orientation.")

    @Argument(help: "Image files.")
    var files: [String]

    func run() throws {
        let decoder = ImageDecoder()
        var failed = false
        for file in files {
            do {
                let decoded = try decoder.decode(fileAt: file)
                let image = decoded.image
                let layout = image.layout == .rgba8 ? "RGBA" : "RGB"
                Output.write("\(file): \(decoded.format.name), \(image.width)×\(image.height), \(layout), orientation \(decoded.orientation)\n")
            } catch {
                Output.error("nook: \(error)")
                failed = true
            }
        }
        if failed { throw ExitCode.failure }
    }
}
