/// BMP, decoded here: 1/4/8-bit palettes, 16/24/32-bit BI_RGB and BI_BITFIELDS, bottom-up and top-down;
/// RLE and embedded JPEG/PNG are refused.
///
/// As in Pillow, 32-bit BI_RGB ignores the fourth byte, and only a bit-field alpha mask makes an RGBA image.
enum BMPCodec: ImageCodec {
    /// The DIB header sizes: core (OS/2 1.x), info, V2, V3, V4 and V5.
    static let headerSizes: Set<Int> = [12, 40, 52, 56, 108, 124]

    static func matches(_ bytes: [UInt8]) -> Bool {
        guard bytes.starts(with: [0x42, 0x4D]), let size = ByteReader(bytes).u32(at: 14) else { return false }
        return headerSizes.contains(size) || size == 64
    }

    /// The parts of the header that say how to read the pixels.
    private struct Header {
        var width = 0
        var height = 0
        var topDown = false
        var bitsPerPixel = 0
        var compression = 0
        var colorsUsed = 0
        /// Red, green, blue and alpha masks (alpha 0: none).
        var masks: [Int] = []
        var paletteOffset = 0
        var paletteEntryBytes = 4
        var pixelOffset = 0
    }

    static func decode(_ bytes: [UInt8], limits: ImageLimits) throws(ImageProblem) -> DecodedImage {
        let header = try readHeader(ByteReader(bytes))
        try limits.check(.bmp, width: header.width, height: header.height)
        let image = header.bitsPerPixel <= 8
            ? try paletted(bytes, header)
            : try packed(bytes, header)
        return DecodedImage(image: image, format: .bmp, orientation: .normal)
    }

    private static func readHeader(_ reader: ByteReader) throws(ImageProblem) -> Header {
        guard let pixelOffset = reader.u32(at: 10), let size = reader.u32(at: 14) else {
            throw .truncated(.bmp, "the file ends inside its header")
        }
        if size == 64 { throw .unsupported(.bmp, "OS/2 2.x header") }
        guard reader.bytes.count >= 14 + size else { throw .truncated(.bmp, "the file ends inside its header") }
        var header = Header(pixelOffset: pixelOffset)
        if size == 12 {
            // BITMAPCOREHEADER: unsigned 16-bit sides, always bottom-up, 3-byte palette entries.
            header.width = reader.u16(at: 18) ?? 0
            header.height = reader.u16(at: 20) ?? 0
            header.bitsPerPixel = reader.u16(at: 24) ?? 0
            header.paletteEntryBytes = 3
            header.paletteOffset = 26
        } else {
            let height = reader.i32(at: 22) ?? 0
            header.width = reader.i32(at: 18) ?? 0
            header.height = abs(height)
            header.topDown = height < 0
            header.bitsPerPixel = reader.u16(at: 28) ?? 0
            header.compression = reader.u32(at: 30) ?? 0
            header.colorsUsed = reader.u32(at: 46) ?? 0
            header.paletteOffset = 14 + size
            if header.compression == 3 || header.compression == 6 {
                // Masks sit inside V2+ headers (three in V2, four from V3), and right after a 40-byte one.
                let inside = size >= 56 ? 4 : size == 52 ? 3 : 0
                let count = inside > 0 ? inside : header.compression == 6 ? 4 : 3
                header.masks = (0..<count).map { reader.u32(at: 54 + $0 * 4) ?? 0 }
                if inside == 0 { header.paletteOffset += count * 4 }
                while header.masks.count < 4 { header.masks.append(0) }
            }
        }
        switch header.compression {
        case 0, 3, 6: break
        case 1: throw .unsupported(.bmp, "RLE8 compression")
        case 2: throw .unsupported(.bmp, "RLE4 compression")
        case 4: throw .unsupported(.bmp, "embedded JPEG")
        case 5: throw .unsupported(.bmp, "embedded PNG")
        default: throw .unsupported(.bmp, "compression type \(header.compression)")
        }
        guard [1, 4, 8, 16, 24, 32].contains(header.bitsPerPixel) else {
            throw .unsupported(.bmp, "\(header.bitsPerPixel) bits a pixel")
        }
        if header.compression != 0 && header.bitsPerPixel < 16 {
            throw .invalid(.bmp, "bit fields with \(header.bitsPerPixel) bits a pixel")
        }
        return header
    }

