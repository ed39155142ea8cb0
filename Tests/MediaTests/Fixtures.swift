import Foundation
@testable import Media

/// The committed fixtures written by tools/make_image_fixtures.py, and Pillow's pixels for them.
enum Fixtures {
    static let folder = URL(fileURLWithPath: #filePath).deletingLastPathComponent().appendingPathComponent("Fixtures")

    /// One decodable file of manifest.json.
    struct Entry: Decodable, CustomStringConvertible {
        var name: String
        var file: String
        var format: String
        var width: Int
        var height: Int
        var mode: String
        var orientation: Int
        var compare: String
        var pixels: String

        var description: String { name }
        var path: String { Fixtures.folder.appendingPathComponent(file).path }
    }

    /// One file of manifest.json that must be refused.
    struct Hostile: Decodable, CustomStringConvertible {
        var file: String
        /// The start of the expected problem text; alternatives are separated by "|".
        var error: String

        var description: String { file }
        var path: String { Fixtures.folder.appendingPathComponent(file).path }
    }

    struct Manifest: Decodable {
        var pillow: String
        var images: [Entry]
        var hostile: [Hostile]
    }

    static let manifest: Manifest = {
        do {
            let data = try Data(contentsOf: folder.appendingPathComponent("manifest.json"))
            return try JSONDecoder().decode(Manifest.self, from: data)
        } catch {
            return Manifest(pillow: "missing (\(error))", images: [], hostile: [])
        }
    }()

    static func bytes(_ relative: String) throws -> [UInt8] {
        [UInt8](try Data(contentsOf: folder.appendingPathComponent(relative)))
    }
}
