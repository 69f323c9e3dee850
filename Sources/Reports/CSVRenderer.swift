/// Renders a table as RFC 4180 CSV: a header row of column keys, one record per row of cell
/// texts, then the title, notes and provenance as `#` comment lines after a blank line.
///
/// Records end with CRLF by default, as RFC 4180 specifies and as Excel and Python's `csv` module
/// write; `LineEnding.lf` is available for tools that want Unix lines. A field is quoted when it
/// contains a comma, a double quote (doubled inside), CR or LF, or `#`, or when it is the only
/// (empty) field of a record, which would otherwise be a blank line that readers skip. Cell text
/// is written as is, line breaks included.
///
/// The trailer reads `# title: …`, `# note: …` for each note, then `# key: value` for each
/// provenance item, in order, each on one line. `pandas.read_csv(path, comment="#")` skips the blank
/// line and the comment lines and returns exactly the table; quoting every field that contains `#`
/// is what keeps pandas' comment character from cutting a data field short. Python's `csv.reader`
/// returns the trailer as an empty record followed by one-field records starting with `#`.
public struct CSVRenderer: TableRenderer {
    /// How records and trailer lines end.
    public enum LineEnding: String, Sendable, CaseIterable {
        /// Carriage return and line feed, as RFC 4180 specifies.
        case crlf = "\r\n"
        /// A line feed alone.
        case lf = "\n"
    }

    /// How records and trailer lines end.
    public var lineEnding: LineEnding

    /// A CSV renderer; records end with CRLF by default.
    public init(lineEnding: LineEnding = .crlf) {
        self.lineEnding = lineEnding
    }

    public func render(_ table: ReportTable) -> String {
        let end = lineEnding.rawValue
        var output = ""
        if !table.columns.isEmpty {
            output += record(table.columns.map(\.key)) + end
            for index in table.rows.indices {
                output += record(table.cells(ofRow: index).map(\.text)) + end
            }
        }
        var trailer: [String] = []
        if let title = table.title {
            trailer.append("# title: " + PlainText.commentLine(title))
        }
        for note in table.notes {
            trailer.append("# note: " + PlainText.commentLine(note))
        }
        for item in table.provenance {
            trailer.append("# " + PlainText.commentLine(item.key) + ": " + PlainText.commentLine(item.value))
        }
        if !trailer.isEmpty {
            output += end + trailer.joined(separator: end) + end
        }
        return output
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
