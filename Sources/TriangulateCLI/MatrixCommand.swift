import ArgumentParser
import Foundation
import Reports
import Index
import Project
import Study

extension ReportFormat: ExpressibleByArgument {}

struct MatrixCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "matrix",
        abstract: "Print the claim-validation matrix.",
        discussion: """
            One row per claim and metric: the claim, its papers, interview support (participants whose excerpts carry \
            the claim's codes / all participants), the metric, n, the test statistic, the effect size with its 95% \
            interval, the p-value adjusted across all tests of the matrix, and the verdict (supported, contradicted, \
            inconclusive, not tested, error). Datasets are imported first when their files changed. The output ends \
            with provenance (tool version, correction, dataset hashes); the same study always gives the same bytes.

            Examples:
              triangulate matrix
              triangulate matrix --format latex --output paper/matrix.tex
              triangulate matrix --format json | jq '.rows[] | select(.verdict == "supported")'
            """)

    @OptionGroup var studyOptions: StudyOptions

    @Option(help: "Output format.")
    var format: ReportFormat = .markdown

    @Option(help: ArgumentHelp("Write to this file (atomically) instead of standard output.", valueName: "file"))
    var output: String?

    @Flag(help: "Add today's date to the provenance (the output then changes from day to day).")
    var date = false

    func run() throws {
        let (study, index) = try studyOptions.open()
        for problem in try index.problems() where problem.severity == .warning {
            Terminal.warning("\(problem.location): \(problem.message)")
        }
        let matrix = try MatrixBuilder(study: study, index: index, progress: Terminal.progress).build()
        Terminal.endProgress()
        for warning in matrix.warnings { Terminal.warning(warning) }
        if matrix.rows.isEmpty {
            Terminal.note("The study has no claims yet: add one with 'triangulate claim add' (see 'triangulate claim add --help').")
        }
        let today = date ? ISO8601DateFormatter.string(from: Date(), timeZone: TimeZone(identifier: "UTC")!, formatOptions: [.withFullDate]) : nil
        let text = format.renderer.render(matrix.table(generatedOn: today))
        try Terminal.write(text, to: output)
        if let output { Terminal.note("Wrote the matrix (\(matrix.rows.count) rows) to \(output).") }
    }
}
