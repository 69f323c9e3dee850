import Core
import Foundation
import Index
import Project
import Literature

/// The CSV export layouts `paper import --mapping` knows.
public enum ReviewCSVMapping: String, CaseIterable, Sendable {
    case scopus, ieee, acm, wos, asreview, embase

    public var mapping: CSVColumnMapping {
        switch self {
        case .scopus: return .scopus
        case .ieee: return .ieeeXplore
        case .acm: return .acm
        case .wos: return .webOfScience
        case .asreview: return .asreview
        case .embase: return .embase
        }
    }
}

/// What `paper import` did.
public struct ReviewImportOutcome: Sendable, Equatable {
    /// The file written, relative to the study root.
    public var file: String
    public var records: Int
    /// Problems in the export, each with its file and line; the other records were imported.
    public var warnings: [String]
    /// True when the same file had been imported before: nothing was written.
    public var alreadyImported = false
}

/// Records the review's decisions: each goes to its text file first (atomically, under the
/// study lock), as `Recorder` does for codings.
public struct ReviewRecorder {
    public let study: Study

    public init(study: Study) {
        self.study = study
    }

    var layout: ReviewLayout { ReviewLayout(study: study) }

    // MARK: Import and searches

    /// Copies an export into `corpus/literature/` as `name` (default: the source's file name),
    /// refusing a name that exists. A CSV export is read through `mapping` and written as
    /// `NAME.bib`, its original kept in `originals/`. Nothing is written when no record can be read.
    public func importExport(from source: URL, displayPath: String, name: String?, database: String?, search: String?,
                             mapping: ReviewCSVMapping?, columns: CSVColumnMapping? = nil,
                             encoding: TextEncoding = .automatic) throws -> ReviewImportOutcome {
        let isCSV = ["csv", "tsv"].contains(source.pathExtension.lowercased())
        if isCSV && mapping == nil && columns == nil {
            throw StudyError.invalid("\(displayPath) is a CSV export: say whose with --mapping (\(ReviewCSVMapping.allCases.map(\.rawValue).joined(separator: ", ")))", at: nil)
        }
        var target = name ?? source.lastPathComponent
        if isCSV && !target.lowercased().hasSuffix(".bib") { target = (target as NSString).deletingPathExtension + ".bib" }
        guard !target.contains("/"), !target.hasPrefix("."), ReviewLayout.exportExtensions.contains((target as NSString).pathExtension.lowercased()) else {
            throw StudyError.invalid("expected a file name ending in .bib, .ris, .txt or .nbib for the import, found '\(target)'; pass --name", at: nil)
        }
        let text: String
        do {
            text = try TextFile.read(source, displayPath: displayPath, encoding: encoding)
        } catch let error as FileError {
            throw LiteratureError.unreadableFile(error.location ?? SourceLocation(file: displayPath), reason: error.message)
        }
        let result: ParseResult
        if let csvMapping = columns ?? mapping?.mapping, isCSV {
            result = try CSVImporter(mapping: csvMapping).parse(text, file: displayPath)
        } else {
            guard let format = LiteratureFormat.detect(fileName: source.lastPathComponent, text: text) else {
                throw LiteratureError.unknownFormat(SourceLocation(file: displayPath))
            }
            result = format.parse(text, file: displayPath)
        }
        let warnings = result.warnings.map(\.description)
        guard !result.records.isEmpty else {
            throw StudyError.invalid("no record could be read from \(displayPath), so nothing was imported" + (warnings.isEmpty ? "" : ":\n  " + warnings.prefix(10).joined(separator: "\n  ")), at: nil)
        }
        return try study.withLock {
            let url = layout.folder.appendingPathComponent(target)
            let imported = try ReviewState.readImports(layout, relativePath: study.relativePath)
            let originalPath = study.pathFromRoot(source)
            if FileManager.default.fileExists(atPath: url.path), let row = imported.last(where: { $0.file == target }),
               study.pathFromRoot(recorded: row.original) == originalPath, !isCSV, (try? Data(contentsOf: url)) == (try? Data(contentsOf: source)) {
                // The same file imported again: nothing to do, and nothing changes.
                return ReviewImportOutcome(file: study.relativePath(url), records: row.records, warnings: warnings, alreadyImported: true)
            }
            if FileManager.default.fileExists(atPath: url.path) {
                throw StudyError.invalid("\(study.relativePath(url)) already exists; nothing was imported. Pass --name to import under another name", at: nil)
            }
            let log = try SearchLog.read(layout.searches, displayPath: study.relativePath(layout.searches))
            var databaseName = database ?? ""
            if let search {
                guard let entry = log.entries.first(where: { $0.id == search }) else {
                    throw StudyError.unknown(kind: "search", name: search, known: log.entries.map(\.id))
                }
                if entry.file != target {
                    throw StudyError.invalid("search '\(search)' names the file '\(entry.file)', not '\(target)'; nothing was imported", at: nil)
                }
                if databaseName.isEmpty { databaseName = entry.database }
            }
            // The export, its original and the imports.csv row go in as one change (the journal),
            // so a kill in between never leaves an export without its row.
            var changes: [FileChange] = []
            if isCSV {
                let original = layout.originals.appendingPathComponent((target as NSString).deletingPathExtension + ".csv")
                if FileManager.default.fileExists(atPath: original.path) {
                    throw StudyError.invalid("\(study.relativePath(original)) already exists; nothing was imported. Pass --name", at: nil)
                }
                changes.append(FileChange(path: study.relativePath(original), text: text))
                changes.append(FileChange(path: study.relativePath(url), text: BibTeXWriter.write(result.records)))
            } else {
                // A file read in a legacy encoding is stored as UTF-8, as every other reader expects.
                changes.append(encoding == .automatic ? FileChange(path: study.relativePath(url), content: try Data(contentsOf: source))
                               : FileChange(path: study.relativePath(url), text: text))
            }
            let importsPath = study.relativePath(layout.imports)
            let row = ReviewImport(file: target, database: databaseName, search: search ?? "", original: originalPath, records: result.records.count)
            changes.append(FileChange(path: importsPath, text: try ReviewImportFile.appending(
                [row], to: FileManager.default.fileExists(atPath: layout.imports.path) ? TextFile.read(layout.imports, displayPath: importsPath) : nil,
                file: importsPath)))
            try study.apply(changes)
            _ = try StudyIndex.open(study)
            return ReviewImportOutcome(file: study.relativePath(url), records: result.records.count, warnings: warnings)
        }
    }

