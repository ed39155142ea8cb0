/// The size of a terminal or screen in character cells.
public struct TerminalSize: Hashable, Sendable, CustomStringConvertible {
    /// Number of columns (cells per row).
    public var columns: Int
    /// Number of rows.
    public var rows: Int

    public init(columns: Int, rows: Int) {
        self.columns = max(0, columns)
        self.rows = max(0, rows)
    }

    public var description: String { "\(columns)x\(rows)" }
}

/// A zero-based cell position on a screen.
public struct Position: Hashable, Sendable, CustomStringConvertible {
    public var row: Int
    public var column: Int

    public init(row: Int, column: Int) {
        self.row = row
        self.column = column
    }

    public var description: String { "row \(row), column \(column)" }
}
