import Foundation
import Testing
@testable import Media

/// The audio decoders against soundfile's decode, known tones through the resampler, and hostile files.
@Suite struct AudioDecoderTests {
    struct Reference: Decodable {
        var sampleRate: Int
        var channels: Int
        var frames: Int
        var rms: Double
        var first: [Float]
    }

    static func path(_ name: String) -> String { Fixtures.folder.appendingPathComponent("audio/\(name)").path }

    static func references() throws -> [String: Reference] {
        try JSONDecoder().decode([String: Reference].self, from: Data(contentsOf: URL(fileURLWithPath: path("reference.json"))))
    }

    @Test(arguments: ["u8.wav", "s16.wav", "s24.wav", "s32.wav", "f32.wav", "stereo.wav", "rate44k.wav",
                      "tone.flac", "tone.ogg", "tone.opus", "tone.mp3"])
    func agreesWithSoundfile(_ name: String) throws {
        let reference = try #require(try Self.references()[name])
        let bytes = [UInt8](try Data(contentsOf: URL(fileURLWithPath: Self.path(name))))
        let clip = try AudioDecoder().decodeNative(data: bytes, name: name)
        #expect(clip.sampleRate == reference.sampleRate)
        #expect(clip.sourceChannels == reference.channels)
        #expect(clip.samples.count == reference.frames)
        for (got, want) in zip(clip.samples, reference.first) { #expect(abs(got - want) < 1e-5, "\(name)") }
        let rms = (clip.samples.reduce(0.0) { $0 + Double($1) * Double($1) } / Double(clip.samples.count)).squareRoot()
        #expect(abs(rms - reference.rms) < 1e-5)
    }

    @Test func sixteenKilohertzPassesThroughUnchanged() throws {
        let decoder = AudioDecoder()
        let bytes = [UInt8](try Data(contentsOf: URL(fileURLWithPath: Self.path("s16.wav"))))
        #expect(try decoder.decode(data: bytes, name: "s16.wav").samples == decoder.decodeNative(data: bytes, name: "s16.wav").samples)
    }

    static func sine(_ freq: Double, rate: Int, seconds: Double) -> [Float] {
        (0..<Int(Double(rate) * seconds)).map { Float(0.5 * sin(2 * Double.pi * freq * Double($0) / Double(rate))) }
    }

    /// The amplitude of `freq` in `x` by a single DFT bin over the middle (edges skipped).
    static func amplitude(_ x: [Float], freq: Double, rate: Int) -> Double {
        let body = x[(x.count / 8)..<(x.count * 7 / 8)]
        var re = 0.0, im = 0.0
        for (i, v) in body.enumerated() {
            let phase = 2 * Double.pi * freq * Double(i) / Double(rate)
            re += Double(v) * cos(phase); im += Double(v) * sin(phase)
        }
        return 2 * (re * re + im * im).squareRoot() / Double(body.count)
    }

    @Test(arguments: [1000.0, 7000.0])
    func resamplingKeepsTones(_ freq: Double) throws {
        let out = try AudioDecoder.resample(Self.sine(freq, rate: 44100, seconds: 1), from: 44100, to: 16000)
        #expect(abs(out.count - 16000) <= 2)
        #expect(abs(Self.amplitude(out, freq: freq, rate: 16000) - 0.5) < 0.005)
        #expect(Self.amplitude(out, freq: freq + 50, rate: 16000) < 0.01)
    }

    @Test func resamplingRemovesTonesAboveNyquist() throws {
        let input = Self.sine(12000, rate: 44100, seconds: 1)
        let out = try AudioDecoder.resample(input, from: 44100, to: 16000)
        func rms(_ x: ArraySlice<Float>) -> Double { (x.reduce(0.0) { $0 + Double($1 * $1) } / Double(x.count)).squareRoot() }
        #expect(rms(out[1000..<15000]) < 1e-2 * rms(input[...]))
    }

    @Test(arguments: ["empty.wav", "truncated.wav", "random.wav", "tenhours.wav", "picture.mp3", "missing.wav"])
    func hostileFilesAreRefusedByName(_ name: String) {
        #expect {
            _ = try AudioDecoder().decode(path: Self.path(name))
        } throws: { error in
            let text = "\(error)"
            return text.hasPrefix("\(name): ") && !text.contains("\n")
        }
    }

    @Test func lengthLimitRefusesLongerClips() throws {
        let short = AudioDecoder(limits: AudioLimits(maxSeconds: 0.25))
        #expect(throws: AudioError.self) { _ = try short.decode(path: Self.path("tone.ogg")) }
        #expect(throws: AudioError.self) { _ = try short.decode(path: Self.path("s16.wav")) }
        #expect(try AudioDecoder().decode(path: Self.path("tone.ogg")).duration > 0.9)
    }
}
