/// The audio formats nook decodes, each recognised by its first bytes, never by the file's extension.
public enum AudioFormat: String, CaseIterable, Sendable, Equatable {
    case wav, flac, vorbis, opus, mp3

    /// The one table from a format to its description and signature test.
    var entry: (name: String, matches: @Sendable ([UInt8]) -> Bool) {
        switch self {
        case .wav: return ("WAV", { Self.starts($0, "RIFF") && Self.starts($0, "WAVE", at: 8) })
        case .flac: return ("FLAC", { Self.starts($0, "fLaC") })
        case .vorbis: return ("Ogg Vorbis", { Self.starts($0, "OggS") && Self.starts($0, "\u{01}vorbis", at: 28) })
        case .opus: return ("Ogg Opus", { Self.starts($0, "OggS") && Self.starts($0, "OpusHead", at: 28) })
        case .mp3: return ("MP3", { Self.starts($0, "ID3") || Self.isFrameSync($0) })
        }
    }

    /// The name people know the format by.
    public var name: String { entry.name }

    /// The format whose signature `bytes` start with, if any.
    public static func sniff(_ bytes: [UInt8]) -> AudioFormat? {
        allCases.first { $0.entry.matches(bytes) }
    }

    static func starts(_ bytes: [UInt8], _ text: String, at offset: Int = 0) -> Bool {
        let prefix = Array(text.utf8)
        return bytes.count >= offset + prefix.count && Array(bytes[offset..<offset + prefix.count]) == prefix
    }

    /// An MPEG audio layer III frame header: 11 sync bits, a valid version, layer III, a valid bitrate and rate.
    static func isFrameSync(_ bytes: [UInt8]) -> Bool {
        guard bytes.count >= 4, bytes[0] == 0xFF, bytes[1] & 0xE0 == 0xE0 else { return false }
        let version = (bytes[1] >> 3) & 3, layer = (bytes[1] >> 1) & 3
        let bitrate = bytes[2] >> 4, rate = (bytes[2] >> 2) & 3
        return version != 1 && layer == 1 && bitrate != 0 && bitrate != 15 && rate != 3
    }
}
