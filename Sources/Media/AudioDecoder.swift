import CSoxr
import Foundation

/// Decodes sound files to mono 16 kHz clips, recognising the format by content.
public struct AudioDecoder: Sendable {
    public var limits: AudioLimits

    public init(limits: AudioLimits = AudioLimits()) { self.limits = limits }

    /// Reads and decodes the file at `path`.
    public func decode(path: String) throws(AudioError) -> AudioClip {
        let name = (path as NSString).lastPathComponent
        let bytes: [UInt8]
        do {
            let handle = try FileHandle(forReadingFrom: URL(fileURLWithPath: path))
            defer { try? handle.close() }
            bytes = [UInt8](try handle.read(upToCount: limits.maxFileBytes + 1) ?? Data())
        } catch {
            throw AudioError(file: name, problem: .unreadable(error.localizedDescription))
        }
        return try decode(data: bytes, name: name)
    }

    /// Decodes `data`, naming it `name` in errors.
    public func decode(data: [UInt8], name: String) throws(AudioError) -> AudioClip {
        let native = try decodeNative(data: data, name: name)
        do {
            let samples = try Self.resample(native.samples, from: native.sampleRate, to: AudioClip.targetRate)
            return AudioClip(samples: samples, sampleRate: AudioClip.targetRate, sourceSampleRate: native.sampleRate,
                             sourceChannels: native.sourceChannels, format: native.format)
        } catch {
            throw AudioError(file: name, problem: error)
        }
    }

    /// Decodes `data` to mono at the file's own rate (channels averaged), without resampling.
    public func decodeNative(data: [UInt8], name: String) throws(AudioError) -> AudioClip {
        do {
            let format = try Self.recognise(data, limits: limits)
            let native = try SndFileReader.read(data, format: format, limits: limits)
            return AudioClip(samples: Self.downmix(native.interleaved, channels: native.channels),
                             sampleRate: native.sampleRate, sourceSampleRate: native.sampleRate,
                             sourceChannels: native.channels, format: format)
        } catch {
            throw AudioError(file: name, problem: error)
        }
    }

    /// The format of `data`, after the checks that need no decoding.
    static func recognise(_ data: [UInt8], limits: AudioLimits) throws(AudioProblem) -> AudioFormat {
        guard !data.isEmpty else { throw .empty }
        guard let format = AudioFormat.sniff(data) else {
            throw .unrecognised(head: data.prefix(8).map { String(format: "%02x", $0) }.joined(separator: " "))
        }
        if format == .wav, let claimed = wavDataBytes(data), claimed.end > data.count {
            throw .lyingHeader(format, claimedBytes: claimed.size, fileBytes: data.count)
        }
        return format
    }

    /// The WAV `data` chunk's declared size and where it would end, walking the RIFF chunks.
    static func wavDataBytes(_ data: [UInt8]) -> (size: Int, end: Int)? {
        func le32(_ at: Int) -> Int {
            Int(data[at]) | Int(data[at + 1]) << 8 | Int(data[at + 2]) << 16 | Int(data[at + 3]) << 24
        }
        var offset = 12
        while offset + 8 <= data.count {
            let size = le32(offset + 4)
            if AudioFormat.starts(data, "data", at: offset) { return (size, offset + 8 + size) }
            offset += 8 + size + (size & 1)
        }
        return nil
    }

    /// Averages interleaved `channels` into one, shape [frames, channels] → [frames].
    static func downmix(_ interleaved: [Float], channels: Int) -> [Float] {
        guard channels > 1 else { return interleaved }
        let frames = interleaved.count / channels
        let scale = 1 / Float(channels)
        return (0..<frames).map { frame in
            var sum: Float = 0
            for c in 0..<channels { sum += interleaved[frame * channels + c] }
            return sum * scale
        }
    }

    /// Band-limited resampling with libsoxr at high quality; equal rates pass through unchanged.
    static func resample(_ samples: [Float], from source: Int, to target: Int) throws(AudioProblem) -> [Float] {
        guard source != target else { return samples }
        let outCount = Int((Double(samples.count) * Double(target) / Double(source)).rounded(.up)) + 16
        var output = [Float](repeating: 0, count: outCount)
        var done = 0
        var io = soxr_io_spec(SOXR_FLOAT32_I, SOXR_FLOAT32_I)
        var quality = soxr_quality_spec(UInt(SOXR_HQ), 0)
        let failure: String? = samples.withUnsafeBufferPointer { input in
            output.withUnsafeMutableBufferPointer { out in
                guard let error = soxr_oneshot(Double(source), Double(target), 1, input.baseAddress, input.count, nil,
                                               out.baseAddress, out.count, &done, &io, &quality, nil) else { return nil }
                return String(cString: error)
            }
        }
        if let failure { throw .resampling(failure) }
        output.removeSubrange(done...)
        return output
    }
}
