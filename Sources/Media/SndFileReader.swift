import CSndFile

/// Bytes in memory that libsndfile reads through its virtual I/O callbacks.
final class MemoryFile {
    let bytes: [UInt8]
    var position = 0

    init(_ bytes: [UInt8]) { self.bytes = bytes }
}

/// Interleaved samples as libsndfile decoded them at the file's own rate.
struct NativeAudio {
    /// Interleaved samples, shape [frames, channels].
    var interleaved: [Float]
    var sampleRate: Int
    var channels: Int
}

/// Reads any format libsndfile knows from memory, bounded by the limits whatever the header says.
enum SndFileReader {
    static let callbacks: SF_VIRTUAL_IO = SF_VIRTUAL_IO(
        get_filelen: { user in sf_count_t(Unmanaged<MemoryFile>.fromOpaque(user!).takeUnretainedValue().bytes.count) },
        seek: { offset, whence, user in
            let file = Unmanaged<MemoryFile>.fromOpaque(user!).takeUnretainedValue()
            let base = whence == SEEK_CUR ? file.position : whence == SEEK_END ? file.bytes.count : 0
            file.position = max(0, min(file.bytes.count, base + Int(offset)))
            return sf_count_t(file.position)
        },
        read: { pointer, count, user in
            let file = Unmanaged<MemoryFile>.fromOpaque(user!).takeUnretainedValue()
            let n = max(0, min(Int(count), file.bytes.count - file.position))
            if n > 0, let pointer {
                file.bytes.withUnsafeBytes { source in
                    pointer.copyMemory(from: source.baseAddress! + file.position, byteCount: n)
                }
            }
            file.position += n
            return sf_count_t(n)
        },
        write: { _, _, _ in 0 },
        tell: { user in sf_count_t(Unmanaged<MemoryFile>.fromOpaque(user!).takeUnretainedValue().position) })

    /// Decodes `bytes` of `format` to interleaved floats, refusing anything over `limits.maxSeconds`.
    static func read(_ bytes: [UInt8], format: AudioFormat, limits: AudioLimits) throws(AudioProblem) -> NativeAudio {
        let file = MemoryFile(bytes)
        var io = callbacks
        var info = SF_INFO()
        let user = Unmanaged.passUnretained(file).toOpaque()
        guard let handle = sf_open_virtual(&io, Int32(SFM_READ), &info, user) else {
            throw .invalid(format, String(cString: sf_strerror(nil)))
        }
        defer { sf_close(handle); withExtendedLifetime(file) {} }
        let rate = Int(info.samplerate), channels = Int(info.channels)
        guard (1...768_000).contains(rate), (1...64).contains(channels) else {
            throw .badHeader(format, sampleRate: rate, channels: channels)
        }
        let claimed = max(0, Int(info.frames))
        let limitFrames = Int(limits.maxSeconds * Double(rate))
        if claimed > limitFrames, claimed != Int(Int64.max) {
            throw .tooLong(format, seconds: Double(claimed) / Double(rate), limit: limits.maxSeconds)
        }
        if format == .wav, let width = pcmBytesPerSample(info.format), claimed.multipliedReportingOverflow(by: channels * width).partialValue > bytes.count {
            throw .lyingHeader(format, claimedBytes: claimed * channels * width, fileBytes: bytes.count)
        }
        // Reserve only what the file could hold, never what the header claims.
        let block = 4096
        var samples: [Float] = []
        samples.reserveCapacity(min(claimed, limitFrames) * channels)
        var chunk = [Float](repeating: 0, count: block * channels)
        var frames = 0
        // Every pass reads at least one frame or ends, and no more passes run than the limit allows.
        for _ in 0...(limitFrames / block + 1) {
            let got = chunk.withUnsafeMutableBufferPointer { Int(sf_readf_float(handle, $0.baseAddress, sf_count_t(block))) }
            if got <= 0 { break }
            frames += got
            if frames > limitFrames {
                throw .tooLong(format, seconds: Double(frames) / Double(rate), limit: limits.maxSeconds)
            }
            samples.append(contentsOf: chunk[0..<got * channels])
        }
        if sf_error(handle) != 0, frames == 0 { throw .invalid(format, String(cString: sf_strerror(handle))) }
        guard frames > 0 else { throw .noAudio(format) }
        return NativeAudio(interleaved: samples, sampleRate: rate, channels: channels)
    }

    /// Bytes per sample of uncompressed subtypes, whose frame count bounds a WAV file's size.
    static func pcmBytesPerSample(_ format: Int32) -> Int? {
        switch Int(format) & SF_FORMAT_SUBMASK {
        case SF_FORMAT_PCM_U8, SF_FORMAT_PCM_S8: return 1
        case SF_FORMAT_PCM_16: return 2
        case SF_FORMAT_PCM_24: return 3
        case SF_FORMAT_PCM_32, SF_FORMAT_FLOAT: return 4
        case SF_FORMAT_DOUBLE: return 8
        default: return nil
        }
    }
}
