import Core
import Foundation

/// Where a record stands in the review.
public enum PaperReviewStatus: Sendable, Equatable, Codable {
    /// Included at the last screening stage.
    case included
    /// Excluded at `stage` for `criterion`.
    case excluded(criterion: String, stage: String)
    /// Screening started but is not final at `stage`: a maybe, an unresolved conflict, or not yet
    /// decided at a later stage.
    case pending(stage: String)
    /// No decision at the first stage yet.
    case unscreened
    /// A duplicate of the record `of`, which is screened in its place.
    case duplicate(of: String)
    /// No record of the review has this key.
    case unknown

    /// The status's one-word name, as `paper list --status` takes it.
    public var name: String {
        switch self {
        case .included: return "included"
        case .excluded: return "excluded"
        case .pending: return "pending"
        case .unscreened: return "unscreened"
        case .duplicate: return "duplicate"
        case .unknown: return "unknown"
        }
    }

    /// The name with its detail: `excluded (E2 at title-abstract)`.
    public var summary: String {
        switch self {
        case .excluded(let criterion, let stage): return "excluded (\(criterion) at \(stage))"
        case .pending(let stage): return "pending (\(stage))"
        case .duplicate(let kept): return "duplicate of \(kept)"
        default: return name
        }
    }
}

/// One imported export, a row of `imports.csv`.
public struct ReviewImport: Sendable, Equatable, Codable {
    /// The export's file name in `corpus/literature/`.
    public var file: String
    public var database: String
    public var search: String
    /// The path the researcher imported it from.
    public var original: String
    public var records: Int

    public init(file: String, database: String, search: String, original: String, records: Int) {
        self.file = file
        self.database = database
        self.search = search
        self.original = original
        self.records = records
    }
}

/// `corpus/literature/imports.csv` (`file,database,search,original,records`), a row per import.
public enum ReviewImportFile: DecisionFile {
    public static func columns(_: Void) -> [String] { ["file", "database", "search", "original", "records"] }

    public static func decode(_ row: DecisionRow, context: Void) throws -> ReviewImport {
        if row["file"].isEmpty { throw row.invalid("file", expected: "the export's file name", found: "an empty cell") }
        guard let count = Int(row["records"]), count >= 0 else {
            throw row.invalid("records", expected: "a record count", found: "'\(row["records"])'")
        }
        return ReviewImport(file: row["file"], database: row["database"], search: row["search"], original: row["original"], records: count)
    }

    public static func cells(of row: ReviewImport) -> [String: String] {
        ["file": row.file, "database": row.database, "search": row.search, "original": row.original, "records": String(row.records)]
    }
}

/// One export of the review as parsed: its records (keys made unique within the file, ids
/// `NAME#KEY`) and its problems as the review reports them (`corpus/literature/NAME:LINE: …`).
public struct ReviewExport: Sendable, Equatable {
    /// The file's name in `corpus/literature/`.
    public var name: String
    public var records: [BibliographicRecord]
    public var warnings: [String]

    public init(name: String, records: [BibliographicRecord], warnings: [String]) {
        self.name = name
        self.records = records
        self.warnings = warnings
    }
}

/// Everything the review's files say, read at once: records, searches, duplicates, screening.
public struct ReviewState: Sendable {
    public let layout: ReviewLayout
    /// A path as the study's messages show it (relative to the study root).
    public let relativePath: @Sendable (URL) -> String
    /// Every record of every export, keys made unique per file, in file then file order.
    public let records: [BibliographicRecord]
    /// Problems in the exports (`corpus/literature/FILE:LINE:COLUMN: message`); their good records are kept.
    public let warnings: [String]
    public let imports: [ReviewImport]
    public let searchLog: SearchLog
    public let dedupeDecisions: [DedupeDecision]
    public let dedupe: DedupeResult
    /// The criteria from triangulate.yaml, or the default stages with no criteria.
    public let criteria: ScreeningCriteria
    public let ledger: ScreeningLedger
    public let byID: [String: BibliographicRecord]
    /// Removed record → the kept record of its group.
    public let keptFor: [String: String]

