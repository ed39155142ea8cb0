/// Why an image could not be decoded, in words that fit one line.
public enum ImageProblem: Error, Sendable, Equatable, CustomStringConvertible {
    /// The file has no bytes.
    case empty
    /// The file could not be read (the system's reason).
    case unreadable(String)
    /// The file is larger than the decoder reads.
    case fileTooLarge(bytes: Int, limit: Int)
    /// The content matches no supported format; `head` is the first bytes in hex.
    case unrecognised(head: String)
    /// The content is a known image format that nook does not decode (TIFF, HEIF…).
    case unsupportedFormat(String)
    /// The data ends before the image does.
    case truncated(ImageFormat, String)
    /// The data is not valid for its format.
    case invalid(ImageFormat, String)
    /// A valid file using a variant this decoder does not handle.
    case unsupported(ImageFormat, String)
    /// A side is 0 or larger than the limit (65535 by default).
    case badDimensions(ImageFormat, width: Int, height: Int, maxSide: Int)
    /// More pixels than the limit: refused before decoding.
    case tooManyPixels(ImageFormat, width: Int, height: Int, limit: Int)
    /// The system refused memory for the pixels.
    case outOfMemory(ImageFormat)

    public var description: String {
        switch self {
        case .empty: return "empty file (0 bytes), not an image"
        case .unreadable(let why): return "cannot read the file (\(why))"
        case .fileTooLarge(let bytes, let limit):
            return "the file is \(Self.size(bytes)), more than the \(Self.size(limit)) an image may take"
        case .unrecognised(let head):
            return "not a PNG, JPEG, WebP, GIF or BMP image (it starts with \(head))"
        case .unsupportedFormat(let name): return "\(name) images are not supported (only PNG, JPEG, WebP, GIF and BMP)"
        case .truncated(let format, let detail): return "truncated \(format.name) data (\(Self.clean(detail)))"
        case .invalid(let format, let detail): return "invalid \(format.name) data (\(Self.clean(detail)))"
        case .unsupported(let format, let detail): return "unsupported \(format.name) variant (\(Self.clean(detail)))"
        case .badDimensions(let format, let width, let height, let maxSide):
            return "the \(format.name) header says \(width)×\(height) pixels; each side must be 1 to \(maxSide)"
        case .tooManyPixels(let format, let width, let height, let limit):
            let amount = width * height >= 100_000 ? " (\(Self.megapixels(width * height)) megapixels)" : ""
            let most = limit >= 100_000 ? "\(Self.megapixels(limit))-megapixel" : "\(limit)-pixel"
            return "the \(format.name) header says \(width)×\(height) pixels\(amount), over the \(most) limit: refused without decoding"
        case .outOfMemory(let format): return "not enough memory to decode this \(format.name) image"
        }
    }

    /// A library's message on one line, without a trailing full stop, at most 160 characters.
    static func clean(_ text: String) -> String {
        var line = String(text.map { $0.isNewline || $0 == "\t" ? " " : $0 })
        while line.hasSuffix(".") || line.hasSuffix(" ") { line.removeLast() }
        if line.count > 160 { line = String(line.prefix(157)) + "…" }
        return line.isEmpty ? "no detail" : line
    }

    static func megapixels(_ pixels: Int) -> String {
        if pixels % 1_000_000 == 0 { return "\(pixels / 1_000_000)" }
        let tenths = (pixels + 50_000) / 100_000
        return "\(tenths / 10).\(tenths % 10)"
    }

    /// A byte count for people: 512 B, 12 KiB, 3 MiB.
    static func size(_ bytes: Int) -> String {
        if bytes < 1024 { return "\(bytes) B" }
        if bytes < 1 << 20 { return "\(bytes >> 10) KiB" }
        return "\(bytes >> 20) MiB"
    }
}

/// An image that could not be decoded: one line naming the file and the problem.
public struct ImageError: Error, Sendable, Equatable, CustomStringConvertible {
    /// The file as the caller named it.
    public var file: String
    public var problem: ImageProblem

    public init(file: String, problem: ImageProblem) {
        self.file = file
        self.problem = problem
    }

    public var description: String { "\(file): \(problem)" }
}
