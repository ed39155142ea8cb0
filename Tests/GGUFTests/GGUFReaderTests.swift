import Foundation
import Testing
import Engine
import GGUF
import TestSupport

/// A small valid file with every metadata type and two tensors.
private func sampleWriter() -> GGUFWriter {
    var w = GGUFWriter()
    w.add("general.architecture", .string("llama"))
    w.add("u8", .uint8(7))
    w.add("i8", .int8(-7))
    w.add("u16", .uint16(65535))
    w.add("i16", .int16(-300))
    w.add("u32", .uint32(4_000_000_000))
    w.add("i32", .int32(-5))
    w.add("u64", .uint64(1 << 40))
    w.add("i64", .int64(-(1 << 40)))
    w.add("f32", .float32(1.5))
    w.add("f64", .float64(-2.25))
    w.add("flag", .bool(true))
    w.add("name", .string("日本語 ✓"))
    w.add("nested", .array(.array, [.array(.int32, [.int32(1), .int32(2)]), .array(.int32, [])]))
    w.add("strings", .array(.string, [.string("a"), .string(""), .string("ccc")]))
    w.addTensor("a", shape: [4, 2], floats: [1, 2, 3, 4, 5, 6, 7, 8])
    w.addTensor("b", shape: [3], floats: [9, 10, 11])
    return w
}

private func expectError(_ bytes: [UInt8], contains fragment: String, sourceLocation: SourceLocation = #_sourceLocation) throws {
    let dir = FileManager.default.temporaryDirectory.appendingPathComponent("nook-gguf-\(UUID().uuidString)")
    try FileManager.default.createDirectory(at: dir, withIntermediateDirectories: true)
    let path = dir.appendingPathComponent("bad.gguf").path
    try Data(bytes).write(to: URL(fileURLWithPath: path))
    do {
        _ = try GGUFFile(path: path)
        Issue.record("expected an error containing '\(fragment)'", sourceLocation: sourceLocation)
    } catch {
        #expect(error.description.hasPrefix(path + ": "), sourceLocation: sourceLocation)
        #expect(error.description.contains(fragment), "\(error.description)", sourceLocation: sourceLocation)
        #expect(!error.description.contains("\n"), sourceLocation: sourceLocation)
    }
}

@Suite struct GGUFReaderTests {
    @Test func readsEveryMetadataType() throws {
        let f = try GGUFFile(path: sampleWriter().write())
        #expect(f.version == 3)
        #expect(f.string("general.architecture") == "llama")
        #expect(f.metadata["u8"] == .uint8(7))
        #expect(f.int("i8") == -7)
        #expect(f.int("u16") == 65535)
        #expect(f.int("i16") == -300)
        #expect(f.int("u32") == 4_000_000_000)
        #expect(f.int("i32") == -5)
        #expect(f.int("u64") == 1 << 40)
        #expect(f.int("i64") == -(1 << 40))
        #expect(f.double("f32") == 1.5)
        #expect(f.double("f64") == -2.25)
        #expect(f.bool("flag") == true)
        #expect(f.string("name") == "日本語 ✓")
        #expect(f.metadata["nested"] == .array(.array, [.array(.int32, [.int32(1), .int32(2)]), .array(.int32, [])]))
        #expect(f.stringArray("strings") == ["a", "", "ccc"])
        #expect(f.metadataKeys.first == "general.architecture")
    }

    @Test func mapsTensorData() throws {
        let f = try GGUFFile(path: sampleWriter().write())
        let a = try #require(f.tensor("a"))
        #expect(a.shape == [4, 2])
        #expect(a.type == .f32)
        #expect(a.byteCount == 32)
        let p = try f.data(of: a).assumingMemoryBound(to: Float.self)
        #expect((0..<8).map { p[$0] } == [1, 2, 3, 4, 5, 6, 7, 8])
        let b = try #require(f.tensor("b"))
        #expect(try f.data(of: b).assumingMemoryBound(to: Float.self)[2] == 11)
        #expect(b.fileOffset % f.alignment == 0)
    }

    @Test func honoursAlignment() throws {
        var w = sampleWriter()
        w.alignment = 64
        w.add("general.alignment", .uint32(64))
        let f = try GGUFFile(path: w.write())
        #expect(f.alignment == 64)
        #expect(f.tensors.allSatisfy { $0.fileOffset % 64 == 0 })
        #expect(try f.data(of: f.tensor("b")!).assumingMemoryBound(to: Float.self)[0] == 9)
    }

    @Test func readsVersion2() throws {
        var w = sampleWriter()
        w.version = 2
        #expect(try GGUFFile(path: w.write()).version == 2)
    }

    @Test func rejectsBadMagicAndVersion() throws {
        var bytes = sampleWriter().encode()
        bytes[0] = 0x58
        try expectError(bytes, contains: "bad magic")
        var w = sampleWriter()
        w.version = 1
        try expectError(w.encode(), contains: "unsupported GGUF version 1")
        try expectError([], contains: "not a GGUF file")
        try expectError(Array("hello world, not gguf".utf8), contains: "bad magic")
    }

    @Test func rejectsEveryTruncation() throws {
        let bytes = sampleWriter().encode()
        let whole = try GGUFFile(path: sampleWriter().write())
        let end = whole.tensors.map { $0.fileOffset + $0.byteCount }.max()!
        // Cut the file at every length short of the last tensor's end (what follows is only padding):
        // each must be refused with a one-line error, never a crash.
        for n in 0..<end {
            let dir = FileManager.default.temporaryDirectory
            let path = dir.appendingPathComponent("nook-trunc-\(n)-\(UUID().uuidString).gguf").path
            try Data(bytes[0..<n]).write(to: URL(fileURLWithPath: path))
            defer { try? FileManager.default.removeItem(atPath: path) }
            #expect(throws: GGUFError.self) { _ = try GGUFFile(path: path) }
        }
    }

