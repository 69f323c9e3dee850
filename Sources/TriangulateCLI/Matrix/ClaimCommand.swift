import ArgumentParser
import Claims
import Core
import Foundation
import Index
import Project
import Study

extension TestKind: ExpressibleByArgument {}
extension Expectation: ExpressibleByArgument {}

struct ClaimCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "claim",
        abstract: "Add, list and show the study's claims.",
        discussion: """
            A claim lives in corpus/claims/<id>.yaml: its statement, the papers that make it (citation keys of \
            corpus/literature), interview codes, and metrics that test it on a dataset.

            Examples:
              triangulate claim add C8 --statement "Larger models are downloaded more." --paper jiang2023empirical
              triangulate claim list
            """,
        subcommands: [Add.self, List.self, Show.self])

    struct Add: ParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Write a new claim file, optionally with one metric.",
            discussion: """
                Writes corpus/claims/ID.yaml. Give --dataset, --query, --test and --expect to add a metric with the \
                id IDa; more metrics can be added by editing the file. The query's columns must fit the test: \
                spearman x, y; mann-whitney and welch-t grp, value (with --groups); binomial successes, trials or \
                value (0/1 per case, with --p0).

                Example:
                  triangulate claim add C9 --statement "Models with a model card are downloaded more." \\
                    --paper liang2024whats --code attribute/documentation \\
                    --dataset hf-2022 --test mann-whitney --expect greater --groups 1 --groups 0 \\
                    --query "SELECT has_card AS grp, downloads AS value FROM models" --min-effect 0.1
                """)

        @OptionGroup var studyOptions: StudyOptions
        @Argument(help: "The claim's id, e.g. C8.") var id: String
        @Option(help: "What the claim says.") var statement: String
        @Option(help: "Citation key of a paper that makes the claim (repeatable).") var paper: [String] = []
        @Option(help: "Interview code that bears on the claim (repeatable).") var code: [String] = []
        @Option(help: "Dataset the metric queries.") var dataset: String?
        @Option(help: "SQL query of the metric.") var query: String?
        @Option(help: "Statistical test of the metric.") var test: TestKind?
        @Option(help: "Direction the claim predicts.") var expect: Expectation?
        @Option(help: "The two grp values for two-group tests, predicted-greater first (give twice).") var groups: [String] = []
        @Option(name: .customLong("min-effect"), help: "Smallest absolute effect size that counts as support.") var minEffect: Double?
        @Option(help: "Null proportion of a binomial test.") var p0: Double?

        func validate() throws {
            guard Claim.isValidId(id) else { throw ValidationError("expected a claim id of letters, digits, '-', '_' and '.', found '\(id)'") }
            let metricParts = [query != nil, test != nil, expect != nil]
            if metricParts.contains(true) && metricParts.contains(false) {
                throw ValidationError("a metric needs --query, --test and --expect together")
            }
        }

        func run() throws {
            let study = try studyOptions.load()
            var claim = Claim(id: id, statement: statement,
                              sources: paper.map { PaperSource(paper: $0, location: SourceLocation(file: "")) },
                              codes: code, location: SourceLocation(file: ""))
            if let query, let test, let expect {
                // The recorder reads the claim back through the claim-file parser before writing,
                // so a metric given here is checked exactly like a hand-written one.
                claim.metrics = [MetricSpec(id: "\(id)a", dataset: dataset, query: query, test: test, expect: expect,
                                            groups: groups.isEmpty ? nil : groups, minEffect: minEffect, p0: p0,
                                            location: SourceLocation(file: ""))]
            }
            let url = try Recorder(study: study).addClaim(claim)
            Terminal.line("Wrote \(study.relativePath(url)).")
        }
    }

    struct List: ParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "List the claims.",
            discussion: "Example:\n  triangulate claim list --format json")

        @OptionGroup var studyOptions: StudyOptions
        @Option(help: "Output format.") var format: DataFormat = .text

        struct Entry: Encodable {
            var id: String
            var statement: String
            var papers: [String]
            var codes: [String]
            var metrics: [String]
            var file: String
        }

        func run() throws {
            let (_, index) = try studyOptions.open()
            try index.requireNoErrors()
            let entries = try index.claims().map {
                Entry(id: $0.id, statement: $0.statement, papers: $0.sources.map(\.paper), codes: $0.codes,
                      metrics: $0.metrics.map(\.id), file: $0.location.file)
            }
            switch format {
            case .json: try JSONOutput.print(entries)
            case .text:
                if entries.isEmpty { Terminal.note("No claims yet: add one with 'triangulate claim add'.") }
                for entry in entries {
                    Terminal.line("\(entry.id)\t\(entry.metrics.count) metric\(entry.metrics.count == 1 ? "" : "s")\t\(entry.statement)")
                }
            }
        }
    }

    struct Show: ParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Show one claim's file.",
            discussion: "Example:\n  triangulate claim show C1")

        @OptionGroup var studyOptions: StudyOptions
        @Argument(help: "The claim's id.") var id: String

        func run() throws {
            let (study, index) = try studyOptions.open()
            try index.requireNoErrors()
            let claims = try index.claims()
            guard let claim = claims.first(where: { $0.id == id }) else {
                throw StudyError.unknown(kind: "claim", name: id, known: claims.map(\.id))
            }
            Terminal.output(try TextFile.read(study.resolve(claim.location.file), displayPath: claim.location.file))
        }
    }
}
