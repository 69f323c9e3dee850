import Core
import Foundation

/// User-defined column mappings (`title=Document Title`) and the separator of tabular exports.
extension CSVColumnMapping {
    /// The presets by the names a user types: `scopus`, `ieee`, `acm`, `wos`, `asreview`, `embase`.
    public static let presets: [String: CSVColumnMapping] = [
        "scopus": .scopus, "ieee": .ieeeXplore, "acm": .acm, "wos": .webOfScience, "asreview": .asreview, "embase": .embase,
    ]

    /// The fields an assignment may set, each with the names a user may give it.
    static let assignable: [(names: [String], apply: @Sendable (inout CSVColumnMapping, String) -> Void)] = [
        (["title"], { $0.title = $1 }),
        (["authors", "author"], { $0.authors = $1 }),
        (["year"], { $0.year = $1 }),
        (["doi"], { $0.doi = $1 }),
        (["abstract"], { $0.abstract = $1 }),
        (["journal", "venue", "source"], { $0.journal = $1 }),
        (["keywords"], { $0.keywords = $1 }),
        (["key", "id"], { $0.key = $1 }),
        (["label"], { $0.label = $1 }),
        (["author-separator"], { $0.authorSeparator = $1 }),
        (["keyword-separator"], { $0.keywordSeparator = $1 }),
    ]

    static var assignableNames: String { assignable.map { $0.names[0] }.joined(separator: ", ") }

    /// This mapping with `field=Column` assignments applied in order (`--map title=Document Title`).
    /// `location(index)` locates assignment `index` for error messages (a command-line argument
    /// or a line of a mapping file). A mapping with no title column yet needs `title=` among them.
    public func applying(_ assignments: [String], location: (Int) -> SourceLocation) throws -> CSVColumnMapping {
        var mapping = self
        for (index, assignment) in assignments.enumerated() {
            guard let separator = assignment.firstIndex(where: { $0 == "=" || $0 == ":" }) else {
                throw LiteratureError.invalidEntry(
                    location(index), expected: "FIELD=COLUMN, e.g. 'title=Document Title'", found: "'\(assignment)'")
            }
            let field = assignment[..<separator].trimmingCharacters(in: .whitespaces).lowercased()
            let column = assignment[assignment.index(after: separator)...].trimmingCharacters(in: .whitespaces)
            guard let entry = Self.assignable.first(where: { $0.names.contains(field) }) else {
                throw LiteratureError.invalidEntry(
                    location(index), expected: "one of the fields \(Self.assignableNames)", found: "'\(field)'")
            }
            guard !column.isEmpty else {
                throw LiteratureError.invalidEntry(location(index), expected: "a column name after '\(field)='", found: "nothing")
            }
            entry.apply(&mapping, column)
        }
        guard !mapping.title.isEmpty else {
            throw LiteratureError.invalidEntry(
                location(max(0, assignments.count - 1)), expected: "a title column ('title=…') in the mapping", found: "none")
        }
        return mapping
    }

    /// Reads a mapping file: one `field = Column` (or `field: Column`) per line, `#` comments,
    /// and optionally a first `preset = scopus` to start from; otherwise it starts empty and must
    /// name the title column.
    public static func parse(mappingFile text: String, file: String) throws -> CSVColumnMapping {
        var base = CSVColumnMapping(title: "")
        var assignments: [String] = []
        var lines: [Int] = []
        for (offset, raw) in text.split(omittingEmptySubsequences: false, whereSeparator: { $0 == "\n" || $0 == "\r\n" }).enumerated() {
            let line = raw.replacingOccurrences(of: "\r", with: "").trimmingCharacters(in: .whitespaces)
            if line.isEmpty || line.hasPrefix("#") { continue }
            let name = line.prefix { $0 != "=" && $0 != ":" }.trimmingCharacters(in: .whitespaces).lowercased()
            if name == "preset" {
                let value = line.drop { $0 != "=" && $0 != ":" }.dropFirst().trimmingCharacters(in: .whitespaces).lowercased()
                guard let preset = presets[value] else {
                    throw LiteratureError.invalidEntry(
                        SourceLocation(file: file, line: offset + 1, column: 1),
                        expected: "a preset among \(presets.keys.sorted().joined(separator: ", "))", found: "'\(value)'")
                }
                base = preset
                continue
            }
            assignments.append(line)
            lines.append(offset + 1)
        }
        return try base.applying(assignments) { SourceLocation(file: file, line: lines.isEmpty ? 1 : lines[$0], column: 1) }
    }
}

/// The separator of a tabular export: comma, semicolon (spreadsheets in locales with a decimal
/// comma) or tab (TSV, Web of Science's tab-delimited export).
public enum TableDelimiter {
    /// The candidate that splits the first lines (up to 20, quotes respected) into the same number
    /// of fields, more than one, most consistently; ties go to the larger field count, then to
    /// tab, semicolon and comma in that order. A file with one column reads as comma-separated.
    public static func detect(_ text: String) -> Unicode.Scalar {
        let candidates: [Unicode.Scalar] = ["\t", ";", ","]
        var counts: [[Int]] = Array(repeating: [], count: candidates.count)
        var current = Array(repeating: 1, count: candidates.count)
        var inQuotes = false
        var lines = 0
        var lineHasText = false
        for scalar in text.unicodeScalars.prefix(1 << 16) {
            if scalar == "\"" { inQuotes.toggle() }
            if !inQuotes, scalar == "\n" || scalar == "\r" {
                if lineHasText {
                    for index in candidates.indices { counts[index].append(current[index]) }
                    lines += 1
                    if lines == 20 { break }
                }
                current = Array(repeating: 1, count: candidates.count)
                lineHasText = false
                continue
            }
            lineHasText = true
            if !inQuotes, let index = candidates.firstIndex(of: scalar) { current[index] += 1 }
        }
        if lineHasText && lines < 20 { for index in candidates.indices { counts[index].append(current[index]) } }
        var best: (score: Int, fields: Int, index: Int)?
        for index in candidates.indices {
            guard let header = counts[index].first, header > 1 else { continue }
            let score = counts[index].filter { $0 == header }.count
            if best == nil || (score, header) > (best!.score, best!.fields) { best = (score, header, index) }
        }
        return best.map { candidates[$0.index] } ?? ","
    }
}
