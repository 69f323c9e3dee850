import ArgumentParser
import Core
import Foundation
import Literature
import Index
import Project
import Study

extension PaperCommand {
    struct Verdict: ParsableArguments {
        @Flag(help: "Include the record.") var include = false
        @Option(help: ArgumentHelp("Exclude the record for this exclusion criterion.", valueName: "criterion")) var exclude: String?
        @Flag(help: "Undecided: to discuss.") var maybe = false
        @Option(help: ArgumentHelp("The criterion an include or maybe cites (optional).", valueName: "criterion")) var criterion: String?
        @Option(help: "A note kept with the decision.") var note: String = ""

        var chosen: Int { (include ? 1 : 0) + (exclude != nil ? 1 : 0) + (maybe ? 1 : 0) }

        var verdict: (ScreeningVerdict, String?) {
            if let exclude { return (.exclude, exclude) }
            return (include ? .include : .maybe, criterion)
        }
    }

    struct Screen: ParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Record screening decisions: one, in a loop (--next), or imported from another tool (--from).",
            discussion: """
                Decisions are appended to corpus/literature/screening/<reviewer>.csv; the last one for a record and stage \
                counts. Stages and criterion ids come from 'screening:' in triangulate.yaml. A record reaches a later \
                stage when it is included at the one before.

                --next is a loop: it shows the reviewer's next record (at the first stage in the order 'paper next' \
                learns from the reviewer's own decisions, blind to the others'), with the inclusion criteria's words \
                highlighted when the output is a terminal, and reads one answer per line: 'i' includes, 'e CRITERION' \
                excludes, 'm' marks maybe, 's' skips, 'u' undoes the last answer, 'q' quits. Each answer is recorded at \
                once, followed by the progress ("312/1,704 screened, 28 included"). --once shows the next record and \
                stops.

                --from imports decisions made elsewhere: ASReview (included or label_included), Rayyan (its notes \
                field), Covidence or any spreadsheet (a verdict column per stage, --stage-column; columns named after \
                the stages need none; reason and reviewer columns). The format is detected from the header unless \
                --format says it. Rows are matched by record id, then DOI, then normalised title and year. A file with \
                any row that matches no record, names an unknown criterion or contradicts itself or a recorded decision \
                imports nothing and lists every such row, unless --partial. Each decision keeps its reviewer and, in its \
                note, the file and line it came from. --export writes the decisions in the spreadsheet layout --from \
                reads, so screening moves between studies.

                Example:
                  triangulate paper import exports/scopus.bib --database scopus
                  triangulate paper screen --next --reviewer ana --once
                  triangulate paper screen seed-papers.bib#jones2024what --stage full-text --exclude E2 --reviewer ana --note "preprint only?"
                  triangulate paper screen --from asreview-export.csv --reviewer ana --unexplained-exclusion E1
                  triangulate paper screen --from rayyan.csv --format rayyan --partial
                  triangulate paper screen --from sheet.csv --format sheet --stage-column title-abstract=TA --reason-column Why --reviewer carla
                  triangulate paper screen --export --output decisions.csv
                """)
        @OptionGroup var studyOptions: StudyOptions
        @Argument(help: ArgumentHelp("The record (FILE#KEY).", valueName: "record")) var record: String?
        @Option(help: "The stage (default: the first).") var stage: String?
        @OptionGroup var verdict: Verdict
        @Option(help: "The reviewer (with --from: of rows that name none).") var reviewer: String?
        @Flag(help: "Screen in a loop: show the reviewer's next record and read answers from standard input.") var next = false
        @Flag(help: "With --next: show the next record and stop.") var once = false
        @Option(help: "Seed of the order before the model can learn.") var seed: UInt64 = 0
        @Option(help: ArgumentHelp("Import decisions from this file (CSV, TSV or ';'-separated).", valueName: "file")) var from: String?
        @Option(help: ArgumentHelp("With --from: the tool the file comes from (default: detected from its header).", valueName: "asreview|rayyan|covidence|sheet"))
        var format: SourceArgument?
        @Flag(help: "With --from: import the good rows even when others have problems (they are still listed).") var partial = false
        @Option(help: ArgumentHelp("With --from: the column holding a stage's verdicts (repeatable).", valueName: "stage=column")) var stageColumn: [String] = []
        @Option(help: ArgumentHelp("With --from: the column of exclusion reasons (criterion ids or texts).", valueName: "column")) var reasonColumn: String?
        @Option(help: ArgumentHelp("With --from: the column naming each row's reviewer.", valueName: "column")) var reviewerColumn: String?
        @Option(help: ArgumentHelp("With --from: the criterion recorded for an exclusion without a reason (ASReview gives none).", valueName: "criterion"))
        var unexplainedExclusion: String?
        @Option(help: ArgumentHelp("With --from: the file's encoding (\(TextEncoding.names.joined(separator: ", "))).", valueName: "encoding")) var encoding: String?
        @Option(help: ArgumentHelp("With --from: how to report the import.", valueName: "text|json")) var report: DataFormat = .text
        @Flag(help: "Write every decision as a spreadsheet that --from reads back.") var export = false
        @OptionGroup var output: OutputFile

        enum SourceArgument: String, ExpressibleByArgument, CaseIterable {
            case asreview, rayyan, covidence, sheet, spreadsheet
            var source: DecisionSource {
                switch self {
                case .asreview: return .asreview
                case .rayyan: return .rayyan
                case .covidence: return .covidence
                case .sheet, .spreadsheet: return .spreadsheet
                }
            }
        }

        func validate() throws {
            let modes = (next ? 1 : 0) + (from != nil ? 1 : 0) + (export ? 1 : 0) + (record != nil ? 1 : 0)
            if modes != 1 { throw ValidationError("give a record to screen, or one of --next, --from FILE, --export") }
            if record != nil && verdict.chosen != 1 { throw ValidationError("give exactly one of --include, --exclude CRITERION, --maybe") }
            if record == nil && verdict.chosen > 0 { throw ValidationError("--include, --exclude and --maybe go with a record") }
            if (record != nil || next) && reviewer == nil { throw ValidationError("Missing expected argument '--reviewer <reviewer>'") }
            if once && !next { throw ValidationError("--once goes with --next") }
            if from == nil && (format != nil || partial || !stageColumn.isEmpty || reasonColumn != nil || reviewerColumn != nil
                               || unexplainedExclusion != nil || encoding != nil) {
                throw ValidationError("--format, --partial, --stage-column, --reason-column, --reviewer-column, --unexplained-exclusion and --encoding go with --from")
            }
            for assignment in stageColumn where !assignment.contains("=") || assignment.hasPrefix("=") || assignment.hasSuffix("=") {
                throw ValidationError("expected --stage-column STAGE=COLUMN, e.g. title-abstract=Decision, found '\(assignment)'")
            }
        }

        func run() throws {
            let study = try studyOptions.load()
            if let from { return try importDecisions(study, from) }
            if export {
                let state = try PaperCommand.load(studyOptions, quiet: true)
                return try output.write(DecisionExporter.csv(state.ledger, records: state.records))
            }
            let criteria = try study.settings.screening ?? ScreeningCriteria(include: [], exclude: [])
            let stage = self.stage ?? criteria.stages[0]
            guard criteria.stages.contains(stage) else { throw StudyError.unknown(kind: "screening stage", name: stage, known: criteria.stages) }
            if next {
                return try ScreeningLoop(study: study, reviewer: reviewer!, stage: stage, seed: seed, once: once).run()
            }
            let (choice, criterion) = verdict.verdict
            let decision = try ReviewRecorder(study: study).screen(
                record: record!, stage: stage, verdict: choice, criterion: criterion, note: verdict.note, reviewer: reviewer!)
            Terminal.line("Recorded: \(decision.record) \(decision.verdict.rawValue)\(decision.criterion.map { " \($0)" } ?? "") at \(decision.stage) (\(decision.reviewer)).")
        }

        private func importDecisions(_ study: Study, _ file: String) throws {
            let url = URL(fileURLWithPath: file, relativeTo: URL(fileURLWithPath: FileManager.default.currentDirectoryPath))
            var columns: DecisionColumns?
            if format != nil || !stageColumn.isEmpty || reasonColumn != nil || reviewerColumn != nil {
                let source = format?.source ?? ReviewRecorder.detectSource((try? TextFile.read(url, displayPath: file, encoding: PaperCommand.encoding(encoding))) ?? "")
                var chosen = DecisionColumns.preset(source)
                for assignment in stageColumn {
                    let equals = assignment.firstIndex(of: "=")!
                    chosen.stages[String(assignment[..<equals])] = String(assignment[assignment.index(after: equals)...])
                }
                if let reasonColumn { chosen.reason = reasonColumn }
                if let reviewerColumn { chosen.reviewer = reviewerColumn }
                columns = chosen
            }
            let outcome: DecisionImportOutcome
            do {
                outcome = try ReviewRecorder(study: study).importDecisions(
                    from: url, displayPath: file, source: format?.source, columns: columns, reviewer: reviewer,
                    unexplainedExclusion: unexplainedExclusion, partial: partial, encoding: try PaperCommand.encoding(encoding))
            } catch let rejected as DecisionImportRejected where report == .json {
                try JSONOutput.print(rejected.outcome)
                throw CommandFailure(message: "\(rejected.outcome.problems.count) problem(s) in \(rejected.outcome.rows) rows, so no decision was imported (import the good rows with --partial)")
            }
            switch report {
            case .json: try JSONOutput.print(outcome)
            case .text:
                for problem in outcome.problems { Terminal.warning(problem) }
                for (name, recorded) in outcome.renamedReviewers.sorted(by: { $0.key < $1.key }) {
                    Terminal.note("Reviewer '\(name)' is recorded as '\(recorded)'.")
                }
                let perReviewer = outcome.reviewers.sorted { $0.key < $1.key }.map { "\($0.key) \($0.value)" }.joined(separator: ", ")
                Terminal.line("Imported \(outcome.recorded) decision\(outcome.recorded == 1 ? "" : "s") from \(outcome.file) (\(outcome.source))"
                    + (perReviewer.isEmpty ? "" : ": \(perReviewer)") + ".")
                Terminal.line("  \(outcome.rows) rows: matched \(outcome.matchedByRecordID) by record id, \(outcome.matchedByDOI) by DOI, \(outcome.matchedByKey) by title and year; "
                    + "\(outcome.undecidedRows) without a verdict; \(outcome.alreadyRecorded) decision\(outcome.alreadyRecorded == 1 ? "" : "s") already recorded"
                    + (outcome.problems.isEmpty ? "." : "; \(outcome.problems.count) problem\(outcome.problems.count == 1 ? "" : "s") left out (listed above)."))
            }
        }
    }

    struct Conflicts: ParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "List records whose reviewers disagree and that no one has resolved.",
            discussion: "Example:\n  triangulate paper conflicts --stage title-abstract")
        @OptionGroup var studyOptions: StudyOptions
        @Option(help: "Only this stage (default: all).") var stage: String?
        @Option(help: "Output format.") var format: DataFormat = .text

        func run() throws {
            let conflicts = try PaperCommand.load(studyOptions, quiet: true).conflicts(at: stage)
            switch format {
            case .json: try JSONOutput.print(conflicts)
            case .text:
                for conflict in conflicts {
                    let decisions = conflict.decisions.sorted { $0.key < $1.key }.map { "\($0.key): \($0.value)" }.joined(separator: "; ")
                    Terminal.line("\(conflict.stage)\t\(conflict.record)\t\(decisions)\t\(conflict.title)")
                }
                Terminal.note("\(conflicts.count) unresolved conflict\(conflicts.count == 1 ? "" : "s").")
            }
        }
    }

    struct Resolve: ParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Record the final decision on a conflict, in corpus/literature/screening/resolutions.csv.",
            discussion: "Example:\n  triangulate paper screen seed-papers.bib#jones2024what --stage full-text --exclude E2 --reviewer ana\n  triangulate paper resolve seed-papers.bib#jones2024what --stage full-text --include --reviewer carla")
        @OptionGroup var studyOptions: StudyOptions
        @Argument(help: ArgumentHelp("The record (FILE#KEY).", valueName: "record")) var record: String
        @Option(help: "The stage (default: the first).") var stage: String?
        @OptionGroup var verdict: Verdict
        @Option(help: "The reviewer who resolves it.") var reviewer: String?
        @Option(name: .customLong("by"), help: .hidden) var by: String?

        func validate() throws {
            if verdict.chosen != 1 { throw ValidationError("give exactly one of --include, --exclude CRITERION, --maybe") }
        }

        /// `--by` is the older spelling of `--reviewer`.
        func resolver() throws -> String {
            guard let name = reviewer ?? by else { throw ValidationError("Missing expected argument '--reviewer <reviewer>'") }
            return name
        }

        func run() throws {
            let study = try studyOptions.load()
            let stage = self.stage ?? study.settings.screening?.stages.first ?? "title-abstract"
            let (choice, criterion) = verdict.verdict
            let resolution = try ReviewRecorder(study: study).resolve(
                record: record, stage: stage, verdict: choice, criterion: criterion, note: verdict.note, resolver: try resolver())
            Terminal.line("Resolved: \(resolution.record) \(resolution.verdict.rawValue)\(resolution.criterion.map { " \($0)" } ?? "") at \(resolution.stage) (\(resolution.resolver)).")
        }
    }

    struct Agreement: ParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Agreement between reviewers per stage: Cohen's kappa for two, Fleiss' kappa for three or more.",
            discussion: """
                Computed over the records two or more reviewers decided, with include, exclude and maybe as the \
                categories (each reviewer's last decision; resolutions do not count).

                Example:
                  triangulate paper agreement --stage title-abstract --format json
                """)
        @OptionGroup var studyOptions: StudyOptions
        @Option(help: "Only this stage (default: all).") var stage: String?
        @Option(help: "Output format.") var format: DataFormat = .text

        func run() throws {
            let results = try PaperCommand.load(studyOptions, quiet: true).agreement(at: stage)
            switch format {
            case .json: try JSONOutput.print(results)
            case .text:
                for result in results {
                    if let kappa = result.kappa, let measure = result.measure {
                        Terminal.line("\(result.stage): \(measure) = \(String(format: "%.3f", kappa)), agreement \(String(format: "%.1f", 100 * (result.percentAgreement ?? 0)))% on \(result.records) records (\(result.reviewers.joined(separator: ", ")))")
                    } else {
                        Terminal.line("\(result.stage): no coefficient: \(result.note ?? "")")
                    }
                }
            }
        }
    }

    // MARK: Snowballing and extraction
}
