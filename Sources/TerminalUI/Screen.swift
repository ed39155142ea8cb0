/// One cell of a screen grid.
public struct Cell: Hashable, Sendable {
    /// One grapheme cluster; `" "` for a blank cell and `""` for the right half of a wide one.
    public var text: String
    /// Columns the cluster covers: 1 or 2 for a lead cell, 0 for the right half of a wide cell.
    public var width: Int
    public var style: Style

    public init(text: String, width: Int, style: Style) {
        self.text = text
        self.width = width
        self.style = style
    }

    /// A blank cell in a style.
    public static func blank(_ style: Style = .plain) -> Cell { Cell(text: " ", width: 1, style: style) }
}

/// A character-cell display that views render into: curses in the app, `MemoryScreen` in tests.
///
/// Views draw a complete frame (clear, puts, cursor) and then call `flush()`. Drawing outside
/// the screen is clipped, never an error.
public protocol Screen: AnyObject {
    /// The current size in cells.
    var size: TerminalSize { get }
    /// Fills the whole screen with blanks in a style.
    func clear(style: Style)
    /// Puts one grapheme cluster (width 1 or 2) at a position.
    func put(_ character: Character, width: Int, row: Int, column: Int, style: Style)
    /// Puts a string starting at a position, clipped at the right edge; returns the column after
    /// the last cell written. A wide cluster that would straddle the edge is drawn as a blank.
    @discardableResult
    func put(_ text: String, row: Int, column: Int, style: Style) -> Int
    /// Shows the cursor at a position, or hides it with nil.
    func setCursor(_ position: Position?)
    /// Makes what was drawn visible.
    func flush()
}

extension Screen {
    /// The default string put: cluster by cluster through `put(_:width:row:column:style:)`.
    @discardableResult
    public func put(_ text: String, row: Int, column: Int, style: Style) -> Int {
        let limit = size.columns
        var col = column
        guard row >= 0, row < size.rows else { return column }
        for character in text {
            if col >= limit { break }
            let width = DisplayWidth.of(character)
            if width == 0 { continue }
            if col + width > limit {
                put(" ", width: 1, row: row, column: col, style: style)
                col += 1
                break
            }
            if col >= 0 { put(character, width: width, row: row, column: col, style: style) }
            col += width
        }
        return col
    }

    /// Fills columns `from..<to` of a row with blanks in a style.
    public func fill(row: Int, from: Int, to: Int, style: Style) {
        guard row >= 0, row < size.rows else { return }
        let end = min(to, size.columns)
        var col = max(0, from)
        while col < end {
            put(" ", width: 1, row: row, column: col, style: style)
            col += 1
        }
    }
}
