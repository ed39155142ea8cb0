import CImageCodecs

/// JPEG through libjpeg-turbo: baseline, progressive, grey, CMYK and YCCK; the EXIF orientation is applied.
enum JPEGCodec: ImageCodec {
    static func matches(_ bytes: [UInt8]) -> Bool {
        bytes.starts(with: [0xFF, 0xD8, 0xFF])
    }

    static func decode(_ bytes: [UInt8], limits: ImageLimits) throws(ImageProblem) -> DecodedImage {
        let message = CodecMessage()
        var info = nook_jpeg_info()
        var status = NOOK_CODEC_OK
        let (stored, orientation) = try bytes.withUnsafeBufferPointer { (data) throws(ImageProblem) -> (Image, Orientation) in
            guard let base = data.baseAddress,
                  let jpeg = nook_jpeg_open(base, data.count, Int32(clamping: limits.maxJPEGScans), &info, &status, message.buffer)
            else { throw message.problem(status, .jpeg) }
            defer { nook_jpeg_close(jpeg) }
            let (width, height) = (Int(info.width), Int(info.height))
            try limits.check(.jpeg, width: width, height: height)
            let channels = Int(info.output_channels)
            guard channels == 3 || channels == 4 else { throw .unsupported(.jpeg, "\(channels) output channels") }
            var orientation = Orientation.normal
            if let exif = info.exif, info.exif_size > 0 {
                orientation = Orientation.fromEXIF(Array(UnsafeBufferPointer(start: exif, count: info.exif_size)))
            }
            var pixels = [UInt8](repeating: 0, count: width * height * channels)
            let result = pixels.withUnsafeMutableBufferPointer { out in
                nook_jpeg_read(jpeg, out.baseAddress, width * channels, message.buffer)
            }
            guard result == NOOK_CODEC_OK else { throw message.problem(result, .jpeg) }
            if channels == 4 { pixels = rgb(fromInvertedCMYK: pixels) }
            return (Image(unchecked: width, height: height, layout: .rgb8, pixels: pixels), orientation)
        }
        return DecodedImage(image: orientation.apply(to: stored), format: .jpeg, orientation: orientation)
    }

    /// CMYK as Adobe stores it (inverted: 255 is no ink) to RGB with Pillow's formula,
    /// R = (255 − K) − (C × (255 − K)) / 255 rounded, where C and K are the ink amounts.
    static func rgb(fromInvertedCMYK cmyk: [UInt8]) -> [UInt8] {
        let count = cmyk.count / 4
        var rgb = [UInt8](repeating: 0, count: count * 3)
        for i in 0..<count {
            let nk = Int(cmyk[i * 4 + 3])  // 255 − K
            for channel in 0..<3 {
                let ink = 255 - Int(cmyk[i * 4 + channel])
                let t = ink * nk + 128
                let product = ((t >> 8) + t) >> 8  // Pillow's MULDIV255: ink × nk / 255, rounded
                rgb[i * 3 + channel] = UInt8(clamping: nk - product)
            }
        }
        return rgb
    }
}
