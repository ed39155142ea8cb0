import Foundation
import GGUF
import Testing
import TestSupport

/// The committed fixture specs rebuild, bit for bit, into the GGUF files llama.cpp's outputs were recorded on (one at a time: each holds up to ~100 MB).
@Suite(.serialized) struct MmprojFixtureTests {
    /// Every spec in Fixtures/ (the four projectors and the end-to-end decoder).
    static let names: [String] = {
        let files = (try? FileManager.default.contentsOfDirectory(atPath: MmprojFixture.folder.path)) ?? []
        return files.filter { $0.hasSuffix(".spec.json") }.map { String($0.dropLast(".spec.json".count)) }.sorted()
    }()

    @Test func specsArePresent() {
        for name in ["idefics3", "internvl", "mlp", "gemma3"] {
            #expect(Self.names.contains(name), "Fixtures/\(name).spec.json is missing")
        }
    }

    @Test(arguments: names) func rebuildsAndReadsBack(name: String) throws {
        let spec = try MmprojFixture.spec(name)
        let dir = FileManager.default.temporaryDirectory.appendingPathComponent("nook-mmproj-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: dir, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: dir) }
        let path = try MmprojFixture.build(spec, to: dir.appendingPathComponent(spec.file).path)

        let file = try GGUFFile(path: path)
        #expect(file.version == spec.gguf_version)
        #expect(file.alignment == spec.alignment)
        #expect(file.metadataKeys == spec.metadata.map(\.key))
        for entry in spec.metadata {
            #expect(file.metadata[entry.key] == (try entry.ggufValue(spec: name)), "\(name): metadata \(entry.key)")
        }
        #expect(file.tensors.map(\.name) == spec.tensors.map(\.name))
        for (info, t) in zip(file.tensors, spec.tensors) {
            #expect(info.shape == t.shape, "\(name): \(t.name) shape")
            #expect(info.type.description.lowercased() == t.type, "\(name): \(t.name) type")
            let data = try file.data(of: info)
            let digest = MmprojFixture.sha256Hex(UnsafeRawBufferPointer(start: data, count: info.byteCount))
            #expect(digest == t.sha256, "\(name): \(t.name) data read back")
        }
    }

    @Test func aDamagedSpecIsRefusedByName() throws {
        let spec = try MmprojFixture.spec("idefics3")
        var json = try #require(try JSONSerialization.jsonObject(
            with: Data(contentsOf: MmprojFixture.folder.appendingPathComponent("idefics3.spec.json"))) as? [String: Any])
        var tensors = try #require(json["tensors"] as? [[String: Any]])
        tensors[0]["scale"] = (tensors[0]["scale"] as? Double ?? 0) * 2
        json["tensors"] = Array(tensors.prefix(1))
        let damaged = try JSONDecoder().decode(PRNGGGUFSpec.self, from: JSONSerialization.data(withJSONObject: json))
        let path = FileManager.default.temporaryDirectory.appendingPathComponent("nook-damaged-\(UUID().uuidString).gguf").path
        #expect {
            try MmprojFixture.build(damaged, to: path)
        } throws: { error in
            "\(error)".contains("tensor \(spec.tensors[0].name): sha256")
        }
        #expect(!FileManager.default.fileExists(atPath: path))
    }

    @Test func theCachedCopyIsReusedAndRebuiltWhenDamaged() throws {
        let path = try MmprojFixture.cachedFile("decoder")
        let spec = try MmprojFixture.spec("decoder")
        #expect(try MmprojFixture.cachedFile("decoder") == path)
        let handle = try #require(FileHandle(forUpdatingAtPath: path))
        try handle.seek(toOffset: UInt64(spec.file_bytes - 1))
        try handle.write(contentsOf: [0x5A])
        try handle.close()
        #expect(try MmprojFixture.cachedFile("decoder") == path)
        let data = try #require(FileManager.default.contents(atPath: path))
        #expect(MmprojFixture.sha256Hex(data) == spec.file_sha256)
    }

    @Test func halfRoundingMatchesIEEE() {
        let cases: [(Float, UInt16)] = [
            (1, 0x3C00), (-2, 0xC000), (0.1, 0x2E66), (65504, 0x7BFF), (65520, 0x7C00), (.infinity, 0x7C00),
            (0x1p-24, 0x0001), (0x1p-25, 0x0000), (0x1.8p-24, 0x0002), (0x1p-14, 0x0400),
            (1 + 0x1p-11, 0x3C00), (1 + 0x1.8p-10, 0x3C02), (0, 0), (-0.0, 0x8000),
        ]
        for (f, bits) in cases {
            #expect(PRNGTensorFill.halfBits(f) == bits, "\(f)")
        }
        #expect(PRNGTensorFill.halfBits(.nan) & 0x7C00 == 0x7C00)
    }
}
