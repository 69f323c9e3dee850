import Core
import Foundation

/// Where imported screening decisions come from, and so how their rows are read.
public enum DecisionSource: String, Sendable, CaseIterable {
    /// ASReview's export or dataset: `included` (or `label_included`) of 1, 0 or empty.
    case asreview
    /// Rayyan's CSV: reviewers' verdicts in the `notes` field, as
    /// `RAYYAN-INCLUSION: {"Ana"=>"Included", "Bo"=>"Excluded"}`, reasons as
    /// `RAYYAN-EXCLUSION-REASONS: wrong population,not English`.
    case rayyan
    /// Covidence's study export: its bibliographic column names (`Title`, `Authors`,
    /// `Published Year`, `DOI`); Covidence writes one list per outcome, which reviewers merge into
    /// a column per stage, so the stage and reason columns are given as for a spreadsheet.
    case covidence
    /// Any spreadsheet: a column per stage holding include/exclude/maybe (or yes/no, 1/0), an
    /// optional reason column and an optional reviewer column.
    case spreadsheet
}

/// The columns a decisions file is read through.
public struct DecisionColumns: Sendable, Equatable {
    /// A column holding Triangulate record ids (`scopus.bib#smith2020`), matched first: a file
    /// exported by Triangulate comes back exactly.
    public var record: String?
    public var doi: String?
    public var title: String?
    public var year: String?
    public var authors: String?
    /// Stage → the column holding its verdict.
    public var stages: [String: String]
    /// A column of exclusion reasons: criterion ids or criterion texts, `;` or `,` separated.
    public var reason: String?
    /// A column naming the reviewer of the row.
    public var reviewer: String?

    public init(record: String? = nil, doi: String? = nil, title: String? = nil, year: String? = nil, authors: String? = nil,
                stages: [String: String] = [:], reason: String? = nil, reviewer: String? = nil) {
        self.record = record
        self.doi = doi
        self.title = title
        self.year = year
        self.authors = authors
        self.stages = stages
        self.reason = reason
        self.reviewer = reviewer
    }

    /// The bibliographic columns of `source` (stage columns are added by the caller except for
    /// ASReview and Rayyan, whose verdicts are found by the importer).
    public static func preset(_ source: DecisionSource) -> DecisionColumns {
        switch source {
        case .asreview: return DecisionColumns(doi: "doi", title: "title", year: "year", authors: "authors")
        case .rayyan: return DecisionColumns(doi: "doi", title: "title", year: "year", authors: "authors")
        case .covidence: return DecisionColumns(doi: "DOI", title: "Title", year: "Published Year", authors: "Authors")
        case .spreadsheet: return DecisionColumns(record: "record", doi: "doi", title: "title", year: "year", authors: "authors")
        }
    }
}

/// Decisions read from another tool, matched to the review's records.
public struct ImportedDecisions: Sendable, Equatable {
    public var decisions: [ScreeningDecision]
    /// Data rows read (not counting the header).
    public var rows: Int
    /// Rows matched by a Triangulate record id, by DOI, and by the deduplication key.
    public var matchedByRecordID = 0, matchedByDOI = 0, matchedByKey = 0
    /// Rows that carry no verdict at all (ASReview's unlabelled records); not a problem.
    public var undecidedRows = 0
    /// Each row that cannot be imported: matching nothing, naming an unknown criterion or
    /// contradicting itself, with its line and what is wrong.
    public var problems: [LiteratureError] = []
    /// The lines of rows that match no record (also among `problems`).
    public var unmatchedLines: [Int] = []
}

/// Reads earlier screening decisions from ASReview, Rayyan, Covidence or a spreadsheet.
///
/// Rows are matched to the review's records (normally the screening set, one record per
/// publication) by a Triangulate record id, then by DOI, then by the deduplication key (the
/// normalised title with the year); a row that matches none, or several, is a problem. Every
/// decision keeps its reviewer and, in its note, the file and line it came from. A file with
/// any problem imports nothing unless `partial` is set: then the good rows are imported and the
/// problems still listed.
public struct DecisionImporter: Sendable {
    public var source: DecisionSource
    public var columns: DecisionColumns
    public var criteria: ScreeningCriteria
    /// The reviewer of rows that name none (ASReview, a spreadsheet without a reviewer column).
    public var reviewer: String
    /// The criterion recorded for an exclusion that gives no reason (ASReview has none); without
    /// it, such a row is a problem, because every exclusion in Triangulate has a criterion.
    public var unexplainedExclusion: String?
    public var partial: Bool

