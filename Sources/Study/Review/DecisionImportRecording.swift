import Core
import Foundation
import Literature
import Project

/// What `paper screen --from` did, or would refuse to do.
public struct DecisionImportOutcome: Sendable, Equatable, Encodable {
    /// The decisions file, as the user named it (relative to the study when inside it).
    public var file: String
    /// The tool the file came from: asreview, rayyan, covidence or spreadsheet.
    public var source: String
    /// Data rows read (not counting the header).
    public var rows: Int
    /// Decisions written to the reviewers' screening files.
    public var recorded: Int
    /// Decisions already in force with the same verdict and criterion (a file imported again).
    public var alreadyRecorded: Int
    /// Rows without any verdict (ASReview's unlabelled records).
    public var undecidedRows: Int
    public var matchedByRecordID: Int
    public var matchedByDOI: Int
    public var matchedByKey: Int
    /// Reviewer (as recorded) → decisions recorded for them.
    public var reviewers: [String: Int]
    /// A reviewer's name as the file writes it → the name it is recorded under, when they differ.
    public var renamedReviewers: [String: String]
    /// Every row that could not be imported, `FILE:LINE:COLUMN: message`.
    public var problems: [String]
    /// Lines of rows that match no record of the review.
    public var unmatchedLines: [Int]
    /// False when nothing was written: problems without `--partial`.
    public var imported: Bool

    enum CodingKeys: String, CodingKey {
        case file, source, rows, recorded
        case alreadyRecorded = "already_recorded", undecidedRows = "undecided_rows"
        case matchedByRecordID = "matched_by_record_id", matchedByDOI = "matched_by_doi", matchedByKey = "matched_by_key"
        case reviewers, renamedReviewers = "renamed_reviewers", problems, unmatchedLines = "unmatched_lines", imported
    }
}

/// A decisions file with rows that cannot be imported, so that none was (all or nothing).
public struct DecisionImportRejected: LocatedError, Sendable {
    public var outcome: DecisionImportOutcome

    public var location: SourceLocation? { SourceLocation(file: outcome.file) }

    public var message: String {
        let shown = outcome.problems.prefix(50).map { "  \($0)" }.joined(separator: "\n")
        let more = outcome.problems.count > 50 ? "\n  … and \(outcome.problems.count - 50) more" : ""
        let unexplained = outcome.problems.filter { $0.hasSuffix("(or a criterion for unexplained exclusions), found none") }.count
        let hint = unexplained > 0
            ? "\n\(unexplained) exclusion\(unexplained == 1 ? " gives" : "s give") no reason (ASReview records none): name the criterion to record for them with --unexplained-exclusion CRITERION"
            : ""
        return "\(outcome.problems.count) problem\(outcome.problems.count == 1 ? "" : "s") in \(outcome.rows) rows, so no decision was imported "
            + "(fix the rows, or import the good ones with --partial):\n\(shown)\(more)\(hint)"
    }
}

