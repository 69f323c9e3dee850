import ArgumentParser
import Foundation
import Reports
import Index
import Project
import Study

extension ReportFormat: ExpressibleByArgument {}
extension LaTeXRenderer.Layout: ExpressibleByArgument {}

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

            Metrics run in parallel (--jobs, default the number of cores), each on its own read-only connection; the \
            output is the same for any --jobs. Each result is stored in .triangulate/results under the SHA-256 of the \
            dataset's content, the query, the test's options, the evaluation settings and the tool, and a metric whose \
            inputs are all unchanged is not computed again: a second run on an unchanged study reads no data (a \
            dataset's files are recognised by their size, times and inode, and hashed again only when these change). \
            The folder is derived; delete it and nothing is lost. --no-cache computes everything again (and stores \
            it); --format html always does, since its figures draw the data.

            JSON and CSV also carry, as numbers, the raw p-value with its log10 (computed in log space when p \
            underflows), alpha, sides, min_effect, n per group, group descriptives, the query, the claim's verdict \
            and rule, and the error of error rows; --columns chooses and orders columns in any format (data-only \
            columns included). CSV holds the records only: --provenance appends title, notes and provenance as \
            '#' comment lines; otherwise, with --output, they go to a sidecar FILE.provenance.json next to it, \
            and on standard output they are left out (a note on stderr says so). HTML adds a figure of each \
            metric's data.

            Every test, effect size, interval method and verdict rule, with the reference it is checked against, \
            is documented in docs/statistics.md; triangulate.yaml sets confidence:, interval:, bootstrap: and \
            significance: for all metrics, and a metric may set its own.

            Examples:
              triangulate matrix
              triangulate matrix --format latex --layout table --caption "Claims and their evidence" --label tab:matrix
              triangulate matrix --format csv --columns id,verdict,p_raw,p_adjusted
              triangulate matrix --format json | jq '.rows[] | select(.verdict == "supported")'
              triangulate matrix --jobs 1 --no-cache
            """)

    @OptionGroup var studyOptions: StudyOptions

    @Option(help: "Output format.")
    var format: ReportFormat = .markdown

    @Option(help: ArgumentHelp("Write to this file (atomically) instead of standard output.", valueName: "file"))
    var output: String?

    @Flag(help: "Refuse any dataset input whose content differs from the SHA-256 its manifest records (for replication).")
    var frozen = false
    @Option(help: ArgumentHelp("How many metrics run at once, each on its own read-only connection (default: the number of cores).", valueName: "n"))
    var jobs: Int?

    @Flag(help: "Compute every metric again instead of reusing the results stored in .triangulate/results (they are still stored).")
    var noCache = false

    @Flag(help: "Add today's date to the provenance (the output then changes from day to day).")
    var date = false

    @Option(help: ArgumentHelp("The columns to show, in order, comma-separated (e.g. id,claim,verdict,p_raw).", valueName: "keys"))
    var columns: String?

    @Option(help: ArgumentHelp("LaTeX only: fragment (to \\input in your float), table, table* or long (breaks across pages).", valueName: "layout"))
    var layout: LaTeXRenderer.Layout?

    @Option(help: "LaTeX only: the caption of a table, table* or long layout (default: the matrix's title).")
    var caption: String?

    @Option(help: "LaTeX only: the \\label of a table, table* or long layout.")
    var label: String?

    @Flag(help: "CSV only: append title, notes and provenance as '#' comment lines instead of a sidecar file.")
    var provenance = false

    func validate() throws {
        if let jobs, jobs < 1 { throw ValidationError("--jobs must be at least 1, found \(jobs)") }
        if format != .latex && (layout != nil || caption != nil || label != nil) {
            throw ValidationError("--layout, --caption and --label belong to --format latex")
        }
        if format != .csv && provenance {
            throw ValidationError("--provenance belongs to --format csv (the other formats always end with their provenance)")
        }
    }

    func run() throws {
        let (study, index) = try studyOptions.open()
        for problem in try index.problems() where problem.severity == .warning {
            Terminal.warning("\(problem.location): \(problem.message)")
        }
        // HTML draws each metric's data, which a stored result does not keep.
        let matrix = try MatrixBuilder(study: study, index: index, frozen: frozen, jobs: jobs,
                                       cache: ResultCache(study: study), readsCache: !noCache, keepsObservations: format == .html,
                                       progress: Terminal.progress).build()
        Terminal.endProgress()
        for warning in matrix.warnings { Terminal.warning(warning) }
        if matrix.rows.isEmpty {
            Terminal.note("The study has no claims yet: add one with 'triangulate claim add' (see 'triangulate claim add --help').")
        }
        let today = date ? ISO8601DateFormatter.string(from: Date(), timeZone: TimeZone(identifier: "UTC")!, formatOptions: [.withFullDate]) : nil
        var table = matrix.table(generatedOn: today, figures: format == .html)
        if let columns {
            let keys = columns.split(separator: ",").map { $0.trimmingCharacters(in: .whitespaces) }.filter { !$0.isEmpty }
            do {
                table = try table.selectingColumns(keys)
            } catch {
                throw CommandFailure(message: "--columns: \(error)")
            }
        }
        try Self.write(table, format: format, latex: LaTeXRenderer(layout: layout ?? .fragment, caption: caption, label: label),
                       csvTrailer: provenance, to: output)
        if let output { Terminal.note("Wrote the matrix (\(matrix.rows.count) rows) to \(output).") }
    }
}

extension MatrixCommand {
    /// Renders `table` as `format` and writes it: LaTeX warnings go to stderr; a CSV's title, notes
    /// and provenance go to a `#` trailer (`csvTrailer`), a sidecar `<output>.provenance.json`, or,
    /// on standard output without a trailer, nowhere (a note says so).
    static func write(_ table: ReportTable, format: ReportFormat, latex: LaTeXRenderer = LaTeXRenderer(), csvTrailer: Bool = false,
                      to output: String?) throws {
        switch format {
        case .latex:
            let rendering = latex.renderReportingWarnings(table)
            for warning in rendering.warnings { Terminal.warning("LaTeX: \(warning)") }
            try Terminal.write(rendering.text, to: output)
        case .csv:
            let renderer = CSVRenderer(trailer: csvTrailer)
            try Terminal.write(renderer.render(table), to: output)
            guard !csvTrailer else { return }
            if let output {
                let sidecar = sidecarPath(for: output)
                try Terminal.write(renderer.sidecar(for: table), to: sidecar)
                Terminal.note("Wrote title, notes and provenance to \(sidecar).")
            } else {
                Terminal.note("The CSV holds the records only; add --provenance for its provenance as '#' lines, or --output for a sidecar file.")
            }
        default:
            try Terminal.write(format.renderer.render(table), to: output)
        }
    }

    /// `matrix.csv` → `matrix.provenance.json`, beside it.
    static func sidecarPath(for output: String) -> String {
        (output as NSString).deletingPathExtension + ".provenance.json"
    }
}
