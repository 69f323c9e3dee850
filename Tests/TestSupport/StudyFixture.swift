import Foundation
import Project
import XCTest

/// A small study written into a temporary folder, and a way to run the built `triangulate` on it.
public struct StudyFixture {
    public let root: URL

    public init(_ testCase: XCTestCase) throws {
        root = try TestPaths.temporaryDirectory(for: testCase).appendingPathComponent("study")
        try Study.initialize(at: root, title: "Fixture study")
        try write("triangulate.yaml", """
            title: Fixture study
            alpha: 0.05
            correction: holm
            coders: [ana, ben]
            interviewer: [Interviewer]
            """)
        try write("codebooks/reuse.yaml", """
            name: Reuse
            codes:
              - id: selection
                name: Selection
                codes:
                  - id: popularity
                    name: Popularity
              - id: trust
                name: Trust
            """)
        try write("corpus/participants.csv", "id,pseudonym,role\nP01,Robin,engineer\nP02,Sam,researcher\nP03,Kim,engineer\n")
        try write("corpus/transcripts/P01.txt", """
            Illustrative.

            Interviewer: How do you choose?
            Robin: We look at downloads first. Then the card.
            Interviewer: Anything else?
            Robin: Trust matters: we check who published it.
            """)
        try write("corpus/transcripts/P02.txt", """
            Interviewer: How do you choose?
            Sam: Mostly by downloads, honestly.
            """)
        try write("corpus/transcripts/P03.txt", """
            Interviewer: How do you choose?
            Kim: I ask colleagues.
            """)
        try write("corpus/codings/ana.jsonl", """
            {"transcript":"P01","turn":2,"start":11,"end":26,"quote":"downloads first","code":"selection/popularity","coder":"ana"}
            {"transcript":"P02","turn":2,"code":"selection/popularity","coder":"ana"}
            {"transcript":"P01","turn":4,"code":"trust","coder":"ana"}

            """)
        try write("corpus/literature/papers.bib", """
            @string{icse = {International Conference on Software Engineering}}
            @inproceedings{jiang2023empirical,
              author = {Jiang, Wenxin and Synovic, Nicholas and Hyatt, Matt},
              title = {An Empirical Study of Pre-Trained Model Reuse},
              booktitle = icse,
              year = 2023
            }
            """)
        var rows = "x,y,flag\n"
        for i in 0..<40 { rows += "\(i),\(i * 2 + (i % 3)),\(i % 4 == 0 ? 0 : 1)\n" }
        try write("corpus/datasets/toy/toy.csv", rows)
        try write("corpus/datasets/toy.yaml", """
            name: toy
            files:
              - path: corpus/datasets/toy/toy.csv
                table: toy
            """)
        try write("corpus/claims/C1.yaml", """
            id: C1
            statement: Popular models are chosen more.
            sources:
              - paper: jiang2023empirical
            codes: [selection]
            metrics:
              - id: C1a
                dataset: toy
                query: SELECT x, y FROM toy
                test: spearman
                expect: positive
                min_effect: 0.1
            """)
        try write("corpus/claims/C2.yaml", """
            id: C2
            statement: Most rows are flagged.
            sources:
              - paper: missing2020
            metrics:
              - id: C2a
                dataset: toy
                query: SELECT flag AS value FROM toy
                test: binomial
                p0: 0.5
                expect: greater
              - id: C2b
                dataset: toy
                query: SELECT x AS wrong FROM toy
                test: binomial
                expect: greater
            """)
        try write("corpus/claims/C10.yaml", """
            id: C10
            statement: Trust is built through provenance.
            codes: [trust]
            """)
    }

    public func write(_ path: String, _ text: String) throws {
        let url = root.appendingPathComponent(path)
        try FileManager.default.createDirectory(at: url.deletingLastPathComponent(), withIntermediateDirectories: true)
        try (text.hasSuffix("\n") ? text : text + "\n").write(to: url, atomically: true, encoding: .utf8)
    }

    public func read(_ path: String) throws -> String {
        try String(contentsOf: root.appendingPathComponent(path), encoding: .utf8)
    }

    public var study: Study { get throws { try Study(root: root) } }
}

/// Runs the built `triangulate` executable.
public enum CLI {
    public struct Output {
        public var status: Int32
        public var stdout: String
        public var stderr: String

        public init(status: Int32, stdout: String, stderr: String) {
            self.status = status
            self.stdout = stdout
            self.stderr = stderr
        }
    }

    public static var executable: URL? {
        let products = Bundle.allBundles.first { $0.bundlePath.hasSuffix(".xctest") }
            .map { URL(fileURLWithPath: $0.bundlePath).deletingLastPathComponent() }
            ?? URL(fileURLWithPath: CommandLine.arguments[0]).deletingLastPathComponent()
        let url = products.appendingPathComponent("triangulate")
        return FileManager.default.isExecutableFile(atPath: url.path) ? url : nil
    }

    public static func run(_ arguments: [String], in directory: URL, environment: [String: String] = [:]) throws -> Output {
        guard let executable else { throw XCTSkip("the triangulate executable is not built next to the tests; run 'swift build' first") }
        let process = Process()
        process.executableURL = executable
        process.arguments = arguments
        process.currentDirectoryURL = directory
        if !environment.isEmpty {
            process.environment = ProcessInfo.processInfo.environment.merging(environment) { $1 }
        }
        let out = Pipe(), err = Pipe()
        process.standardOutput = out
        process.standardError = err
        try process.run()
        let stdout = out.fileHandleForReading.readDataToEndOfFile()
        let stderr = err.fileHandleForReading.readDataToEndOfFile()
        process.waitUntilExit()
        return Output(status: process.terminationStatus, stdout: String(decoding: stdout, as: UTF8.self),
                      stderr: String(decoding: stderr, as: UTF8.self))
    }
}

/// A screening setup and a small BibTeX export (one malformed entry) shared by the review tests.
public enum ReviewFixture {
    public static let settings = """
        title: Fixture study
        coders: [ana, ben]
        screening:
          stages: [title-abstract, full-text]
          reviewers: [ana, ben]
          include:
            - id: I1
              text: Studies model reuse
          exclude:
            - id: E1
              text: Not software engineering
            - id: E2
              text: Not peer reviewed
        """

    public static let export = """
        @article{smith2020reuse,
          author = {Smith, Jane and Doe, John},
          title = {Reuse of Pre-Trained Models in Practice},
          journal = {EMSE},
          year = {2020},
          doi = {10.1000/reuse},
          abstract = {We study how engineers reuse pre-trained models from hubs.}
        }
        @article{broken,
          title = {Unbalanced {braces,
          year = 2021
        @article{lee2021cards,
          author = {Lee, Kim},
          title = {Model Cards and Documentation Quality},
          journal = {TSE},
          year = {2021},
          abstract = {Model cards document pre-trained models on Hugging Face.}
        }
        @article{ortiz2019farms,
          author = {Ortiz, Ana},
          title = {Crop Yields in Dry Farming},
          journal = {Agronomy},
          year = {2019},
          abstract = {Wheat and barley yields under drought.}
        }
        """
}