    public init(source: DecisionSource, columns: DecisionColumns? = nil, criteria: ScreeningCriteria, reviewer: String,
                unexplainedExclusion: String? = nil, partial: Bool = false) {
        self.source = source
        self.columns = columns ?? DecisionColumns.preset(source)
        self.criteria = criteria
        self.reviewer = reviewer
        self.unexplainedExclusion = unexplainedExclusion
        self.partial = partial
    }

    /// Record lookups by id, DOI and deduplication key.
    struct Index {
        var byID: [String: String] = [:]
        var byDOI: [String: [String]] = [:]
        var byKey: [String: [String]] = [:]

        init(_ records: [BibliographicRecord]) {
            for record in records {
                byID[record.recordID] = record.recordID
                if let doi = record.doi { byDOI[DecisionImporter.normalDOI(doi), default: []].append(record.recordID) }
                if let key = DecisionImporter.key(title: record.title, year: record.year) { byKey[key, default: []].append(record.recordID) }
            }
        }
    }

    static func normalDOI(_ doi: String) -> String {
        var value = doi.trimmingCharacters(in: .whitespaces).lowercased().replacingOccurrences(of: "\\", with: "")
        for prefix in ["https://doi.org/", "http://doi.org/", "https://dx.doi.org/", "http://dx.doi.org/", "doi.org/", "doi:"]
        where value.hasPrefix(prefix) {
            value = String(value.dropFirst(prefix.count))
        }
        return value
    }

    /// The deduplication key: the normalised title, with the year when there is one.
    static func key(title: String?, year: Int?) -> String? {
        guard let title else { return nil }
        let normal = TitleNormalizer.normalize(title)
        guard !normal.isEmpty else { return nil }
        return normal + "|" + (year.map(String.init) ?? "")
    }

