/// Renders a table as RFC 4180 CSV: a header row, then one record per row — nothing else, so any
/// CSV reader returns exactly the table.
///
/// Tidy by default (`Content.values`): each field holds one quantity as data, the way
/// `pandas.json_normalize` flattens the JSON rows. A cell whose value is an object becomes one
/// column per leaf, named by its path (`effect.value`, `effect.lower`, `p_raw.log10`), with the
/// columns of an object listed in key order as they first occur in the rows (a null cell adds no
/// column, where `json_normalize` would add an empty one); numbers are spelled
/// as in JSON (shortest round trip; `inf`, `-inf`; NaN and null as an empty field), booleans as
/// `true`/`false`, arrays as JSON text. `Content.text` writes the cell texts under the column keys
/// instead, as the human formats show them.
///
/// Title, notes and provenance are not in the CSV: `sidecar(for:)` writes them as a JSON object
/// for a file beside it, and `trailer: true` appends them as `#` comment lines after a blank line
/// (`# title: …`, `# note: …`, `# key: value`), which `pandas.read_csv(path, comment="#")` skips.
///
/// Records end with CRLF by default, as RFC 4180 specifies and as Excel and Python's `csv` module
/// write; `LineEnding.lf` is available for tools that want Unix lines. A field is quoted when it
/// contains a comma, a double quote (doubled inside), CR or LF, or `#` (so that pandas' comment
/// character never cuts a data field short), or when it is the only (empty) field of a record,
/// which would otherwise be a blank line that readers skip. Text is written as is, line breaks
/// included. Data-only columns are written like any other.
public struct CSVRenderer: TableRenderer {
    /// How records and trailer lines end.
    public enum LineEnding: String, Sendable, CaseIterable {
        /// Carriage return and line feed, as RFC 4180 specifies.
        case crlf = "\r\n"
        /// A line feed alone.
        case lf = "\n"
    }

    /// What the fields hold.
    public enum Content: String, Sendable, CaseIterable {
        /// One field per quantity: cell values, objects flattened into one column per leaf.
        case values
        /// One field per cell: the text the human formats show.
        case text
    }

    /// How records and trailer lines end.
    public var lineEnding: LineEnding
    /// What the fields hold.
    public var content: Content
    /// Whether title, notes and provenance follow the records as `#` comment lines.
    public var trailer: Bool

    /// A CSV renderer; by default tidy values, records ending with CRLF, no trailer.
    public init(lineEnding: LineEnding = .crlf, content: Content = .values, trailer: Bool = false) {
        self.lineEnding = lineEnding
        self.content = content
        self.trailer = trailer
    }

    public func render(_ table: ReportTable) -> String {
        let end = lineEnding.rawValue
        var output = ""
        if !table.columns.isEmpty {
            switch content {
            case .text:
                output += record(table.columns.map(\.key)) + end
                for index in table.rows.indices {
                    output += record(table.cells(ofRow: index).map(\.text)) + end
                }
            case .values:
                let flat = FlatTable(table)
                output += record(flat.header) + end
                for row in flat.rows {
                    output += record(row) + end
                }
            }
        }
        guard trailer else {
            return output
        }
        var lines: [String] = []
        if let title = table.title {
            lines.append("# title: " + PlainText.commentLine(title))
        }
        for note in table.notes {
            lines.append("# note: " + PlainText.commentLine(note))
        }
        for item in table.provenance {
            lines.append("# " + PlainText.commentLine(item.key) + ": " + PlainText.commentLine(item.value))
        }
        if !lines.isEmpty {
            output += end + lines.joined(separator: end) + end
        }
        return output
    }

    /// Title, notes and provenance as the JSON object a `.csv` file's sidecar holds:
    /// `{"title": …, "notes": […], "provenance": {…}}`, spelled as `JSONRenderer` spells them.
    public func sidecar(for table: ReportTable) -> String {
        let document = JSONNode.object([
            ("title", table.title.map(JSONNode.string) ?? .null),
            ("notes", .array(table.notes.map(JSONNode.string))),
            ("provenance", .object(table.provenance.map { (SnakeCase.key($0.key), .string($0.value)) })),
        ])
        var output = ""
        document.write(to: &output, indentation: 0)
        return output + "\n"
    }

    private func record(_ fields: [String]) -> String {
        if fields.count == 1 && fields[0].isEmpty {
            return "\"\""
        }
        return fields.map(Self.field).joined(separator: ",")
    }

    /// One field, quoted when RFC 4180 or the `#` comment convention requires it.
    static func field(_ text: String) -> String {
        let needsQuotes = text.unicodeScalars.contains { scalar in
            scalar == "," || scalar == "\"" || scalar == "\r" || scalar == "\n" || scalar == "#"
        }
        guard needsQuotes else {
            return text
        }
        var quoted = String.UnicodeScalarView()
        quoted.append("\"")
        for scalar in text.unicodeScalars {
            quoted.append(scalar)
            if scalar == "\"" {
                quoted.append("\"")
            }
        }
        quoted.append("\"")
        return String(quoted)
    }
}

/// A table's cell values flattened into one text field per leaf, as `pandas.json_normalize`
/// flattens JSON rows.
private struct FlatTable {
    var header: [String] = []
    var rows: [[String]] = []

    init(_ table: ReportTable) {
        var leavesPerRow: [[String: String]] = Array(repeating: [:], count: table.rows.count)
        for (columnIndex, column) in table.columns.enumerated() {
            var paths: [String] = []
            var seen: Set<String> = []
            for row in table.rows.indices {
                // A missing value (an error row's effect) adds no column of its own.
                let value = table.cells(ofRow: row)[columnIndex].value
                guard value != .null else { continue }
                var leaves: [(String, String)] = []
                Self.flatten(value, path: column.key, into: &leaves)
                for (path, text) in leaves {
                    if seen.insert(path).inserted { paths.append(path) }
                    leavesPerRow[row][path] = text
                }
            }
            if paths.isEmpty { paths = [column.key] }
            header.append(contentsOf: paths)
        }
        rows = leavesPerRow.map { leaves in header.map { leaves[$0] ?? "" } }
    }

    /// The leaves of `value` under `path`; an object's keys sorted as JSON writes them.
    private static func flatten(_ value: CellValue, path: String, into leaves: inout [(String, String)]) {
        switch value {
        case .object(let members):
            for key in members.keys.sorted(by: { $0.unicodeScalars.lexicographicallyPrecedes($1.unicodeScalars) }) {
                flatten(members[key] ?? .null, path: path + "." + key, into: &leaves)
            }
        case .null:
            leaves.append((path, ""))
        case .bool(let b):
            leaves.append((path, b ? "true" : "false"))
        case .integer(let i):
            leaves.append((path, String(i)))
        case .number(let d):
            leaves.append((path, d.isNaN ? "" : (d.isInfinite ? (d < 0 ? "-inf" : "inf") : d.description)))
        case .string(let s):
            leaves.append((path, s))
        case .array:
            var text = ""
            JSONNode(value).writeCompact(to: &text)
            leaves.append((path, text))
        }
    }
}
