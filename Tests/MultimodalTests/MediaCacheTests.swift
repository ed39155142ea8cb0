import Foundation
import Multimodal
import Testing

/// The on-disk cache of encoded pictures: round trip, damage detected (and the entry dropped), LRU bound.
@Suite struct MediaCacheTests {
    static func picture(_ seed: Float, rows: Int = 4) -> EncodedImage {
        EncodedImage(pieces: [.text("<img>"), .token("\n"),
                              .embeddings(EmbeddingBlock(values: (0..<(rows * 8)).map { Float($0) * seed }, count: rows, width: 8,
                                                         bidirectional: true)),
                              .text("</img>")])
    }

    static func folder() -> URL {
        FileManager.default.temporaryDirectory.appendingPathComponent("nook-media-\(UUID().uuidString)")
    }

    @Test func aStoredPictureComesBackExactlyAndOnlyForItsKey() throws {
        let cache = MediaCache(folder: Self.folder())
        cache.store(Self.picture(0.5), for: "proj|img|auto")
        #expect(cache.image(for: "proj|img|auto") == Self.picture(0.5))
        #expect(cache.image(for: "proj|img|64") == nil)
    }

    @Test func aDamagedEntryIsNeverUsedAndIsRemoved() throws {
        let folder = Self.folder()
        let cache = MediaCache(folder: folder)
        cache.store(Self.picture(1), for: "k")
        let file = try #require(try FileManager.default.contentsOfDirectory(at: folder, includingPropertiesForKeys: nil).first)
        var bytes = try Data(contentsOf: file)
        bytes[bytes.count / 2] ^= 0x40
        try bytes.write(to: file)
        #expect(cache.image(for: "k") == nil)
        #expect(!FileManager.default.fileExists(atPath: file.path))
        try Data([1, 2, 3]).write(to: file)   // truncated garbage
        #expect(cache.image(for: "k") == nil)
    }

    @Test func theFolderStaysUnderItsBoundLeastRecentlyUsedFirst() throws {
        let folder = Self.folder()
        let one = MediaCache.encode(Self.picture(1, rows: 64), key: "a").count
        let cache = MediaCache(folder: folder, maxBytes: one * 2 + one / 2)
        cache.store(Self.picture(1, rows: 64), for: "a")
        Thread.sleep(forTimeInterval: 0.02)
        cache.store(Self.picture(2, rows: 64), for: "b")
        Thread.sleep(forTimeInterval: 0.02)
        _ = cache.image(for: "a")            // a is now the most recent
        Thread.sleep(forTimeInterval: 0.02)
        cache.store(Self.picture(3, rows: 64), for: "c")
        #expect(cache.image(for: "b") == nil)
        #expect(cache.image(for: "a") != nil && cache.image(for: "c") != nil)
    }
}
