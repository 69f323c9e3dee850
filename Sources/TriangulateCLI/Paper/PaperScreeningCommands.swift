import ArgumentParser
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
            abstract: "Record a screening decision, or show a reviewer's next record.",
            discussion: """
                Decisions are appended to corpus/literature/screening/<reviewer>.csv; the last one for a record and stage \
                counts. Stages and criterion ids come from 'screening:' in triangulate.yaml. A record reaches a later \
                stage when it is included at the one before. --next is blind: it uses only the reviewer's own decisions, \
                and at the first stage orders records as 'paper next' does.

                Example:
                  triangulate paper screen --next --reviewer ana
                  triangulate paper screen scopus.bib#smith2020 --stage title-abstract --exclude E2 --reviewer ana
                """)
        @OptionGroup var studyOptions: StudyOptions
        @Argument(help: ArgumentHelp("The record (FILE#KEY).", valueName: "record")) var record: String?
        @Option(help: "The stage (default: the first).") var stage: String?
        @OptionGroup var verdict: Verdict
        @Option(help: "The reviewer.") var reviewer: String
        @Flag(help: "Show the reviewer's next record to screen instead.") var next = false
        @Option(help: "Seed of the order before the model can learn.") var seed: UInt64 = 0

        func validate() throws {
            if next {
                if record != nil || verdict.chosen > 0 { throw ValidationError("--next shows a record; give no record or decision with it") }
            } else {
                if record == nil { throw ValidationError("give a record to screen, or --next") }
                if verdict.chosen != 1 { throw ValidationError("give exactly one of --include, --exclude CRITERION, --maybe") }
            }
        }

        func run() throws {
            let study = try studyOptions.load()
            let criteria = try study.settings.screening ?? ScreeningCriteria(include: [], exclude: [])
            let stage = self.stage ?? criteria.stages[0]
            if next {
                let state = try PaperCommand.load(studyOptions)
                guard criteria.stages.contains(stage) else { throw StudyError.unknown(kind: "screening stage", name: stage, known: criteria.stages) }
                guard let id = state.nextRecord(for: reviewer, stage: stage, seed: seed), let record = state.byID[id] else {
                    Terminal.line("Nothing left for \(reviewer) to screen at \(stage).")
                    return
                }
                Terminal.line(id)
                Terminal.line("  \(Dedupe.describe(record))")
                if let abstract = record.fields["abstract"] { Terminal.line("\n\(abstract)") }
                return
            }
            let (choice, criterion) = verdict.verdict
            let decision = try ReviewRecorder(study: study).screen(
                record: record!, stage: stage, verdict: choice, criterion: criterion, note: verdict.note, reviewer: reviewer)
            Terminal.line("Recorded: \(decision.record) \(decision.verdict.rawValue)\(decision.criterion.map { " \($0)" } ?? "") at \(decision.stage) (\(decision.reviewer)).")
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
            discussion: "Example:\n  triangulate paper resolve scopus.bib#smith2020 --stage title-abstract --exclude E1 --reviewer carla")
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
