import ArgumentParser
import Coding
import Foundation
import Reports
import Index
import Project
import Study

extension AgreementUnit: ExpressibleByArgument {}

struct AgreementCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "agreement",
        abstract: "Inter-coder agreement per code and overall, with the disagreements to discuss.",
        discussion: """
            Percent agreement, Cohen's kappa (two coders) or Fleiss' kappa (three or more) and Krippendorff's alpha \\
            (nominal, missing ratings allowed). The unit is declared: each participant turn (--unit turn, the default) \\
            or each character of a participant turn (--unit character), rated present or absent for each code by each \\
            coder.

            Examples:
              triangulate agreement
              triangulate agreement --coders ana,ben --unit character --code selection
              triangulate agreement --disagreements --format csv
            """)

    @OptionGroup var studyOptions: StudyOptions
    @Option(help: "Comma-separated coders to compare (default: every coder with codings).") var coders: String?
    @Option(help: "The unit of analysis.") var unit: AgreementUnit = .turn
    @Option(help: "Only this code and its sub-codes.") var code: String?
    @Flag(help: "List the units on which the coders differ instead of the measures.") var disagreements = false
    @Option(name: .customLong("where"), help: ArgumentHelp("Only participants whose attributes match, e.g. role=engineer (repeatable).", valueName: "condition"))
    var conditions: [String] = []
    @Option(help: "Output format.") var format: ReportFormat = .markdown
    @Option(help: ArgumentHelp("Write to this file (atomically) instead of standard output.", valueName: "file")) var output: String?

    func run() throws {
        let (_, index) = try studyOptions.open()
        let names = coders.map { $0.split(separator: ",").map { $0.trimmingCharacters(in: .whitespaces) } }
        let filter = try ParticipantFilter(conditions)
        let report = try AgreementReport.compute(index: index, coders: names, unit: unit, code: code,
                                                 participants: filter.isEmpty ? nil : try filter.participants(in: index))
        try Terminal.write(format.renderer.render(disagreements ? report.disagreementTable : report.table), to: output)
    }
}