    @Test func everyBitFlipLoadsValidOrGivesTheTypedError() throws {
        let bytes = sampleWriter().encode()
        var rng = SplitMix64(state: 0x6767_7566)
        let path = FileManager.default.temporaryDirectory.appendingPathComponent("nook-flip-\(UUID().uuidString).gguf").path
        defer { try? FileManager.default.removeItem(atPath: path) }
        // Each flipped file is either refused with a one-line GGUFError naming it, or loads and passes the same
        // checks a model loader relies on: every tensor's data lies inside the file, sized as its shape and type say.
        var loaded = 0, refused = 0
        for n in 0..<400 {
            var b = bytes
            let i = Int.random(in: 0..<b.count, using: &rng), bit = UInt8.random(in: 0..<8, using: &rng)
            b[i] ^= UInt8(1) << bit
            try Data(b).write(to: URL(fileURLWithPath: path))
            let flip = "flip \(n) (byte \(i), bit \(bit))"
            let file: GGUFFile
            do {
                file = try GGUFFile(path: path)
            } catch {
                refused += 1
                #expect(error.path == path, "\(flip): the error names \(error.path)")
                #expect(!error.description.contains("\n"), "\(flip): \(error)")
                continue
            }
            loaded += 1
            for t in file.tensors {
                #expect(t.fileOffset >= file.dataOffset, "\(flip) loaded, but tensor \(t.name) starts before the data section")
                #expect(t.fileOffset + t.byteCount <= b.count, "\(flip) loaded, but tensor \(t.name) ends past the file")
                #expect(t.type.rowBytes(t.elementCount) == t.byteCount, "\(flip) loaded, but tensor \(t.name) has the wrong size")
                #expect(throws: Never.self, "\(flip) loaded, but tensor \(t.name) is unreachable") { _ = try file.data(of: t) }
            }
            #expect(file.metadata.count == file.metadataKeys.count, "\(flip) loaded with inconsistent metadata")
        }
        print("GGUFReaderTests: of 400 bit flips, \(refused) were refused with a GGUFError and \(loaded) loaded and passed validation")
        #expect(refused > 0 && loaded > 0, "the flips should exercise both outcomes")
    }

    @Test func rejectsHostileCounts() throws {
        // Header claiming 2^62 tensors.
        var b: [UInt8] = Array("GGUF".utf8) + [3, 0, 0, 0]
        b += withUnsafeBytes(of: UInt64(1 << 62).littleEndian, Array.init)
        b += withUnsafeBytes(of: UInt64(0).littleEndian, Array.init)
        try expectError(b, contains: "tensor count")

        // A string whose length overflows.
        var w = GGUFWriter()
        w.add("k", .string("x"))
        var enc = w.encode()
        // Key length field starts at byte 24: make it huge.
        for i in 24..<32 { enc[i] = 0xFF }
        try expectError(enc, contains: "length")

        // An array claiming more elements than the file holds.
        var w2 = GGUFWriter()
        w2.add("arr", .array(.uint64, [.uint64(1)]))
        var e2 = w2.encode()
        // layout: 24 header + 8 keylen + 3 key + 4 type + 4 elemtype + 8 count
        let countAt = 24 + 8 + 3 + 4 + 4
        for i in countAt..<countAt + 8 { e2[i] = 0x7F }
        try expectError(e2, contains: "element count of arr")
    }

    @Test func rejectsBadTensors() throws {
        var w = GGUFWriter()
        w.addTensor("t", shape: [30], type: .q8_0, data: [UInt8](repeating: 0, count: 34))
        try expectError(w.encode(), contains: "not a multiple of the Q8_0 block size")

        var w2 = GGUFWriter()
        w2.addTensor("t", shape: [64, 64], floats: [Float](repeating: 0, count: 16))
        try expectError(w2.encode(), contains: "extends beyond the end of the file")

        var w3 = GGUFWriter()
        w3.addTensor("t", shape: [4], floats: [1, 2, 3, 4])
        var e3 = w3.encode()
        // The tensor type field: header 24 + name (8+1) + ndims 4 + dim 8 = 45.
        e3[45] = 99
        try expectError(e3, contains: "unknown tensor type 99")

        var w4 = GGUFWriter()
        w4.addTensor("t", shape: [4], floats: [1, 2, 3, 4])
        var e4 = w4.encode()
        // Offset field follows the type: 49..<57.
        for i in 49..<57 { e4[i] = 0xFF }
        try expectError(e4, contains: "beyond the end of the file")

        var w5 = GGUFWriter()
        w5.addTensor("t", shape: [Int(Int32.max), Int(Int32.max), Int(Int32.max), Int(Int32.max)], floats: [])
        try expectError(w5.encode(), contains: "overflows")
    }

    @Test func refusesDirectoriesAndMissingFiles() {
        #expect(throws: GGUFError.self) { _ = try GGUFFile(path: "/nonexistent/model.gguf") }
        #expect(throws: GGUFError.self) { _ = try GGUFFile(path: "/tmp") }
    }
}

@Suite struct GGUFErrorTextTests {
    @Test func controlCharactersAreEscaped() {
        let e = GGUFError(path: "/m.gguf", "metadata gen\neral\u{1b}[2J has a bad type")
        #expect(e.description == "/m.gguf: metadata gen\\u{a}eral\\u{1b}[2J has a bad type")
        #expect(!e.description.contains("\n"))
    }
}
