import Claims
import Statistics
import XCTest

/// Every test a metric can name runs through MetricSamples on the rows a query would return, and
/// gives what the Statistics function gives on the same samples (which is itself checked against
/// SciPy in StatisticsTests).
final class MetricBatteryTests: XCTestCase {
    func spec(_ yaml: String) throws -> MetricSpec {
        let claim = try Claim.parse("id: C\nstatement: s\nmetrics:\n  - id: m\n    query: q\n" + yaml, file: "c.yaml")
        return try XCTUnwrap(claim.metrics.first)
    }

    func run(_ spec: MetricSpec, columns: [String], rows: [[MetricCell]]) throws -> TestResult {
        var samples = try MetricSamples(spec: spec, columns: columns)
        for row in rows { try samples.add(row) }
        return try samples.run()
    }

    let x: [Double] = [1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12]
    let y: [Double] = [2, 1, 4, 3, 7, 5, 6, 9, 8, 12, 10, 11]

    func testPairsShapedTests() throws {
        let rows = zip(x, y).map { [MetricCell.number($0), .number($1)] }
        let cases: [(String, TestResult)] = [
            ("pearson\n    expect: positive", try Correlation.pearson(x, y)),
            ("kendall\n    expect: positive", try Correlation.kendallTauB(x, y)),
            ("wilcoxon\n    expect: greater", try Paired.wilcoxonSignedRank(x, y)),
            ("paired-t\n    expect: greater", try Paired.pairedT(x, y)),
        ]
        for (yaml, expected) in cases {
            XCTAssertEqual(try run(spec("    test: " + yaml + "\n"), columns: ["x", "y"], rows: rows), expected, yaml)
        }
    }

    func testKGroupsUseTheNamedGroupsInOrder() throws {
        let rows: [[MetricCell]] = [[.text("a"), .number(1)], [.text("b"), .number(5)], [.text("c"), .number(9)], [.text("a"), .number(2)],
                                    [.text("b"), .number(6)], [.text("c"), .number(8)], [.text("d"), .number(100)], [.text("a"), .number(3)]]
        let kruskal = try run(spec("    test: kruskal-wallis\n    expect: different\n    groups: [a, b, c]\n"), columns: ["grp", "value"], rows: rows)
        XCTAssertEqual(kruskal, try KGroups.kruskalWallis([[1, 2, 3], [5, 6], [9, 8]]))
        let anova = try run(spec("    test: anova\n    expect: different\n"), columns: ["grp", "value"], rows: rows)
        XCTAssertEqual(anova, try KGroups.oneWayANOVA([[1, 2, 3], [5, 6], [9, 8], [100]]), "without groups: every group, sorted")
    }

    func testCategoricalFromCasesOrCounts() throws {
        let counts: [[MetricCell]] = [[.text("card"), .text("popular"), .number(30)], [.text("card"), .text("rare"), .number(10)],
                                      [.text("none"), .text("popular"), .number(12)], [.text("none"), .text("rare"), .number(28)]]
        let chi = try run(spec("    test: chi-square\n    expect: different\n"), columns: ["a", "b", "count"], rows: counts)
        XCTAssertEqual(chi, try Categorical.chiSquareIndependence([[30, 10], [12, 28]]))
        var cases: [[MetricCell]] = []
        for row in counts { for _ in 0..<Int(row[2] == .number(30) ? 30 : (row[2] == .number(10) ? 10 : (row[2] == .number(12) ? 12 : 28))) { cases.append([row[0], row[1]]) } }
        XCTAssertEqual(try run(spec("    test: chi-square\n    expect: different\n"), columns: ["a", "b"], rows: cases), chi)
        let fisherSpec = try spec("    test: fisher\n    expect: greater\n    groups: [card, none]\n    levels: [popular, rare]\n")
        let fisher = try run(fisherSpec, columns: ["a", "b", "count"], rows: counts)
        XCTAssertEqual(fisher, try Categorical.fisherExact2x2([[30, 10], [12, 28]]))
        XCTAssertEqual(fisherSpec.directionalEffect(of: fisher), log(fisher.effect.value), accuracy: 1e-12)
        XCTAssertEqual(fisherSpec.verdict(for: fisher, adjustedP: fisher.pValue, studyAlpha: 0.05), .supported)
    }

