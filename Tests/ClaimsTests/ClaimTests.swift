import Claims
import Statistics
import XCTest

final class ClaimTests: XCTestCase {
    let text = """
        id: C3
        statement: Documentation quality is associated with model popularity.
        sources:
          - paper: jiang2023empirical
            quote: "we look at the model card"
            page: 7
        codes: [documentation/model-cards]
        metrics:
          - id: C3a
            dataset: hf-2022
            query: |
              SELECT has_card AS grp, downloads AS value FROM models
            test: mann-whitney
            expect: greater
            groups: [1, 0]
            alpha: 0.01
            min_effect: 0.1
        """

    func testParsesTheDesignExample() throws {
        let claim = try Claim.parse(text, file: "corpus/claims/C3.yaml")
        XCTAssertEqual(claim.id, "C3")
        XCTAssertEqual(claim.sources.map(\.paper), ["jiang2023empirical"])
        XCTAssertEqual(claim.sources[0].page, "7")
        XCTAssertEqual(claim.codes, ["documentation/model-cards"])
        let metric = try XCTUnwrap(claim.metrics.first)
        XCTAssertEqual(metric.test, .mannWhitney)
        XCTAssertEqual(metric.expect, .greater)
        XCTAssertEqual(metric.groups, ["1", "0"])
        XCTAssertEqual(metric.alpha, 0.01)
        XCTAssertEqual(metric.minEffect, 0.1)
        XCTAssertEqual(metric.alternative, .twoSided)
        XCTAssertEqual(metric.query, "SELECT has_card AS grp, downloads AS value FROM models")
        XCTAssertEqual(metric.location.line, 9)
    }

    func testYAMLTextReadsBackAsTheSameClaim() throws {
        let claim = try Claim.parse(text, file: "c.yaml")
        var reread = try Claim.parse(claim.yamlText, file: "c.yaml")
        reread.location = claim.location
        for index in reread.sources.indices { reread.sources[index].location = claim.sources[index].location }
        for index in reread.metrics.indices { reread.metrics[index].location = claim.metrics[index].location }
        XCTAssertEqual(reread, claim)
    }

    func testBadMetricsAreLocatedErrors() {
        let cases: [(String, String)] = [
            ("id: C1\nstatement: s\nmetrics:\n  - id: m\n    query: q\n    test: t-test\n    expect: greater\n",
             "c.yaml:6:11: expected test to be one of spearman, pearson, kendall, mann-whitney, welch-t, student-t, wilcoxon, paired-t, kruskal-wallis, anova, chi-square, fisher, binomial, threshold, found 't-test'"),
            ("id: C1\nstatement: s\nmetrics:\n  - id: m\n    query: q\n    test: spearman\n    expect: greater\n",
             "c.yaml:7:13: expected 'expect' for a spearman test to be one of positive, negative, different, found 'greater'"),
            ("id: C1\nstatement: s\nmetrics:\n  - id: m\n    query: q\n    test: welch-t\n    expect: less\n",
             "c.yaml:4:5: a welch-t metric needs 'groups: [first, second]' naming the two values of its grp column"),
            ("id: C1\nstatement: s\nmetrics:\n  - id: m\n    query: q\n    test: binomial\n    expect: greater\n    p0: 1.5\n",
             "c.yaml:8:9: expected p0 strictly between 0 and 1"),
            ("id: C1\n", "c.yaml:1:1: a claim has no 'statement'; expected a 'statement:' line"),
        ]
        for (yaml, message) in cases {
            XCTAssertThrowsError(try Claim.parse(yaml, file: "c.yaml")) { error in
                XCTAssertEqual(String(describing: error), message)
            }
        }
    }
}

final class MetricSamplesTests: XCTestCase {
    func spec(_ test: TestKind, expect: Expectation, groups: [String]? = nil, p0: Double? = nil) -> MetricSpec {
        MetricSpec(id: "m", query: "q", test: test, expect: expect, groups: groups, p0: p0, location: .init(file: "c.yaml"))
    }