extension ReviewRecorder {
    /// Imports screening decisions made in another tool (ASReview, Rayyan, Covidence, a
    /// spreadsheet) into the reviewers' `screening/<reviewer>.csv` files.
    ///
    /// Rows are matched to the review's records by a Triangulate record id, then DOI, then the
    /// deduplication key (normalised title and year); a row matching a removed duplicate counts
    /// for the record its group kept. Every decision keeps its reviewer and, in its note, the file,
    /// line and tool it came from. Besides the rows' own problems (no match, unknown criteria, a
    /// row that contradicts itself or an earlier row) a decision is refused when it would change
    /// a reviewer's decision already recorded, or when its record has not reached its stage.
    ///
    /// All or nothing: with any problem nothing is written (`DecisionImportRejected`) unless
    /// `partial`, which writes the good rows and still reports the others. The writes go through
    /// the study's journal under its lock, so a kill leaves every reviewer file before or after
    /// the whole import.
    public func importDecisions(from url: URL, displayPath: String, source: DecisionSource?, columns: DecisionColumns?,
                                reviewer: String?, unexplainedExclusion: String?, partial: Bool,
                                encoding: TextEncoding = .automatic) throws -> DecisionImportOutcome {
        guard let criteria = study.settings.screening else {
            throw StudyError.invalid("triangulate.yaml defines no screening stages or criteria, so there is nothing to import decisions into; add a 'screening:' section (see 'triangulate paper --help')",
                                     at: SourceLocation(file: StudySettings.fileName))
        }
        if let reviewer { try Self.checkName(reviewer, what: "reviewer") }
        let shownPath = Self.shownPath(url, typed: displayPath, study: study)
        let text: String
        do {
            text = try TextFile.read(url, displayPath: shownPath, encoding: encoding)
        } catch let error as FileError {
            throw LiteratureError.unreadableFile(error.location ?? SourceLocation(file: shownPath), reason: error.message)
        }
        let source = source ?? Self.detectSource(text)
        var columns = columns ?? DecisionColumns.preset(source)
        if columns.stages.isEmpty, source == .spreadsheet || source == .covidence {
            // A spreadsheet whose verdict columns are named after the stages (as 'paper screen
            // --export' writes it) needs no column options.
            columns.stages = Self.stageColumnsNamedAfterStages(text, stages: criteria.stages)
            if columns.reason == nil { columns.reason = "reason" }
            if columns.reviewer == nil { columns.reviewer = "reviewer" }
        }
        return try study.withLock {
            let state = try ReviewState.load(study)
            let importer = DecisionImporter(source: source, columns: columns, criteria: criteria, reviewer: reviewer ?? "",
                                            unexplainedExclusion: unexplainedExclusion, partial: true)
            let read = try importer.run(text, file: shownPath, records: state.records, dedupe: state.dedupe)
            var problems = read.problems.map(\.description)
            var outcome = DecisionImportOutcome(
                file: shownPath, source: source.rawValue, rows: read.rows, recorded: 0, alreadyRecorded: 0, undecidedRows: read.undecidedRows,
                matchedByRecordID: read.matchedByRecordID, matchedByDOI: read.matchedByDOI, matchedByKey: read.matchedByKey,
                reviewers: [:], renamedReviewers: [:], problems: [], unmatchedLines: read.unmatchedLines, imported: false)

            // Reviewer names become file names: `Ana Lima` is recorded as `ana-lima`.
            var accepted: [ScreeningDecision] = []
            for var decision in read.decisions {
                let where_ = decision.location.map { "\($0): " } ?? ""
                if decision.reviewer.isEmpty {
                    problems.append("\(where_)expected a reviewer for this row (a reviewer column, or --reviewer), found none")
                    continue
                }
                let name = Self.fileName(forReviewer: decision.reviewer)
                if name != decision.reviewer { outcome.renamedReviewers[decision.reviewer] = name }
                guard (try? Self.checkName(name, what: "reviewer")) != nil else {
                    problems.append("\(where_)expected a reviewer name of letters and digits, found '\(decision.reviewer)'")
                    continue
                }
                decision.reviewer = name
                accepted.append(decision)
            }

            // Against what is recorded: a decision that would change a reviewer's recorded one
            // is a contradiction; the same one again is already there.
            var fresh: [ScreeningDecision] = []
            for decision in accepted {
                let where_ = decision.location.map { "\($0): " } ?? ""
                if let existing = state.ledger.latest[decision.stage]?[decision.record]?[decision.reviewer] {
                    if existing.verdict == decision.verdict && existing.criterion == decision.criterion {
                        outcome.alreadyRecorded += 1
                        continue
                    }
                    let recorded = [existing.verdict.rawValue, existing.criterion].compactMap { $0 }.joined(separator: " ")
                    let imported = [decision.verdict.rawValue, decision.criterion].compactMap { $0 }.joined(separator: " ")
                    problems.append("\(where_)expected the decision \(decision.reviewer) recorded on \(decision.record) at \(decision.stage) (\(recorded)), found \(imported); change it with 'paper screen' if that is meant")
                    continue
                }
                fresh.append(decision)
            }

            // Stage order: a decision at a later stage needs the record included at the one
            // before, by the decisions recorded and those imported together.
            let ledger = ScreeningLedger(criteria: criteria, decisions: state.ledger.latest.values.flatMap { $0.values.flatMap { $0.values } } + fresh,
                                         resolutions: state.ledger.resolutions.values.flatMap { $0.values })
            var ordered: [ScreeningDecision] = []
            for decision in fresh {
                guard let position = criteria.stages.firstIndex(of: decision.stage) else { continue }
                if position > 0 {
                    let previous = criteria.stages[position - 1]
                    guard case .included = ledger.outcome(of: decision.record, at: previous) else {
                        let where_ = decision.location.map { "\($0): " } ?? ""
                        problems.append("\(where_)expected \(decision.record) to be included at \(previous) before a decision at \(decision.stage), found it \(Self.describe(ledger.outcome(of: decision.record, at: previous)))")
                        continue
                    }
                }
                ordered.append(decision)
            }

            outcome.problems = problems
            if !problems.isEmpty && !partial {
                throw DecisionImportRejected(outcome: outcome)
            }
            var byReviewer: [String: [ScreeningDecision]] = [:]
            for decision in ordered { byReviewer[decision.reviewer, default: []].append(decision) }
            var changes: [FileChange] = []
            for reviewer in byReviewer.keys.sorted() {
                let file = layout.screeningFile(for: reviewer)
                let path = study.relativePath(file)
                let existing = FileManager.default.fileExists(atPath: file.path) ? try TextFile.read(file, displayPath: path) : nil
                let text = try ScreeningFile.appending(byReviewer[reviewer]!, to: existing, file: path,
                                                       context: .init(reviewer: reviewer, criteria: criteria))
                changes.append(FileChange(path: path, text: text))
                outcome.reviewers[reviewer] = byReviewer[reviewer]!.count
            }
            try FileManager.default.createDirectory(at: layout.screening, withIntermediateDirectories: true)
            try study.apply(changes)
            outcome.recorded = ordered.count
            outcome.imported = true
            return outcome
        }
    }

