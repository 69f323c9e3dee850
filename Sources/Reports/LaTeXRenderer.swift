/// Renders a table as booktabs LaTeX that fits the page: a fragment to `\input` inside the
/// author's own float, a `table` or `table*` float with caption and label, or a page-breaking
/// `xltabular`.
///
/// The first comment line names the packages the output needs (booktabs always; tabularx when a
/// column wraps; xltabular for the long layout). All user text is written as pure ASCII (see
/// `LaTeXText`): no `inputenc`, `fontenc` or `\DeclareUnicodeCharacter` is needed, and a character
/// with no pdflatex equivalent becomes a visible `[U+XXXX]` placeholder and a `LaTeXWarning`
/// (`renderReportingWarnings(_:)`), never a compile error.
///
/// Fitting the width. A `tabular` of ten one-line columns runs off any page, so the renderer
/// decides which columns wrap: those marked `wraps`, and every column whose longest cell or
/// header is longer than `wrapLongerThan` characters. Wrapping columns are tabularx `X` columns
/// sharing the width left by the others, each in proportion to its longest text (between 6 and 40
/// characters), so a claim gets more room than a verdict. The table is set at `fontSize` (footnote
/// size by default) with `columnSeparation` between columns. Columns are chosen and ordered with
/// `columns` (their keys); data-only columns are left out unless chosen.
///
/// Layout choices, so that the output compiles wherever it may stand:
/// - in the fragment layout the title is a `%` comment, since the caption belongs to the author's
///   float; the float layouts write it as `\caption` (or `caption`, when given) with `\label`;
/// - the notes are visible, in footnote size after the table, because they explain it;
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
/// minus (`$-$`), not a hyphen. A cell with citation keys is written as `\cite{key1,key2}`
/// (`citeCommand` may be `citep`, `parencite`…); a key with characters BibTeX does not allow in
/// keys is shown as text, with a warning.
public struct LaTeXRenderer: TableRenderer {
    /// Where the table stands in the document.
    public enum Layout: String, Sendable, CaseIterable {
        /// A bare `tabular`/`tabularx` to `\input` inside the author's float.
        case fragment
        /// A `table` float (one column of a two-column article, or the text width) with caption and label.
        case table
        /// A `table*` float, spanning both columns of a two-column article.
        case tableStar = "table*"
        /// An `xltabular` (longtable with X columns) that breaks across pages, its header repeated.
        case long
    }

    /// The size the table is set in.
    public enum FontSize: String, Sendable, CaseIterable {
        case normalsize, small, footnotesize, scriptsize
    }

    /// The raw LaTeX a cell with empty text shows.
    public var emptyCellText: String
    /// The total width of a table with wrapping columns (raw LaTeX).
    public var wrappingWidth: String
    /// Where the table stands.
    public var layout: Layout
    /// The keys of the columns to show, in order; nil shows every shown column as the table orders them.
    public var columns: [String]?
    /// The caption of the float layouts; nil uses the table's title.
    public var caption: String?
    /// The `\label` of the float layouts (ASCII letters, digits and `:-_./`); nil writes none.
    public var label: String?
    /// The size the table and its notes are set in; nil keeps the surrounding size.
    public var fontSize: FontSize?
    /// The space on each side of a column (raw LaTeX, `\tabcolsep`); nil keeps the class's 6pt.
    public var columnSeparation: String?
    /// A column whose longest text has more characters than this wraps.
    public var wrapLongerThan: Int
    /// The citation command, without the backslash.
    public var citeCommand: String
    /// How many characters of the table's font fill `wrappingWidth`; the renderer shares the width
    /// among wrapping columns with it. nil estimates it: 80 at footnote size in a `table` (an
    /// article's text width), 110 in a `table*`, scaled for other sizes. For one column of a
    /// two-column article, about 55.
    public var lineWidthInCharacters: Int {
        get { lineWidth ?? Self.estimatedLineWidth(layout: layout, fontSize: fontSize) }
        set { lineWidth = newValue }
    }
    private var lineWidth: Int?

    private static func estimatedLineWidth(layout: Layout, fontSize: FontSize?) -> Int {
        let base = layout == .tableStar ? 110.0 : 80.0
        let scale: Double
        switch fontSize {
        case .normalsize, nil: scale = 0.8
        case .small: scale = 0.89
        case .footnotesize: scale = 1
        case .scriptsize: scale = 1.14
        }
        return Int((base * scale).rounded())
    }