    /// Reads the review. Bad export entries are warnings; a broken decision file is an error
    /// with its file, line and column.
    /// - Parameters:
    ///   - exports: the exports as already parsed (the study's index keeps them); nil reads the files.
    ///   - deduplicate: finds the duplicate groups of the records under the decisions (the index
    ///     keeps the last result); nil runs the deduplicator.
    public static func load(_ layout: ReviewLayout, criteria configured: ScreeningCriteria?, dedupeThreshold: Double,
                            relativePath: @escaping @Sendable (URL) -> String, exports given: [ReviewExport]? = nil,
                            deduplicate: (([BibliographicRecord], [DedupeDecision]) throws -> DedupeResult)? = nil) throws -> ReviewState {
        let exports = try given ?? readExports(in: layout.folder)
        let records = exports.flatMap(\.records)
        let warnings = exports.flatMap(\.warnings)
        let criteria = try configured ?? ScreeningCriteria(include: [], exclude: [])
        let decisions = try DedupeDecisionFile.read(layout.dedupe, displayPath: relativePath(layout.dedupe))
        let dedupe = try deduplicate?(records, decisions) ?? Deduplicator(threshold: dedupeThreshold).run(records, decisions: decisions)
        var screening: [ScreeningDecision] = []
        for reviewer in reviewers(in: layout.screening) {
            let url = layout.screeningFile(for: reviewer)
            screening += try ScreeningFile.read(url, displayPath: relativePath(url), context: .init(reviewer: reviewer, criteria: criteria))
        }
        let resolutions = try ResolutionFile.read(layout.resolutions, displayPath: relativePath(layout.resolutions), context: criteria)
        var keptFor: [String: String] = [:]
        for group in dedupe.groups { for member in group.duplicates { keptFor[member.recordID] = group.kept } }
        return ReviewState(
            layout: layout, relativePath: relativePath, records: records, warnings: warnings,
            imports: try readImports(layout, relativePath: relativePath),
            searchLog: try SearchLog.read(layout.searches, displayPath: relativePath(layout.searches)),
            dedupeDecisions: decisions, dedupe: dedupe, criteria: criteria,
            ledger: ScreeningLedger(criteria: criteria, decisions: screening, resolutions: resolutions),
            byID: Dictionary(records.map { ($0.recordID, $0) }, uniquingKeysWith: { first, _ in first }), keptFor: keptFor)
    }

    /// Parses every export of `folder`, in file-name order.
    public static func readExports(in folder: URL) throws -> [ReviewExport] {
        try exportFiles(in: folder).map { name in
            do {
                let result = try LiteratureReader.read(folder.appendingPathComponent(name), displayPath: name)
                return ReviewExport(name: name, records: BibliographicRecord.withUniqueKeys(result.records),
                                    warnings: result.warnings.map(Self.describe))
            } catch let error as LiteratureError {
                return ReviewExport(name: name, records: [], warnings: [describe(error)])
            }
        }
    }

    /// The export files of `folder`, sorted.
    static func exportFiles(in folder: URL) -> [String] {
        let names = (try? FileManager.default.contentsOfDirectory(atPath: folder.path)) ?? []
        return names.filter { !$0.hasPrefix(".") && ReviewLayout.exportExtensions.contains(($0 as NSString).pathExtension.lowercased()) }.sorted()
    }

    /// Reviewers with a screening file, sorted.
    static func reviewers(in folder: URL) -> [String] {
        let names = (try? FileManager.default.contentsOfDirectory(atPath: folder.path)) ?? []
        return names.filter { $0.hasSuffix(".csv") && !$0.hasPrefix(".") && $0 != "resolutions.csv" }.map { String($0.dropLast(4)) }.sorted()
    }

    /// An export problem with its path from the study root.
    public static func describe(_ error: LiteratureError) -> String {
        guard var location = error.location else { return error.message }
        if !location.file.contains("/") { location.file = "corpus/literature/" + location.file }
        return "\(location): \(error.message)"
    }

    public static func readImports(_ layout: ReviewLayout, relativePath: (URL) -> String) throws -> [ReviewImport] {
        try ReviewImportFile.read(layout.imports, displayPath: relativePath(layout.imports))
    }

