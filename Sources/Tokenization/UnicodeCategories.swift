/// Category flags of one code point, as llama.cpp's `unicode_cpt_flags` defines them.
///
/// The low byte holds exactly one general-category bit (or `undefined` for unassigned code
/// points); `whitespace` is llama.cpp's own `\s` set, which is not a category.
struct CodepointFlags: OptionSet, Sendable {
    let rawValue: UInt16

    static let undefined = CodepointFlags(rawValue: 0x0001)
    static let number = CodepointFlags(rawValue: 0x0002)       // \p{N}
    static let letter = CodepointFlags(rawValue: 0x0004)       // \p{L}
    static let separator = CodepointFlags(rawValue: 0x0008)    // \p{Z}
    static let accentMark = CodepointFlags(rawValue: 0x0010)   // \p{M}
    static let punctuation = CodepointFlags(rawValue: 0x0020)  // \p{P}
    static let symbol = CodepointFlags(rawValue: 0x0040)       // \p{S}
    static let control = CodepointFlags(rawValue: 0x0080)      // \p{C}
    static let whitespace = CodepointFlags(rawValue: 0x0100)   // \s

    /// The general-category byte alone (without `whitespace`).
    var category: UInt16 { rawValue & 0x00FF }
}

/// Unicode lookups built once from ``UnicodeTableData``: category flags, lowercase and
/// llama.cpp's one-code-point NFD.
final class UnicodeTables: Sendable {
    /// The tables, decoded on first use. Immutable once built.
    static let shared = UnicodeTables()

    /// Number of code points covered: 0 ..< 0x110000.
    static let codepointCount = 0x11_0000

    /// Flags of every code point; `flagTable[cpt]` for cpt < 0x110000 (shape: [0x110000]).
    let flagTable: [UInt16]
    /// Sorted code points that have a lowercase mapping, and their lowercase (shape: [n] each).
    private let lowerKeys: [UInt32]
    private let lowerValues: [UInt32]
    /// Sorted NFD ranges: first and last code point, and the code point they map to (shape: [n] each).
    private let nfdFirst: [UInt32]
    private let nfdLast: [UInt32]
    private let nfdValue: [UInt32]

    private init() {
        var flags = [UInt16](repeating: CodepointFlags.undefined.rawValue, count: Self.codepointCount)
        let ranges = Self.decodeHex(UnicodeTableData.categoryRanges, widths: [6, 2])
        for (i, entry) in ranges.enumerated() {
            let start = Int(entry[0])
            let end = i + 1 < ranges.count ? Int(ranges[i + 1][0]) : Self.codepointCount
            let value = UInt16(entry[1])
            flags.withUnsafeMutableBufferPointer { buf in
                for cpt in start..<end { buf[cpt] = value }
            }
        }
        for cpt in UnicodeTableData.whitespace { flags[Int(cpt)] |= CodepointFlags.whitespace.rawValue }
        flagTable = flags

        let lower = Self.decodeHex(UnicodeTableData.lowercase, widths: [6, 6])
        lowerKeys = lower.map { $0[0] }
        lowerValues = lower.map { $0[1] }

        let nfd = Self.decodeHex(UnicodeTableData.nfd, widths: [6, 6, 6])
        nfdFirst = nfd.map { $0[0] }
        nfdLast = nfd.map { $0[1] }
        nfdValue = nfd.map { $0[2] }
    }

    /// Flags of a code point; code points beyond U+10FFFF are `undefined`, as in llama.cpp.
    @inline(__always)
    func flags(_ cpt: UInt32) -> CodepointFlags {
        cpt < UInt32(Self.codepointCount) ? CodepointFlags(rawValue: flagTable[Int(cpt)]) : .undefined
    }

    /// The simple lowercase of a code point (itself when it has none).
    func lowercase(_ cpt: UInt32) -> UInt32 {
        if cpt < 0x80 { return (cpt >= 0x41 && cpt <= 0x5A) ? cpt + 0x20 : cpt }
        var lo = 0, hi = lowerKeys.count
        while lo < hi {
            let mid = (lo + hi) / 2
            if lowerKeys[mid] < cpt { lo = mid + 1 } else { hi = mid }
        }
        return lo < lowerKeys.count && lowerKeys[lo] == cpt ? lowerValues[lo] : cpt
    }