    /// Category labels are found by id (numbers compared while few, hashed past 16): the table is
    /// the one counted by label text, with text `3` and the number 3 one label, -0 and 0 one
    /// label, and rows outside `groups:` and `levels:` counted apart.
    func testCategoryLabelsPastTheLinearLimitMergeNumbersWithTheirText() throws {
        var rows: [[MetricCell]] = []
        var expected: [String: [String: Int]] = [:]
        var state: UInt64 = 12345
        func next(_ bound: Int) -> Int {
            state = state &* 6364136223846793005 &+ 1442695040888963407
            return Int((state >> 33) % UInt64(bound))
        }
        for _ in 0..<3_000 {
            let a = next(40), b = next(3)
            let aCell: MetricCell = a % 2 == 0 ? .number(Double(a)) : .text(String(a))
            let bCell: MetricCell = b == 0 ? .number(-0.0) : (b == 1 ? .number(0) : .text("x"))
            rows.append([aCell, bCell])
            expected[String(a), default: [:]][b == 2 ? "x" : "0", default: 0] += 1
        }
        let chi = try run(spec("    test: chi-square\n    expect: different\n"), columns: ["a", "b"], rows: rows)
        let aLabels = expected.keys.sorted { $0.localizedStandardCompare($1) == .orderedAscending }
        let table = aLabels.map { a in ["0", "x"].map { expected[a]?[$0] ?? 0 } }
        XCTAssertEqual(chi, try Categorical.chiSquareIndependence(table))

        var samples = try MetricSamples(spec: spec("    test: fisher\n    expect: greater\n    groups: [7, 8]\n    levels: [x, 0]\n"),
                                        columns: ["a", "b"])
        for row: [MetricCell] in [[.text("dropped"), .number(0)], [.number(7), .text("x")], [.text("7"), .text("x")],
                                  [.number(8), .number(-0.0)], [.text("8"), .text("y")], [.number(8.0), .text("0")]] {
            try samples.add(row)
        }
        XCTAssertEqual(samples.observations.rowLabels, ["7", "8"])
        XCTAssertEqual(samples.observations.columnLabels, ["x", "0"])
        XCTAssertEqual(samples.observations.counts, [[2, 0], [0, 2]])
        XCTAssertEqual(samples.otherGroupRows, 2)
    }

    func testThresholdIsDescriptive() throws {
        let atLeast = try spec("    test: threshold\n    expect: at-least\n    threshold: 0.5\n")
        let result = try run(atLeast, columns: ["value"], rows: [[.number(0.5)]])
        XCTAssertTrue(result.pValue.isNaN, "a threshold runs no test, so it has no p-value to correct")
        XCTAssertEqual(atLeast.verdict(for: result, adjustedP: nil, studyAlpha: 0.05), .supported)
        let greater = try spec("    test: threshold\n    expect: greater\n    threshold: 0.5\n")
        XCTAssertEqual(greater.verdict(for: result, adjustedP: nil, studyAlpha: 0.05), .contradicted)
        XCTAssertThrowsError(try run(atLeast, columns: ["value"], rows: [[.number(1)], [.number(2)]]))
    }

    func testSpecificationsThatCannotWorkAreRefused() {
        let cases: [(String, String)] = [
            ("    test: kruskal-wallis\n    expect: greater\n", "expected 'expect' for a kruskal-wallis test to be one of different"),
            ("    test: fisher\n    expect: greater\n", "a directional fisher metric needs 'groups: [a1, a2]' and 'levels: [b1, b2]'"),
            ("    test: threshold\n    expect: greater\n", "a threshold metric needs 'threshold:'"),
            ("    test: spearman\n    expect: positive\n    threshold: 3\n", "'threshold' belongs to threshold metrics"),
            ("    test: anova\n    expect: different\n    groups: [a]\n", "expected two or more different group values"),
        ]
        for (yaml, message) in cases {
            XCTAssertThrowsError(try spec(yaml)) { error in
                XCTAssertTrue(String(describing: error).contains(message), "«\(message)» not in «\(error)»")
            }
        }
    }
}

final class ClaimRuleTests: XCTestCase {
    func testRulesCombineVerdicts() {
        let mixed: [Verdict] = [.supported, .inconclusive, .supported]
        XCTAssertEqual(Verdict.combine(mixed, rule: .all), .inconclusive)
        XCTAssertEqual(Verdict.combine(mixed, rule: .any), .supported)
        XCTAssertEqual(Verdict.combine(mixed, rule: .majority), .supported)
        XCTAssertEqual(Verdict.combine([.supported, .contradicted], rule: .all), .contradicted)
        XCTAssertEqual(Verdict.combine([.supported, .error], rule: .all), .error)
        XCTAssertEqual(Verdict.combine([.supported, .error], rule: .any), .supported)
        XCTAssertEqual(Verdict.combine([.supported, .inconclusive], rule: .majority), .inconclusive)
        XCTAssertEqual(Verdict.combine([], rule: .all), .notTested)
    }

    func testRuleIsReadAndWritten() throws {
        let claim = try Claim.parse("id: C\nstatement: s\nrule: majority\n", file: "c.yaml")
        XCTAssertEqual(claim.rule, .majority)
        XCTAssertEqual(try Claim.parse(claim.yamlText, file: "c.yaml").rule, .majority)
        XCTAssertThrowsError(try Claim.parse("id: C\nstatement: s\nrule: most\n", file: "c.yaml"))
    }
}