    /// Reads `text` (already decoded) and matches its rows to `records`. With `dedupe`, a row
    /// that matches a record removed as a duplicate goes to the record its group kept, and
    /// records of one group never make a row ambiguous.
    public func run(_ text: String, file: String, records: [BibliographicRecord], dedupe: DedupeResult? = nil) throws -> ImportedDecisions {
        var keptOf: [String: String] = [:]
        for group in dedupe?.groups ?? [] { for member in group.duplicates { keptOf[member.recordID] = group.kept } }
        func resolve(_ ids: [String]) -> [String] {
            var seen: Set<String> = []
            return ids.map { keptOf[$0] ?? $0 }.filter { seen.insert($0).inserted }
        }
        let table: [CSVText.Record]
        do {
            table = try CSVText.parse(text, file: file, delimiter: TableDelimiter.detect(text))
        } catch let error as FileError {
            throw LiteratureError.invalidEntry(error.location ?? SourceLocation(file: file), expected: "well-formed CSV", found: error.message)
        }
        guard let header = table.first else {
            throw LiteratureError.invalidEntry(SourceLocation(file: file, line: 1, column: 1), expected: "a header line", found: "an empty file")
        }
        var position: [String: Int] = [:]
        for (index, name) in header.fields.enumerated() {
            let folded = name.trimmingCharacters(in: .whitespaces).lowercased()
            if position[folded] == nil { position[folded] = index }
        }
        func column(_ name: String?) -> Int? { name.flatMap { position[$0.lowercased()] } }
        let verdictColumns = try stageColumns(header: header, column: column, file: file)

        let index = Index(records)
        var result = ImportedDecisions(decisions: [], rows: table.count - 1)
        var seen: [String: (line: Int, verdict: ScreeningVerdict)] = [:]
        for row in table.dropFirst() {
            func cell(_ index: Int?) -> String {
                guard let index, index < row.fields.count else { return "" }
                return row.fields[index].trimmingCharacters(in: .whitespacesAndNewlines)
            }
            let location = SourceLocation(file: file, line: row.line, column: 1)
            guard row.fields.count == header.fields.count else {
                result.problems.append(.invalidEntry(location, expected: "\(header.fields.count) fields as in the header", found: "\(row.fields.count)"))
                continue
            }
            // The verdicts first: a row without any is left alone, matched or not.
            var verdicts: [(stage: String, reviewer: String, verdict: ScreeningVerdict, reasons: [String], column: Int)] = []
            var rowProblems: [LiteratureError] = []
            switch source {
            case .rayyan:
                let notesColumn = column("notes")
                let parsed = Self.rayyanNotes(cell(notesColumn))
                for (name, value) in parsed.inclusion {
                    guard let verdict = Self.verdict(value) else {
                        rowProblems.append(.invalidEntry(
                            SourceLocation(file: file, line: row.line, column: (notesColumn ?? 0) + 1),
                            expected: "Included, Excluded or Maybe for reviewer '\(name)'", found: "'\(value)'"))
                        continue
                    }
                    verdicts.append((criteria.stages[0], name, verdict, parsed.reasons, notesColumn ?? 0))
                }
            default:
                for (stage, index) in verdictColumns {
                    let value = cell(index)
                    if value.isEmpty || value == "-1" { continue }
                    guard let verdict = Self.verdict(value) else {
                        rowProblems.append(.invalidEntry(
                            SourceLocation(file: file, line: row.line, column: index + 1),
                            expected: "include, exclude or maybe (or yes/no, 1/0) for stage '\(stage)'", found: "'\(value)'"))
                        continue
                    }
                    let reasons = Self.reasons(cell(column(columns.reason)))
                    let named = cell(column(columns.reviewer))
                    verdicts.append((stage, named.isEmpty ? reviewer : named, verdict, reasons, index))
                }
            }
            if verdicts.isEmpty && rowProblems.isEmpty {
                result.undecidedRows += 1
                continue
            }

            // Match the row to one record.
            var matched: String?
            let recordCell = cell(column(columns.record))
            let doiCell = cell(column(columns.doi))
            if !recordCell.isEmpty, let id = index.byID[recordCell] {
                matched = keptOf[id] ?? id
                result.matchedByRecordID += 1
            } else if !doiCell.isEmpty, let ids = index.byDOI[Self.normalDOI(doiCell)].map(resolve) {
                if ids.count == 1 { matched = ids[0]; result.matchedByDOI += 1 } else {
                    rowProblems.append(.invalidEntry(location, expected: "one record with DOI \(doiCell)", found: "\(ids.count): \(ids.joined(separator: ", "))"))
                }
            } else if let key = Self.key(title: cell(column(columns.title)), year: BibliographicRecord.firstYear(in: cell(column(columns.year)))),
                let ids = index.byKey[key].map(resolve) {
                if ids.count == 1 { matched = ids[0]; result.matchedByKey += 1 } else {
                    rowProblems.append(.invalidEntry(location, expected: "one record with this title and year", found: "\(ids.count): \(ids.joined(separator: ", "))"))
                }
            }
            if matched == nil && rowProblems.isEmpty {
                let title = cell(column(columns.title))
                rowProblems.append(.invalidEntry(
                    location, expected: "a record with this id, DOI or title and year",
                    found: "none for '\(title.isEmpty ? (doiCell.isEmpty ? recordCell : doiCell) : String(title.prefix(80)))'"))
                result.unmatchedLines.append(row.line)
            }

            // Check each verdict's reasons and the row's consistency.
            var rowDecisions: [ScreeningDecision] = []
            let anyExclusion = verdicts.contains { $0.verdict == .exclude }
            if !anyExclusion, let reasons = verdicts.first?.reasons, !reasons.isEmpty {
                rowProblems.append(.invalidEntry(
                    SourceLocation(file: file, line: row.line, column: (verdicts.first?.column ?? 0) + 1),
                    expected: "exclusion reasons only on an excluded record", found: "'\(reasons.joined(separator: ", "))' on a record no one excluded"))
            }
            let stageOrder = Dictionary(uniqueKeysWithValues: criteria.stages.enumerated().map { ($1, $0) })
            let excludedAt = verdicts.filter { $0.verdict == .exclude }.compactMap { stageOrder[$0.stage] }.min()
            if let excludedAt, let later = verdicts.first(where: { $0.verdict == .include && (stageOrder[$0.stage] ?? 0) > excludedAt }) {
                rowProblems.append(.invalidEntry(
                    SourceLocation(file: file, line: row.line, column: later.column + 1),
                    expected: "no inclusion at '\(later.stage)' after an exclusion at '\(criteria.stages[excludedAt])'", found: "include"))
            }
            for item in verdicts {
                var criterion: String?
                if item.verdict == .exclude {
                    let known = item.reasons.compactMap { criterionID($0, at: item.stage) }
                    let unknown = item.reasons.filter { criterionID($0, at: item.stage) == nil }
                    if !unknown.isEmpty {
                        rowProblems.append(.invalidEntry(
                            SourceLocation(file: file, line: row.line, column: (column(columns.reason) ?? item.column) + 1),
                            expected: "exclusion criteria defined in the settings (\(criteria.exclusionCriteria(at: item.stage).map(\.id).joined(separator: ", ")))",
                            found: unknown.map { "'\($0)'" }.joined(separator: ", ")))
                    }
                    let order = criteria.exclusionCriteria(at: item.stage).map(\.id) + [ScreeningCriteria.notRetrieved]
                    criterion = order.first { known.contains($0) } ?? unexplainedExclusion
                    if criterion == nil && unknown.isEmpty {
                        rowProblems.append(.invalidEntry(
                            SourceLocation(file: file, line: row.line, column: item.column + 1),
                            expected: "an exclusion reason (or a criterion for unexplained exclusions)", found: "none"))
                    }
                }
                if let matched {
                    let seenKey = "\(matched)\u{1F}\(item.stage)\u{1F}\(item.reviewer)"
                    if let earlier = seen[seenKey], earlier.verdict != item.verdict {
                        rowProblems.append(.invalidEntry(
                            location, expected: "one verdict per record, stage and reviewer",
                            found: "\(item.verdict.rawValue) here but \(earlier.verdict.rawValue) at line \(earlier.line) for \(matched) by \(item.reviewer)"))
                    }
                    seen[seenKey] = (row.line, item.verdict)
                    rowDecisions.append(ScreeningDecision(
                        record: matched, stage: item.stage, verdict: item.verdict, criterion: item.verdict == .exclude ? criterion : nil,
                        note: "imported from \(file):\(row.line) (\(source.rawValue))", reviewer: item.reviewer, location: location))
                }
            }
            if rowProblems.isEmpty {
                result.decisions += rowDecisions
            } else {
                result.problems += rowProblems
            }
        }
        if !result.problems.isEmpty && !partial {
            throw LiteratureError.decisionsRejected(SourceLocation(file: file), rows: result.rows, problems: result.problems)
        }
        return result
    }

