/// Decoded pixels: rows top to bottom with no padding, each pixel R, G, B (and A) bytes, alpha straight (not premultiplied).
public struct Image: Sendable, Equatable {
    /// What each pixel holds.
    public enum Layout: String, Sendable, Equatable {
        /// Three bytes a pixel: red, green, blue.
        case rgb8
        /// Four bytes a pixel: red, green, blue, alpha (255 is opaque).
        case rgba8

        /// Bytes a pixel.
        public var channels: Int { self == .rgb8 ? 3 : 4 }
    }

    public let width: Int
    public let height: Int
    public let layout: Layout
    /// `width × height × layout.channels` bytes; pixel (x, y) starts at `(y × width + x) × channels`.
    public let pixels: [UInt8]

    /// An image of these pixels; nil unless the sizes are positive and `pixels` has exactly the bytes they need.
    public init?(width: Int, height: Int, layout: Layout, pixels: [UInt8]) {
        guard width > 0, height > 0, width.multipliedReportingOverflow(by: height).overflow == false,
              pixels.count == width * height * layout.channels else { return nil }
        self.init(unchecked: width, height: height, layout: layout, pixels: pixels)
    }

    /// An image whose sizes the caller has already checked.
    init(unchecked width: Int, height: Int, layout: Layout, pixels: [UInt8]) {
        self.width = width
        self.height = height
        self.layout = layout
        self.pixels = pixels
    }

    /// Bytes a row.
    public var rowBytes: Int { width * layout.channels }

    /// The channels of pixel (x, y), or nil outside the image.
    public func pixel(x: Int, y: Int) -> ArraySlice<UInt8>? {
        guard x >= 0, x < width, y >= 0, y < height else { return nil }
        let start = (y * width + x) * layout.channels
        return pixels[start..<start + layout.channels]
    }

    /// The same picture as RGB: alpha is dropped, not composited (as llama.cpp's decoder does).
    public func droppingAlpha() -> Image {
        guard layout == .rgba8 else { return self }
        var rgb = [UInt8](repeating: 0, count: width * height * 3)
        for i in 0..<(width * height) {
            rgb[i * 3] = pixels[i * 4]
            rgb[i * 3 + 1] = pixels[i * 4 + 1]
            rgb[i * 3 + 2] = pixels[i * 4 + 2]
        }
        return Image(unchecked: width, height: height, layout: .rgb8, pixels: rgb)
    }
}

/// An image as decoded from a file, with where it came from.
public struct DecodedImage: Sendable, Equatable {
    /// The pixels, upright (the EXIF orientation already applied).
    public var image: Image
    public var format: ImageFormat
    /// The orientation the file asked for and that was applied to `image`.
    public var orientation: Orientation
}