    /// Logs a search; the file may be given from the study root or from `corpus/literature/`,
    /// and the hit count defaults to the records of that file when it is imported.
    @discardableResult
    public func addSearch(id: String?, database: String, query: String, date: String, file: String, hits: Int?) throws -> SearchLogEntry {
        return try study.withLock {
            let name = file.hasPrefix("corpus/literature/") ? String(file.dropFirst("corpus/literature/".count)) : file
            var log = try SearchLog.read(layout.searches, displayPath: study.relativePath(layout.searches))
            var count = hits
            if count == nil {
                let url = layout.folder.appendingPathComponent(name)
                guard FileManager.default.fileExists(atPath: url.path) else {
                    throw StudyError.invalid("give --hits: the number of hits the database reported (\(file) is not imported yet, so it cannot be counted)", at: nil)
                }
                count = try LiteratureReader.read(url, displayPath: name).records.count
            }
            let entry = SearchLogEntry(id: id ?? "S\(log.entries.count + 1)", database: database, query: query, date: date, file: name, hits: count!)
            try log.add(entry, at: SourceLocation(file: "the command line"))
            try FileManager.default.createDirectory(at: layout.folder, withIntermediateDirectories: true)
            try log.write(to: layout.searches)
            return entry
        }
    }

    // MARK: Duplicates

    /// Appends one verdict on a duplicate group to `dedupe.csv`.
    /// `state` saves reading the review again when the caller has just read it (a review session).
    public func decideDuplicate(group: String, record: String, kind: DedupeDecision.Kind, reviewer: String,
                                state known: ReviewState? = nil) throws -> DedupeDecision {
        try decideDuplicates([(group, record, kind)], reviewer: reviewer, state: known)[0]
    }

    /// Appends verdicts on duplicate groups to `dedupe.csv` as one change through the intent
    /// journal: after a kill at any step the next command that takes the lock ends with all of
    /// them recorded. Every record is checked before anything is written.
    public func decideDuplicates(_ answers: [(group: String, record: String, kind: DedupeDecision.Kind)], reviewer: String,
                                 state known: ReviewState? = nil) throws -> [DedupeDecision] {
        try Self.checkName(reviewer, what: "reviewer")
        return try study.withLock {
            let state = try known ?? ReviewState.load(study)
            let decisions = try answers.map { answer in
                let decision = DedupeDecision(
                    group: try state.recordID(answer.group), record: try state.recordID(answer.record), kind: answer.kind, reviewer: reviewer)
                if decision.group == decision.record {
                    throw StudyError.invalid("a record cannot be a duplicate of itself: give the group's kept record and another member", at: nil)
                }
                return decision
            }
            let path = study.relativePath(layout.dedupe)
            let existing = FileManager.default.fileExists(atPath: layout.dedupe.path) ? try TextFile.read(layout.dedupe, displayPath: path) : nil
            try study.apply([FileChange(path: path, text: try DedupeDecisionFile.appending(decisions, to: existing, file: path))])
            return decisions
        }
    }

