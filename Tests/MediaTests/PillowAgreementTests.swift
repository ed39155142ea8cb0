import Foundation
import Testing
@testable import Media

/// Every committed image decodes to Pillow's pixels: exactly for lossless formats (and lossy WebP, where
/// both run libwebp with its default upsampling), within a measured tolerance for JPEG.
@Suite struct PillowAgreementTests {
    /// The largest difference in any channel allowed between nook's JPEG pixels (the system's
    /// libjpeg-turbo, 2.1.5 on Debian 12) and Pillow's (13.0, with its bundled libjpeg-turbo 3.2.0), both
    /// with libjpeg's defaults: the accurate integer IDCT and fancy (triangular) chroma upsampling.
    /// Measured over the 24 JPEG fixtures (4:4:4, 4:2:2, 4:2:0, progressive, restart markers, grey, CMYK,
    /// YCCK, all eight orientations): no difference at all, so the tolerance is 0. A libjpeg built with
    /// another IDCT or merged upsampling would differ by 1–2 levels and fail here, which is the point.
    static let jpegTolerance = 0

    @Test func theManifestCoversEveryFormatAndVariant() {
        let entries = Fixtures.manifest.images
        #expect(entries.count >= 80, "manifest.json: \(Fixtures.manifest.pillow)")
        for format in ImageFormat.allCases {
            #expect(entries.contains { $0.format == format.rawValue }, "no \(format) fixture")
        }
        #expect(Set(entries.filter { $0.format == "jpeg" }.map(\.orientation)) == Set(1...8))
        #expect(entries.contains { $0.mode == "RGBA" && $0.format == "gif" })
        #expect(Fixtures.manifest.hostile.count >= 45)
    }

    @Test(arguments: Fixtures.manifest.images)
    func decodesLikePillow(_ entry: Fixtures.Entry) throws {
        let decoded = try ImageDecoder().decode(fileAt: entry.path)
        let expected = try Fixtures.bytes(entry.pixels)
        #expect(decoded.format.rawValue == entry.format)
        #expect(decoded.orientation.rawValue == entry.orientation)
        let image = decoded.image
        #expect(image.width == entry.width && image.height == entry.height, "\(image.width)×\(image.height)")
        #expect(image.layout == (entry.mode == "RGBA" ? .rgba8 : .rgb8))
        try #require(image.pixels.count == expected.count)
        let worst = zip(image.pixels, expected).map { abs(Int($0) - Int($1)) }.max() ?? 0
        let tolerance = entry.compare == "jpeg" ? Self.jpegTolerance : 0
        if worst > tolerance, let first = zip(image.pixels, expected).enumerated().first(where: { $0.element.0 != $0.element.1 }) {
            let pixel = first.offset / image.layout.channels
            Issue.record("\(entry.name): differs by up to \(worst) (first at x \(pixel % image.width), y \(pixel / image.width))")
        }
    }
}
