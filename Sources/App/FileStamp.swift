import Foundation
#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// What tells whether a file changed without reading it: its size, modification time and inode.
public struct FileStamp: Codable, Sendable, Equatable {
    public var size: Int64
    /// Seconds since 1970, to the nanosecond the file system keeps.
    public var modified: Double
    public var inode: UInt64

    public init(size: Int64, modified: Double, inode: UInt64) {
        self.size = size
        self.modified = modified
        self.inode = inode
    }

    /// The stamp of the file at `url` (links followed), nil when there is none.
    public init?(of url: URL) {
        var info = stat()
        guard stat(url.path, &info) == 0 else { return nil }
        #if canImport(Darwin)
        let time = info.st_mtimespec
        #else
        let time = info.st_mtim
        #endif
        self.init(size: Int64(info.st_size), modified: Double(time.tv_sec) + Double(time.tv_nsec) / 1e9,
                  inode: UInt64(info.st_ino))
    }
}