    // MARK: Screening

    /// Appends a reviewer's decision to `screening/<reviewer>.csv`, after checking the record,
    /// the stage, the criterion, and that the record reached the stage (included at the one before).
    public func screen(record: String, stage: String, verdict: ScreeningVerdict, criterion: String?, note: String,
                       reviewer: String) throws -> ScreeningDecision {
        try Self.checkName(reviewer, what: "reviewer")
        return try study.withLock {
            let state = try ReviewState.load(study)
            let id = try checkDecision(state, record: record, stage: stage, verdict: verdict, criterion: criterion)
            let decision = ScreeningDecision(record: id, stage: stage, verdict: verdict, criterion: criterion, note: note, reviewer: reviewer)
            try FileManager.default.createDirectory(at: layout.screening, withIntermediateDirectories: true)
            let url = layout.screeningFile(for: reviewer)
            try ScreeningFile.append([decision], to: url, displayPath: study.relativePath(url), context: .init(reviewer: reviewer, criteria: state.criteria))
            return decision
        }
    }

    /// Appends a resolution of a conflict to `screening/resolutions.csv`.
    public func resolve(record: String, stage: String, verdict: ScreeningVerdict, criterion: String?, note: String,
                        resolver: String) throws -> ScreeningResolution {
        try Self.checkName(resolver, what: "resolver")
        return try study.withLock {
            let state = try ReviewState.load(study)
            let id = try checkDecision(state, record: record, stage: stage, verdict: verdict, criterion: criterion)
            guard (state.ledger.latest[stage]?[id]?.count ?? 0) > 0 else {
                throw StudyError.invalid("no reviewer has screened \(id) at \(stage) yet; there is nothing to resolve", at: nil)
            }
            // Only a disagreement (or a record everyone left as maybe) needs a resolution.
            let verdicts = Set(state.ledger.latest[stage]![id]!.values.map(\.verdict))
            if verdicts.count == 1, let agreed = verdicts.first, agreed != .maybe {
                throw StudyError.invalid("\(id) has no conflict at \(stage): every reviewer decided \(agreed.rawValue), so there is nothing to resolve ('paper conflicts' lists the records that need it)", at: nil)
            }
            let resolution = ScreeningResolution(record: id, stage: stage, verdict: verdict, criterion: criterion, note: note, resolver: resolver)
            try FileManager.default.createDirectory(at: layout.screening, withIntermediateDirectories: true)
            try ResolutionFile.append([resolution], to: layout.resolutions, displayPath: study.relativePath(layout.resolutions), context: state.criteria)
            return resolution
        }
    }

    private func checkDecision(_ state: ReviewState, record: String, stage: String, verdict: ScreeningVerdict, criterion: String?) throws -> String {
        guard let criteria = study.settings.screening else {
            throw StudyError.invalid("""
                triangulate.yaml defines no screening criteria; add a section like
                screening:
                  stages: [title-abstract, full-text]
                  include:
                    - id: I1
                      text: Studies pre-trained model reuse
                  exclude:
                    - id: E1
                      text: Not about software engineering
                """, at: SourceLocation(file: StudySettings.fileName))
        }
        let id = try state.recordID(record)
        if let kept = state.keptFor[id] {
            throw StudyError.invalid("\(id) is a duplicate of \(kept); screen \(kept) instead (or split the group with paper dedupe --decide)", at: nil)
        }
        guard let position = criteria.stages.firstIndex(of: stage) else {
            throw StudyError.unknown(kind: "screening stage", name: stage, known: criteria.stages)
        }
        if position > 0 {
            let previous = criteria.stages[position - 1]
            guard case .included = state.ledger.outcome(of: id, at: previous) else {
                throw StudyError.invalid("\(id) has not been included at \(previous), so it cannot be screened at \(stage) yet", at: nil)
            }
        }
        // The rule the screening file's reader applies, so a decision recorded here always reads back.
        let allowed = criteria.citable(for: verdict, at: stage)
        if verdict == .exclude && criterion == nil {
            throw StudyError.invalid("an exclusion needs its criterion: --exclude ID, one of \(allowed.joined(separator: ", "))", at: nil)
        }
        if let criterion, !allowed.contains(criterion) {
            throw StudyError.unknown(kind: "\(verdict.rawValue) criterion", name: criterion, known: allowed)
        }
        return id
    }

    // MARK: Snowballing and extraction

