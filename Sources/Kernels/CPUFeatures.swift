import CKernels

/// Vector instruction sets that this CPU advertises and the operating system has enabled.
public struct CPUFeatures: Sendable, Equatable, CustomStringConvertible {
    public var avx2: Bool
    public var fma: Bool
    public var f16c: Bool
    public var avx512f: Bool
    public var avx512bw: Bool
    public var avx512vl: Bool
    public var avx512vnni: Bool
    public var avx512bf16: Bool
    public var avxVNNI: Bool

    /// The features of the running CPU (from `nook_detect_cpu_features`, which checks XCR0).
    public static let current: CPUFeatures = {
        let f = nook_detect_cpu_features()
        return CPUFeatures(avx2: f.avx2 != 0, fma: f.fma != 0, f16c: f.f16c != 0, avx512f: f.avx512f != 0,
                           avx512bw: f.avx512bw != 0, avx512vl: f.avx512vl != 0, avx512vnni: f.avx512vnni != 0,
                           avx512bf16: f.avx512bf16 != 0, avxVNNI: f.avxvnni != 0)
    }()

    public var description: String {
        let names: [(Bool, String)] = [(avx2, "avx2"), (fma, "fma"), (f16c, "f16c"), (avx512f, "avx512f"),
                                       (avx512bw, "avx512bw"), (avx512vl, "avx512vl"), (avx512vnni, "avx512vnni"),
                                       (avx512bf16, "avx512bf16"), (avxVNNI, "avxvnni")]
        let on = names.filter { $0.0 }.map { $0.1 }
        return on.isEmpty ? "none" : on.joined(separator: " ")
    }
}

/// The instruction-set level of the matrix kernels. AMX is never used (it faults on these machines).
public enum KernelLevel: Int, Sendable, CaseIterable, Comparable, CustomStringConvertible {
    /// Portable C, one dot product at a time.
    case scalar = 0
    /// AVX2 + FMA + F16C.
    case avx2 = 1
    /// AVX2 kernels with AVX-VNNI byte dot products.
    case avxVNNI = 2
    /// AVX2 kernels with AVX-512 VL/BW/VNNI dot products and 32 vector registers.
    case avx512VNNI = 3

    /// The fastest level the running CPU supports (at most the one `NOOK_CPU` asks for).
    public static var best: KernelLevel { KernelLevel(rawValue: Int(nook_best_level())) ?? .scalar }

    /// Every level the running CPU supports (and `NOOK_CPU` allows), slowest first.
    public static var supported: [KernelLevel] { allCases.filter(\.isSupported) }

    /// Whether the running CPU can execute this level and `NOOK_CPU` allows it.
    public var isSupported: Bool { nook_level_supported(Int32(rawValue)) != 0 }

    /// The level a `NOOK_CPU` value names (`scalar`, `avx2`, `avx-vnni`, `avx512`); nil for anything else.
    public init?(cpuOverride name: String) {
        let raw = name.withCString { nook_parse_level($0) }
        guard raw >= 0, let level = KernelLevel(rawValue: Int(raw)) else { return nil }
        self = level
    }

    /// A one-line warning when `NOOK_CPU` (read once, at the first kernel call) cannot be honoured as written.
    public static func overrideWarning(environment: [String: String]) -> String? {
        guard let name = environment["NOOK_CPU"] else { return nil }
        guard let wanted = KernelLevel(cpuOverride: name) else {
            return "NOOK_CPU=\(name) is not a kernel level (scalar, avx2, avx-vnni, avx512): ignored"
        }
        if best < wanted { return "NOOK_CPU=\(name): this CPU runs at most \(best), so \(best) is used" }
        return nil
    }

    public static func < (a: KernelLevel, b: KernelLevel) -> Bool { a.rawValue < b.rawValue }

    public var description: String {
        switch self {
        case .scalar: return "scalar"
        case .avx2: return "avx2"
        case .avxVNNI: return "avx-vnni"
        case .avx512VNNI: return "avx512-vnni"
        }
    }
}
