/// Renders a table as a booktabs `tabular` (or `tabularx` when a column wraps) that a paper author
/// pastes or `\input`s inside their own `table` float, under their own `\caption`.
///
/// The output is a fragment, not a document. Its first comment line names the packages it needs:
/// booktabs always, tabularx when a column wraps. Non-ASCII text is left as UTF-8, which LaTeX
/// reads by default since the 2018-04-01 release (older systems need `\usepackage[utf8]{inputenc}`);
/// accented Latin letters then typeset under pdflatex, while characters the document's fonts lack
/// (emoji, for instance) need lualatex or xelatex with a font that has them, or a
/// `\DeclareUnicodeCharacter` line under pdflatex.
///
/// Layout choices, so that the fragment compiles wherever a `tabular` may stand:
/// - the title is a `%` comment, since the caption belongs to the author's float;
/// - the notes are visible, in a small-print block after the tabular, because they explain the
///   table (legends, corrections) and belong on the page;
/// - the provenance is `%` comment lines at the very end: it is for the replication package, not the
///   reader, and comments keep it beside the table source without any package or layout risk.
///
/// Every user string is escaped: the ten specials `\ { } _ & % $ # ~ ^`; `< > |` and the backtick
/// (which the default OT1 encoding would print as other glyphs); `[ ]` and a leading `*` (which
/// `\\` and `\toprule` would take as their optional arguments); and `--`/`,,` pairs (which would
/// merge into dashes and low quotes). Straight quotes become typographic ones — opening at the
/// start or after a space or bracket, closing elsewhere — since OT1 has no straight double quote
/// and a raw `"` is a shorthand under babel's German. Line breaks become `\newline` in wrapping
/// columns and in notes, a space elsewhere. The leading minus of a number cell is set as a math
/// minus (`$-$`), not a hyphen.
public struct LaTeXRenderer: TableRenderer {
    /// The raw LaTeX a cell with empty text shows.
    public var emptyCellText: String
    /// The total width given to `tabularx` when a column wraps (raw LaTeX).
    public var wrappingWidth: String

    /// A LaTeX renderer; by default empty cells show an em dash and wrapping tables span `\linewidth`.
    public init(emptyCellText: String = "---", wrappingWidth: String = "\\linewidth") {
        self.emptyCellText = emptyCellText
        self.wrappingWidth = wrappingWidth
    }

    public func render(_ table: ReportTable) -> String {
        let wraps = table.columns.contains(where: \.wraps)
        var lines: [String] = []
        if wraps {
            lines.append("% Requires \\usepackage{booktabs} and \\usepackage{tabularx}; UTF-8 input (LaTeX 2018-04 or later, else \\usepackage[utf8]{inputenc}).")
        } else {
            lines.append("% Requires \\usepackage{booktabs}; UTF-8 input (LaTeX 2018-04 or later, else \\usepackage[utf8]{inputenc}).")
        }
        if let title = table.title {
            lines.append("% Title: " + PlainText.commentLine(title))
        }
        if !table.columns.isEmpty {
            let specification = "@{}" + table.columns.map(Self.columnSpecification).joined() + "@{}"
            if wraps {
                lines.append("\\begin{tabularx}{\(wrappingWidth)}{\(specification)}")
            } else {
                lines.append("\\begin{tabular}{\(specification)}")
            }
            lines.append("\\toprule")
            lines.append(Self.row(table.columns.map { Self.escapeCell($0.header, wraps: $0.wraps) }))
            lines.append("\\midrule")
            for index in table.rows.indices {
                lines.append(Self.row(zip(table.columns, table.cells(ofRow: index)).map { column, cell in
                    if cell.text.isEmpty {
                        return emptyCellText
                    }
                    return Self.escapeCell(cell.text, wraps: column.wraps, isNumber: cell.value.isNumber)
                }))
            }
            lines.append("\\bottomrule")
            lines.append(wraps ? "\\end{tabularx}" : "\\end{tabular}")
        }
        if !table.notes.isEmpty {
            lines.append("\\par\\smallskip")
            lines.append("{\\footnotesize")
            for note in table.notes {
                lines.append(Self.escape(note, lineBreak: "\\newline ") + "\\par")
            }
            lines.append("}")
        }
        if !table.provenance.isEmpty {
            lines.append("% Provenance:")
            for item in table.provenance {
                lines.append("% " + PlainText.commentLine(item.key) + ": " + PlainText.commentLine(item.value))
            }
        }
        return lines.joined(separator: "\n") + "\n"
    }

