/// Renders a table as GitHub-flavoured Markdown: the title as a heading, a pipe table, then the
/// notes and the provenance as lists.
///
/// Cell text is escaped so that it reads as the same characters on GitHub and in any CommonMark
/// renderer: `|` becomes `\|`, line breaks become `<br>`, and the characters that would start
/// emphasis, code, links, strikethrough, math, raw HTML or entities (`\ * _ ` [ ] ~ $`, `<` before
/// a tag name, `&` before an entity name) get a backslash. `<` before a space ("< 0.001") is left
/// alone so p-values stay readable in the source.
public struct MarkdownRenderer: TableRenderer {
    /// The level of the title heading (1 to 6).
    public var headingLevel: Int
    /// What a cell with empty text shows.
    public var emptyCellText: String

    /// A Markdown renderer; by default the title is a level-2 heading and empty cells show "—".
    public init(headingLevel: Int = 2, emptyCellText: String = "—") {
        self.headingLevel = min(6, max(1, headingLevel))
        self.emptyCellText = emptyCellText
    }

    public func render(_ source: ReportTable) -> String {
        let table = source.shownPart
        var blocks: [String] = []
        if let title = table.title {
            blocks.append(String(repeating: "#", count: headingLevel) + " " + Self.escapeHeading(title))
        }
        if !table.columns.isEmpty {
            var lines: [String] = []
            lines.append(Self.row(table.columns.map { Self.escapeInline($0.header) }))
            lines.append(Self.row(table.columns.map { Self.delimiter(for: $0.alignment) }))
            for index in table.rows.indices {
                lines.append(Self.row(table.cells(ofRow: index).map { cell in
                    cell.text.isEmpty ? Self.escapeInline(emptyCellText) : Self.escapeInline(cell.text)
                }))
            }
            blocks.append(lines.joined(separator: "\n"))
        }
        if !table.notes.isEmpty {
            blocks.append("Notes:")
            blocks.append(table.notes.map { "- " + Self.escapeListItem($0) }.joined(separator: "\n"))
        }
        if !table.provenance.isEmpty {
            blocks.append("Provenance:")
            blocks.append(table.provenance.map { item in
                "- " + Self.escapeListItem(item.key) + ": " + Self.escapeInline(item.value)
            }.joined(separator: "\n"))
        }
        return blocks.joined(separator: "\n\n") + "\n"
    }

    private static func row(_ fields: [String]) -> String {
        "| " + fields.joined(separator: " | ") + " |"
    }

    private static func delimiter(for alignment: Column.Alignment) -> String {
        switch alignment {
        case .left: return ":---"
        case .right: return "---:"
        case .center: return ":---:"
        }
    }

    /// Escapes text shown inside a table cell or a list item; line breaks become `<br>`, and the
    /// characters in `alsoEscaping` get a backslash too.
    static func escapeInline(_ text: String, alsoEscaping extra: Set<Unicode.Scalar> = []) -> String {
        let scalars = Array(PlainText.normalizingLineBreaks(text).unicodeScalars)
        var result = String.UnicodeScalarView()
        for (index, scalar) in scalars.enumerated() {
            let next = index + 1 < scalars.count ? scalars[index + 1] : nil
            switch scalar {
            case "\n":
                result.append(contentsOf: "<br>".unicodeScalars)
            case "\\", "|", "`", "*", "_", "[", "]", "~", "$":
                result.append("\\")
                result.append(scalar)
            case "<" where next.map(startsHTMLTag) ?? false, "&" where next.map(startsEntity) ?? false:
                result.append("\\")
                result.append(scalar)
            default:
                if extra.contains(scalar) {
                    result.append("\\")
                    result.append(scalar)
                } else if PlainText.isUnprintableControl(scalar) {
                    result.append("\u{FFFD}")
                } else {
                    result.append(scalar)
                }
            }
        }
        return String(result)
    }

    /// Escapes a list item, also neutralising what would start a heading, quote, nested list or
    /// setext underline at its beginning.
    static func escapeListItem(_ text: String) -> String {
        var scalars = Array(escapeInline(text).unicodeScalars)
        guard let first = scalars.first else {
            return ""
        }
        if "#>-+=".unicodeScalars.contains(first) {
            scalars.insert("\\", at: 0)
        } else {
            let digitCount = scalars.prefix(while: isDigit).count
            if digitCount > 0 && digitCount < scalars.count && (scalars[digitCount] == "." || scalars[digitCount] == ")") {
                scalars.insert("\\", at: digitCount)
            }
        }
        return String(String.UnicodeScalarView(scalars))
    }

    /// Escapes a heading: one line, and `#` escaped so no closing sequence is stripped.
    static func escapeHeading(_ text: String) -> String {
        escapeInline(PlainText.singleLine(text), alsoEscaping: ["#"])
    }

    private static func isDigit(_ scalar: Unicode.Scalar) -> Bool {
        ("0"..."9").contains(scalar)
    }

    private static func isASCIILetter(_ scalar: Unicode.Scalar) -> Bool {
        ("a"..."z").contains(scalar) || ("A"..."Z").contains(scalar)
    }

    private static func startsHTMLTag(_ scalar: Unicode.Scalar) -> Bool {
        isASCIILetter(scalar) || scalar == "/" || scalar == "!" || scalar == "?"
    }

    private static func startsEntity(_ scalar: Unicode.Scalar) -> Bool {
        isASCIILetter(scalar) || isDigit(scalar) || scalar == "#"
    }
}
