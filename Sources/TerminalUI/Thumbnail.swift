/// The two colours of one half-block cell: the upper pixel (foreground of "▀") and the lower one (background).
public struct PixelPair: Hashable, Sendable {
    public var top: RGBColor
    public var bottom: RGBColor

    public init(top: RGBColor, bottom: RGBColor) {
        self.top = top
        self.bottom = bottom
    }
}

/// A small picture drawn in the transcript as rows of half-block cells, two pixels a cell.
public struct Thumbnail: Hashable, Sendable {
    /// Columns (= pixels across).
    public let columns: Int
    /// Cell rows (= pixel rows / 2).
    public let rows: Int
    /// [rows, columns] cells, row-major.
    public let cells: [PixelPair]

    /// The largest box-filtered reduction of packed RGB `pixels` (width × height × 3 bytes) that fits in
    /// `maxColumns` × `maxRows` cells, keeping the picture's shape (a cell holds two square pixels).
    /// nil when the sizes do not match the bytes.
    public init?(rgb pixels: [UInt8], width: Int, height: Int, maxColumns: Int = 24, maxRows: Int = 8) {
        guard width > 0, height > 0, pixels.count == width * height * 3, maxColumns > 0, maxRows > 0 else { return nil }
        let scale = min(Double(maxColumns) / Double(width), Double(maxRows * 2) / Double(height), 1)
        let w = max(1, Int((Double(width) * scale).rounded())), h2 = max(2, Int((Double(height) * scale / 2).rounded()) * 2)
        var px = [RGBColor](repeating: RGBColor(red: 0, green: 0, blue: 0), count: w * h2)
        for y in 0..<h2 {
            let y0 = y * height / h2, y1 = max(y0 + 1, (y + 1) * height / h2)
            for x in 0..<w {
                let x0 = x * width / w, x1 = max(x0 + 1, (x + 1) * width / w)
                var r = 0, g = 0, b = 0
                for sy in y0..<y1 {
                    for sx in x0..<x1 {
                        let i = (sy * width + sx) * 3
                        r += Int(pixels[i]); g += Int(pixels[i + 1]); b += Int(pixels[i + 2])
                    }
                }
                let n = (y1 - y0) * (x1 - x0)
                px[y * w + x] = RGBColor(red: UInt8(r / n), green: UInt8(g / n), blue: UInt8(b / n))
            }
        }
        columns = w
        rows = h2 / 2
        cells = (0..<(rows * w)).map { i in
            let row = i / w, col = i % w
            return PixelPair(top: px[(2 * row) * w + col], bottom: px[(2 * row + 1) * w + col])
        }
    }

    /// The thumbnail as laid-out lines, each indented by `indent` columns and clipped to `width`.
    func lines(indent: Int, width: Int) -> [StyledLine] {
        let pad = Glyph.glyphs(String(repeating: " ", count: indent), SpanStyle(.text))
        let room = max(0, width - indent)
        return (0..<rows).map { row in
            let cells = (0..<min(columns, room)).map { col in
                Glyph("▀", width: 1, style: SpanStyle(.text, pixels: self.cells[row * columns + col]))
            }
            return StyledLine(glyphs: pad + cells)
        }
    }
}

extension ResolvedTheme {
    /// How one half-block cell is drawn at this theme's colour capability: the colours degraded like the
    /// theme's own (truecolor, 256, 8), and without colours a shade character for the cell's brightness.
    public func cell(_ pixels: PixelPair) -> (character: Character, style: Style) {
        guard capability != .none else {
            let luma = (Self.luma(pixels.top) + Self.luma(pixels.bottom)) / 2
            let shades: [Character] = [" ", "░", "▒", "▓", "█"]
            return (shades[min(4, luma * 5 / 256)], style(.text))
        }
        return ("▀", Style(foreground: ColorDegradation.degrade(pixels.top, to: capability),
                           background: ColorDegradation.degrade(pixels.bottom, to: capability)))
    }

    private static func luma(_ c: RGBColor) -> Int { (299 * Int(c.red) + 587 * Int(c.green) + 114 * Int(c.blue)) / 1000 }
}