    // MARK: Questions

    /// The records screened: all but the duplicates removed by deduplication.
    public var screeningSet: [BibliographicRecord] { records.filter { keptFor[$0.recordID] == nil } }

    /// Where the record `id` stands.
    public func status(of id: String) -> PaperReviewStatus {
        guard byID[id] != nil else { return .unknown }
        if let kept = keptFor[id] { return .duplicate(of: kept) }
        for (position, stage) in criteria.stages.enumerated() {
            switch ledger.outcome(of: id, at: stage) {
            case .excluded(let criterion): return .excluded(criterion: criterion, stage: stage)
            case .included: continue
            case .undecided: return position == 0 ? .unscreened : .pending(stage: stage)
            case .maybe, .conflict: return .pending(stage: stage)
            }
        }
        return .included
    }

    /// The status a claim's citation key has: a key names the records with that key in any
    /// export; a duplicate counts as its kept record. When several records share the key, the
    /// most advanced status wins (included, then pending, unscreened, excluded).
    public func status(ofPaperKey key: String) -> PaperReviewStatus {
        Self.mostAdvanced(records.filter { $0.key == key }.map { record -> PaperReviewStatus in
            let status = self.status(of: record.recordID)
            if case .duplicate(let kept) = status { return self.status(of: kept) }
            return status
        })
    }

    /// The most advanced of the statuses of records that share a key.
    static func mostAdvanced(_ statuses: [PaperReviewStatus]) -> PaperReviewStatus {
        let rank: (PaperReviewStatus) -> Int = {
            switch $0 {
            case .included: return 0
            case .pending: return 1
            case .unscreened: return 2
            case .excluded: return 3
            case .duplicate: return 4
            case .unknown: return 5
            }
        }
        return statuses.min { rank($0) < rank($1) } ?? .unknown
    }

    /// The database a record came from: its import's, else its file's search's, else none.
    public func database(of record: BibliographicRecord) -> String? {
        let file = record.location.file
        if let row = imports.last(where: { $0.file == file }), !row.database.isEmpty { return row.database }
        return searchLog.entries.first { $0.file == file || $0.file.hasSuffix("/" + file) }?.database
    }

    /// The search a record came from, when one is logged for its file.
    public func search(of record: BibliographicRecord) -> String? {
        let file = record.location.file
        if let row = imports.last(where: { $0.file == file }), !row.search.isEmpty { return row.search }
        return searchLog.entries.first { $0.file == file || $0.file.hasSuffix("/" + file) }?.id
    }

    /// The record id a researcher typed: `FILE#KEY` (FILE may start with `corpus/literature/`),
    /// or a citation key that exactly one record has.
    public func recordID(_ typed: String) throws -> String {
        var text = typed
        if text.hasPrefix("corpus/literature/") { text = String(text.dropFirst("corpus/literature/".count)) }
        if byID[text] != nil { return text }
        if !text.contains("#") {
            let matches = records.filter { $0.key == text }.map(\.recordID)
            if matches.count == 1 { return matches[0] }
            if matches.count > 1 {
                throw InvalidRequestError("the key '\(text)' names \(matches.count) records (\(matches.prefix(5).joined(separator: ", "))); give FILE#KEY")
            }
        }
        throw UnknownNameError(kind: "record", name: typed, known: records.prefix(2000).map(\.recordID))
    }

    /// The text the prioritizer reads: title and abstract.
    static func text(of record: BibliographicRecord) -> String {
        [record.title, record.fields["abstract"]].compactMap { $0 }.joined(separator: " ")
    }
}

extension ReviewState {
    /// The status of every citation key of the review, computed in one pass over the records.
    public func statusesByKey() -> [String: PaperReviewStatus] {
        var byKey: [String: [BibliographicRecord]] = [:]
        for record in records { byKey[record.key, default: []].append(record) }
        return byKey.mapValues { Self.mostAdvanced($0.map { record in
            let status = self.status(of: record.recordID)
            if case .duplicate(let kept) = status { return self.status(of: kept) }
            return status
        }) }
    }
}
