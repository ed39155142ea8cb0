import CNCurses
import TerminalUI

/// Turns `Style`s into curses attributes and colour pairs, allocating pairs on first use.
///
/// Colours are curses colour numbers: -1 for the terminal's default, palette indices for 8 and
/// 256 colours, and packed 0xRRGGBB values on direct-colour terminals (terminfo with 2^24 colours).
struct CursesPalette {
    struct PairKey: Hashable {
        var foreground: Int32
        var background: Int32
    }

    /// Whether colour numbers are 24-bit RGB values.
    let direct: Bool
    /// COLOR_PAIRS: pair numbers must stay below it.
    let maxPairs: Int
    private var pairs: [PairKey: Int32] = [:]
    private var nextPair: Int32 = 1

    init(direct: Bool, maxPairs: Int) {
        self.direct = direct
        self.maxPairs = maxPairs
    }

    /// The curses colour number of a terminal colour.
    func colorNumber(_ color: TerminalColor) -> Int32 {
        switch color {
        case .default: return -1
        case .indexed(let index): return Int32(index)
        case .rgb(let rgb):
            guard direct else { return -1 }
            return Int32(rgb.red) << 16 | Int32(rgb.green) << 8 | Int32(rgb.blue)
        }
    }

    /// Attributes and colour pair for a style; pair 0 (the defaults) when pairs run out.
    mutating func attributes(for style: Style) -> (attr_t, Int32) {
        var attrs = nook_a_normal()
        if style.bold { attrs |= nook_a_bold() }
        if style.italic { attrs |= nook_a_italic() }
        if style.underline { attrs |= nook_a_underline() }
        if style.reverse { attrs |= nook_a_reverse() }
        return (attrs, pair(foreground: colorNumber(style.foreground), background: colorNumber(style.background)))
    }

    private mutating func pair(foreground: Int32, background: Int32) -> Int32 {
        if foreground == -1 && background == -1 { return 0 }
        let key = PairKey(foreground: foreground, background: background)
        if let existing = pairs[key] { return existing }
        guard Int(nextPair) < maxPairs, init_extended_pair(nextPair, foreground, background) != ERR else { return 0 }
        pairs[key] = nextPair
        nextPair += 1
        return nextPair - 1
    }
}
