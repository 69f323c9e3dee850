/// One column of a report table: its machine key, its human header and how it is laid out.
public struct Column: Sendable, Equatable {
    /// Horizontal alignment of a column's header and cells.
    public enum Alignment: String, Sendable, Equatable, CaseIterable {
        case left, right, center
    }

    /// The JSON key and the CSV header; unique within a table.
    public var key: String
    /// The header Markdown, LaTeX and HTML show.
    public var header: String
    /// How the column's header and cells are aligned.
    public var alignment: Alignment
    /// Whether the column holds long prose that should wrap (a LaTeX `X` column, an HTML column
    /// allowed to break lines); other columns keep each cell on one line where the format can.
    public var wraps: Bool

    /// A column; the header defaults to the key.
    public init(key: String, header: String? = nil, alignment: Alignment = .left, wraps: Bool = false) {
        self.key = key
        self.header = header ?? key
        self.alignment = alignment
        self.wraps = wraps
    }
}

/// One line of provenance (tool version, dataset hash, correction method…), shown at the end of
/// every output.
public struct ProvenanceItem: Sendable, Equatable {
    /// What the line records, e.g. "tool" or "dataset hf-2022 sha256".
    public var key: String
    /// The recorded value.
    public var value: String

    /// A provenance line.
    public init(key: String, value: String) {
        self.key = key
        self.value = value
    }
}

/// A format-neutral table: columns, rows of cells, notes and provenance.
///
/// Renderers show `columns.count` cells per row: a short row is padded with empty cells and extra
/// cells are not shown. `validate()` reports such rows, and duplicate keys, before rendering.
public struct ReportTable: Sendable, Equatable {
    /// A title: a heading in Markdown, a caption in HTML, a `%` comment in LaTeX, a comment line
    /// in CSV and a field in JSON.
    public var title: String?
    /// The columns, in display order.
    public var columns: [Column]
    /// The rows, each one cell per column in column order.
    public var rows: [[Cell]]
    /// Footnote or legend lines shown after the table.
    public var notes: [String]
    /// Provenance lines shown at the very end of every output, in this order.
    public var provenance: [ProvenanceItem]
    /// Charts of the table's numbers, drawn by the HTML renderer after the table (the other
    /// formats already hold the same numbers in their cells).
    public var charts: [IntervalChart] = []

    /// A table.
    public init(
        title: String? = nil,
        columns: [Column],
        rows: [[Cell]] = [],
        notes: [String] = [],
        provenance: [ProvenanceItem] = []
    ) {
        self.title = title
        self.columns = columns
        self.rows = rows
        self.notes = notes
        self.provenance = provenance
    }

    /// Appends a row after checking that it has one cell per column.
    public mutating func appendRow(_ cells: [Cell]) throws(ReportsError) {
        guard cells.count == columns.count else {
            throw .rowWidthMismatch(row: rows.count + 1, expected: columns.count, found: cells.count)
        }
        rows.append(cells)
    }

    /// Checks what renderers cannot repair: column keys present and unique, one cell per column
    /// in every row, provenance keys unique (JSON writes provenance as an object).
    public func validate() throws(ReportsError) {
        var seenColumns: Set<String> = []
        for (index, column) in columns.enumerated() {
            if column.key.isEmpty {
                throw .emptyColumnKey(column: index + 1)
            }
            if !seenColumns.insert(column.key).inserted {
                throw .duplicateColumnKey(column.key)
            }
        }
        for (index, row) in rows.enumerated() where row.count != columns.count {
            throw .rowWidthMismatch(row: index + 1, expected: columns.count, found: row.count)
        }
        var seenProvenance: Set<String> = []
        for item in provenance where !seenProvenance.insert(item.key).inserted {
            throw .duplicateProvenanceKey(item.key)
        }
    }

    /// Row `index` with exactly one cell per column (padded with empty cells, extras dropped).
    func cells(ofRow index: Int) -> [Cell] {
        let row = rows[index]
        if row.count == columns.count {
            return row
        }
        if row.count > columns.count {
            return Array(row.prefix(columns.count))
        }
        return row + Array(repeating: Cell.empty, count: columns.count - row.count)
    }
}

/// What can be wrong with a report table.
public enum ReportsError: Error, Equatable, CustomStringConvertible {
    /// Column number `column` (1-based) has an empty key.
    case emptyColumnKey(column: Int)
    /// Two columns share a key.
    case duplicateColumnKey(String)
    /// Row number `row` (1-based, header excluded) has the wrong number of cells.
    case rowWidthMismatch(row: Int, expected: Int, found: Int)
    /// Two provenance lines share a key.
    case duplicateProvenanceKey(String)

    public var description: String {
        switch self {
        case .emptyColumnKey(let column):
            return "column \(column) has an empty key; every column needs a key for the CSV header and JSON rows"
        case .duplicateColumnKey(let key):
            return "column key '\(key)' is used twice; CSV headers and JSON row keys must be unique"
        case .rowWidthMismatch(let row, let expected, let found):
            return "row \(row) has \(found) cell\(found == 1 ? "" : "s"), expected \(expected) (one per column)"
        case .duplicateProvenanceKey(let key):
            return "provenance key '\(key)' is given twice; JSON writes provenance as an object with unique keys"
        }
    }
}

/// Text clean-up shared by the renderers.
enum PlainText {
    /// `text` with CRLF and lone CR turned into LF, so every format sees one kind of line break.
    static func normalizingLineBreaks(_ text: String) -> String {
        guard text.unicodeScalars.contains("\r") else {
            return text
        }
        var result = String.UnicodeScalarView()
        var previousWasCR = false
        for scalar in text.unicodeScalars {
            if scalar == "\r" {
                result.append("\n")
                previousWasCR = true
                continue
            }
            if scalar == "\n" && previousWasCR {
                previousWasCR = false
                continue
            }
            previousWasCR = false
            result.append(scalar)
        }
        return String(result)
    }

    /// `text` on one line: line breaks normalized, then replaced by a single space each.
    static func singleLine(_ text: String) -> String {
        String(String.UnicodeScalarView(normalizingLineBreaks(text).unicodeScalars.map { $0 == "\n" ? " " : $0 }))
    }

    /// `text` made safe for a one-line comment: line breaks and other control characters become
    /// spaces, so nothing after the comment marker can escape onto a live line.
    static func commentLine(_ text: String) -> String {
        String(String.UnicodeScalarView(singleLine(text).unicodeScalars.map { isUnprintableControl($0) ? " " : $0 }))
    }

    /// Whether `scalar` is a control character other than tab and line feed (C0, DEL and C1),
    /// which no text format can show.
    static func isUnprintableControl(_ scalar: Unicode.Scalar) -> Bool {
        switch scalar.value {
        case 0x09, 0x0A:
            return false
        case 0x00...0x1F, 0x7F...0x9F:
            return true
        default:
            return false
        }
    }
}
