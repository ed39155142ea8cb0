import CGIF

/// GIF through giflib: the first frame, composed onto the logical screen, with its transparent colour.
///
/// Outside the frame the screen shows the transparent colour when the frame has one, else colour 0 of
/// its palette (as Pillow does); a frame reaching past the screen is clipped to it.
enum GIFCodec: ImageCodec {
    static func matches(_ bytes: [UInt8]) -> Bool {
        bytes.starts(with: Array("GIF87a".utf8)) || bytes.starts(with: Array("GIF89a".utf8))
    }

    /// The bytes giflib reads through `read`, and how far it has read.
    private struct Source {
        var base: UnsafePointer<UInt8>
        var count: Int
        var offset = 0
        /// Whether giflib asked for bytes past the end.
        var ranOut = false
    }

    /// giflib's input callback: copies up to `length` bytes and returns how many it copied.
    private static func read(_ gif: UnsafeMutablePointer<GifFileType>?, _ out: UnsafeMutablePointer<GifByteType>?,
                             _ length: Int32) -> Int32 {
        guard let gif, let out, let user = gif.pointee.UserData, length > 0 else { return 0 }
        let source = user.assumingMemoryBound(to: Source.self)
        let n = min(Int(length), source.pointee.count - source.pointee.offset)
        if n < Int(length) { source.pointee.ranOut = true }
        guard n > 0 else { return 0 }
        out.update(from: source.pointee.base + source.pointee.offset, count: n)
        source.pointee.offset += n
        return Int32(n)
    }

    static func decode(_ bytes: [UInt8], limits: ImageLimits) throws(ImageProblem) -> DecodedImage {
        let image = try bytes.withUnsafeBufferPointer { (data) throws(ImageProblem) -> Image in
            guard let base = data.baseAddress else { throw .empty }
            let source = UnsafeMutablePointer<Source>.allocate(capacity: 1)
            source.initialize(to: Source(base: base, count: data.count))
            defer { source.deallocate() }
            var error: Int32 = 0
            guard let gif = DGifOpen(source, { GIFCodec.read($0, $1, $2) }, &error) else { throw problem(error, ranOut: source.pointee.ranOut) }
            defer { DGifCloseFile(gif, &error) }
            return try firstFrame(gif, limits: limits)
        }
        return DecodedImage(image: image, format: .gif, orientation: .normal)
    }

    private static func firstFrame(_ gif: UnsafeMutablePointer<GifFileType>, limits: ImageLimits) throws(ImageProblem) -> Image {
        let (width, height) = (Int(gif.pointee.SWidth), Int(gif.pointee.SHeight))
        try limits.check(.gif, width: width, height: height)
        var transparent = -1
        while true {
            var record = UNDEFINED_RECORD_TYPE
            guard DGifGetRecordType(gif, &record) == GIF_OK else { throw failure(gif) }
            switch record {
            case EXTENSION_RECORD_TYPE:
                var code: Int32 = 0
                var block: UnsafeMutablePointer<GifByteType>?
                guard DGifGetExtension(gif, &code, &block) == GIF_OK else { throw failure(gif) }
                if code == GRAPHICS_EXT_FUNC_CODE, let block {
                    var control = GraphicsControlBlock()
                    if DGifExtensionToGCB(Int(block[0]), block + 1, &control) == GIF_OK { transparent = Int(control.TransparentColor) }
                }
                while block != nil {
                    guard DGifGetExtensionNext(gif, &block) == GIF_OK else { throw failure(gif) }
                }
            case IMAGE_DESC_RECORD_TYPE:
                guard DGifGetImageDesc(gif) == GIF_OK else { throw failure(gif) }
                return try compose(gif, width: width, height: height, transparent: transparent, limits: limits)
            case TERMINATE_RECORD_TYPE:
                throw .invalid(.gif, "the file holds no image")
            default:
                throw .invalid(.gif, "unexpected record")
            }
        }
    }