    /// A LaTeX renderer. By default: a fragment, footnote size, 4pt column separation, columns
    /// longer than 16 characters wrap, empty cells show an em dash, citations with `\cite`.
    public init(
        emptyCellText: String = "---",
        wrappingWidth: String = "\\linewidth",
        layout: Layout = .fragment,
        columns: [String]? = nil,
        caption: String? = nil,
        label: String? = nil,
        fontSize: FontSize? = .footnotesize,
        columnSeparation: String? = "4pt",
        wrapLongerThan: Int = 16,
        citeCommand: String = "cite",
        lineWidthInCharacters: Int? = nil
    ) {
        self.lineWidth = lineWidthInCharacters
        self.emptyCellText = emptyCellText
        self.wrappingWidth = wrappingWidth
        self.layout = layout
        self.columns = columns
        self.caption = caption
        self.label = label
        self.fontSize = fontSize
        self.columnSeparation = columnSeparation
        self.wrapLongerThan = wrapLongerThan
        self.citeCommand = citeCommand
    }

    /// The LaTeX text and what it had to replace.
    public struct Rendering: Sendable, Equatable {
        /// The LaTeX source.
        public var text: String
        /// Characters without an equivalent, invalid citation keys, unknown columns.
        public var warnings: [LaTeXWarning]
    }

    public func render(_ table: ReportTable) -> String {
        renderReportingWarnings(table).text
    }

    /// The LaTeX source and the warnings about text it could not set as given.
    public func renderReportingWarnings(_ source: ReportTable) -> Rendering {
        var warnings: [LaTeXWarning] = []
        let table = chosenColumns(of: source, warnings: &warnings)
        let plan = ColumnPlan.plans(for: table, wrapLongerThan: wrapLongerThan, lineWidth: lineWidthInCharacters)
        let needed = ColumnPlan.minimumWidth(of: plan)
        if needed > lineWidthInCharacters {
            warnings.append(LaTeXWarning(location: "table", message: "the \(table.columns.count) columns need about \(needed) characters of width, more than the \(lineWidthInCharacters) estimated for this layout; choose fewer columns, a smaller font size or the table* layout"))
        }
        let wraps = plan.contains(where: \.wraps)
        let environment = layout == .long ? "xltabular" : (wraps ? "tabularx" : "tabular")
        var packages = ["booktabs"]
        switch layout {
        case .long: packages.append("xltabular")
        default: if wraps { packages.append("tabularx") }
        }
        var lines: [String] = []
        lines.append("% Requires " + packages.map { "\\usepackage{\($0)}" }.joined(separator: " and ")
                     + "; pure ASCII, no inputenc or fontenc needed.")
        if layout == .fragment, let title = table.title {
            lines.append("% Title: " + PlainText.commentLine(title))
        }
        let captionText = (caption ?? table.title).map {
            LaTeXText.escape($0, lineBreak: " ", location: "caption", warnings: &warnings)
        }
        let labelText = label.flatMap { label -> String? in
            if Self.isSafeKey(label) { return "\\label{\(label)}" }
            warnings.append(LaTeXWarning(location: "label", message: "'\(label)' has characters a label cannot hold; no \\label written"))
            return nil
        }
        switch layout {
        case .table, .tableStar:
            lines.append("\\begin{\(layout.rawValue)}")
            lines.append("\\centering")
        case .fragment, .long:
            break
        }
        var group: [String] = []
        if let fontSize { group.append("\\\(fontSize.rawValue)") }
        if let columnSeparation { group.append("\\setlength{\\tabcolsep}{\(columnSeparation)}") }
        if !group.isEmpty {
            lines.append(layout == .table || layout == .tableStar ? group.joined() : "\\begingroup" + group.joined())
        }
        if layout == .table || layout == .tableStar, let captionText {
            lines.append("\\caption{\(captionText)}" + (labelText ?? ""))
        }
        if !table.columns.isEmpty {
            let specification = "@{}" + plan.map(\.specification).joined() + "@{}"
            let width = environment == "tabular" ? "" : "{\(wrappingWidth)}"
            lines.append("\\begin{\(environment)}\(width){\(specification)}")
            let header = row(table.columns.enumerated().map { index, column in
                escapeCell(column.header, wraps: plan[index].wraps, location: "header of column '\(column.key)'", warnings: &warnings)
            })
            if layout == .long {
                if let captionText {
                    lines.append("\\caption{\(captionText)}" + (labelText ?? "") + "\\\\")
                }
                lines.append(contentsOf: ["\\toprule", header, "\\midrule", "\\endfirsthead"])
                lines.append(contentsOf: ["\\toprule", header, "\\midrule", "\\endhead"])
                lines.append("\\midrule\\multicolumn{\(table.columns.count)}{@{}r@{}}{\\emph{continued on the next page}}\\\\")
                lines.append(contentsOf: ["\\endfoot", "\\bottomrule", "\\endlastfoot"])
            } else {
                lines.append(contentsOf: ["\\toprule", header, "\\midrule"])
            }
            for index in table.rows.indices {
                lines.append(row(zip(table.columns, table.cells(ofRow: index)).enumerated().map { position, pair in
                    let (column, cell) = pair
                    let location = "row \(index + 1), column '\(column.key)'"
                    if !cell.citations.isEmpty {
                        if cell.citations.allSatisfy(Self.isSafeKey) {
                            return "\\\(citeCommand){\(cell.citations.joined(separator: ","))}"
                        }
                        let bad = cell.citations.filter { !Self.isSafeKey($0) }
                        warnings.append(LaTeXWarning(location: location, message: "citation key\(bad.count == 1 ? "" : "s") \(bad.map { "'\($0)'" }.joined(separator: ", ")) cannot be cited; the cell's text is shown"))
                    }
                    if cell.text.isEmpty {
                        return emptyCellText
                    }
                    return escapeCell(cell.text, wraps: plan[position].wraps, isNumber: cell.value.isNumber, location: location,
                                      warnings: &warnings)
                }))
            }
            if layout != .long {
                lines.append("\\bottomrule")
            }
            lines.append("\\end{\(environment)}")
        }
        if !table.notes.isEmpty {
            lines.append("\\par\\smallskip")
            lines.append("{\\footnotesize")
            for (index, note) in table.notes.enumerated() {
                lines.append(LaTeXText.escape(note, lineBreak: "\\newline ", location: "note \(index + 1)", warnings: &warnings) + "\\par")
            }
            lines.append("}")
        }
        if !group.isEmpty && !(layout == .table || layout == .tableStar) {
            lines.append("\\endgroup")
        }
        if layout == .table || layout == .tableStar {
            lines.append("\\end{\(layout.rawValue)}")
        }
        if !table.provenance.isEmpty {
            lines.append("% Provenance:")
            for item in table.provenance {
                lines.append("% " + PlainText.commentLine(item.key) + ": " + PlainText.commentLine(item.value))
            }
        }
        return Rendering(text: lines.joined(separator: "\n") + "\n", warnings: warnings)
    }