    private static func row(_ fields: [String]) -> String {
        fields.joined(separator: " & ") + " \\\\"
    }

    private static func columnSpecification(_ column: Column) -> String {
        switch (column.alignment, column.wraps) {
        case (.left, false): return "l"
        case (.right, false): return "r"
        case (.center, false): return "c"
        case (.left, true): return ">{\\raggedright\\arraybackslash}X"
        case (.right, true): return ">{\\raggedleft\\arraybackslash}X"
        case (.center, true): return ">{\\centering\\arraybackslash}X"
        }
    }

    /// Escapes a header or cell; a leading `*` is braced so the `\\` before it keeps its plain form,
    /// and a number's leading hyphen becomes a math minus.
    static func escapeCell(_ text: String, wraps: Bool, isNumber: Bool = false) -> String {
        let escaped = escape(text, lineBreak: wraps ? "\\newline " : " ")
        if isNumber, escaped.hasPrefix("-"), escaped.dropFirst().first?.isASCII == true, escaped.dropFirst().first?.isNumber == true {
            return "$-$" + escaped.dropFirst()
        }
        return escaped.hasPrefix("*") ? "{*}" + escaped.dropFirst() : escaped
    }

    /// Escapes text for LaTeX's text mode; line breaks become `lineBreak`.
    static func escape(_ text: String, lineBreak: String) -> String {
        let scalars = Array(PlainText.normalizingLineBreaks(text).unicodeScalars)
        var result = ""
        for (index, scalar) in scalars.enumerated() {
            let previous = index > 0 ? scalars[index - 1] : nil
            let next = index + 1 < scalars.count ? scalars[index + 1] : nil
            switch scalar {
            case "\n": result += lineBreak
            case "\t": result += " "
            case "\\": result += "\\textbackslash{}"
            case "{": result += "\\{"
            case "}": result += "\\}"
            case "_": result += "\\_"
            case "&": result += "\\&"
            case "%": result += "\\%"
            case "$": result += "\\$"
            case "#": result += "\\#"
            case "~": result += "\\textasciitilde{}"
            case "^": result += "\\textasciicircum{}"
            case "<": result += "\\textless{}"
            case ">": result += "\\textgreater{}"
            case "|": result += "\\textbar{}"
            case "\"": result += opensQuote(after: previous) ? "\\textquotedblleft{}" : "\\textquotedblright{}"
            case "'": result += opensQuote(after: previous) ? "\\textquoteleft{}" : "\\textquoteright{}"
            case "`": result += "\\textasciigrave{}"
            case "[": result += "{[}"
            case "]": result += "{]}"
            case "-" where next == "-": result += "-{}"
            case "," where next == ",": result += ",{}"
            default:
                if PlainText.isUnprintableControl(scalar) {
                    result += " "
                } else {
                    result.unicodeScalars.append(scalar)
                }
            }
        }
        return result
    }

    /// Whether a straight quote after `previous` opens a quotation: at the start of the text, or
    /// after a space or an opening bracket.
    private static func opensQuote(after previous: Unicode.Scalar?) -> Bool {
        guard let previous else {
            return true
        }
        return previous.properties.isWhitespace || "([{".unicodeScalars.contains(previous)
    }
}

extension CellValue {
    /// Whether the value is an integer or a double.
    var isNumber: Bool {
        switch self {
        case .integer, .number: return true
        default: return false
        }
    }
}
