/// An in-memory screen: a grid of cells that renders to text for golden snapshots.
public final class MemoryScreen: Screen {
    public private(set) var size: TerminalSize
    /// The grid, `size.rows` rows of `size.columns` cells each.
    public private(set) var cells: [[Cell]]
    /// Where the cursor is shown; nil when hidden.
    public private(set) var cursor: Position?
    /// How many times `flush()` was called.
    public private(set) var flushCount = 0

    public init(size: TerminalSize) {
        self.size = size
        self.cells = Array(repeating: Array(repeating: .blank(), count: size.columns), count: size.rows)
    }

    /// Changes the size; the content is cleared.
    public func resize(to newSize: TerminalSize) {
        size = newSize
        cells = Array(repeating: Array(repeating: .blank(), count: newSize.columns), count: newSize.rows)
        cursor = nil
    }

    public func clear(style: Style) {
        for row in cells.indices {
            for column in cells[row].indices { cells[row][column] = .blank(style) }
        }
    }

    public func put(_ character: Character, width: Int, row: Int, column: Int, style: Style) {
        guard row >= 0, row < size.rows, column >= 0, column < size.columns, width > 0 else { return }
        if width == 2 && column + 1 >= size.columns {
            setCell(row, column, .blank(style))
            return
        }
        setCell(row, column, Cell(text: String(character), width: width, style: style))
        if width == 2 { setCell(row, column + 1, Cell(text: "", width: 0, style: style)) }
    }

    public func setCursor(_ position: Position?) { cursor = position }

    public func flush() { flushCount += 1 }

    /// Writes a cell, blanking the other half of any wide cell it overwrites.
    private func setCell(_ row: Int, _ column: Int, _ cell: Cell) {
        let old = cells[row][column]
        if old.width == 0, column > 0, cells[row][column - 1].width == 2 {
            cells[row][column - 1] = .blank(cells[row][column - 1].style)
        }
        if old.width == 2, column + 1 < size.columns, cell.width != 2 {
            cells[row][column + 1] = .blank(cells[row][column + 1].style)
        }
        cells[row][column] = cell
    }

    /// The text of one row with trailing blanks removed.
    public func line(_ row: Int) -> String {
        guard row >= 0, row < size.rows else { return "" }
        var out = ""
        for cell in cells[row] where cell.width > 0 { out += cell.text }
        while out.hasSuffix(" ") { out.removeLast() }
        return out
    }

    /// All rows as text, trailing blanks removed.
    public var lines: [String] { (0..<size.rows).map(line) }

    /// What you would see: every row between `|` bars (wide clusters count for two columns), a
    /// frame above and below, and the cursor position.
    public func plainSnapshot() -> String {
        let frame = "+" + String(repeating: "-", count: size.columns) + "+"
        var out = [frame]
        for row in 0..<size.rows {
            var text = ""
            for cell in cells[row] where cell.width > 0 { text += cell.text }
            out.append("|" + text + "|")
        }
        out.append(frame)
        out.append("cursor: " + (cursor.map { "\($0)" } ?? "hidden"))
        return out.joined(separator: "\n") + "\n"
    }

    /// Per-cell styles: a parallel grid of one letter per column and a legend mapping each letter
    /// to its style. Letters are given in order of first appearance, row by row.
    public func styleSnapshot() -> String {
        let symbols = Array("abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789")
        var letters: [Style: Character] = [:]
        var legend: [String] = []
        var grid: [String] = []
        for row in 0..<size.rows {
            var text = ""
            for cell in cells[row] {
                if letters[cell.style] == nil {
                    let symbol = letters.count < symbols.count ? symbols[letters.count] : "?"
                    letters[cell.style] = symbol
                    legend.append("\(symbol) = \(cell.style)")
                }
                text.append(letters[cell.style] ?? "?")
            }
            grid.append(text)
        }
        return (grid + ["", "legend:"] + legend).joined(separator: "\n") + "\n"
    }

    /// Both forms, plain first, for golden files that check text and styles together.
    public func snapshot() -> String { plainSnapshot() + "\n" + styleSnapshot() }
}
