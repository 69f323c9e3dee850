import ArgumentParser
import Foundation
import Reports
import Index
import Project
import Study

struct AnalyzeCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "analyze",
        abstract: "Tables of the coded interviews: code × participant, co-occurrence, saturation.",
        discussion: """
            Each analysis prints a table in any format of the matrix (markdown, latex, csv, json, html). Only anchored \\
            codings count; a code counts its sub-codes in the code × participant table.

            Examples:
              triangulate analyze matrix --presence
              triangulate analyze cooccurrence --spans --format csv
              triangulate analyze saturation --plot saturation.svg
              triangulate analyze matrix --where role=engineer --where years_experience>=5
            """,
        subcommands: [CodeMatrix.self, Cooccurrence.self, Saturation.self])

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
            abstract: "Cumulative unique codes per interview, in interview order (the order of participants.csv).",
            discussion: "Example:\n  triangulate analyze saturation --plot saturation.svg")
        @OptionGroup var studyOptions: StudyOptions
        @OptionGroup var output: Output
        @Option(help: ArgumentHelp("Also write the curve as an SVG chart.", valueName: "file.svg")) var plot: String?

        func run() throws {
            let (study, index) = try studyOptions.open()
            let analysis = try output.analysis(index)
            try output.print(try analysis.saturationTable(coder: output.coder))
            if let plot {
                let svg = CodingAnalysis.saturationSVG(try analysis.saturation(coder: output.coder), title: "Code saturation: \(study.settings.title)")
                try Terminal.write(svg, to: plot)
                Terminal.note("Wrote the saturation plot to \(plot).")
            }
        }
    }
}