    /// The bytes of each stored row, padded to four, and where row `y` (top first) starts.
    private static func rows(_ bytes: [UInt8], _ header: Header) throws(ImageProblem) -> (stride: Int, start: (Int) -> Int) {
        let stride = (header.width * header.bitsPerPixel + 31) / 32 * 4
        let needed = stride * header.height
        guard header.pixelOffset >= 14, header.pixelOffset <= bytes.count, bytes.count - header.pixelOffset >= needed else {
            throw .truncated(.bmp, "the pixels take \(needed) bytes from offset \(header.pixelOffset), the file ends at \(bytes.count)")
        }
        let (offset, height, topDown) = (header.pixelOffset, header.height, header.topDown)
        return (stride, { y in offset + (topDown ? y : height - 1 - y) * stride })
    }

    private static func paletted(_ bytes: [UInt8], _ header: Header) throws(ImageProblem) -> Image {
        let maximum = 1 << header.bitsPerPixel
        let count = header.colorsUsed == 0 ? maximum : min(header.colorsUsed, maximum)
        let entry = header.paletteEntryBytes
        guard header.paletteOffset + count * entry <= bytes.count else { throw .truncated(.bmp, "the file ends inside its palette") }
        // Indexes past the palette are black.
        var palette = [UInt8](repeating: 0, count: maximum * 3)
        for i in 0..<count {
            let at = header.paletteOffset + i * entry
            (palette[i * 3], palette[i * 3 + 1], palette[i * 3 + 2]) = (bytes[at + 2], bytes[at + 1], bytes[at])
        }
        let (_, start) = try rows(bytes, header)
        let (width, bits) = (header.width, header.bitsPerPixel)
        let perByte = 8 / bits
        let mask = (1 << bits) - 1
        var pixels = [UInt8](repeating: 0, count: width * header.height * 3)
        for y in 0..<header.height {
            let row = start(y)
            for x in 0..<width {
                let byte = Int(bytes[row + x / perByte])
                let index = byte >> ((perByte - 1 - x % perByte) * bits) & mask
                let at = (y * width + x) * 3
                (pixels[at], pixels[at + 1], pixels[at + 2]) = (palette[index * 3], palette[index * 3 + 1], palette[index * 3 + 2])
            }
        }
        return Image(unchecked: width, height: header.height, layout: .rgb8, pixels: pixels)
    }

    /// One colour channel of a bit-field layout.
    private struct Field {
        var mask = 0
        var shift = 0
        var maximum = 0

        /// The field for `mask`, or nil unless its bits are one run inside the pixel's `bits`.
        init?(_ mask: Int, bits: Int) {
            guard mask >= 0, mask < 1 << bits else { return nil }
            guard mask != 0 else { return }
            let run = mask >> mask.trailingZeroBitCount
            guard run & (run + 1) == 0 else { return nil }
            (self.mask, shift, maximum) = (mask, mask.trailingZeroBitCount, run)
        }

        /// The channel as 8 bits: `value × 255 / maximum`, rounded down (as Pillow's unpackers).
        func value(_ pixel: Int) -> UInt8 {
            guard maximum > 0 else { return 0 }
            let raw = (pixel & mask) >> shift
            return maximum == 255 ? UInt8(raw) : UInt8(raw * 255 / maximum)
        }
    }

    private static func packed(_ bytes: [UInt8], _ header: Header) throws(ImageProblem) -> Image {
        let bits = header.bitsPerPixel
        var masks = header.masks
        if header.compression == 0 {
            masks = bits == 16 ? [0x7C00, 0x03E0, 0x001F, 0] : [0xFF0000, 0x00FF00, 0x0000FF, 0]
        }
        guard masks.count == 4 else { throw .invalid(.bmp, "missing bit masks") }
        var fields: [Field] = []
        for mask in masks {
            guard let field = Field(mask, bits: bits) else {
                throw .invalid(.bmp, "bit mask 0x\(String(mask, radix: 16)) is not one run of bits inside \(bits) bits")
            }
            fields.append(field)
        }
        if masks[0] | masks[1] | masks[2] == 0 { throw .invalid(.bmp, "the colour bit masks are all zero") }
        let layout: Image.Layout = masks[3] != 0 ? .rgba8 : .rgb8
        let channels = layout.channels
        let (_, start) = try rows(bytes, header)
        let (width, pixelBytes) = (header.width, bits / 8)
        var pixels = [UInt8](repeating: 255, count: width * header.height * channels)
        for y in 0..<header.height {
            let row = start(y)
            for x in 0..<width {
                let from = row + x * pixelBytes
                var value = 0
                for k in 0..<pixelBytes { value |= Int(bytes[from + k]) << (8 * k) }
                let at = (y * width + x) * channels
                for c in 0..<channels { pixels[at + c] = fields[c].value(value) }
            }
        }
        return Image(unchecked: width, height: header.height, layout: layout, pixels: pixels)
    }
}