    /// Stage → verdict column: ASReview's `included` (else `label_included`) for the first
    /// stage, Rayyan none (its verdicts are in the notes), otherwise the configured columns.
    private func stageColumns(header: CSVText.Record, column: (String?) -> Int?, file: String) throws -> [(String, Int)] {
        let headerLocation = SourceLocation(file: file, line: header.line, column: 1)
        switch source {
        case .rayyan:
            guard column("notes") != nil else {
                throw LiteratureError.invalidEntry(headerLocation, expected: "Rayyan's 'notes' column", found: "the columns \(header.fields.joined(separator: ", "))")
            }
            return []
        case .asreview where columns.stages.isEmpty:
            guard let index = column("included") ?? column("label_included") else {
                throw LiteratureError.invalidEntry(
                    headerLocation, expected: "ASReview's 'included' or 'label_included' column", found: "the columns \(header.fields.joined(separator: ", "))")
            }
            return [(criteria.stages[0], index)]
        default:
            guard !columns.stages.isEmpty else {
                throw LiteratureError.invalidEntry(headerLocation, expected: "a verdict column for at least one stage", found: "none given")
            }
            return try columns.stages.sorted { (criteria.stages.firstIndex(of: $0.key) ?? 0) < (criteria.stages.firstIndex(of: $1.key) ?? 0) }
                .map { stage, name in
                    guard criteria.stages.contains(stage) else {
                        throw LiteratureError.invalidEntry(
                            headerLocation, expected: "one of the stages \(criteria.stages.joined(separator: ", "))", found: "'\(stage)'")
                    }
                    guard let index = column(name) else {
                        throw LiteratureError.invalidEntry(
                            headerLocation, expected: "a column '\(name)' for stage '\(stage)'", found: "the columns \(header.fields.joined(separator: ", "))")
                    }
                    return (stage, index)
                }
        }
    }

