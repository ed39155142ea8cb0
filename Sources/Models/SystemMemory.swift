import Foundation

/// How much memory the machine can give a new allocation, read once per call.
public enum SystemMemory {
    /// Bytes available without swapping: `MemAvailable` from /proc/meminfo on Linux, else the physical memory.
    public static func availableBytes() -> Int {
        if let text = try? String(contentsOfFile: "/proc/meminfo", encoding: .utf8),
           let line = text.split(separator: "\n").first(where: { $0.hasPrefix("MemAvailable:") }),
           let kib = Int(line.split(separator: " ").dropFirst().first ?? "") {
            return kib * 1024
        }
        return Int(clamping: ProcessInfo.processInfo.physicalMemory)
    }

    /// A byte count for people: `381.5 GB`, `96.0 MB`.
    public static func describe(_ bytes: Int) -> String {
        let units = ["bytes", "KB", "MB", "GB", "TB", "PB"]
        var value = Double(bytes), unit = 0
        while value >= 1000, unit < units.count - 1 { value /= 1000; unit += 1 }
        return unit == 0 ? "\(bytes) bytes" : String(format: "%.1f %@", value, units[unit])
    }
}
