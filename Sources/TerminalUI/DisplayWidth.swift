/// Terminal column widths of Unicode text.
///
/// East Asian Wide and Fullwidth characters and emoji in emoji presentation take 2 columns;
/// combining marks, format characters (ZWJ, variation selectors) and controls take 0; everything
/// else 1. Text is measured per grapheme cluster (Swift `Character`), which is also the unit
/// that wrapping never splits.
public enum DisplayWidth {
    /// The width of one scalar in isolation: 0, 1 or 2.
    public static func of(_ scalar: Unicode.Scalar) -> Int {
        let v = scalar.value
        if v < 0x20 || (v >= 0x7F && v < 0xA0) { return 0 }
        if v < 0x300 { return 1 }
        if contains(zeroWidthRanges, v) { return 0 }
        if contains(wideRanges, v) { return 2 }
        if scalar.properties.isEmojiPresentation { return 2 }
        return 1
    }

    /// The width of one grapheme cluster: 0 only for clusters made entirely of zero-width scalars.
    public static func of(_ character: Character) -> Int {
        let scalars = character.unicodeScalars
        guard let first = scalars.first else { return 0 }
        if scalars.count == 1 { return of(first) }
        // Regional-indicator pairs are flags.
        if (0x1F1E6...0x1F1FF).contains(first.value) { return 2 }
        var hasZWJ = false
        for scalar in scalars {
            switch scalar.value {
            case 0xFE0F where first.properties.isEmoji: return 2
            case 0xFE0E: return 1
            case 0x200D: hasZWJ = true
            default: break
            }
        }
        var base = 0
        for scalar in scalars {
            base = of(scalar)
            if base > 0 { break }
        }
        if hasZWJ && first.properties.isEmoji && base > 0 { return 2 }
        return base
    }

    /// The total width of a string, summed over its grapheme clusters.
    public static func of<S: StringProtocol>(_ text: S) -> Int {
        var total = 0
        for character in text { total += of(character) }
        return total
    }

    /// The longest prefix of `text` that fits in `columns`, ending in `ellipsis` when cut.
    public static func truncate(_ text: String, to columns: Int, ellipsis: String = "…") -> String {
        guard columns > 0 else { return "" }
        if of(text) <= columns { return text }
        let room = columns - of(ellipsis)
        guard room >= 0 else { return "" }
        var out = ""
        var used = 0
        for character in text {
            let w = of(character)
            if used + w > room { break }
            out.append(character)
            used += w
        }
        return out + ellipsis
    }

    private static func contains(_ ranges: [(UInt32, UInt32)], _ value: UInt32) -> Bool {
        var low = 0, high = ranges.count - 1
        while low <= high {
            let mid = (low + high) / 2
            if value < ranges[mid].0 {
                high = mid - 1
            } else if value > ranges[mid].1 {
                low = mid + 1
            } else {
                return true
            }
        }
        return false
    }
}
