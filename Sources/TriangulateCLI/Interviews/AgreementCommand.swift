import ArgumentParser
import Foundation
import Index
import Project
import Qualitative
import Reports
import Study

extension AgreementUnit: ExpressibleByArgument {}

struct AgreementCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "agreement",
        abstract: "Inter-coder agreement per code and overall, with the disagreements to discuss.",
        discussion: """
            Percent agreement, Cohen's kappa (two coders) or Fleiss' kappa (three or more) and Krippendorff's alpha \
            (nominal, missing ratings allowed). The unit is declared: each participant turn (--unit turn, the default) \
            or each character of a participant turn (--unit character), rated present or absent for each code by each \
            coder; or each participant as a whole (--unit participant, for case-level codes: did the coder give this \
            participant this code, as a case or on a turn of their transcript; a coder who gave them no code is missing). Kappa and alpha come with standard errors and 95% intervals; Gwet's AC1 (and PABAK for two coders) \
            stays meaningful for rare codes; with three or more coders the notes give Cohen's kappa for every pair. \
            'overall' pools the leaf codes. Every method and its reference: docs/statistics.md.

            Examples:
              triangulate agreement --study examples/tutorial
              triangulate agreement --coder ana --coder ben --unit character --code selection --study examples/tutorial
              triangulate agreement --disagreements --format csv --study examples/tutorial
              triangulate agreement --unit participant --study examples/tutorial
            """)

    @OptionGroup var studyOptions: StudyOptions
    @Option(name: .customLong("coder"), help: ArgumentHelp("A coder to compare (repeatable; default: every coder with codings).", valueName: "coder"))
    var coders: [String] = []
    @Option(name: .customLong("coders"), help: .hidden) var commaSeparatedCoders: String?
    @Option(help: "The unit of analysis.") var unit: AgreementUnit = .turn
    @Option(help: "Only this code and its sub-codes.") var code: String?
    @Flag(help: "List the units on which the coders differ instead of the measures.") var disagreements = false
    @OptionGroup var selection: ParticipantSelection
    @Option(help: "Output format.") var format: ReportFormat = .markdown
    @OptionGroup var output: OutputFile

    func run() throws {
        let (_, index) = try studyOptions.open()
        // `--coders a,b` is the older spelling of `--coder a --coder b`.
        let names = coders + (commaSeparatedCoders ?? "").split(separator: ",").map { $0.trimmingCharacters(in: .whitespaces) }
        let report = try AgreementReport.compute(index: index, coders: names.isEmpty ? nil : names, unit: unit, code: code,
                                                 participants: try selection.participants(in: index))
        try output.write(format.renderer.render(disagreements ? report.disagreementTable : report.table))
    }
}
