/// The splitting passes of ``PreTokenizerStage``, as state machines over code points.
///
/// Every pass reads code points `c[start ..< end]` and their flags `f[start ..< end]` (raw
/// ``CodepointFlags``) and appends the lengths (in code points) of the pieces it cuts to `out`;
/// the lengths sum to `end - start`. Outside the range a code point reads as `outOfRange` with
/// no flags, which is how the patterns' lookaheads see the end of a piece.
enum PreTokenizerSplit {
    typealias Codepoints = UnsafeBufferPointer<UInt32>
    typealias Flags = UnsafeBufferPointer<UInt16>

    static let outOfRange: UInt32 = 0xFFFF_FFFF
    static let letter = CodepointFlags.letter.rawValue
    static let number = CodepointFlags.number.rawValue
    static let space = CodepointFlags.whitespace.rawValue
    static let mark = CodepointFlags.accentMark.rawValue
    static let cr: UInt32 = 0x0D, lf: UInt32 = 0x0A, apostrophe: UInt32 = 0x27, blank: UInt32 = 0x20

    static func apply(_ stage: PreTokenizerStage, _ c: Codepoints, _ f: Flags, _ start: Int, _ end: Int, _ out: inout [Int]) {
        guard end > start else { return }
        switch stage {
        case .gpt2: gpt2(c, f, start, end, &out)
        case .llama3: llama3(c, f, start, end, digitsPerPiece: 3, letters: letter, &out)
        case .qwen2: llama3(c, f, start, end, digitsPerPiece: 1, letters: letter, &out)
        case .qwen35: llama3(c, f, start, end, digitsPerPiece: 1, letters: letter | mark, &out)
        case .isolateNumbers: classRuns(c, f, start, end, single: true, &out) { collapsedNumber($0, $1) }
        case .numberRuns: classRuns(c, f, start, end, single: false, &out) { collapsedNumber($0, $1) }
        case .punctuationRuns(let backtick):
            classRuns(c, f, start, end, single: false, &out) { collapsedPunctuation($0, $1, backtick: backtick) }
        case .asciiDigitTriplets: digitTriplets(c, start, end, &out)
        }
    }

    /// Cuts pieces as they end; `prev` is where the current piece began.
    private struct Cutter {
        var prev: Int
        @inline(__always)
        mutating func cut(at end: Int, _ out: inout [Int]) {
            if end > prev { out.append(end - prev) }
            prev = end
        }
    }

    private static func gpt2(_ c: Codepoints, _ f: Flags, _ start: Int, _ end: Int, _ out: inout [Int]) {
        @inline(__always) func cpt(_ p: Int) -> UInt32 { p < end ? c[p] : outOfRange }
        @inline(__always) func flg(_ p: Int) -> UInt16 { p < end ? f[p] : 0 }
        var cutter = Cutter(prev: start)
        var pos = start
        while pos < end {
            let cp = c[pos]
            let fl = f[pos]
            // 's|'t|'re|'ve|'m|'ll|'d
            if cp == apostrophe && pos + 1 < end {
                let n1 = c[pos + 1]
                if n1 == 0x73 || n1 == 0x74 || n1 == 0x6D || n1 == 0x64 {  // s t m d
                    pos += 2; cutter.cut(at: pos, &out); continue
                }
                if pos + 2 < end {
                    let n2 = c[pos + 2]
                    if (n1 == 0x72 && n2 == 0x65) || (n1 == 0x76 && n2 == 0x65) || (n1 == 0x6C && n2 == 0x6C) {  // re ve ll
                        pos += 3; cutter.cut(at: pos, &out); continue
                    }
                }
            }
            var f2 = cp == blank ? flg(pos + 1) : fl
            // <space>?\p{L}+ , <space>?\p{N}+ , <space>?[^\s\p{L}\p{N}]+
            for kind in 0..<3 {
                func member(_ x: UInt16) -> Bool {
                    switch kind {
                    case 0: return x & letter != 0
                    case 1: return x & number != 0
                    default: return x & (space | letter | number) == 0 && x != 0
                    }
                }
                if member(f2) {
                    if cp == blank { pos += 1 }
                    while member(f2) { pos += 1; f2 = flg(pos) }
                    break
                }
            }
            if pos > cutter.prev { cutter.cut(at: pos, &out); continue }
            var spaces = 0
            while flg(pos + spaces) & space != 0 { spaces += 1 }
            if spaces > 1 && cpt(pos + spaces) != outOfRange {  // \s+(?!\S)
                pos += spaces - 1
            } else if spaces > 0 {  // \s+
                pos += spaces
            } else {
                pos += 1
            }
            cutter.cut(at: pos, &out)
        }
    }

