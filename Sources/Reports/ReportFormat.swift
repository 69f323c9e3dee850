/// Turns a `ReportTable` into the text of one format.
///
/// Renderers are pure: the same table always gives the same bytes (no dates, no locale, no
/// dependence on dictionary order), and every output ends with a line break.
public protocol TableRenderer: Sendable {
    /// The table as a complete document or fragment of this renderer's format.
    func render(_ table: ReportTable) -> String
}

/// The formats a report table can be written in.
public enum ReportFormat: String, CaseIterable, Sendable {
    case markdown, latex, csv, json, html

    /// The renderer for this format with its default settings.
    public var renderer: any TableRenderer {
        switch self {
        case .markdown: return MarkdownRenderer()
        case .latex: return LaTeXRenderer()
        case .csv: return CSVRenderer()
        case .json: return JSONRenderer()
        case .html: return HTMLRenderer()
        }
    }

    /// The usual file extension, without the dot.
    public var fileExtension: String {
        switch self {
        case .markdown: return "md"
        case .latex: return "tex"
        case .csv: return "csv"
        case .json: return "json"
        case .html: return "html"
        }
    }

    /// The format a file extension (without the dot, any case) names, if any: md, markdown, tex,
    /// latex, csv, json, html, htm.
    public init?(fileExtension: String) {
        switch fileExtension.lowercased() {
        case "md", "markdown": self = .markdown
        case "tex", "latex": self = .latex
        case "csv": self = .csv
        case "json": self = .json
        case "html", "htm": self = .html
        default: return nil
        }
    }
}