    func testColumnsThatDoNotFitTheTestAreNamed() {
        XCTAssertThrowsError(try MetricSamples(spec: spec(.spearman, expect: .positive), columns: ["downloads", "likes"])) { error in
            XCTAssertEqual(String(describing: error), "a spearman test expects the query to return columns x, y; it returned downloads, likes")
        }
    }

    func testGroupsMatchNumbersAndTextAndSkipMissing() throws {
        var samples = try MetricSamples(spec: spec(.mannWhitney, expect: .greater, groups: ["1", "0"]), columns: ["GRP", "value"])
        let rows: [[MetricCell]] = [
            [.number(1), .number(10)], [.number(1.0), .number(12)], [.text("1"), .number(11)],
            [.number(0), .number(1)], [.number(0), .number(2)], [.number(0), .null], [.number(2), .number(5)],
        ]
        for row in rows { try samples.add(row) }
        XCTAssertEqual(samples.skippedRows, 1)
        XCTAssertEqual(samples.otherGroupRows, 1)
        let result = try samples.run()
        XCTAssertEqual(result.n, 5)
        XCTAssertEqual(result.effect.value, 1, accuracy: 1e-12, "every first-group value is larger")
    }

    func testBinomialFromCasesOrFromCounts() throws {
        var cases = try MetricSamples(spec: spec(.binomial, expect: .greater, p0: 0.5), columns: ["value"])
        for value in [1.0, 1, 1, 0] { try cases.add([.number(value)]) }
        XCTAssertEqual(try cases.run().statistic, 3)
        var counts = try MetricSamples(spec: spec(.binomial, expect: .greater, p0: 0.5), columns: ["successes", "trials"])
        try counts.add([.number(30), .number(40)])
        XCTAssertEqual(try counts.run().n, 40)
        XCTAssertThrowsError(try counts.add([.number(1), .number(2)]))
        var bad = try MetricSamples(spec: spec(.binomial, expect: .greater), columns: ["value"])
        XCTAssertThrowsError(try bad.add([.number(2)]))
    }

    func testConstantInputBecomesAReasonNotNaN() throws {
        var samples = try MetricSamples(spec: spec(.spearman, expect: .positive), columns: ["x", "y"])
        for i in 0..<10 { try samples.add([.number(1), .number(Double(i))]) }
        XCTAssertThrowsError(try samples.run()) { error in
            XCTAssertTrue(String(describing: error).hasPrefix("cannot test: "), "\(error)")
        }
    }

    func testEmptyGroupIsNamed() throws {
        var samples = try MetricSamples(spec: spec(.welchT, expect: .greater, groups: ["yes", "no"]), columns: ["grp", "value"])
        try samples.add([.text("yes"), .number(1)])
        XCTAssertThrowsError(try samples.run()) { error in
            XCTAssertEqual(String(describing: error), "no rows have grp = no; check the query and the metric's groups")
        }
    }
}

final class VerdictTests: XCTestCase {
    func testDecisions() {
        XCTAssertEqual(Verdict.decide(adjustedP: 0.001, alpha: 0.05, effect: 0.3, expectation: .greater, minEffect: 0.1), .supported)
        XCTAssertEqual(Verdict.decide(adjustedP: 0.001, alpha: 0.05, effect: 0.05, expectation: .greater, minEffect: 0.1), .inconclusive)
        XCTAssertEqual(Verdict.decide(adjustedP: 0.001, alpha: 0.05, effect: -0.3, expectation: .greater, minEffect: 0.1), .contradicted)
        XCTAssertEqual(Verdict.decide(adjustedP: 0.2, alpha: 0.05, effect: 0.3, expectation: .greater, minEffect: 0.1), .inconclusive)
        XCTAssertEqual(Verdict.decide(adjustedP: 0.01, alpha: 0.05, effect: -0.3, expectation: .different, minEffect: 0.1), .supported)
        XCTAssertEqual(Verdict.decide(adjustedP: 0.01, alpha: 0.05, effect: -0.3, expectation: .negative, minEffect: 0), .supported)
        XCTAssertEqual(Verdict.decide(adjustedP: 0.05, alpha: 0.05, effect: 0.3, expectation: .greater, minEffect: 0), .inconclusive,
                       "p must be below alpha, not equal to it")
    }
}
