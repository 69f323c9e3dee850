import Claims
import Statistics
import XCTest
import YAMLSupport

/// Verdict logic without surprises (issue 15.3) and per-metric confidence and bootstrap settings
/// (issue 15.4).
final class EvaluationTests: XCTestCase {
    private func metric(_ yaml: String) throws -> MetricSpec {
        let claim = try Claim.parse("id: C\nstatement: s\nmetrics:\n  - id: m\n    query: q\n" + yaml, file: "c.yaml")
        return try XCTUnwrap(claim.metrics.first)
    }

    /// 600 of 1000 against p0 = 0.5 has an effect of exactly 0.1 on paper, one rounding below it
    /// in floating point; it must meet min_effect 0.1.
    func testEffectEqualToMinEffectCounts() throws {
        let spec = try metric("    test: binomial\n    expect: greater\n    p0: 0.5\n    min_effect: 0.1\n")
        var samples = try MetricSamples(spec: spec, columns: ["successes", "trials"])
        try samples.add([.number(600), .number(1000)])
        let result = try samples.run()
        XCTAssertLessThan(spec.directionalEffect(of: result), 0.1, "the rounding this test is about")
        XCTAssertEqual(spec.verdict(for: result, adjustedP: result.pValue, studyAlpha: 0.05), .supported)
        XCTAssertTrue(Verdict.reaches(0.1 - 1e-12, minEffect: 0.1))
        XCTAssertFalse(Verdict.reaches(0.0999, minEffect: 0.1))
    }

    func testSignificanceRuleDecidesTheBoundary() {
        XCTAssertEqual(Verdict.decide(adjustedP: 0.05, alpha: 0.05, effect: 0.3, expectation: .greater, minEffect: 0), .inconclusive)
        XCTAssertEqual(Verdict.decide(adjustedP: 0.05, alpha: 0.05, effect: 0.3, expectation: .greater, minEffect: 0,
                                      significance: .atMostAlpha), .supported)
        XCTAssertEqual(SignificanceRule.belowAlpha.statement, "p < alpha")
        XCTAssertEqual(SignificanceRule.atMostAlpha.statement, "p ≤ alpha")
    }

    func testAnyIsMixedWhenMetricsDisagreeInDirection() {
        XCTAssertEqual(Verdict.combine([.supported, .contradicted], rule: .any), .mixed)
        XCTAssertEqual(Verdict.combine([.supported, .inconclusive], rule: .any), .supported)
        XCTAssertEqual(Verdict.combine([.contradicted, .inconclusive], rule: .any), .contradicted)
        XCTAssertEqual(Verdict.combine([.error, .error], rule: .any), .error)
        XCTAssertEqual(Verdict.combine([.supported, .contradicted], rule: .all), .contradicted)
    }

    func testMajorityCountsOnlyMetricsThatRan() {
        let combined = Verdict.combined([.supported, .supported, .error, .error, .inconclusive], rule: .majority)
        XCTAssertEqual(combined.verdict, .supported, "2 of the 3 that ran")
        XCTAssertEqual(combined.ran, 3)
        XCTAssertEqual(combined.errors, 2)
        XCTAssertEqual(combined.explanation, "2 of 3 metrics that ran support it, 0 contradict it, 2 could not run (not counted)")
        XCTAssertEqual(Verdict.combine([.supported, .contradicted], rule: .majority), .mixed)
        XCTAssertEqual(Verdict.combine([.supported, .inconclusive], rule: .majority), .inconclusive)
        XCTAssertEqual(Verdict.combine([.error], rule: .majority), .error)
        XCTAssertEqual(Verdict.combined([], rule: .majority).verdict, .notTested)
    }

    func testConfidenceAndBootstrapAreReadWrittenAndUsed() throws {
        let spec = try metric("""
                test: kruskal-wallis
                expect: different
                confidence: 0.9
                bootstrap: {resamples: 500, seed: 7}

            """)
        XCTAssertEqual(spec.confidence, 0.9)
        XCTAssertEqual(spec.bootstrap, BootstrapSettings(resamples: 500, seed: 7))
        XCTAssertEqual(spec.intervalChoice(defaults: EvaluationDefaults()),
                       .bootstrap(BootstrapOptions(resamples: 500, seed: 7, confidenceLevel: 0.9)))
        let claim = try Claim.parse("id: C\nstatement: s\nmetrics:\n  - id: m\n    query: q\n    test: kruskal-wallis\n    expect: different\n    confidence: 0.9\n    bootstrap: {resamples: 500, seed: 7}\n", file: "c.yaml")
        XCTAssertEqual(try Claim.parse(claim.yamlText, file: "c.yaml"), claim)

        var samples = try MetricSamples(spec: spec, columns: ["grp", "value"])
        for (group, value) in [("a", 1.0), ("a", 2), ("a", 3.5), ("b", 4), ("b", 5), ("b", 7), ("c", 2), ("c", 6)] {
            try samples.add([.text(group), .number(value)])
        }
        let result = try samples.run()
        XCTAssertEqual(result.effect.interval?.level, 0.9)
        XCTAssertEqual(result.effect.intervalMethod, "percentile bootstrap (500 resamples, seed 7)")
    }

