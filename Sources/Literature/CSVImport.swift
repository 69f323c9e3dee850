import Core
import Foundation

/// Which CSV header holds which bibliographic field, for spreadsheet exports of databases.
///
/// Headers are matched case-insensitively after trimming spaces. Only `title` is required; a
/// mapped optional column that the file lacks is simply not read.
public struct CSVColumnMapping: Sendable, Equatable {
    public var title: String
    public var authors: String?
    public var year: String?
    public var doi: String?
    public var abstract: String?
    public var journal: String?
    public var keywords: String?
    /// A column with the database's own record id; it becomes the citation key.
    public var key: String?
    /// A screening label column (ASReview's `label_included`), kept as the field `label`.
    public var label: String?
    /// What separates names in the authors column (`;` for Scopus, IEEE and Web of Science);
    /// ` and ` always separates names as well.
    public var authorSeparator: String
    /// What separates keywords in the keywords column.
    public var keywordSeparator: String

    public init(
        title: String, authors: String? = nil, year: String? = nil, doi: String? = nil, abstract: String? = nil,
        journal: String? = nil, keywords: String? = nil, key: String? = nil, label: String? = nil,
        authorSeparator: String = ";", keywordSeparator: String = ";"
    ) {
        self.title = title
        self.authors = authors
        self.year = year
        self.doi = doi
        self.abstract = abstract
        self.journal = journal
        self.keywords = keywords
        self.key = key
        self.label = label
        self.authorSeparator = authorSeparator
        self.keywordSeparator = keywordSeparator
    }

    /// Scopus "CSV export" (`Authors` as `Smith J.; Doe A.`, the record id in `EID`).
    public static let scopus = CSVColumnMapping(
        title: "Title", authors: "Authors", year: "Year", doi: "DOI", abstract: "Abstract", journal: "Source title",
        keywords: "Author Keywords", key: "EID")

    /// IEEE Xplore "Export: CSV" of search results.
    public static let ieeeXplore = CSVColumnMapping(
        title: "Document Title", authors: "Authors", year: "Publication Year", doi: "DOI", abstract: "Abstract",
        journal: "Publication Title", keywords: "Author Keywords", key: "Document Identifier")

    /// ACM Digital Library CSV export (CSL-JSON field names as headers).
    public static let acm = CSVColumnMapping(
        title: "title", authors: "author", year: "issued", doi: "DOI", abstract: "abstract", journal: "container-title",
        keywords: "keyword", key: "id", keywordSeparator: ",")

    /// Web of Science "Excel" or tab-free CSV export with full field names.
    public static let webOfScience = CSVColumnMapping(
        title: "Article Title", authors: "Authors", year: "Publication Year", doi: "DOI", abstract: "Abstract",
        journal: "Source Title", keywords: "Author Keywords", key: "UT (Unique WOS ID)")

    /// ASReview's datasets and exports: `record_id,title,abstract,authors,year,label_included`.
    public static let asreview = CSVColumnMapping(
        title: "title", authors: "authors", year: "year", doi: "doi", abstract: "abstract", keywords: "keywords",
        key: "record_id", label: "label_included", authorSeparator: ",")

    /// Embase CSV export (`Author Names` as `Liu R., Adler D.G.`, the journal citation in `Source`).
    public static let embase = CSVColumnMapping(
        title: "Title", authors: "Author Names", abstract: "Abstract", journal: "Source", keywords: "keywords",
        authorSeparator: ",", keywordSeparator: ",")
}

/// Reads a CSV export into bibliographic records through a `CSVColumnMapping`.
public struct CSVImporter: Sendable {
    public var mapping: CSVColumnMapping

    public init(mapping: CSVColumnMapping) {
        self.mapping = mapping
    }

