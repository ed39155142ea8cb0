import Foundation
import Sessions
import Testing
import TestSupport

/// Pictures through the real binary: `nook run --attach` with a vision projector records a session that
/// `nook replay --check` reproduces, the media cache saves the second encoding, and problems get one line.
@Suite(.serialized) struct ImageSessionTests {
    /// The e2e decoder and the idefics3 projector of Tests/MultimodalTests/Fixtures, with its small picture.
    static func files(_ home: NookHome) throws -> (decoder: String, mmproj: String, picture: URL) {
        let picture = home.root.appendingPathComponent("small.png")
        try FileManager.default.copyItem(at: MmprojFixture.folder.appendingPathComponent("small.png"), to: picture)
        return (try MmprojFixture.cachedFile("decoder"), try MmprojFixture.cachedFile("idefics3"), picture)
    }

    @Test func aSessionWithAPictureReplaysAndChecks() throws {
        let home = try NookHome()
        let (decoder, mmproj, picture) = try Self.files(home)
        let args = ["run", "--model", decoder, "--mmproj", mmproj, "--image-tokens", "64", "-n", "6", "--temp", "0",
                    "--attach", picture.path, "What is in this picture?"]
        let first = try home.run(args)
        #expect(first.status == 0, "\(first.stderr)")
        let cache = home.root.appendingPathComponent("cache/nook/media")
        let entries = try FileManager.default.contentsOfDirectory(atPath: cache.path).filter { $0.hasSuffix(".emb") }
        #expect(entries.count == 1, "one encoded picture in the media cache: \(entries)")
        let log = try #require(try home.sessionFiles().first)
        let contents = try SessionLogReader.read(log)
        #expect(contents.start.model.mmproj == mmproj && contents.start.model.imageTokens == 64)
        guard case .user(let turn) = contents.entries.first?.event else {
            Issue.record("no user turn")
            return
        }
        #expect(turn.attachments.map(\.kind) == [.image])

        // The replay finds the projector in the log and reproduces the reply.
        let replay = try home.run(["replay", "--check", log.path])
        #expect(replay.status == 0, "\(replay.stdout)\n\(replay.stderr)")
        #expect(try FileManager.default.contentsOfDirectory(atPath: cache.path).filter { $0.hasSuffix(".emb") }.count == 1)

        // A changed picture is named, not silently used.
        try Data([0x89, 0x50]).write(to: picture)
        let changed = try home.run(["replay", "--check", log.path])
        #expect(changed.status != 0)
        #expect(changed.stderr.contains(picture.path) && changed.stderr.contains("changed"), "\(changed.stderr)")
    }

    @Test func generateAndEmbedImageTakeAPicture() throws {
        let home = try NookHome()
        let (decoder, mmproj, picture) = try Self.files(home)
        let generate = try home.run(["generate", "--model", decoder, "--mmproj", mmproj, "--image", picture.path,
                                     "--image-tokens", "64", "--temp", "0", "-n", "4", "--stats", "--prompt", "Describe it."])
        #expect(generate.status == 0, "\(generate.stderr)")
        #expect(generate.stderr.contains("images: 1 encoded"))
        let embed = try home.run(["embed-image", "--mmproj", mmproj, "--image", picture.path, "--image-tokens", "64", "-t", "1"])
        #expect(embed.status == 0, "\(embed.stderr)")
        let rows = embed.stdout.split(separator: "\n")
        #expect(rows.count == 64 && rows.allSatisfy { $0.split(separator: " ").count == 576 })
    }

    @Test func picturesWithoutAProjectorOrThatDoNotDecodeGetOneLine() throws {
        let home = try NookHome()
        let (decoder, mmproj, picture) = try Self.files(home)
        let blind = try home.run(["run", "--model", decoder, "--attach", picture.path, "--no-save", "What is this?"])
        #expect(blind.status != 0)
        #expect(blind.stderr == "nook: \(picture.path): this model cannot see images: load a vision projector with --mmproj\n")
        let broken = home.root.appendingPathComponent("broken.png")
        try Data([0x89, 0x50, 0x4E, 0x47, 0x0D, 0x0A, 0x1A, 0x0A, 0, 0, 0]).write(to: broken)
        let bad = try home.run(["run", "--model", decoder, "--mmproj", mmproj, "--attach", broken.path, "--no-save", "Hi"])
        #expect(bad.status != 0)
        #expect(bad.stderr.hasPrefix("nook: \(broken.path): ") && bad.stderr.split(separator: "\n").count == 1, "\(bad.stderr)")
        let generate = try home.run(["generate", "--model", decoder, "--image", picture.path, "--prompt", "Hi"])
        #expect(generate.status != 0)
        #expect(generate.stderr.contains("this model cannot see images: load a vision projector with --mmproj"))
    }
}
