/// Maps 24-bit theme colours onto smaller terminal palettes.
public enum ColorDegradation {
    /// The six component levels of the xterm 6×6×6 colour cube (indices 16–231).
    static let cubeLevels: [Int] = [0, 95, 135, 175, 215, 255]

    /// The RGB value of an xterm-256 palette entry in 16...255 (nil for 0–15, which terminals redefine).
    public static func xterm256Value(_ index: UInt8) -> RGBColor? {
        switch index {
        case 16...231:
            let i = Int(index) - 16
            return RGBColor(red: UInt8(cubeLevels[i / 36]), green: UInt8(cubeLevels[i / 6 % 6]),
                            blue: UInt8(cubeLevels[i % 6]))
        case 232...255:
            let level = UInt8(8 + 10 * (Int(index) - 232))
            return RGBColor(red: level, green: level, blue: level)
        default:
            return nil
        }
    }

    /// The nearest xterm-256 entry among the portable ones (16–255), by a perceptually weighted
    /// RGB distance; `excluding` names an index that must not be chosen (e.g. the background).
    public static func nearestXterm256(_ color: RGBColor, excluding: UInt8? = nil) -> UInt8 {
        var best: UInt8 = 16
        var bestDistance = Int.max
        for index in UInt8(16)...UInt8(255) where index != excluding {
            guard let candidate = xterm256Value(index) else { continue }
            let d = distance(color, candidate)
            if d < bestDistance {
                bestDistance = d
                best = index
            }
        }
        return best
    }

    /// The nearest of the 8 ANSI colours (0 black, 1 red, 2 green, 3 yellow, 4 blue, 5 magenta,
    /// 6 cyan, 7 white).
    ///
    /// Terminals paint these 8 very differently, so the match is by hue rather than by RGB
    /// distance: greys and near-greys go to black or white by lightness, very dark colours to
    /// black, very light ones to white, the rest to the ANSI colour whose hue range holds theirs. `excluding`
    /// names an index that must not be chosen; the substitute is black or white, whichever
    /// contrasts with the excluded colour.
    public static func nearestANSI8(_ color: RGBColor, excluding: UInt8? = nil) -> UInt8 {
        let choice = hueMatch(color)
        guard let excluded = excluding, choice == excluded else { return choice }
        let lightExcluded: Set<UInt8> = [2, 3, 6, 7]
        return lightExcluded.contains(excluded) ? 0 : 7
    }

    /// Converts a colour for a capability; `excluding` is a palette index to avoid (the
    /// background a foreground is drawn on), ignored for truecolor.
    public static func degrade(_ color: RGBColor, to capability: ColorCapability,
                               excluding: TerminalColor = .default) -> TerminalColor {
        var avoid: UInt8?
        if case .indexed(let index) = excluding { avoid = index }
        switch capability {
        case .none: return .default
        case .ansi8: return .indexed(nearestANSI8(color, excluding: avoid))
        case .ansi256: return .indexed(nearestXterm256(color, excluding: avoid))
        case .truecolor: return .rgb(color)
        }
    }

    private static func hueMatch(_ color: RGBColor) -> UInt8 {
        let r = Int(color.red), g = Int(color.green), b = Int(color.blue)
        let high = max(r, g, b), low = min(r, g, b)
        let chroma = high - low
        if high < 90 { return 0 }
        if low > 200 { return 7 }
        if chroma < 40 || chroma * 100 < high * 30 {
            return (high + low) / 2 < 112 ? 0 : 7
        }
        var hue: Double
        let c = Double(chroma)
        if high == r {
            hue = Double(g - b) / c
        } else if high == g {
            hue = Double(b - r) / c + 2
        } else {
            hue = Double(r - g) / c + 4
        }
        hue *= 60
        if hue < 0 { hue += 360 }
        // Hue ranges tuned to how terminals paint the ANSI colours: orange counts as red,
        // azure as blue, violet as magenta.
        switch hue {
        case 30..<75: return 3
        case 75..<160: return 2
        case 160..<200: return 6
        case 200..<255: return 4
        case 255..<335: return 5
        default: return 1
        }
    }

    /// Squared "redmean" distance: a cheap approximation of perceived colour difference.
    static func distance(_ a: RGBColor, _ b: RGBColor) -> Int {
        let rMean = (Int(a.red) + Int(b.red)) / 2
        let dr = Int(a.red) - Int(b.red), dg = Int(a.green) - Int(b.green), db = Int(a.blue) - Int(b.blue)
        return (((512 + rMean) * dr * dr) >> 8) + 4 * dg * dg + (((767 - rMean) * db * db) >> 8)
    }
}
