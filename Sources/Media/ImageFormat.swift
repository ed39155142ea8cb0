/// The image formats nook decodes, each recognised by its first bytes, never by the file's extension.
public enum ImageFormat: String, CaseIterable, Sendable, Equatable {
    case png, jpeg, webp, gif, bmp

    /// The name people know the format by.
    public var name: String {
        switch self {
        case .png: return "PNG"
        case .jpeg: return "JPEG"
        case .webp: return "WebP"
        case .gif: return "GIF"
        case .bmp: return "BMP"
        }
    }

    /// The one table from a format to its decoder.
    var codec: any ImageCodec.Type {
        switch self {
        case .png: return PNGCodec.self
        case .jpeg: return JPEGCodec.self
        case .webp: return WebPCodec.self
        case .gif: return GIFCodec.self
        case .bmp: return BMPCodec.self
        }
    }

    /// The format whose signature `bytes` start with, if any.
    public static func sniff(_ bytes: [UInt8]) -> ImageFormat? {
        allCases.first { $0.codec.matches(bytes) }
    }

    /// Formats recognised only to name them in the refusal.
    static func unsupportedName(_ bytes: [UInt8]) -> String? {
        func starts(_ prefix: [UInt8], at offset: Int = 0) -> Bool {
            bytes.count >= offset + prefix.count && Array(bytes[offset..<offset + prefix.count]) == prefix
        }
        if starts([0x49, 0x49, 0x2A, 0x00]) || starts([0x4D, 0x4D, 0x00, 0x2A]) { return "TIFF" }
        if starts(Array("ftyp".utf8), at: 4) {
            if starts(Array("avif".utf8), at: 8) || starts(Array("avis".utf8), at: 8) { return "AVIF" }
            if starts(Array("heic".utf8), at: 8) || starts(Array("heix".utf8), at: 8) || starts(Array("mif1".utf8), at: 8) {
                return "HEIF"
            }
        }
        if starts([0xFF, 0x0A]) || starts([0x00, 0x00, 0x00, 0x0C, 0x4A, 0x58, 0x4C, 0x20]) { return "JPEG XL" }
        if starts([0x00, 0x00, 0x00, 0x0C, 0x6A, 0x50, 0x20, 0x20]) { return "JPEG 2000" }
        if starts(Array("8BPS".utf8)) { return "Photoshop" }
        if starts(Array("qoif".utf8)) { return "QOI" }
        if starts([0x00, 0x00, 0x01, 0x00]) { return "ICO" }
        return nil
    }
}

/// One format's decoder: how to recognise its data and how to turn it into pixels.
protocol ImageCodec {
    /// Whether `bytes` start with this format's signature.
    static func matches(_ bytes: [UInt8]) -> Bool

    /// Decodes `bytes`, checking the header's size against `limits` before allocating the pixels.
    static func decode(_ bytes: [UInt8], limits: ImageLimits) throws(ImageProblem) -> DecodedImage
}