    func testStudyDefaultsApplyWhereTheMetricIsSilent() throws {
        let spec = try metric("    test: spearman\n    expect: positive\n")
        let fields = try YAMLValue.parse("confidence: 0.99\ninterval: bootstrap\nbootstrap: {seed: 3}\nsignificance: at-most\n", file: "t.yaml")
            .fields("settings", allowed: EvaluationDefaults.keys)
        let defaults = try EvaluationDefaults.parse(fields)
        XCTAssertEqual(defaults.confidence, 0.99)
        XCTAssertEqual(defaults.bootstrap, BootstrapSettings(resamples: 2000, seed: 3))
        XCTAssertEqual(defaults.significance, .atMostAlpha)
        var samples = try MetricSamples(spec: spec, columns: ["x", "y"])
        for i in 0..<12 { try samples.add([.number(Double(i)), .number(Double(i * i % 7))]) }
        let result = try samples.run(defaults: defaults)
        XCTAssertEqual(result.effect.interval?.level, 0.99)
        XCTAssertEqual(result.effect.intervalMethod, "Fisher z")
        let kruskal = try metric("    test: kruskal-wallis\n    expect: different\n")
        XCTAssertEqual(kruskal.intervalChoice(defaults: defaults), .bootstrap(BootstrapOptions(resamples: 2000, seed: 3, confidenceLevel: 0.99)))
    }

    func testBadSettingsAreLocatedErrors() {
        let cases: [(String, String)] = [
            ("    test: spearman\n    expect: positive\n    confidence: 1.5\n", "expected confidence strictly between 0 and 1"),
            ("    test: spearman\n    expect: positive\n    bootstrap: {resamples: 100}\n", "only kruskal-wallis, anova and chi-square have"),
            ("    test: anova\n    expect: different\n    bootstrap: {resamples: 0}\n", "expected resamples between 1 and 1000000"),
            ("    test: anova\n    expect: different\n    interval: jackknife\n", "expected interval to be 'analytic' or 'bootstrap'"),
            ("    test: anova\n    expect: different\n    interval: analytic\n    bootstrap: {seed: 1}\n", "'bootstrap' settings need 'interval: bootstrap'"),
        ]
        for (yaml, message) in cases {
            XCTAssertThrowsError(try metric(yaml)) { error in
                XCTAssertTrue(String(describing: error).contains(message), "«\(message)» not in «\(error)»")
                XCTAssertTrue(String(describing: error).contains("c.yaml:"), "located: \(error)")
            }
        }
    }

    /// Unnamed groups and category labels found through their number (issue 17): 1, 1.0 and the
    /// text "1" are one group, in order of first appearance, as when each row's label was text.
    func testNumericLabelsMatchTheirText() throws {
        let groups = try metric("    test: kruskal-wallis\n    expect: different\n")
        var samples = try MetricSamples(spec: groups, columns: ["grp", "value"])
        let rows: [(MetricCell, Double)] = [(.number(2), 1), (.text("1"), 2), (.number(1.0), 3), (.number(2.5), 4),
                                            (.number(2), 5), (.number(1), 6), (.number(2.5), 7), (.number(-0.0), 8), (.number(0), 9)]
        for (group, value) in rows { try samples.add([group, .number(value)]) }
        XCTAssertEqual(samples.observations.samples.map(\.name), ["2", "1", "2.5", "0"])
        XCTAssertEqual(samples.observations.samples.map(\.values), [[1, 5], [2, 3, 6], [4, 7], [8, 9]])

        let categories = try metric("    test: chi-square\n    expect: different\n")
        var table = try MetricSamples(spec: categories, columns: ["a", "b"])
        let pairs: [(MetricCell, MetricCell)] = [(.number(1), .text("x")), (.text("1"), .number(3)), (.number(2), .number(3.0)),
                                                 (.number(1.0), .text("3")), (.number(2), .text("x")), (.null, .number(3))]
        for (a, b) in pairs { try table.add([a, b]) }
        XCTAssertEqual(table.skippedRows, 1)
        XCTAssertEqual(table.observations.rowLabels, ["1", "2"])
        XCTAssertEqual(table.observations.columnLabels, ["x", "3"])
        XCTAssertEqual(table.observations.counts, [[1, 2], [1, 1]])
    }
}