    /// Reads the frame's rows (de-interlacing) and paints them onto the screen.
    private static func compose(_ gif: UnsafeMutablePointer<GifFileType>, width: Int, height: Int, transparent: Int,
                                limits: ImageLimits) throws(ImageProblem) -> Image {
        let frame = gif.pointee.Image
        let (left, top, frameWidth, frameHeight) = (Int(frame.Left), Int(frame.Top), Int(frame.Width), Int(frame.Height))
        // The frame's own header is as binding as the screen's: its rows are decoded even where clipped.
        try limits.check(.gif, width: frameWidth, height: frameHeight)
        var palette = [UInt8](repeating: 0, count: 256 * 3)
        if let map = frame.ColorMap ?? gif.pointee.SColorMap, let colors = map.pointee.Colors {
            for i in 0..<min(Int(map.pointee.ColorCount), 256) {
                palette[i * 3] = colors[i].Red
                palette[i * 3 + 1] = colors[i].Green
                palette[i * 3 + 2] = colors[i].Blue
            }
        } else {
            for i in 0..<256 { (palette[i * 3], palette[i * 3 + 1], palette[i * 3 + 2]) = (UInt8(i), UInt8(i), UInt8(i)) }
        }
        let layout: Image.Layout = transparent >= 0 ? .rgba8 : .rgb8
        let channels = layout.channels
        let fill = transparent >= 0 && transparent < 256 ? transparent : 0
        let background: [UInt8] = [palette[fill * 3], palette[fill * 3 + 1], palette[fill * 3 + 2], transparent >= 0 ? 0 : 255]
        var pixels = [UInt8](repeating: 0, count: width * height * channels)
        for i in 0..<(width * height) {
            for c in 0..<channels { pixels[i * channels + c] = background[c] }
        }
        // Rows in the order they are stored: all rows, or Adam-like passes 0/8, 4/8, 2/4, 1/2.
        let passes: [(start: Int, step: Int)] = frame.Interlace ? [(0, 8), (4, 8), (2, 4), (1, 2)] : [(0, 1)]
        var line = [GifPixelType](repeating: 0, count: frameWidth)
        for pass in passes {
            for row in stride(from: pass.start, to: frameHeight, by: pass.step) {
                let ok = line.withUnsafeMutableBufferPointer { DGifGetLine(gif, $0.baseAddress, Int32(frameWidth)) }
                guard ok == GIF_OK else { throw failure(gif) }
                let y = top + row
                guard y < height else { continue }
                for x in 0..<frameWidth where left + x < width {
                    let index = Int(line[x])
                    if index == transparent { continue }
                    let at = (y * width + left + x) * channels
                    pixels[at] = palette[index * 3]
                    pixels[at + 1] = palette[index * 3 + 1]
                    pixels[at + 2] = palette[index * 3 + 2]
                    if channels == 4 { pixels[at + 3] = 255 }
                }
            }
        }
        return Image(unchecked: width, height: height, layout: layout, pixels: pixels)
    }

    /// Why giflib stopped reading `gif`.
    private static func failure(_ gif: UnsafeMutablePointer<GifFileType>) -> ImageProblem {
        let ranOut = gif.pointee.UserData.map { $0.assumingMemoryBound(to: Source.self).pointee.ranOut } ?? false
        return problem(gif.pointee.Error, ranOut: ranOut)
    }

    /// A giflib error code as a problem; any error after the data ran out is a truncated file.
    private static func problem(_ code: Int32, ranOut: Bool) -> ImageProblem {
        let text = GifErrorString(code).map { String(cString: $0) } ?? "giflib error \(code)"
        if ranOut { return .truncated(.gif, "the file ends before the image does; giflib: \(text)") }
        switch code {
        case D_GIF_ERR_READ_FAILED, D_GIF_ERR_EOF_TOO_SOON: return .truncated(.gif, text)
        case D_GIF_ERR_NOT_ENOUGH_MEM: return .outOfMemory(.gif)
        default: return .invalid(.gif, text)
        }
    }
}
