import Crypto
import Foundation
#if canImport(Glibc)
import Glibc
#elseif canImport(Musl)
import Musl
#elseif canImport(Darwin)
import Darwin
#endif

/// SHA-256 of files and bytes as lower-case hex, streaming files so huge models never sit in memory.
public enum FileHash {
    /// Hashes the file at `url`, reading `chunkSize` bytes at a time.
    public static func sha256(of url: URL, chunkSize: Int = 1 << 20) throws -> String {
        let fd = open(url.path, O_RDONLY | O_CLOEXEC)
        if fd < 0 { throw FileSystemError(path: url.path, operation: "open", code: errno) }
        defer { close(fd) }
        var hasher = SHA256()
        // buffer: [chunkSize] bytes, reused for every read.
        var buffer = [UInt8](repeating: 0, count: max(chunkSize, 4096))
        while true {
            let n = buffer.withUnsafeMutableBytes { raw -> Int in
                guard let start = raw.baseAddress else { return 0 }
                return read(fd, start, raw.count)
            }
            if n < 0 {
                if errno == EINTR { continue }
                throw FileSystemError(path: url.path, operation: "read", code: errno)
            }
            if n == 0 { break }
            buffer.withUnsafeBytes { hasher.update(bufferPointer: UnsafeRawBufferPointer(rebasing: $0[0..<n])) }
        }
        return hex(hasher.finalize())
    }

    /// Hashes bytes held in memory.
    public static func sha256<D: DataProtocol>(of bytes: D) -> String {
        hex(SHA256.hash(data: bytes))
    }

    private static func hex(_ digest: SHA256.Digest) -> String {
        let digits = Array("0123456789abcdef".utf8)
        var out: [UInt8] = []
        out.reserveCapacity(64)
        for byte in digest {
            out.append(digits[Int(byte >> 4)])
            out.append(digits[Int(byte & 0x0f)])
        }
        return String(decoding: out, as: UTF8.self)
    }
}
