/// The EXIF orientation tag (0x0112): how the stored pixels must be turned to stand upright.
public enum Orientation: Int, Sendable, Equatable, CaseIterable, CustomStringConvertible {
    case normal = 1
    case mirrored = 2
    case rotated180 = 3
    case flipped = 4
    case transposed = 5
    case rotated90 = 6
    case transversed = 7
    case rotated270 = 8

    public var description: String {
        switch self {
        case .normal: return "1 (normal)"
        case .mirrored: return "2 (mirrored left to right)"
        case .rotated180: return "3 (rotated 180°)"
        case .flipped: return "4 (flipped top to bottom)"
        case .transposed: return "5 (transposed)"
        case .rotated90: return "6 (rotated 90° clockwise)"
        case .transversed: return "7 (transversed)"
        case .rotated270: return "8 (rotated 90° anticlockwise)"
        }
    }

    /// Whether turning upright swaps width and height.
    public var swapsSides: Bool { rawValue >= 5 }

    /// The orientation in a TIFF/EXIF block (after the "Exif\0\0" marker), or `.normal` when absent or invalid.
    static func fromEXIF(_ tiff: [UInt8]) -> Orientation {
        let reader = ByteReader(tiff)
        guard tiff.count >= 8 else { return .normal }
        let little: Bool
        switch (tiff[0], tiff[1]) {
        case (0x49, 0x49): little = true
        case (0x4D, 0x4D): little = false
        default: return .normal
        }
        guard reader.u16(at: 2, little: little) == 42,
              let ifd = reader.u32(at: 4, little: little), let count = reader.u16(at: ifd, little: little) else { return .normal }
        for index in 0..<count {
            let entry = ifd + 2 + index * 12
            guard let tag = reader.u16(at: entry, little: little) else { return .normal }
            guard tag == 0x0112 else { continue }
            guard reader.u16(at: entry + 2, little: little) == 3, let value = reader.u16(at: entry + 8, little: little) else {
                return .normal
            }
            return Orientation(rawValue: value) ?? .normal
        }
        return .normal
    }

    /// `image` turned upright: the inverse mapping from each output pixel to the stored one.
    func apply(to image: Image) -> Image {
        if self == .normal { return image }
        let (w, h, c) = (image.width, image.height, image.layout.channels)
        let (outWidth, outHeight) = swapsSides ? (h, w) : (w, h)
        var out = [UInt8](repeating: 0, count: image.pixels.count)
        image.pixels.withUnsafeBufferPointer { source in
            out.withUnsafeMutableBufferPointer { target in
                var offset = 0
                for y in 0..<outHeight {
                    for x in 0..<outWidth {
                        let (sx, sy): (Int, Int)
                        switch self {
                        case .normal: (sx, sy) = (x, y)
                        case .mirrored: (sx, sy) = (w - 1 - x, y)
                        case .rotated180: (sx, sy) = (w - 1 - x, h - 1 - y)
                        case .flipped: (sx, sy) = (x, h - 1 - y)
                        case .transposed: (sx, sy) = (y, x)
                        case .rotated90: (sx, sy) = (y, h - 1 - x)
                        case .transversed: (sx, sy) = (w - 1 - y, h - 1 - x)
                        case .rotated270: (sx, sy) = (w - 1 - y, x)
                        }
                        let from = (sy * w + sx) * c
                        for channel in 0..<c { target[offset + channel] = source[from + channel] }
                        offset += c
                    }
                }
            }
        }
        return Image(unchecked: outWidth, height: outHeight, layout: image.layout, pixels: out)
    }
}
