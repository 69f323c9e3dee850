import ArgumentParser
import Claims
import Foundation
import Reports
import Study

/// `triangulate test`: one metric without a claim, for exploration.
struct TestCommand: ParsableCommand {
    enum Sides: String, ExpressibleByArgument, CaseIterable { case one, two }
    enum OutputFormat: String, ExpressibleByArgument, CaseIterable { case text, json, csv, markdown }

    static let configuration = CommandConfiguration(
        commandName: "test",
        abstract: "Run one statistical test on a dataset query, as a metric in the matrix would, without writing a claim.",
        discussion: """
            The query must return the columns the test reads (x, y for correlations and paired tests; grp, value \
            for group tests; a, b or a, b, count for chi-square and fisher; successes, trials or value for binomial; \
            value for a threshold). The options are a metric's (see 'triangulate claim add --help') and are checked \
            by the same rules; the verdict is decided as in the matrix, with no correction (one test). JSON has the \
            matrix's keys.

            Examples:
              triangulate test hf-descendants --test spearman \\
                "SELECT downloads AS x, descendants AS y FROM base_models"
              triangulate test hf-2022 --test mann-whitney --groups 1 --groups 0 \\
                --format json "SELECT has_card AS grp, downloads AS value FROM models"
            """)

    @OptionGroup var studyOptions: StudyOptions
    @Argument(help: "The dataset to query.") var dataset: String
    @Argument(help: "The SQL query.") var query: String
    @Option(help: "Statistical test.") var test: TestKind
    @Option(help: "Direction the claim would predict (default: positive for correlations, greater for other directional tests, different otherwise).")
    var expect: Expectation?
    @Option(help: "The grp values (two-group tests: predicted-greater first; k-group tests: two or more) or, for fisher, the a values (repeat).")
    var groups: [String] = []
    @Option(help: "For fisher: the two values of column b, in table order (repeat).") var levels: [String] = []
    @Option(help: "Significance level (default: the study's).") var alpha: Double?
    @Option(name: .customLong("min-effect"), help: "Smallest absolute effect size that counts as support.") var minEffect: Double?
    @Option(help: "Null proportion of a binomial test.") var p0: Double?
    @Option(help: "The value a threshold is compared with.") var threshold: Double?
    @Option(help: "one: test only in the predicted direction; two (default): either.") var sided: Sides = .two
    @Option(help: "Output format.") var format: OutputFormat = .text

    func run() throws {
        let study = try studyOptions.load()
        let expectation = expect ?? Self.defaultExpectation(for: test)
        let metric = try QuickTest.metric(dataset: dataset, query: query, test: test, expect: expectation, groups: groups.isEmpty ? nil : groups,
                                          levels: levels.isEmpty ? nil : levels, alpha: alpha, minEffect: minEffect, p0: p0,
                                          threshold: threshold, oneSided: sided == .one)
        let matrix = try QuickTest(study: study, progress: Terminal.progress).run(metric)
        Terminal.endProgress()
        for warning in matrix.warnings { Terminal.warning(warning) }
        switch format {
        case .text: Terminal.output(matrix.quickTestText())
        case .json: try MatrixCommand.write(matrix.table(), format: .json, to: nil)
        case .csv: try MatrixCommand.write(matrix.table(), format: .csv, csvTrailer: true, to: nil)
        case .markdown: try MatrixCommand.write(matrix.table(), format: .markdown, to: nil)
        }
        if matrix.rows.first?.verdict == .error {
            throw CommandFailure(message: matrix.rows.first?.reason ?? "the test could not be run")
        }
    }

    static func defaultExpectation(for test: TestKind) -> Expectation {
        switch test {
        case .spearman, .pearson, .kendall: return .positive
        case .kruskalWallis, .anova, .chiSquare: return .different
        case .threshold: return .atLeast
        default: return .greater
        }
    }
}
