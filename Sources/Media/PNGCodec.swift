import CImageCodecs

/// PNG through libpng: every bit depth and colour type, tRNS, Adam7.
///
/// 16-bit samples keep their high byte, as Pillow does for RGB, RGBA and grey+alpha (and stb_image for all);
/// for 16-bit grey Pillow's conversion to RGB clips every value above 255 to white instead, which nook does not copy.
enum PNGCodec: ImageCodec {
    static let signature: [UInt8] = [0x89, 0x50, 0x4E, 0x47, 0x0D, 0x0A, 0x1A, 0x0A]

    static func matches(_ bytes: [UInt8]) -> Bool {
        bytes.starts(with: signature)
    }

    static func decode(_ bytes: [UInt8], limits: ImageLimits) throws(ImageProblem) -> DecodedImage {
        // IHDR comes first: its sides are checked here, before libpng reads on (it would reject 0 in its own words).
        let reader = ByteReader(bytes)
        if bytes.count >= 24, Array(bytes[12..<16]) == Array("IHDR".utf8),
           let width = reader.u32(at: 16, little: false), let height = reader.u32(at: 20, little: false) {
            try limits.check(.png, width: width, height: height)
        }
        let message = CodecMessage()
        var info = nook_png_info()
        var status = NOOK_CODEC_OK
        let image: Image = try bytes.withUnsafeBufferPointer { (data) throws(ImageProblem) -> Image in
            guard let base = data.baseAddress,
                  let png = nook_png_open(base, data.count, &info, &status, message.buffer) else {
                throw message.problem(status, .png)
            }
            defer { nook_png_close(png) }
            let (width, height) = (Int(info.width), Int(info.height))
            try limits.check(.png, width: width, height: height)
            let layout: Image.Layout = info.has_alpha != 0 ? .rgba8 : .rgb8
            var pixels = [UInt8](repeating: 0, count: width * height * layout.channels)
            let result = pixels.withUnsafeMutableBufferPointer { out in
                nook_png_read(png, out.baseAddress, width * layout.channels, message.buffer)
            }
            guard result == NOOK_CODEC_OK else { throw message.problem(result, .png) }
            return Image(unchecked: width, height: height, layout: layout, pixels: pixels)
        }
        return DecodedImage(image: image, format: .png, orientation: .normal)
    }
}