    /// The llama3 pattern (`digitsPerPiece` 3), the qwen2 pattern (`digitsPerPiece` 1) and the
    /// qwen35 pattern (qwen2 with marks counted as letters: `letters` = letter | mark), with
    /// llama.cpp's quirk that the punctuation branch tests the flags of the first code point.
    private static func llama3(_ c: Codepoints, _ f: Flags, _ start: Int, _ end: Int, digitsPerPiece: Int,
                               letters: UInt16, _ out: inout [Int]) {
        @inline(__always) func cpt(_ p: Int) -> UInt32 { p < end ? c[p] : outOfRange }
        @inline(__always) func flg(_ p: Int) -> UInt16 { p < end ? f[p] : 0 }
        let table = UnicodeTables.shared
        var cutter = Cutter(prev: start)
        var pos = start
        while pos < end {
            let cp = c[pos]
            let fl = f[pos]
            // (?i:'s|'t|'re|'ve|'m|'ll|'d)
            if cp == apostrophe && pos + 1 < end {
                let n1 = table.lowercase(c[pos + 1])
                if n1 == 0x73 || n1 == 0x74 || n1 == 0x6D || n1 == 0x64 {
                    pos += 2; cutter.cut(at: pos, &out); continue
                }
                if pos + 2 < end {
                    let n2 = table.lowercase(c[pos + 2])
                    if (n1 == 0x72 && n2 == 0x65) || (n1 == 0x76 && n2 == 0x65) || (n1 == 0x6C && n2 == 0x6C) {
                        pos += 3; cutter.cut(at: pos, &out); continue
                    }
                }
            }
            // [^\r\n\p{L}\p{N}]?\p{L}+ (or [\p{L}\p{M}]+)
            if !(cp == cr || cp == lf || fl & number != 0) {
                if fl & letters != 0 || flg(pos + 1) & letters != 0 {
                    pos += 1
                    while flg(pos) & letters != 0 { pos += 1 }
                    cutter.cut(at: pos, &out); continue
                }
            }
            // \p{N}{1,3} or \p{N}
            if fl & number != 0 {
                var first = pos
                while flg(pos) & number != 0 {
                    pos += 1
                    if pos - first >= digitsPerPiece { cutter.cut(at: pos, &out); first = pos }
                }
                cutter.cut(at: pos, &out); continue
            }
            // <space>?[^\s\p{L}\p{N}]+[\r\n]* (or [^\s\p{L}\p{M}\p{N}])
            var f2 = cp == blank ? flg(pos + 1) : fl
            let excluded = space | letters | number
            if f2 & excluded == 0 && fl != 0 {
                if cp == blank { pos += 1 }
                while f2 & excluded == 0 && f2 != 0 { pos += 1; f2 = flg(pos) }
                var c2 = cpt(pos)
                while c2 == cr || c2 == lf { pos += 1; c2 = cpt(pos) }
                cutter.cut(at: pos, &out); continue
            }
            var spaces = 0
            var lastNewlineEnd = 0
            while flg(pos + spaces) & space != 0 {
                let c2 = cpt(pos + spaces)
                if c2 == cr || c2 == lf { lastNewlineEnd = pos + spaces + 1 }
                spaces += 1
            }
            if lastNewlineEnd > 0 {  // \s*[\r\n]+
                pos = lastNewlineEnd
            } else if spaces > 1 && cpt(pos + spaces) != outOfRange {  // \s+(?!\S)
                pos += spaces - 1
            } else if spaces > 0 {  // \s+
                pos += spaces
            } else {
                pos += 1
            }
            cutter.cut(at: pos, &out)
        }
    }

    /// Whether a code point is in `\p{N}` as llama.cpp's std::regex fallback sees it: ASCII as
    /// itself, anything else through its collapsed category.
    @inline(__always)
    static func collapsedNumber(_ cpt: UInt32, _ flags: UInt16) -> Bool {
        if cpt < 0x80 { return cpt >= 0x30 && cpt <= 0x39 }
        return flags & space == 0 && flags & 0xFF == CodepointFlags.number.rawValue
    }

    /// Whether a code point is in `[\p{P}\$\+<=>\^~\|]` (plus the backtick when asked) as llama.cpp's
    /// std::regex fallback sees it.
    @inline(__always)
    static func collapsedPunctuation(_ cpt: UInt32, _ flags: UInt16, backtick: Bool) -> Bool {
        if cpt < 0x80 {
            switch cpt {
            case 0x21...0x2F, 0x3A...0x40, 0x5B...0x5F, 0x7B...0x7E: return true  // all ASCII punctuation and symbols but `
            case 0x60: return backtick
            default: return false
            }
        }
        return flags & space == 0 && flags & 0xFF == CodepointFlags.punctuation.rawValue
    }

    /// Pieces from matches of a one-code-point class: each member alone (`single`) or runs of
    /// members; the text between matches forms pieces too.
    private static func classRuns(_ c: Codepoints, _ f: Flags, _ start: Int, _ end: Int, single: Bool,
                                  _ out: inout [Int], _ member: (UInt32, UInt16) -> Bool) {
        var cutter = Cutter(prev: start)
        var pos = start
        while pos < end {
            if member(c[pos], f[pos]) {
                cutter.cut(at: pos, &out)
                pos += 1
                if !single { while pos < end && member(c[pos], f[pos]) { pos += 1 } }
                cutter.cut(at: pos, &out)
            } else {
                pos += 1
            }
        }
        cutter.cut(at: end, &out)
    }

    /// Pieces from `[0-9][0-9][0-9]`: each run of three ASCII digits, leftmost first.
    private static func digitTriplets(_ c: Codepoints, _ start: Int, _ end: Int, _ out: inout [Int]) {
        @inline(__always) func digit(_ p: Int) -> Bool { c[p] >= 0x30 && c[p] <= 0x39 }
        var cutter = Cutter(prev: start)
        var pos = start
        while pos + 2 < end {
            if digit(pos) && digit(pos + 1) && digit(pos + 2) {
                cutter.cut(at: pos, &out)
                pos += 3
                cutter.cut(at: pos, &out)
            } else {
                pos += 1
            }
        }
        cutter.cut(at: end, &out)
    }
}
