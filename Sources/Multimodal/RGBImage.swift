import Media

/// Packed 8-bit RGB pixels, rows top to bottom: the form every preprocessing step works on.
public struct RGBImage: Sendable, Equatable {
    public let width: Int
    public let height: Int
    /// `width × height × 3` bytes.
    public var pixels: [UInt8]

    public init(width: Int, height: Int, pixels: [UInt8]) {
        self.width = width
        self.height = height
        self.pixels = pixels
    }

    /// The decoded image's pixels with alpha dropped (not composited), as llama.cpp reads pictures.
    public init(_ image: Image) {
        let rgb = image.droppingAlpha()
        self.init(width: rgb.width, height: rgb.height, pixels: rgb.pixels)
    }

    /// A `width × height` image filled with `color`.
    static func filled(width: Int, height: Int, color: (UInt8, UInt8, UInt8)) -> RGBImage {
        var p = [UInt8](repeating: 0, count: width * height * 3)
        for i in 0..<(width * height) { p[i * 3] = color.0; p[i * 3 + 1] = color.1; p[i * 3 + 2] = color.2 }
        return RGBImage(width: width, height: height, pixels: p)
    }

    /// The `w × h` rectangle at (x, y), which must lie inside the image.
    func cropped(x: Int, y: Int, width w: Int, height h: Int) -> RGBImage {
        var p = [UInt8](repeating: 0, count: w * h * 3)
        for row in 0..<h {
            let s = ((y + row) * width + x) * 3
            p.replaceSubrange(row * w * 3..<(row + 1) * w * 3, with: pixels[s..<s + w * 3])
        }
        return RGBImage(width: w, height: h, pixels: p)
    }

    /// This image with `other` drawn at (x, y), clipped to the bounds.
    func compositing(_ other: RGBImage, x: Int, y: Int) -> RGBImage {
        var out = self
        for row in 0..<other.height where row + y >= 0 && row + y < height {
            for col in 0..<other.width where col + x >= 0 && col + x < width {
                let d = ((row + y) * width + col + x) * 3, s = (row * other.width + col) * 3
                out.pixels[d] = other.pixels[s]; out.pixels[d + 1] = other.pixels[s + 1]; out.pixels[d + 2] = other.pixels[s + 2]
            }
        }
        return out
    }
}

/// How a resize that keeps the aspect ratio fills the rest of the target.
enum ResizePadding: Sendable {
    /// Stretch to the target size.
    case none
    /// Fit inside, sizes rounded up, centred on `color`.
    case ceil(color: (UInt8, UInt8, UInt8))
    /// Fit inside, sizes rounded to nearest, centred on `color`.
    case nearest(color: (UInt8, UInt8, UInt8))
}

extension RGBImage {
    /// This image resized to `width × height` as llama.cpp's `img_tool::resize` does.
    func resized(width: Int, height: Int, filter: ResizeFilter, padding: ResizePadding = .none) -> RGBImage {
        if width == self.width && height == self.height { return self }
        let color: (UInt8, UInt8, UInt8), nearest: Bool
        switch padding {
        case .none: return PillowResize.resize(self, width: width, height: height, filter: filter)
        case .ceil(let c): color = c; nearest = false
        case .nearest(let c): color = c; nearest = true
        }
        let scale = min(Float(width) / Float(self.width), Float(height) / Float(self.height))
        let sw = Float(self.width) * scale, sh = Float(self.height) * scale
        let nw = min(Int(nearest ? sw.rounded() : sw.rounded(.up)), width)
        let nh = min(Int(nearest ? sh.rounded() : sh.rounded(.up)), height)
        let inner = PillowResize.resize(self, width: nw, height: nh, filter: filter)
        let ox = nearest ? Int((Float(width - nw) / 2).rounded()) : (width - nw) / 2
        let oy = nearest ? Int((Float(height - nh) / 2).rounded()) : (height - nh) / 2
        return RGBImage.filled(width: width, height: height, color: color).compositing(inner, x: ox, y: oy)
    }

    /// Planar f32 channels [3, height, width]: (byte / 255 − mean[c]) / std[c], the encoder's input.
    func normalized(mean: [Float], std: [Float]) -> [Float] {
        let n = width * height
        var out = [Float](repeating: 0, count: 3 * n)
        for i in 0..<n {
            for c in 0..<3 { out[c * n + i] = (Float(pixels[i * 3 + c]) / 255 - mean[c]) / std[c] }
        }
        return out
    }
}
