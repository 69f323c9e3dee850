import ArgumentParser
import Foundation
import Study

/// `triangulate report`: the whole study as a static HTML page.
struct ReportCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "report",
        abstract: "Write the study report: one self-contained HTML page with the matrix and every claim's chain of evidence.",
        discussion: """
            The folder gets index.html: an overview, the claim-validation matrix with its forest plot, and for each \
            claim its papers with their quotes, the interview excerpts with participants, codes and memos, each \
            metric's query, result, figure and verdict; then the codebook with definitions and counts, saturation, \
            agreement (with two or more coders), the PRISMA diagram (when the study has a literature review) and \
            provenance. Styles and figures are inline: the page needs no network and no JavaScript, fits a 1280 px \
            window and prints well. The same study gives the same bytes.

            Example:
              triangulate report --output report
            """)

    @OptionGroup var studyOptions: StudyOptions

    @Option(help: ArgumentHelp("The folder to write the report into (created if needed).", valueName: "dir"))
    var output: String = "report"

    func run() throws {
        let (study, index) = try studyOptions.open()
        let matrix = try MatrixBuilder(study: study, index: index, progress: Terminal.progress).build()
        Terminal.endProgress()
        for warning in matrix.warnings { Terminal.warning(warning) }
        let folder = URL(fileURLWithPath: output, relativeTo: URL(fileURLWithPath: FileManager.default.currentDirectoryPath)).standardizedFileURL
        let page = try StudyReport(study: study, index: index, matrix: matrix).write(to: folder)
        Terminal.note("Wrote the study report to \(output)/\(page.lastPathComponent).")
    }
}
