import CImageCodecs

/// The message buffer the C helpers write into, and its translation into a problem.
final class CodecMessage {
    /// NOOK_CODEC_MESSAGE_SIZE bytes, NUL-terminated.
    let buffer: UnsafeMutablePointer<CChar>

    init() {
        let size = Int(NOOK_CODEC_MESSAGE_SIZE)
        buffer = .allocate(capacity: size)
        buffer.initialize(repeating: 0, count: size)
    }

    deinit {
        buffer.deallocate()
    }

    /// The text the helper wrote.
    var text: String { String(cString: buffer) }

    /// The problem a helper's status and message describe.
    func problem(_ status: nook_codec_status, _ format: ImageFormat) -> ImageProblem {
        switch status {
        case NOOK_CODEC_TRUNCATED: return .truncated(format, text)
        case NOOK_CODEC_UNSUPPORTED: return .unsupported(format, text)
        case NOOK_CODEC_NO_MEMORY: return .outOfMemory(format)
        default: return .invalid(format, text)
        }
    }
}
