/// Why a sound file could not be decoded, in words that fit one line.
public enum AudioProblem: Error, Sendable, Equatable, CustomStringConvertible {
    /// The file has no bytes.
    case empty
    /// The file could not be read (the system's reason).
    case unreadable(String)
    /// The content matches no supported format; `head` is the first bytes in hex.
    case unrecognised(head: String)
    /// The decoding library refused the data (its reason).
    case invalid(AudioFormat, String)
    /// The header claims more audio than the file holds.
    case lyingHeader(AudioFormat, claimedBytes: Int, fileBytes: Int)
    /// The header's rate or channel count is outside what nook accepts.
    case badHeader(AudioFormat, sampleRate: Int, channels: Int)
    /// Longer than the limit: refused before or while decoding.
    case tooLong(AudioFormat, seconds: Double, limit: Double)
    /// The data held no audio frames.
    case noAudio(AudioFormat)
    /// Resampling to 16 kHz failed (libsoxr's reason).
    case resampling(String)

    public var description: String {
        switch self {
        case .empty: return "empty file (0 bytes), not audio"
        case .unreadable(let why): return "cannot read the file (\(why))"
        case .unrecognised(let head):
            return "not a WAV, FLAC, Ogg Vorbis, Ogg Opus or MP3 file (it starts with \(head))"
        case .invalid(let format, let why): return "invalid \(format.name) data (\(ImageProblem.clean(why)))"
        case .lyingHeader(let format, let claimed, let bytes):
            return "the \(format.name) header claims \(ImageProblem.size(claimed)) of audio but the file is \(ImageProblem.size(bytes)): refused"
        case .badHeader(let format, let rate, let channels):
            return "the \(format.name) header says \(rate) Hz with \(channels) channels, outside 1 Hz–768 kHz and 1–64 channels"
        case .tooLong(let format, let seconds, let limit):
            return "the \(format.name) audio is \(Self.clock(seconds)) long, over the \(Self.clock(limit)) limit"
        case .noAudio(let format): return "the \(format.name) file holds no audio frames"
        case .resampling(let why): return "cannot resample to 16 kHz (\(ImageProblem.clean(why)))"
        }
    }

    /// A duration as m:ss (or h:mm:ss).
    public static func clock(_ seconds: Double) -> String {
        let whole = max(0, Int(seconds.rounded(.down)))
        let (h, m, s) = (whole / 3600, whole / 60 % 60, whole % 60)
        let ss = s < 10 ? "0\(s)" : "\(s)"
        if h > 0 { return "\(h):\(m < 10 ? "0" : "")\(m):\(ss)" }
        return "\(m):\(ss)"
    }
}

/// A sound file that could not be decoded: one line naming the file and the problem.
public struct AudioError: Error, Sendable, Equatable, CustomStringConvertible {
    /// The file as the caller named it.
    public var file: String
    public var problem: AudioProblem

    public init(file: String, problem: AudioProblem) {
        self.file = file
        self.problem = problem
    }

    public var description: String { "\(file): \(problem)" }
}