    /// Malformed CSV and a missing title column are errors (located at the header line); a row
    /// with the wrong number of fields or no title is a warning and is skipped; an unreadable
    /// year is a warning and the row is kept without it.
    ///
    /// `text` is already decoded (Core's text decoding handles byte-order marks and legacy
    /// encodings); `delimiter` is detected (`TableDelimiter`) when not given, so TSV and
    /// `;`-separated exports read like CSV.
    public func parse(_ text: String, file: String, delimiter: Unicode.Scalar? = nil) throws -> ParseResult {
        let records: [CSVText.Record]
        do {
            records = try CSVText.parse(text, file: file, delimiter: delimiter ?? TableDelimiter.detect(text))
        } catch let error as FileError {
            throw LiteratureError.invalidEntry(
                error.location ?? SourceLocation(file: file), expected: "well-formed CSV", found: error.message)
        }
        guard let header = records.first else {
            throw LiteratureError.invalidEntry(
                SourceLocation(file: file, line: 1, column: 1), expected: "a header line naming the column '\(mapping.title)'",
                found: "an empty file")
        }
        var columns: [String: Int] = [:]
        for (index, name) in header.fields.enumerated() {
            let folded = name.trimmingCharacters(in: .whitespaces).lowercased()
            if columns[folded] == nil { columns[folded] = index }
        }
        func column(_ name: String?) -> Int? { name.flatMap { columns[$0.lowercased()] } }
        guard let titleColumn = column(mapping.title) else {
            throw LiteratureError.invalidEntry(
                SourceLocation(file: file, line: header.line, column: 1),
                expected: "a column '\(mapping.title)' for the title in the header",
                found: "the columns \(header.fields.map { "'\($0)'" }.joined(separator: ", "))")
        }
        let authorsColumn = column(mapping.authors), yearColumn = column(mapping.year), doiColumn = column(mapping.doi)
        let abstractColumn = column(mapping.abstract), journalColumn = column(mapping.journal)
        let keywordsColumn = column(mapping.keywords), keyColumn = column(mapping.key), labelColumn = column(mapping.label)

        var result = ParseResult()
        var generator = KeyGenerator()
        var usedKeys: [String: Int] = [:]
        for row in records.dropFirst() {
            let location = SourceLocation(file: file, line: row.line, column: 1)
            guard row.fields.count == header.fields.count else {
                result.warnings.append(.invalidEntry(
                    location, expected: "\(header.fields.count) fields as in the header; the row was skipped",
                    found: "\(row.fields.count)"))
                continue
            }
            func value(_ index: Int?) -> String? {
                guard let index else { return nil }
                let text = Bytes.foldWhitespace(Array(row.fields[index].utf8)[...])
                return text.isEmpty ? nil : text
            }
            guard let title = value(titleColumn) else {
                result.warnings.append(.invalidEntry(
                    SourceLocation(file: file, line: row.line, column: titleColumn + 1),
                    expected: "a title in column '\(mapping.title)'; the row was skipped", found: "an empty cell"))
                continue
            }
            var fields: [String: String] = ["title": title]
            if let authors = value(authorsColumn) {
                // ASReview and EndNote lists end `B, C and D`: ` and ` separates names too.
                let names = authors.components(separatedBy: mapping.authorSeparator)
                    .flatMap { $0.components(separatedBy: " and ") }
                    .map { $0.trimmingCharacters(in: .whitespaces) }.filter { !$0.isEmpty }.map(Self.bibTeXName)
                fields["author"] = names.joined(separator: " and ")
            }
            if let year = value(yearColumn) {
                if let number = BibliographicRecord.firstYear(in: year) {
                    fields["year"] = String(number)
                } else {
                    result.warnings.append(.invalidEntry(
                        SourceLocation(file: file, line: row.line, column: yearColumn! + 1),
                        expected: "a four-digit year in column '\(mapping.year!)'; the row was kept without a year",
                        found: "'\(year)'"))
                }
            }
            if let doi = value(doiColumn) { fields["doi"] = doi }
            if let abstract = value(abstractColumn) { fields["abstract"] = abstract }
            if let journal = value(journalColumn) { fields["journal"] = journal }
            if let keywords = value(keywordsColumn) {
                fields["keywords"] = keywords.components(separatedBy: mapping.keywordSeparator)
                    .map { $0.trimmingCharacters(in: .whitespaces) }.filter { !$0.isEmpty }.joined(separator: ", ")
            }
            if let label = value(labelColumn) { fields["label"] = label }
            var record = BibliographicRecord(
                key: "", type: fields["journal"] == nil ? "misc" : "article", fields: fields, location: location)
            if let key = value(keyColumn) {
                if let first = usedKeys[key] {
                    result.warnings.append(.duplicateKey(location, key: key, firstLine: first))
                } else {
                    usedKeys[key] = row.line
                }
                record.key = key
            } else {
                record.key = generator.key(for: record)
            }
            result.records.append(record)
        }
        result.records = BibliographicRecord.withUniqueKeys(result.records)
        return result
    }

    /// `Smith J.A.` (family name, then initials, as Scopus, IEEE and Embase write names) becomes
    /// `Smith, J.A.` so BibTeX and the key generator see the family name; other names are kept.
    static func bibTeXName(_ name: String) -> String {
        guard !name.contains(",") else { return name }
        let words = name.split(separator: " ")
        guard words.count > 1, let last = words.last, BibliographicRecord.isInitials(last), !BibliographicRecord.isInitials(words[0])
        else { return name }
        return words.dropLast().joined(separator: " ") + ", " + last
    }
}
