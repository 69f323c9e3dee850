/// Renders a table as one self-contained HTML document: inline CSS, no scripts, no fonts, images
/// or anything else fetched over the network.
///
/// The title is the document's `<title>` and the table's `<caption>`; the table has a `<thead>`
/// and a `<tbody>`; the notes follow as paragraphs and the provenance closes the document as a
/// definition list. All text is escaped (`& < > " '`), line breaks become `<br/>`, and control
/// characters HTML forbids become U+FFFD. The markup is also well-formed XML (void elements are
/// self-closed, only the five XML entities are used), so XML tools can read it too.
public struct HTMLRenderer: TableRenderer {
    /// The text a cell with empty text shows (escaped like any other text).
    public var emptyCellText: String

    /// An HTML renderer; by default empty cells show "—".
    public init(emptyCellText: String = "—") {
        self.emptyCellText = emptyCellText
    }

    /// The inline style sheet: booktabs-like rules; the table takes the window's width and its
    /// cells wrap between words, so a 1400 px window (or a printed page) never scrolls sideways;
    /// figures shrink to the width.
    static let styleSheet = """
        body { font-family: system-ui, -apple-system, "Segoe UI", Roboto, sans-serif; margin: 1.5rem; color: #1a1a1a; }
        table { border-collapse: collapse; border-top: 2px solid #333; border-bottom: 2px solid #333; width: 100%; }
        caption { caption-side: top; font-weight: 600; text-align: left; padding-bottom: 0.5rem; }
        th, td { padding: 0.3rem 0.5rem; vertical-align: top; overflow-wrap: break-word; }
        thead th { border-bottom: 1px solid #333; }
        .left { text-align: left; }
        .right { text-align: right; font-variant-numeric: tabular-nums; }
        .center { text-align: center; }
        .wrap { min-width: 12rem; }
        .notes { font-size: 0.9rem; margin-top: 0.75rem; }
        .chart { margin: 1.5rem 0 0; }
        .chart svg { max-width: 100%; height: auto; }
        .chart figcaption { font-size: 0.9rem; color: #444; }
        .notes p { margin: 0.2rem 0; }
        .provenance { font-size: 0.8rem; color: #555; margin-top: 1.5rem; }
        .provenance h2 { font-size: 0.9rem; margin: 0 0 0.3rem; }
        .provenance dl { display: grid; grid-template-columns: max-content auto; gap: 0.1rem 1rem; margin: 0; }
        .provenance dt { font-weight: 600; }
        .provenance dd { margin: 0; overflow-wrap: anywhere; }
        @media print { body { margin: 0; } .chart { break-inside: avoid; } }
        """

    public func render(_ source: ReportTable) -> String {
        let table = source.shownPart
        var lines: [String] = [
            "<!DOCTYPE html>",
            "<html lang=\"en\">",
            "<head>",
            "<meta charset=\"utf-8\"/>",
            "<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\"/>",
            "<title>" + Self.escape(PlainText.singleLine(table.title ?? "Table")) + "</title>",
            "<style>",
            Self.styleSheet,
            "</style>",
            "</head>",
            "<body>",
        ]
        if !table.columns.isEmpty {
            lines.append("<table>")
            if let title = table.title {
                lines.append("<caption>" + Self.escape(title) + "</caption>")
            }
            lines.append("<thead>")
            lines.append("<tr>" + table.columns.map { column in
                "<th scope=\"col\" class=\"\(Self.classes(of: column))\">" + Self.escape(column.header) + "</th>"
            }.joined() + "</tr>")
            lines.append("</thead>")
            lines.append("<tbody>")
            for index in table.rows.indices {
                lines.append("<tr>" + zip(table.columns, table.cells(ofRow: index)).map { column, cell in
                    let text = cell.text.isEmpty ? emptyCellText : cell.text
                    return "<td class=\"\(Self.classes(of: column))\">" + Self.escape(text) + "</td>"
                }.joined() + "</tr>")
            }
            lines.append("</tbody>")
            lines.append("</table>")
        } else if let title = table.title {
            lines.append("<h1>" + Self.escape(title) + "</h1>")
        }
        for chart in table.charts {
            lines.append("<figure class=\"chart\">")
            lines.append(chart.svg().trimmingSuffixNewline)
            lines.append("</figure>")
        }
        for figure in table.figures {
            lines.append("<figure class=\"chart\">")
            lines.append(figure.svg.trimmingSuffixNewline)
            lines.append("<figcaption>" + Self.escape(figure.title) + "</figcaption>")
            lines.append("</figure>")
        }
        if !table.notes.isEmpty {
            lines.append("<div class=\"notes\">")
            lines.append(contentsOf: table.notes.map { "<p>" + Self.escape($0) + "</p>" })
            lines.append("</div>")
        }
        if !table.provenance.isEmpty {
            lines.append("<footer class=\"provenance\">")
            lines.append("<h2>Provenance</h2>")
            lines.append("<dl>")
            lines.append(contentsOf: table.provenance.map { item in
                "<dt>" + Self.escape(item.key) + "</dt><dd>" + Self.escape(item.value) + "</dd>"
            })
            lines.append("</dl>")
            lines.append("</footer>")
        }
        lines.append("</body>")
        lines.append("</html>")
        return lines.joined(separator: "\n") + "\n"
    }

    private static func classes(of column: Column) -> String {
        column.wraps ? column.alignment.rawValue + " wrap" : column.alignment.rawValue
    }

    /// Escapes text for element content and quoted attribute values; line breaks become `<br/>`.
    static func escape(_ text: String) -> String {
        var result = ""
        for scalar in PlainText.normalizingLineBreaks(text).unicodeScalars {
            switch scalar {
            case "&": result += "&amp;"
            case "<": result += "&lt;"
            case ">": result += "&gt;"
            case "\"": result += "&quot;"
            case "'": result += "&#39;"
            case "\n": result += "<br/>"
            default:
                if PlainText.isUnprintableControl(scalar) {
                    result += "\u{FFFD}"
                } else {
                    result.unicodeScalars.append(scalar)
                }
            }
        }
        return result
    }
}

extension String {
    fileprivate var trimmingSuffixNewline: String {
        hasSuffix("\n") ? String(dropLast()) : self
    }
}