    /// llama.cpp's `unicode_cpts_normalize_nfd` for one code point: the first code point of its
    /// decomposition (accents dropped), or itself.
    func nfd(_ cpt: UInt32) -> UInt32 {
        // Last range whose first code point is <= cpt.
        var lo = 0, hi = nfdFirst.count
        while lo < hi {
            let mid = (lo + hi) / 2
            if nfdFirst[mid] <= cpt { lo = mid + 1 } else { hi = mid }
        }
        guard lo > 0 else { return cpt }
        let i = lo - 1
        return cpt <= nfdLast[i] ? nfdValue[i] : cpt
    }

    /// Decodes a table of fixed-width hex fields; whitespace between entries is ignored.
    private static func decodeHex(_ text: String, widths: [Int]) -> [[UInt32]] {
        var out: [[UInt32]] = []
        var fields: [UInt32] = []
        var value: UInt32 = 0
        var digits = 0
        var field = 0
        for byte in text.utf8 {
            let nibble: UInt32
            switch byte {
            case UInt8(ascii: "0")...UInt8(ascii: "9"): nibble = UInt32(byte - UInt8(ascii: "0"))
            case UInt8(ascii: "A")...UInt8(ascii: "F"): nibble = UInt32(byte - UInt8(ascii: "A") + 10)
            default: continue
            }
            value = value << 4 | nibble
            digits += 1
            if digits == widths[field] {
                fields.append(value)
                value = 0
                digits = 0
                field += 1
                if field == widths.count {
                    out.append(fields)
                    fields.removeAll(keepingCapacity: true)
                    field = 0
                }
            }
        }
        return out
    }
}

/// UTF-8 helpers shared by the tokenizers.
enum UTF8Scan {
    /// Length of the UTF-8 sequence a lead byte starts, as llama.cpp's `unicode_len_utf8`
    /// (continuation bytes count as 1).
    @inline(__always)
    static func sequenceLength(_ lead: UInt8) -> Int {
        switch lead >> 4 {
        case 0xC, 0xD: return 2
        case 0xE: return 3
        case 0xF: return 4
        default: return 1
        }
    }

    /// Decodes valid UTF-8 into code points and the byte offset where each starts.
    ///
    /// - Returns: `cpts` (shape: [n]) and `offsets` (shape: [n + 1], the last is `bytes.count`).
    static func decode(_ bytes: UnsafeBufferPointer<UInt8>) -> (cpts: [UInt32], offsets: [Int]) {
        var cpts: [UInt32] = []
        var offsets: [Int] = []
        cpts.reserveCapacity(bytes.count)
        offsets.reserveCapacity(bytes.count + 1)
        var i = 0
        let n = bytes.count
        while i < n {
            let b0 = bytes[i]
            offsets.append(i)
            var len = sequenceLength(b0)
            if i + len > n { len = 1 }
            var cpt: UInt32
            switch len {
            case 2: cpt = UInt32(b0 & 0x1F) << 6 | UInt32(bytes[i + 1] & 0x3F)
            case 3: cpt = UInt32(b0 & 0x0F) << 12 | UInt32(bytes[i + 1] & 0x3F) << 6 | UInt32(bytes[i + 2] & 0x3F)
            case 4:
                cpt = UInt32(b0 & 0x07) << 18 | UInt32(bytes[i + 1] & 0x3F) << 12
                    | UInt32(bytes[i + 2] & 0x3F) << 6 | UInt32(bytes[i + 3] & 0x3F)
            default: cpt = b0 < 0x80 ? UInt32(b0) : 0xFFFD
            }
            cpts.append(cpt)
            i += len
        }
        offsets.append(n)
        return (cpts, offsets)
    }

    /// UTF-8 encoding of one code point appended to `out`.
    @inline(__always)
    static func append(_ cpt: UInt32, to out: inout [UInt8]) {
        switch cpt {
        case 0..<0x80: out.append(UInt8(cpt))
        case 0x80..<0x800:
            out.append(0xC0 | UInt8(cpt >> 6)); out.append(0x80 | UInt8(cpt & 0x3F))
        case 0x800..<0x10000:
            out.append(0xE0 | UInt8(cpt >> 12)); out.append(0x80 | UInt8((cpt >> 6) & 0x3F))
            out.append(0x80 | UInt8(cpt & 0x3F))
        default:
            out.append(0xF0 | UInt8((cpt >> 18) & 0x07)); out.append(0x80 | UInt8((cpt >> 12) & 0x3F))
            out.append(0x80 | UInt8((cpt >> 6) & 0x3F)); out.append(0x80 | UInt8(cpt & 0x3F))
        }
    }
}
