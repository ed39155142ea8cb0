import CWebP

/// WebP through libwebp: lossy, lossless and alpha with `WebPDecode`; the first frame of an animation
/// through `WebPAnimDecoder`, composed onto the canvas.
enum WebPCodec: ImageCodec {
    static func matches(_ bytes: [UInt8]) -> Bool {
        bytes.count >= 12 && bytes.starts(with: Array("RIFF".utf8)) && Array(bytes[8..<12]) == Array("WEBP".utf8)
    }

    static func decode(_ bytes: [UInt8], limits: ImageLimits) throws(ImageProblem) -> DecodedImage {
        // The RIFF header says how long the file is: data that stops short of it is truncated.
        let declared = ByteReader(bytes).u32(at: 4).map { $0 + 8 } ?? 0
        let short = bytes.count < declared
        // An extended file states its canvas first: checked here, before libwebp (which rejects huge ones in its own words).
        let reader = ByteReader(bytes)
        if bytes.count >= 31, Array(bytes[12..<16]) == Array("VP8X".utf8),
           let width = reader.u32(at: 24).map({ ($0 & 0xFFFFFF) + 1 }), let height = reader.u32(at: 27).map({ ($0 & 0xFFFFFF) + 1 }) {
            try limits.check(.webp, width: width, height: height)
        }
        let image = try bytes.withUnsafeBufferPointer { (data) throws(ImageProblem) -> Image in
            guard let base = data.baseAddress else { throw .empty }
            var features = WebPBitstreamFeatures()
            let status = WebPGetFeatures(base, data.count, &features)
            guard status == VP8_STATUS_OK else { throw problem(status, short: short, bytes: data.count) }
            let (width, height) = (Int(features.width), Int(features.height))
            try limits.check(.webp, width: width, height: height)
            let layout: Image.Layout = features.has_alpha != 0 ? .rgba8 : .rgb8
            if features.has_animation != 0 {
                return try firstFrame(base, count: data.count, width: width, height: height, layout: layout, short: short)
            }
            return try still(base, count: data.count, width: width, height: height, layout: layout, short: short)
        }
        return DecodedImage(image: image, format: .webp, orientation: .normal)
    }

    /// A still image decoded straight into the pixel buffer.
    private static func still(_ base: UnsafePointer<UInt8>, count: Int, width: Int, height: Int, layout: Image.Layout,
                              short: Bool) throws(ImageProblem) -> Image {
        var config = WebPDecoderConfig()
        guard WebPInitDecoderConfig(&config) != 0 else { throw .unsupported(.webp, "libwebp version mismatch") }
        config.options.use_threads = 0
        var pixels = [UInt8](repeating: 0, count: width * height * layout.channels)
        let status = pixels.withUnsafeMutableBufferPointer { out in
            config.output.colorspace = layout == .rgba8 ? MODE_RGBA : MODE_RGB
            config.output.is_external_memory = 1
            config.output.u.RGBA.rgba = out.baseAddress
            config.output.u.RGBA.stride = Int32(width * layout.channels)
            config.output.u.RGBA.size = out.count
            defer { WebPFreeDecBuffer(&config.output) }
            return WebPDecode(base, count, &config)
        }
        guard status == VP8_STATUS_OK else { throw problem(status, short: short, bytes: count) }
        return Image(unchecked: width, height: height, layout: layout, pixels: pixels)
    }

    /// The first frame of an animation on its canvas (transparent where the frame does not cover it).
    private static func firstFrame(_ base: UnsafePointer<UInt8>, count: Int, width: Int, height: Int, layout: Image.Layout,
                                   short: Bool) throws(ImageProblem) -> Image {
        var options = WebPAnimDecoderOptions()
        guard WebPAnimDecoderOptionsInit(&options) != 0 else { throw .unsupported(.webp, "libwebp version mismatch") }
        options.color_mode = MODE_RGBA
        options.use_threads = 0
        var data = WebPData(bytes: base, size: count)
        guard let decoder = WebPAnimDecoderNew(&data, &options) else {
            throw short ? .truncated(.webp, "the animation ends after \(count) bytes") : .invalid(.webp, "unreadable animation")
        }
        defer { WebPAnimDecoderDelete(decoder) }
        var info = WebPAnimInfo()
        guard WebPAnimDecoderGetInfo(decoder, &info) != 0, Int(info.canvas_width) == width, Int(info.canvas_height) == height
        else { throw .invalid(.webp, "the animation's canvas disagrees with its header") }
        var frame: UnsafeMutablePointer<UInt8>?
        var timestamp: Int32 = 0
        guard WebPAnimDecoderGetNext(decoder, &frame, &timestamp) != 0, let frame else {
            throw short ? .truncated(.webp, "the first frame ends after \(count) bytes") : .invalid(.webp, "cannot decode the first frame")
        }
        let canvas = Array(UnsafeBufferPointer(start: frame, count: width * height * 4))
        let image = Image(unchecked: width, height: height, layout: .rgba8, pixels: canvas)
        return layout == .rgba8 ? image : image.droppingAlpha()
    }

    private static func problem(_ status: VP8StatusCode, short: Bool, bytes: Int) -> ImageProblem {
        switch status {
        case VP8_STATUS_NOT_ENOUGH_DATA: return .truncated(.webp, "the file ends after \(bytes) bytes")
        case VP8_STATUS_OUT_OF_MEMORY: return .outOfMemory(.webp)
        case VP8_STATUS_UNSUPPORTED_FEATURE: return .unsupported(.webp, "a feature libwebp does not decode")
        default:
            return short ? .truncated(.webp, "the file ends after \(bytes) bytes") : .invalid(.webp, "libwebp found a bitstream error")
        }
    }
}