    /// The columns to show: the chosen keys in order (unknown keys reported and skipped), or the
    /// shown columns.
    private func chosenColumns(of table: ReportTable, warnings: inout [LaTeXWarning]) -> ReportTable {
        guard let columns else {
            return table.shownPart
        }
        let known = Set(table.columns.map(\.key))
        var keys: [String] = []
        for key in columns where !keys.contains(key) {
            if known.contains(key) {
                keys.append(key)
            } else {
                warnings.append(LaTeXWarning(location: "columns", message: "there is no column '\(key)'; the columns are: \(table.columns.map(\.key).joined(separator: ", "))"))
            }
        }
        return (try? table.selectingColumns(keys)) ?? table.shownPart
    }

    private func row(_ fields: [String]) -> String {
        fields.joined(separator: " & ") + " \\\\"
    }

    /// Whether a citation key or label can stand in `\cite{}`/`\label{}` as it is: ASCII letters,
    /// digits and `-_:./+`, as BibTeX keys are written in practice.
    static func isSafeKey(_ key: String) -> Bool {
        !key.isEmpty && key.unicodeScalars.allSatisfy { scalar in
            scalar.isASCII && (scalar.properties.isAlphabetic || ("0"..."9").contains(scalar) || "-_:./+".unicodeScalars.contains(scalar))
        }
    }

    private func escapeCell(_ text: String, wraps: Bool, isNumber: Bool = false, location: String,
                            warnings: inout [LaTeXWarning]) -> String {
        let escaped = LaTeXText.escape(text, lineBreak: wraps ? "\\newline " : " ", location: location, warnings: &warnings)
        return Self.finishCell(escaped, isNumber: isNumber)
    }

    /// Escapes a header or cell; a leading `*` is braced so the `\\` before it keeps its plain form,
    /// and a number's leading hyphen becomes a math minus.
    static func escapeCell(_ text: String, wraps: Bool, isNumber: Bool = false) -> String {
        finishCell(escape(text, lineBreak: wraps ? "\\newline " : " "), isNumber: isNumber)
    }

    private static func finishCell(_ escaped: String, isNumber: Bool) -> String {
        if isNumber, escaped.hasPrefix("-"), escaped.dropFirst().first?.isASCII == true, escaped.dropFirst().first?.isNumber == true {
            return "$-$" + escaped.dropFirst()
        }
        return escaped.hasPrefix("*") ? "{*}" + escaped.dropFirst() : escaped
    }