    /// The tool a decisions file comes from, by its header: Rayyan's `notes`, ASReview's
    /// `included`/`label_included`, Covidence's `Covidence #`; otherwise a spreadsheet.
    public static func detectSource(_ text: String) -> DecisionSource {
        let firstLine = text.prefix { $0 != "\n" && $0 != "\r\n" && $0 != "\r" }
        let delimiter = Character(TableDelimiter.detect(String(firstLine)))
        let names = Set(firstLine.split(separator: delimiter).map {
            $0.trimmingCharacters(in: CharacterSet(charactersIn: "\" \u{FEFF}")).lowercased()
        })
        if names.contains("notes") && text.contains("RAYYAN-INCLUSION") { return .rayyan }
        if names.contains("included") || names.contains("label_included") { return .asreview }
        if names.contains("covidence #") { return .covidence }
        return .spreadsheet
    }

    /// Stage → column for the header columns named exactly like a stage (case ignored).
    static func stageColumnsNamedAfterStages(_ text: String, stages: [String]) -> [String: String] {
        let firstLine = String(text.prefix { $0 != "\n" && $0 != "\r\n" && $0 != "\r" })
        let delimiter = Character(TableDelimiter.detect(firstLine))
        let names = firstLine.split(separator: delimiter).map { $0.trimmingCharacters(in: CharacterSet(charactersIn: "\" \u{FEFF}")) }
        var result: [String: String] = [:]
        for stage in stages {
            if let name = names.first(where: { $0.lowercased() == stage.lowercased() }) { result[stage] = name }
        }
        return result
    }

    /// `Ana Lima` → `ana-lima`: lowercase, runs of other characters as one `-`.
    public static func fileName(forReviewer name: String) -> String {
        var result = ""
        for character in name.folding(options: [.diacriticInsensitive, .caseInsensitive], locale: Locale(identifier: "en_US_POSIX")).lowercased() {
            if character.isASCII && (character.isLetter || character.isNumber || character == "_" || character == "-") {
                result.append(character)
            } else if !result.isEmpty && result.last != "-" {
                result.append("-")
            }
        }
        while result.hasSuffix("-") { result.removeLast() }
        return result
    }

    /// A file the user named, relative to the study when inside it, else as typed.
    static func shownPath(_ url: URL, typed: String, study: Study) -> String {
        let relative = study.relativePath(url)
        return relative.hasPrefix("/") ? typed : relative
    }

    static func describe(_ outcome: ScreeningOutcome) -> String {
        switch outcome {
        case .undecided: return "undecided"
        case .conflict: return "in conflict"
        case .maybe: return "a maybe"
        case .included: return "included"
        case .excluded(let criterion): return "excluded (\(criterion))"
        }
    }
}
