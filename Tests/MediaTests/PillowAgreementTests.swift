import Foundation
import Testing
@testable import Media

/// Every committed image decodes to Pillow's pixels: exactly for lossless formats (and lossy WebP,
/// whose decoder is specified to the bit), within a small tolerance for JPEG.
@Suite struct PillowAgreementTests {
    /// The largest difference in any channel allowed between nook (system libjpeg-turbo 2.1) and
    /// Pillow (its bundled libjpeg-turbo 3.x), both with the default islow IDCT and fancy upsampling.
    /// Measured over every JPEG fixture: 0 (the two agree bit for bit); kept at 0 so any change in
    /// the decoding path shows. If a platform's libjpeg differs, 2 is the most that IDCT and
    /// upsampling choices can account for.
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
