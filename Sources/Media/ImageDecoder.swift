import Foundation

/// How large an image may be: checked from the header, before the pixels are allocated.
public struct ImageLimits: Sendable, Equatable {
    /// The most pixels (width × height) an image may have; 50 megapixels by default.
    public var maxPixels: Int
    /// The longest side an image may have (65535, the most any supported header can say except BMP and WebP).
    public var maxSide: Int
    /// The largest file read, in bytes.
    public var maxFileBytes: Int
    /// The most scans a progressive JPEG may have (a few dozen is normal; thousands only slow decoding down).
    public var maxJPEGScans: Int

    public static let defaultMaxPixels = 50_000_000

    public init(maxPixels: Int = ImageLimits.defaultMaxPixels, maxSide: Int = 65535,
                maxFileBytes: Int = 256 << 20, maxJPEGScans: Int = 1000) {
        self.maxPixels = maxPixels
        self.maxSide = maxSide
        self.maxFileBytes = maxFileBytes
        self.maxJPEGScans = maxJPEGScans
    }

    /// Throws unless a `width × height` image of `format` is within the limits.
    func check(_ format: ImageFormat, width: Int, height: Int) throws(ImageProblem) {
        guard width >= 1, height >= 1, width <= maxSide, height <= maxSide else {
            throw .badDimensions(format, width: width, height: height, maxSide: maxSide)
        }
        guard width * height <= maxPixels else {
            throw .tooManyPixels(format, width: width, height: height, limit: maxPixels)
        }
    }
}

/// Decodes PNG, JPEG, WebP, GIF and BMP files into upright RGB or RGBA pixels.
public struct ImageDecoder: Sendable {
    public var limits: ImageLimits

    public init(limits: ImageLimits = ImageLimits()) {
        self.limits = limits
    }

    /// Decodes the file at `path`; errors name the file as `path` is written.
    public func decode(fileAt path: String) throws(ImageError) -> DecodedImage {
        try decode(try read(path), name: path)
    }

    /// Decodes `bytes`, recognised by their content; errors name the file `name`.
    public func decode(_ bytes: [UInt8], name: String) throws(ImageError) -> DecodedImage {
        do {
            return try decode(bytes)
        } catch {
            throw ImageError(file: name, problem: error)
        }
    }

    /// The format `bytes` are in, by their signature; nil for anything else.
    public static func format(of bytes: [UInt8]) -> ImageFormat? {
        ImageFormat.sniff(bytes)
    }

    private func decode(_ bytes: [UInt8]) throws(ImageProblem) -> DecodedImage {
        if bytes.isEmpty { throw .empty }
        guard let format = ImageFormat.sniff(bytes) else {
            if let name = ImageFormat.unsupportedName(bytes) { throw .unsupportedFormat(name) }
            throw .unrecognised(head: bytes.prefix(8).map { String(format: "%02x", $0) }.joined(separator: " "))
        }
        return try format.codec.decode(bytes, limits: limits)
    }

    /// The file's bytes, refusing one larger than the limit without reading it all.
    private func read(_ path: String) throws(ImageError) -> [UInt8] {
        func fail(_ problem: ImageProblem) -> ImageError { ImageError(file: path, problem: problem) }
        var isFolder: ObjCBool = false
        guard FileManager.default.fileExists(atPath: path, isDirectory: &isFolder) else { throw fail(.unreadable("no such file")) }
        if isFolder.boolValue { throw fail(.unreadable("it is a folder")) }
        guard let handle = FileHandle(forReadingAtPath: path) else { throw fail(.unreadable("permission denied")) }
        defer { try? handle.close() }
        let data: Data
        do {
            data = try handle.read(upToCount: limits.maxFileBytes + 1) ?? Data()
        } catch {
            throw fail(.unreadable(error.localizedDescription))
        }
        if data.count > limits.maxFileBytes {
            let size = (try? FileManager.default.attributesOfItem(atPath: path)[.size]) as? Int
            throw fail(.fileTooLarge(bytes: size ?? data.count, limit: limits.maxFileBytes))
        }
        return [UInt8](data)
    }
}
