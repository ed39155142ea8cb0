import Foundation
import Testing
@testable import Media

/// Hostile files are refused with one line naming the file and the problem; none crashes or hangs.
@Suite(.timeLimit(.minutes(2))) struct HostileFileTests {
    @Test(arguments: Fixtures.manifest.hostile)
    func isRefusedWithOneLine(_ file: Fixtures.Hostile) {
        let path = file.path
        do {
            let decoded = try ImageDecoder().decode(fileAt: path)
            Issue.record("\(file.file) decoded as a \(decoded.image.width)×\(decoded.image.height) \(decoded.format.name)")
        } catch {
            let line = error.description
            #expect(!line.contains("\n"))
            #expect(line.hasPrefix(path + ": "))
            let problem = String(line.dropFirst(path.count + 2))
            let accepted = file.error.split(separator: "|").map(String.init)
            #expect(accepted.contains { problem.hasPrefix($0) }, "\(problem)")
        }
    }

    @Test func everyHostileFileRunsInOneGo() throws {
        // All of them together, in memory, also well within the time limit.
        let decoder = ImageDecoder()
        var refused = 0
        let start = Date()
        for file in Fixtures.manifest.hostile {
            let bytes = try Fixtures.bytes(file.file)
            if (try? decoder.decode(bytes, name: file.file)) == nil { refused += 1 }
        }
        #expect(refused == Fixtures.manifest.hostile.count)
        #expect(Date().timeIntervalSince(start) < 10)
    }

    /// Every decodable fixture cut at many points, and with bytes flipped, either decodes or throws.
    @Test func damagedCopiesOfEveryFixtureNeverCrash() throws {
        let decoder = ImageDecoder()
        var random = SplitMix(seed: 7)
        var outcomes = (decoded: 0, refused: 0)
        for entry in Fixtures.manifest.images {
            let bytes = try Fixtures.bytes(entry.file)
            var copies: [[UInt8]] = stride(from: 0, to: bytes.count, by: max(1, bytes.count / 24)).map { Array(bytes[..<$0]) }
            for _ in 0..<24 {
                var copy = bytes
                for _ in 0..<(1 + Int(random.next() % 4)) {
                    let at = Int(random.next() % UInt64(copy.count))
                    copy[at] ^= UInt8(truncatingIfNeeded: random.next() | 1)
                }
                copies.append(copy)
            }
            for copy in copies {
                do {
                    let decoded = try decoder.decode(copy, name: entry.name)
                    #expect(decoded.image.pixels.count == decoded.image.width * decoded.image.height * decoded.image.layout.channels)
                    outcomes.decoded += 1
                } catch {
                    #expect(!error.description.contains("\n"))
                    #expect(error.description.hasPrefix(entry.name + ": "))
                    outcomes.refused += 1
                }
            }
        }
        #expect(outcomes.refused > 1000)
    }

    @Test func errorsNameTheFileAsGiven() {
        #expect(throws: ImageError(file: "nowhere/photo.jpg", problem: .unreadable("no such file"))) {
            try ImageDecoder().decode(fileAt: "nowhere/photo.jpg")
        }
        #expect(throws: ImageError(file: "/", problem: .unreadable("it is a folder"))) {
            try ImageDecoder().decode(fileAt: "/")
        }
        let error = ImageError(file: "photo.jpg", problem: .truncated(.jpeg, "Premature end of JPEG file"))
        #expect(error.description == "photo.jpg: truncated JPEG data (Premature end of JPEG file)")
    }

    @Test func largeFilesAreRefusedBeforeTheyAreRead() {
        let path = Fixtures.folder.appendingPathComponent("images/jpeg-33x17.jpg").path
        do {
            _ = try ImageDecoder(limits: ImageLimits(maxFileBytes: 100)).decode(fileAt: path)
            Issue.record("decoded")
        } catch {
            #expect(error.description.hasPrefix(path + ": the file is "))
            #expect(error.description.hasSuffix(", more than the 100 B an image may take"))
        }
    }
}

/// A small deterministic generator for the damaged copies.
struct SplitMix {
    var state: UInt64

    init(seed: UInt64) {
        state = seed
    }

    mutating func next() -> UInt64 {
        state &+= 0x9E37_79B9_7F4A_7C15
        var z = state
        z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
        z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
        return z ^ (z >> 31)
    }
}
