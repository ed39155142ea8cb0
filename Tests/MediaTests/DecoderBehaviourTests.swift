import Foundation
import Testing
@testable import Media

/// Limits, recognition by content, orientation and colour conversion, one behaviour at a time.
@Suite struct DecoderBehaviourTests {
    static func fixture(_ name: String) throws -> [UInt8] { try Fixtures.bytes("images/\(name)") }

    @Test func thePixelLimitIsCheckedFromTheHeaderAndConfigurable() throws {
        let bytes = try Self.fixture("png-rgb-17x9.png")
        #expect(ImageLimits().maxPixels == 50_000_000)
        #expect(throws: ImageError(file: "a.png", problem: .tooManyPixels(.png, width: 17, height: 9, limit: 152))) {
            try ImageDecoder(limits: ImageLimits(maxPixels: 152)).decode(bytes, name: "a.png")
        }
        #expect(try ImageDecoder(limits: ImageLimits(maxPixels: 153)).decode(bytes, name: "a.png").image.width == 17)
        for format in ["jpeg-17x9.jpg", "webp-lossy-17x9.webp", "gif-17x9.gif", "bmp-24-17x9.bmp"] {
            let error = #expect(throws: ImageError.self) {
                try ImageDecoder(limits: ImageLimits(maxPixels: 100)).decode(try Self.fixture(format), name: format)
            }
            #expect(error?.description.contains("17×9 pixels, over the 100-pixel limit: refused without decoding") == true)
        }
        let side = ImageError(file: "b.bmp", problem: .badDimensions(.bmp, width: 17, height: 9, maxSide: 16))
        #expect(throws: side) { try ImageDecoder(limits: ImageLimits(maxSide: 16)).decode(try Self.fixture("bmp-24-17x9.bmp"), name: "b.bmp") }
    }

    @Test func formatsAreRecognisedByContentNotByName() throws {
        #expect(ImageDecoder.format(of: try Self.fixture("png-named-as-jpeg.jpg")) == .png)
        #expect(ImageDecoder.format(of: try Self.fixture("jpeg-17x9.jpg")) == .jpeg)
        #expect(ImageDecoder.format(of: try Self.fixture("webp-lossless-3x5.webp")) == .webp)
        #expect(ImageDecoder.format(of: try Self.fixture("gif-1x1.gif")) == .gif)
        #expect(ImageDecoder.format(of: try Self.fixture("bmp-24-core-header-3x5.bmp")) == .bmp)
        #expect(ImageDecoder.format(of: Array("BMW cars are fast".utf8)) == nil)
        #expect(ImageDecoder.format(of: []) == nil)
        #expect(throws: ImageError(file: "x", problem: .unrecognised(head: "42 4d 57"))) {
            try ImageDecoder().decode(Array("BMW".utf8), name: "x")
        }
    }

    /// A 3×2 picture whose pixels are numbered 0…5, row by row.
    static let numbered = Image(width: 3, height: 2, layout: .rgb8, pixels: (0..<6).flatMap { [UInt8($0), 0, 0] })

    @Test(arguments: [
        (Orientation.normal, 3, [0, 1, 2, 3, 4, 5]),
        (.mirrored, 3, [2, 1, 0, 5, 4, 3]),
        (.rotated180, 3, [5, 4, 3, 2, 1, 0]),
        (.flipped, 3, [3, 4, 5, 0, 1, 2]),
        (.transposed, 2, [0, 3, 1, 4, 2, 5]),
        (.rotated90, 2, [3, 0, 4, 1, 5, 2]),
        (.transversed, 2, [5, 2, 4, 1, 3, 0]),
        (.rotated270, 2, [2, 5, 1, 4, 0, 3]),
    ])
    func orientationsTurnThePictureUpright(_ orientation: Orientation, width: Int, order: [Int]) throws {
        let image = try #require(Self.numbered)
        let upright = orientation.apply(to: image)
        #expect(upright.width == width && upright.height == 6 / width)
        #expect(stride(from: 0, to: upright.pixels.count, by: 3).map { Int(upright.pixels[$0]) } == order)
    }

    @Test func exifOrientationIsReadInBothByteOrdersAndIgnoredWhenInvalid() {
        func tiff(_ little: Bool, value: Int, type: Int = 3) -> [UInt8] {
            func u16(_ v: Int) -> [UInt8] { little ? [UInt8(v & 255), UInt8(v >> 8)] : [UInt8(v >> 8), UInt8(v & 255)] }
            func u32(_ v: Int) -> [UInt8] { little ? u16(v & 0xFFFF) + u16(v >> 16) : u16(v >> 16) + u16(v & 0xFFFF) }
            return (little ? [0x49, 0x49] : [0x4D, 0x4D]) + u16(42) + u32(8) + u16(1) + u16(0x0112) + u16(type) + u32(1) + u16(value) + u16(0)
        }
        #expect(Orientation.fromEXIF(tiff(true, value: 6)) == .rotated90)
        #expect(Orientation.fromEXIF(tiff(false, value: 8)) == .rotated270)
        #expect(Orientation.fromEXIF(tiff(true, value: 0)) == .normal)
        #expect(Orientation.fromEXIF(tiff(true, value: 3, type: 4)) == .normal)
        #expect(Orientation.fromEXIF(Array(tiff(true, value: 3).prefix(12))) == .normal)
        #expect(Orientation.fromEXIF([]) == .normal)
    }

    @Test func cmykIsConvertedWithPillowsFormula() {
        // Stored values are Adobe-inverted: 255 is no ink. R = (255 − K) − C × (255 − K) / 255.
        #expect(JPEGCodec.rgb(fromInvertedCMYK: [255, 255, 255, 255]) == [255, 255, 255])
        #expect(JPEGCodec.rgb(fromInvertedCMYK: [0, 128, 255, 255]) == [0, 128, 255])
        #expect(JPEGCodec.rgb(fromInvertedCMYK: [0, 128, 255, 0]) == [0, 0, 0])
        #expect(JPEGCodec.rgb(fromInvertedCMYK: [200, 100, 50, 128]) == [100, 50, 25])
    }

    @Test func progressiveJPEGsWithTooManyScansAreRefused() throws {
        let bytes = try Self.fixture("jpeg-progressive-444-64x48.jpg")
        #expect(throws: ImageError(file: "p.jpg", problem: .invalid(.jpeg, "more than 2 progressive scans"))) {
            try ImageDecoder(limits: ImageLimits(maxJPEGScans: 2)).decode(bytes, name: "p.jpg")
        }
        #expect(try ImageDecoder().decode(bytes, name: "p.jpg").image.width == 64)
    }

    @Test func aGIFFrameReachingPastTheScreenIsClipped() throws {
        var bytes = try Self.fixture("gif-frame-inside-screen-9x7.gif")
        let original = try ImageDecoder().decode(bytes, name: "g.gif").image
        let tableBytes = bytes[10] & 0x80 != 0 ? 3 << (Int(bytes[10] & 7) + 1) : 0
        let descriptor = try #require(bytes[(13 + tableBytes)...].firstIndex(of: 0x2C))
        (bytes[descriptor + 1], bytes[descriptor + 3]) = (7, 6)  // the 5×3 frame now starts at (7, 6)
        let clipped = try ImageDecoder().decode(bytes, name: "g.gif").image
        #expect(clipped.width == 9 && clipped.height == 7)
        #expect(clipped.pixel(x: 8, y: 6) == original.pixel(x: 3, y: 3))
        #expect(clipped.pixel(x: 0, y: 0) == original.pixel(x: 0, y: 0))
    }

    @Test func imagesCheckTheirSizesAndDropAlpha() throws {
        #expect(Image(width: 2, height: 1, layout: .rgb8, pixels: [1, 2, 3]) == nil)
        #expect(Image(width: 0, height: 1, layout: .rgb8, pixels: []) == nil)
        let image = try #require(Image(width: 2, height: 1, layout: .rgba8, pixels: [1, 2, 3, 4, 5, 6, 7, 8]))
        #expect(image.pixel(x: 1, y: 0) == [5, 6, 7, 8])
        #expect(image.pixel(x: 2, y: 0) == nil)
        #expect(image.droppingAlpha() == Image(width: 2, height: 1, layout: .rgb8, pixels: [1, 2, 3, 5, 6, 7]))
    }

    @Test func problemsReadAsOneLine() {
        #expect(ImageProblem.tooManyPixels(.png, width: 10000, height: 10000, limit: 50_000_000).description
            == "the PNG header says 10000×10000 pixels (100 megapixels), over the 50-megapixel limit: refused without decoding")
        #expect(ImageProblem.invalid(.png, "line one\nline two.").description == "invalid PNG data (line one line two)")
        #expect(ImageProblem.unsupported(.bmp, "RLE8 compression").description == "unsupported BMP variant (RLE8 compression)")
        #expect(ImageProblem.truncated(.gif, String(repeating: "x", count: 300)).description.count < 200)
    }
}
