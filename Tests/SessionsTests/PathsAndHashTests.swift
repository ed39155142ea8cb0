import Foundation
import Testing
@testable import Sessions

@Suite struct PathsAndHashTests {
    @Test func xdgVariablesAreHonoured() {
        let paths = Paths(environment: ["HOME": "/home/ada", "XDG_DATA_HOME": "/data", "XDG_CONFIG_HOME": "/conf", "XDG_CACHE_HOME": "/cache"])
        #expect(paths.sessions.path == "/data/nook/sessions")
        #expect(paths.personas.path == "/conf/nook/personas")
        #expect(paths.themes.path == "/conf/nook/themes")
        #expect(paths.configFile.path == "/conf/nook/config.toml")
        #expect(paths.profileDatabase.path == "/data/nook/profile.sqlite")
        #expect(paths.models.path == "/data/nook/models")
        #expect(paths.cache.path == "/cache/nook")
    }

    @Test func defaultsFollowHomeAndRelativeOrEmptyValuesAreIgnored() {
        let paths = Paths(environment: ["HOME": "/home/ada", "XDG_DATA_HOME": "relative/data", "XDG_CONFIG_HOME": ""])
        #expect(paths.sessions.path == "/home/ada/.local/share/nook/sessions")
        #expect(paths.personas.path == "/home/ada/.config/nook/personas")
        #expect(paths.cache.path == "/home/ada/.cache/nook")
    }

    @Test func sha256OfKnownContent() throws {
        let dir = try TempFolder()
        let abc = try dir.write("abc.txt", "abc")
        #expect(try FileHash.sha256(of: abc) == "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad")
        let empty = try dir.write("empty", "")
        #expect(try FileHash.sha256(of: empty) == "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855")
        // A file larger than the chunk size hashes the same as its bytes in memory.
        let bytes = (0..<300_000).map { UInt8(truncatingIfNeeded: $0 &* 31 &+ 7) }
        let big = dir.file("big.bin")
        try Data(bytes).write(to: big)
        #expect(try FileHash.sha256(of: big, chunkSize: 4096) == FileHash.sha256(of: bytes))
        #expect(FileHash.sha256(of: Array("abc".utf8)) == "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad")
        let missing = dir.file("missing")
        #expect(throws: FileSystemError(path: missing.path, operation: "open", code: ENOENT)) { try FileHash.sha256(of: missing) }
        #expect(FileSystemError(path: "/x", operation: "open", code: ENOENT).description == "/x: cannot open (No such file or directory)")
    }

    @Test func attachmentKindsComeFromExtensionOrContent() throws {
        let dir = try TempFolder()
        #expect(AttachmentFiles.kind(of: try dir.write("a.PNG", "x")) == .image)
        #expect(AttachmentFiles.kind(of: try dir.write("a.flac", "x")) == .audio)
        #expect(AttachmentFiles.kind(of: try dir.write("a.swift", "let x = 1 // ✓")) == .text)
        let binary = dir.file("a.bin")
        try Data([0, 1, 2, 255]).write(to: binary)
        #expect(AttachmentFiles.kind(of: binary) == nil)
        let utf16 = dir.file("notes.log")
        try (Data([0xFF, 0xFE]) + Data("ok ✓".utf16.flatMap { [UInt8($0 & 0xFF), UInt8($0 >> 8)] })).write(to: utf16)
        #expect(AttachmentFiles.kind(of: utf16) == .text)
        try Data([0xFE, 0xFF, 0xD8, 0x3D, 0xDE, 0x00, 0x00, 0x41, 0xD8]).write(to: utf16)  // 😀 A, cut inside a pair
        #expect(AttachmentFiles.kind(of: utf16) == .text)
        try Data([0xFF, 0xFE, 0x41, 0x00, 0x00, 0x00]).write(to: utf16)  // a NUL character
        #expect(AttachmentFiles.kind(of: utf16) == nil)
        #expect(AttachmentFiles.decodeUTF16(Data([0xFE, 0xFF, 0x00, 0xE9])) == "é")
        #expect(AttachmentFiles.decodeUTF16(Data([0x00, 0xE9])) == nil)
        #expect(throws: AttachmentError.unknownKind(path: binary.path, location: "here")) {
            try AttachmentFiles.attachment(for: binary, location: "here")
        }
    }

    @Test func atomicWritesReplaceWholeFilesAndLeaveNoTemporaries() throws {
        let dir = try TempFolder()
        let target = dir.file("x/y/file.toml")
        try DurableFile.makeDirectory(target.deletingLastPathComponent())
        try DurableFile.writeAtomically(Array("one".utf8), to: target)
        try DurableFile.writeAtomically(Array("two".utf8), to: target)
        #expect(try String(contentsOf: target, encoding: .utf8) == "two")
        #expect(try FileManager.default.contentsOfDirectory(atPath: target.deletingLastPathComponent().path) == ["file.toml"])
        let mode = try FileManager.default.attributesOfItem(atPath: dir.file("x").path)[.posixPermissions] as? Int
        #expect(mode == 0o700)
    }
}