    /// Escapes text for LaTeX's text mode; line breaks become `lineBreak`; characters without an
    /// equivalent become placeholders.
    static func escape(_ text: String, lineBreak: String) -> String {
        var unmapped: [Unicode.Scalar] = []
        return LaTeXText.escape(text, lineBreak: lineBreak, unmapped: &unmapped)
    }
}

/// How one column is set: fixed (`l r c`) or wrapping (`X`, with its share of the free width).
private struct ColumnPlan {
    var wraps: Bool
    var alignment: Column.Alignment
    /// The `\hsize` factor of a wrapping column (the factors of all X columns sum to their count,
    /// as tabularx requires).
    var factor = 1.0

    /// The longest unbreakable word of the column (header or cell), in characters.
    var longestWord: Int
    /// The longest text of the column, in characters.
    var longest: Int
    /// Whether the column was marked as wrapping prose.
    var isProse: Bool

    init(table: ReportTable, column index: Int, wrapLongerThan: Int) {
        let column = table.columns[index]
        var longest = column.header.split(separator: "\n").map(\.count).max() ?? 0
        var longestWord = Self.longestWord(column.header)
        for row in table.rows.indices {
            let cell = table.cells(ofRow: row)[index]
            // A citation prints as "[12, 13]": about four characters a key.
            if cell.citations.isEmpty {
                longest = max(longest, cell.text.count)
                longestWord = max(longestWord, Self.longestWord(cell.text))
            } else {
                longest = max(longest, 2 + 4 * cell.citations.count)
                longestWord = max(longestWord, 4)
            }
        }
        self.longest = longest
        self.longestWord = longestWord
        wraps = column.wraps || longest > wrapLongerThan
        isProse = column.wraps
        alignment = column.alignment
    }

    private static func longestWord(_ text: String) -> Int {
        text.split(whereSeparator: { $0 == " " || $0 == "\n" }).map(\.count).max() ?? 0
    }

    /// The narrowest the columns can be, in characters: fixed columns at their longest text,
    /// wrapping ones at their longest word, a character of separation each.
    static func minimumWidth(of plans: [ColumnPlan]) -> Int {
        plans.map { ($0.wraps ? $0.longestWord + 1 : $0.longest) + 1 }.reduce(0, +)
    }

    /// The plan of every column. The width model counts characters of the table's font: fixed
    /// columns take their longest text, each column two characters of separation, and the wrapping
    /// columns share the rest of `lineWidth` — each first gets its longest word, then the
    /// remainder in proportion to how much longer its longest text (capped at 80) is.
    static func plans(for table: ReportTable, wrapLongerThan: Int, lineWidth: Int) -> [ColumnPlan] {
        var plans = table.columns.indices.map { ColumnPlan(table: table, column: $0, wrapLongerThan: wrapLongerThan) }
        let wrapping = plans.indices.filter { plans[$0].wraps }
        guard wrapping.count > 1 else {
            return plans
        }
        let fixed = plans.filter { !$0.wraps }.map(\.longest).reduce(0, +)
        let minimum = wrapping.map { Double(plans[$0].longestWord + 2) }
        // Prose (a column marked `wraps`) wishes twice as hard: a claim read one word a line is unreadable.
        let wish = wrapping.map { Double(max(0, min(80, plans[$0].longest) - plans[$0].longestWord - 2) * (plans[$0].isProse ? 2 : 1)) }
        let free = max(0, Double(lineWidth - fixed - 2 * plans.count) - minimum.reduce(0, +))
        let wished = wish.reduce(0, +)
        let widths = zip(minimum, wish).map { minimum, wish in
            minimum + (wished > 0 ? free * wish / wished : free / Double(wrapping.count))
        }
        let total = widths.reduce(0, +)
        for (position, index) in wrapping.enumerated() {
            plans[index].factor = widths[position] * Double(wrapping.count) / total
        }
        return plans
    }

    var specification: String {
        guard wraps else {
            switch alignment {
            case .left: return "l"
            case .right: return "r"
            case .center: return "c"
            }
        }
        let ragged: String
        switch alignment {
        case .left: ragged = "\\raggedright"
        case .right: ragged = "\\raggedleft"
        case .center: ragged = "\\centering"
        }
        let size = factor == 1 ? "" : "\\hsize=\(FixedDecimal.format(factor, digits: 2))\\hsize\\linewidth=\\hsize"
        return ">{\(size)\(ragged)\\arraybackslash}X"
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
