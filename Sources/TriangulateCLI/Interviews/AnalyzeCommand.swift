import ArgumentParser
import Foundation
import Reports
import Index
import Project
import Study
import Qualitative

struct AnalyzeCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "analyze",
        abstract: "Tables of the coded interviews (code × participant, co-occurrence, saturation) and of datasets (top-K turnover).",
        discussion: """
            Each analysis prints a table in any format of the matrix (markdown, latex, csv, json, html). Only anchored \
            codings count; a code counts its sub-codes in the code × participant table.

            Examples:
              triangulate analyze matrix --presence
              triangulate analyze cooccurrence --spans --format csv
              triangulate analyze saturation --plot saturation.svg
              triangulate analyze matrix --where "Company type=Startup" --where "DL Expertise=Expert"
              triangulate analyze turnover turnover --k 1000 --order-by rank
            """,
        subcommands: [CodeMatrix.self, Cooccurrence.self, Saturation.self, Turnover.self])

    struct Output: ParsableArguments {
        @Option(help: "Output format.") var format: ReportFormat = .markdown
        @Option(help: ArgumentHelp("Write to this file (atomically) instead of standard output.", valueName: "file")) var output: String?
        @Option(help: "Only this coder's codings (default: all coders).") var coder: String?
        @Option(name: .customLong("where"), help: ArgumentHelp("Only participants whose attributes match, e.g. role=engineer or years_experience>=5 (repeatable).", valueName: "condition"))
        var conditions: [String] = []

        func analysis(_ index: StudyIndex) throws -> CodingAnalysis {
            let filter = try ParticipantFilter(conditions)
            return CodingAnalysis(index: index, participants: filter.isEmpty ? nil : try filter.participants(in: index))
        }

        func print(_ table: ReportTable) throws {
            try Terminal.write(format.renderer.render(table), to: output)
        }
    }

    struct CodeMatrix: ParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "matrix",
            abstract: "Codes by participant: codings per participant, or with --presence whether any.",
            discussion: "Example:\n  triangulate analyze matrix --presence --format csv")
        @OptionGroup var studyOptions: StudyOptions
        @OptionGroup var output: Output
        @Flag(help: "Show 1/0 for whether a participant has the code, instead of counts.") var presence = false

        func run() throws {
            let (_, index) = try studyOptions.open()
            try output.print(try output.analysis(index).codeByParticipant(presence: presence, coder: output.coder))
        }
    }

    struct Cooccurrence: ParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Pairs of codes applied to the same turn (or, with --spans, to overlapping spans).",
            discussion: "Example:\n  triangulate analyze cooccurrence --spans")
        @OptionGroup var studyOptions: StudyOptions
        @OptionGroup var output: Output
        @Flag(help: "Count only overlapping spans (a whole-turn coding overlaps every span of its turn).") var spans = false

        func run() throws {
            let (_, index) = try studyOptions.open()
            try output.print(try output.analysis(index).cooccurrence(spans: spans, coder: output.coder))
        }
    }

    struct Saturation: ParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Cumulative unique codes per interview, new codes per participant, and Guest et al.'s stopping rule.",
            discussion: """
                Participants are taken in the order of participants.csv, by interview date (--order date: the \
                interview_date attribute, or the date in the transcript's file name such as Interview-03-20220710.docx), \
                or in an explicit order (--order P03,P01,P02 naming every participant once). Text and case-level codings \
                count alike. --by label counts codes of the same name in different families as one, as the ICSE 2023 \
                authors did ('license' as a selection criterion and as a model attribute). Beside the curve, Guest, Namey \
                and Chen's (2020) criterion: saturation is reached before the first run of --run interviews after a base of \
                --base that adds at most --threshold of the base's codes.

                Examples:
                  triangulate analyze saturation --by label --order date
                  triangulate analyze saturation --by label --order date --plot saturation.svg
                  triangulate analyze saturation --order P02,P01,P03,P04,P05,P06,P07,P08,P09,P10,P11,P12 --format csv
                  triangulate analyze saturation --by label --base 6 --run 3 --threshold 0
                """)
        @OptionGroup var studyOptions: StudyOptions
        @OptionGroup var output: Output
        @Option(help: ArgumentHelp("Interview order: participants (participants.csv), date, or a comma-separated list of ids.", valueName: "participants|date|ID,ID,…"))
        var order: String = "participants"
        @Option(name: .customLong("by"), help: "Count unique codes by code id or by label (the code's name).")
        var count: SaturationCountOption = .code
        @Option(help: "Stopping rule: interviews in the base.") var base: Int = 4
        @Option(name: .customLong("run"), help: "Stopping rule: interviews in a run.") var runLength: Int = 2
        @Option(help: ArgumentHelp("Stopping rule: most new information a run may add, as a share of the base's codes (0.05 = 5%).", valueName: "share"))
        var threshold: Double = 0.05
        @Option(help: ArgumentHelp("Also write the curve as an SVG chart.", valueName: "file.svg")) var plot: String?

        var parsedOrder: CodingAnalysis.SaturationOrder {
            switch order {
            case "participants": return .participants
            case "date": return .date
            default: return .explicit(order.split(separator: ",").map { $0.trimmingCharacters(in: .whitespaces) })
            }
        }

        func run() throws {
            let rule: GuestStoppingRule
            do { rule = try GuestStoppingRule(base: base, run: runLength, threshold: threshold) } catch {
                throw ValidationError(String(describing: error))
            }
            let (study, index) = try studyOptions.open()
            let analysis = try output.analysis(index)
            try output.print(try analysis.saturationTable(coder: output.coder, order: parsedOrder, count: count.value, rule: rule))
            if let plot {
                let svg = CodingAnalysis.saturationSVG(try analysis.saturation(coder: output.coder, order: parsedOrder, count: count.value),
                                                       title: "Code saturation: \(study.settings.title)")
                try Terminal.write(svg, to: plot)
                Terminal.note("Wrote the saturation plot to \(plot).")
            }
        }
    }

    enum SaturationCountOption: String, ExpressibleByArgument, CaseIterable {
        case code, label
        var value: SaturationCount { self == .code ? .code : .label }
    }

    struct Turnover: ParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Top-K turnover of ranked snapshots: newcomers, returning and remained per registry and snapshot.",
            discussion: """
                As Jones et al. (ESEM 2024) define them: for each snapshot of each registry, the names in the top K for \
                the first time (newcomers), back after leaving (returning) and still there from the previous snapshot \
                (remained), the previous top K's names that left (departed) and the distinct names ever in the top K so \
                far. The dataset's table needs columns registry, snapshot (sorting chronologically as text), name and \
                whatever --order-by ranks by; ties go to the name that sorts first, and a name listed twice in a \
                snapshot counts once. The HTML format adds the stacked bar chart; --plot writes it as SVG.

                Example:
                  triangulate analyze turnover turnover --k 1000 --order-by rank
                """)
        @OptionGroup var studyOptions: StudyOptions
        @Argument(help: "The dataset of snapshots.") var dataset: String
        @Option(help: "How many top names each snapshot keeps.") var k: Int = 1000
        @Option(name: .customLong("order-by"), help: ArgumentHelp("SQL ranking the names of a snapshot, best first (e.g. rank, or downloads DESC NULLS LAST).", valueName: "sql"))
        var orderBy: String = "downloads DESC NULLS LAST"
        @Option(help: "The dataset's table (default: its only table).") var table: String?
        @Option(help: "Output format.") var format: ReportFormat = .markdown
        @Option(help: ArgumentHelp("Write to this file (atomically) instead of standard output.", valueName: "file")) var output: String?
        @Option(help: ArgumentHelp("Also write the chart as an SVG file.", valueName: "file.svg")) var plot: String?

        func validate() throws {
            guard k > 0 else { throw ValidationError("--k must be 1 or more, found \(k)") }
        }

        func run() throws {
            let study = try studyOptions.load()
            let analysis = TurnoverAnalysis(study: study, progress: Terminal.progress)
            let (rows, inputs) = try analysis.rows(dataset: dataset, table: table, k: k, orderBy: orderBy)
            Terminal.endProgress()
            try MatrixCommand.write(TurnoverAnalysis.table(rows, dataset: dataset, k: k, orderBy: orderBy, inputs: inputs), format: format, to: output)
            if let plot {
                try Terminal.write(TurnoverAnalysis.chart(rows, dataset: dataset, k: k).svg(), to: plot)
                Terminal.note("Wrote the turnover chart to \(plot).")
            }
        }
    }
}
