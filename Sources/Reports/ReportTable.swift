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
    /// Who reads the column: everyone, or only the data formats.
    public var role: Role

    /// Which formats show a column.
    public enum Role: String, Sendable, Equatable, CaseIterable {
        /// Every format shows the column.
        case shown
        /// Only JSON and CSV carry the column: a number or text a reader of the table does not need
        /// but an analysis does (raw p-value, query text, per-group counts). Markdown, LaTeX and
        /// HTML leave it out unless it is chosen by name (`ReportTable.selectingColumns(_:)`).
        case dataOnly = "data_only"
    }

    /// A column; the header defaults to the key.
    public init(key: String, header: String? = nil, alignment: Alignment = .left, wraps: Bool = false, role: Role = .shown) {
        self.key = key
        self.header = header ?? key
        self.alignment = alignment
        self.wraps = wraps
        self.role = role
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
    /// Forest plots of the table's effects, drawn by the HTML renderer after the table (the other
    /// formats already hold the same numbers in their cells).
    public var charts: [ForestPlot] = []
    /// Other figures (drawn SVG) the HTML renderer shows after the charts, each with its title as
    /// caption.
    public var figures: [Figure] = []

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
        for item in provenance where !seenProvenance.insert(SnakeCase.key(item.key)).inserted {
            throw .duplicateProvenanceKey(item.key)
        }
    }

    /// The keys a tidy JSON or CSV reader would meet that are not snake_case: column keys and the
    /// keys of object values, as `column` or `column.key.key` paths. The matrix's test asserts
    /// that this is empty.
    public func keysNotInSnakeCase() -> [String] {
        var found: [String] = []
        func visit(_ value: CellValue, path: String) {
            switch value {
            case .object(let members):
                for key in members.keys.sorted() {
                    if !SnakeCase.isSnakeCase(key) { found.append(path + "." + key) }
                    visit(members[key] ?? .null, path: path + "." + key)
                }
            case .array(let elements):
                for element in elements { visit(element, path: path) }
            default:
                break
            }
        }
        for (index, column) in columns.enumerated() {
            if !SnakeCase.isSnakeCase(column.key) { found.append(column.key) }
            for row in rows.indices {
                visit(cells(ofRow: row)[index].value, path: column.key)
            }
        }
        var unique: [String] = []
        for key in found where !unique.contains(key) { unique.append(key) }
        return unique
    }

    /// The table with only the columns whose keys are given, in that order, each shown in every
    /// format (a data-only column chosen by name is shown too). Notes, provenance and charts stay.
    ///
    /// This is what a `--columns id,claim,verdict` option applies before rendering.
    public func selectingColumns(_ keys: [String]) throws(ReportsError) -> ReportTable {
        var positions: [String: Int] = [:]
        for (index, column) in columns.enumerated() where positions[column.key] == nil {
            positions[column.key] = index
        }
        var chosen: [Int] = []
        var seen: Set<String> = []
        for key in keys {
            guard let position = positions[key] else {
                throw .unknownColumn(key, available: columns.map(\.key))
            }
            guard seen.insert(key).inserted else {
                throw .duplicateColumnKey(key)
            }
            chosen.append(position)
        }
        var table = self
        table.columns = chosen.map { index in
            var column = columns[index]
            column.role = .shown
            return column
        }
        table.rows = rows.indices.map { row in
            let cells = self.cells(ofRow: row)
            return chosen.map { cells[$0] }
        }
        return table
    }

    /// The positions of the columns that Markdown, LaTeX and HTML show.
    var shownColumnIndices: [Int] {
        columns.indices.filter { columns[$0].role == .shown }
    }

    /// The table as the human-readable formats show it: data-only columns left out.
    var shownPart: ReportTable {
        let shown = shownColumnIndices
        guard shown.count != columns.count else {
            return self
        }
        var table = self
        table.columns = shown.map { columns[$0] }
        table.rows = rows.indices.map { row in
            let cells = self.cells(ofRow: row)
            return shown.map { cells[$0] }
        }
        return table
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
    /// A column was asked for by a key the table does not have.
    case unknownColumn(String, available: [String])

    public var description: String {
        switch self {
        case .emptyColumnKey(let column):
            return "column \(column) has an empty key; every column needs a key for the CSV header and JSON rows"
        case .duplicateColumnKey(let key):
            return "column key '\(key)' is used twice; CSV headers and JSON row keys must be unique"
        case .rowWidthMismatch(let row, let expected, let found):
            return "row \(row) has \(found) cell\(found == 1 ? "" : "s"), expected \(expected) (one per column)"
        case .duplicateProvenanceKey(let key):
            return "provenance key '\(key)' is given twice (or twice in snake_case); JSON writes provenance as an object with unique keys"
        case .unknownColumn(let key, let available):
            return "there is no column '\(key)'; the columns are: \(available.joined(separator: ", "))"
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