    /// Adds a snowballing link to `snowballing.csv`; both records must be imported.
    public func addSnowballLink(record: String, from source: String, direction: SnowballingLink.Direction, iteration: Int) throws -> SnowballingLink {
        return try study.withLock {
            let state = try ReviewState.load(study)
            let link = SnowballingLink(record: try state.recordID(record), source: try state.recordID(source), direction: direction, iteration: iteration)
            guard link.record != link.source else { throw StudyError.invalid("a record cannot be snowballed from itself", at: nil) }
            guard iteration >= 1 else { throw StudyError.invalid("expected an iteration of 1 or more, found \(iteration)", at: nil) }
            var links = try SnowballingFile.read(layout.snowballing, displayPath: study.relativePath(layout.snowballing))
            if links.contains(where: { $0.record == link.record && $0.source == link.source && $0.direction == link.direction }) {
                throw StudyError.invalid("the \(direction.rawValue) link \(link.source) → \(link.record) is already recorded", at: nil)
            }
            links.append(link)
            try SnowballingFile.write(links, to: layout.snowballing)
            return link
        }
    }

    /// The extraction form, `corpus/literature/extraction.yaml`.
    public func extractionForm() throws -> ExtractionForm {
        let url = layout.extractionForm
        guard FileManager.default.fileExists(atPath: url.path) else {
            throw StudyError.invalid("there is no extraction form: write corpus/literature/extraction.yaml with 'fields:' (id, label, type text|number|choice|yes-no, choices)", at: nil)
        }
        return try ExtractionForm.parse(try TextFile.read(url, displayPath: study.relativePath(url)), file: study.relativePath(url))
    }

    /// Sets answers of `reviewer` for a record (other answers kept) in `extraction/<reviewer>.csv`;
    /// each value is checked against its field's type.
    public func extract(record: String, reviewer: String, values: [String: String]) throws -> ExtractionEntry {
        try Self.checkName(reviewer, what: "reviewer")
        return try study.withLock {
            let form = try extractionForm()
            let id = try ReviewState.load(study).recordID(record)
            for (fieldID, value) in values.sorted(by: { $0.key < $1.key }) {
                guard let field = form.fields.first(where: { $0.id == fieldID }) else {
                    throw StudyError.unknown(kind: "extraction field", name: fieldID, known: form.fields.map(\.id))
                }
                if let expected = Self.problem(field, value) {
                    throw StudyError.invalid("expected \(expected) for '\(fieldID)' (\(field.kind.rawValue)), found '\(value)'", at: nil)
                }
            }
            let url = layout.extractionFile(for: reviewer)
            let context = ExtractionFile.Context(reviewer: reviewer, form: form)
            var entries = try ExtractionFile.read(url, displayPath: study.relativePath(url), context: context)
            var entry = entries.first { $0.record == id } ?? ExtractionEntry(record: id, reviewer: reviewer, values: [:])
            for (field, value) in values { entry.values[field] = value.isEmpty ? nil : value }
            entries.removeAll { $0.record == id }
            entries.append(entry)
            try FileManager.default.createDirectory(at: layout.extraction, withIntermediateDirectories: true)
            try ExtractionFile.write(entries, to: url, context: context)
            return entry
        }
    }

    /// Every reviewer's answers in one CSV table (`record,reviewer,` then the form's fields).
    public func extractionExport() throws -> String {
        let form = try extractionForm()
        let names = ((try? FileManager.default.contentsOfDirectory(atPath: layout.extraction.path)) ?? [])
            .filter { $0.hasSuffix(".csv") && !$0.hasPrefix(".") }.sorted()
        var entries: [ExtractionEntry] = []
        for name in names {
            let url = layout.extraction.appendingPathComponent(name)
            entries += try ExtractionFile.read(url, displayPath: study.relativePath(url), context: .init(reviewer: String(name.dropLast(4)), form: form))
        }
        return ExtractionFile.export(entries, form: form)
    }

    static func problem(_ field: ExtractionField, _ value: String) -> String? {
        guard !value.isEmpty else { return nil }
        switch field.kind {
        case .text: return nil
        case .number: return Double(value).map { $0.isFinite } == true ? nil : "a number"
        case .yesNo: return value == "yes" || value == "no" ? nil : "yes or no"
        case .choice: return field.choices.contains(value) ? nil : "one of \(field.choices.joined(separator: ", "))"
        }
    }

    // MARK: Helpers

    /// Reviewer names name files: lowercase letters, digits, `-` and `_`.
    static func checkName(_ name: String, what: String) throws {
        let allowed = Set("abcdefghijklmnopqrstuvwxyz0123456789-_")
        guard !name.isEmpty, name.allSatisfy({ allowed.contains($0) }), name != "resolutions" else {
            throw StudyError.invalid("expected a \(what) name of lowercase letters, digits, '-' and '_' (it names a file under corpus/literature/), found '\(name)'", at: nil)
        }
    }

}