    /// A criterion id for a reason given as an id or as a criterion's text (case ignored).
    func criterionID(_ reason: String, at stage: String) -> String? {
        let folded = reason.lowercased()
        if reason == ScreeningCriteria.notRetrieved, criteria.allowsNotRetrieved(at: stage) { return reason }
        return criteria.exclusionCriteria(at: stage).first { $0.id.lowercased() == folded || $0.text.lowercased() == folded }?.id
    }

    static func verdict(_ value: String) -> ScreeningVerdict? {
        switch value.trimmingCharacters(in: .whitespaces).lowercased() {
        case "1", "1.0", "yes", "y", "true", "include", "included", "i": return .include
        case "0", "0.0", "no", "n", "false", "exclude", "excluded", "e": return .exclude
        case "maybe", "?", "unsure", "m": return .maybe
        default: return nil
        }
    }

    static func reasons(_ cell: String) -> [String] {
        cell.split(whereSeparator: { $0 == ";" || $0 == "," || $0 == "\n" })
            .map { $0.trimmingCharacters(in: .whitespaces) }.filter { !$0.isEmpty }
    }

    /// Reviewer → verdict and the exclusion reasons from Rayyan's notes field, whose parts are
    /// separated by ` | `: `RAYYAN-INCLUSION: {"Ana"=>"Included", "Bo"=>"Excluded"}` and
    /// `RAYYAN-EXCLUSION-REASONS: wrong population,not English`.
    static func rayyanNotes(_ notes: String) -> (inclusion: [(String, String)], reasons: [String]) {
        var inclusion: [(String, String)] = []
        var reasons: [String] = []
        for part in notes.components(separatedBy: "|") {
            let trimmed = part.trimmingCharacters(in: .whitespaces)
            if trimmed.hasPrefix("RAYYAN-INCLUSION:") {
                let body = trimmed.dropFirst("RAYYAN-INCLUSION:".count)
                // Pairs `"Name"=>"Value"`; names may hold spaces and commas, never quotes.
                let quoted = body.split(separator: "\"", omittingEmptySubsequences: false)
                var index = 1
                while index + 2 < quoted.count {
                    let name = String(quoted[index])
                    let arrow = quoted[index + 1].trimmingCharacters(in: .whitespaces)
                    if arrow == "=>" {
                        inclusion.append((name, String(quoted[index + 2])))
                        index += 4
                    } else {
                        index += 2
                    }
                }
            } else if trimmed.hasPrefix("RAYYAN-EXCLUSION-REASONS:") {
                reasons = trimmed.dropFirst("RAYYAN-EXCLUSION-REASONS:".count).split(separator: ",")
                    .map { $0.trimmingCharacters(in: .whitespaces) }.filter { !$0.isEmpty }
            }
        }
        return (inclusion, reasons)
    }
}

/// Writes a review's decisions as a spreadsheet that `DecisionImporter` (`.spreadsheet`) reads
/// back: one row per record and reviewer, a verdict column per stage and the reason column,
/// so screening moves between studies. Resolutions are not rows of it: a resolved conflict
/// comes back as the reviewers' disagreeing decisions.
public enum DecisionExporter {
    /// `record,doi,title,year,reviewer,<stage>…,reason`, rows by record id then reviewer.
    public static func csv(_ ledger: ScreeningLedger, records: [BibliographicRecord]) -> String {
        let byID = Dictionary(records.map { ($0.recordID, $0) }, uniquingKeysWith: { first, _ in first })
        let stages = ledger.criteria.stages
        var rows: [String: [String: [String: ScreeningDecision]]] = [:]
        for (stage, perRecord) in ledger.latest {
            for (record, perReviewer) in perRecord {
                for (reviewer, decision) in perReviewer { rows[record, default: [:]][reviewer, default: [:]][stage] = decision }
            }
        }
        var text = CSVText.line(["record", "doi", "title", "year", "reviewer"] + stages + ["reason"])
        for record in rows.keys.sorted() {
            for reviewer in rows[record]!.keys.sorted() {
                let decisions = rows[record]![reviewer]!
                let excluded = stages.compactMap { decisions[$0] }.first { $0.verdict == .exclude }
                let known = byID[record]
                text += CSVText.line([record, known?.doi ?? "", known?.title ?? "", known?.year.map(String.init) ?? "", reviewer]
                    + stages.map { decisions[$0]?.verdict.rawValue ?? "" } + [excluded?.criterion ?? ""])
            }
        }
        return text
    }
}
