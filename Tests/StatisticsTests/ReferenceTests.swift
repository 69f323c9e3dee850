import XCTest

@testable import Statistics

/// Every case of reference.json, computed here and compared with SciPy's and statsmodels' output.
final class ReferenceTests: XCTestCase {
    private var reference: ReferenceData!

    override func setUpWithError() throws {
        reference = try ReferenceData.load()
    }

    func testSpearmanMatchesSciPy() throws {
        var compared = 0
        for testCase in reference.spearman {
            let run = { [x = testCase.x.values, y = testCase.y.values] in
                try Correlation.spearman(
                    x, y, alternative: try alternative(testCase.alternative), confidenceLevel: testCase.confidenceLevel)
            }
            if testCase.error == true {
                assertCannotTest(testCase.name, run)
            } else {
                let expected = try XCTUnwrap(testCase.expected, testCase.name)
                assertMatches(try run(), expected, level: testCase.confidenceLevel, case: testCase.name)
                compared += 1
            }
        }
        XCTAssertGreaterThan(compared, 10)
    }

    func testMannWhitneyMatchesSciPy() throws {
        var compared = 0
        for testCase in reference.mannWhitney {
            let method = try XCTUnwrap(TwoSample.Method(rawValue: testCase.method ?? "auto"), testCase.name)
            let run = { [a = testCase.a.values, b = testCase.b.values] in
                try TwoSample.mannWhitneyU(
                    a, b, alternative: try alternative(testCase.alternative), method: method,
                    confidenceLevel: testCase.confidenceLevel)
            }
            if testCase.error == true {
                assertCannotTest(testCase.name, run)
            } else {
                let expected = try XCTUnwrap(testCase.expected, testCase.name)
                assertMatches(try run(), expected, level: testCase.confidenceLevel, case: testCase.name)
                compared += 1
            }
        }
        XCTAssertGreaterThan(compared, 15)
    }

    func testWelchTMatchesSciPy() throws {
        var compared = 0
        for testCase in reference.welchT {
            let run = { [a = testCase.a.values, b = testCase.b.values] in
                try TwoSample.welchT(
                    a, b, alternative: try alternative(testCase.alternative), confidenceLevel: testCase.confidenceLevel)
            }
            if testCase.error == true {
                assertCannotTest(testCase.name, run)
            } else {
                let expected = try XCTUnwrap(testCase.expected, testCase.name)
                assertMatches(try run(), expected, level: testCase.confidenceLevel, case: testCase.name)
                compared += 1
            }
        }
        XCTAssertGreaterThan(compared, 5)
    }

    func testBinomialMatchesSciPy() throws {
        var compared = 0
        for testCase in reference.binomial {
            let run = {
                try Proportion.binomialTest(
                    successes: testCase.successes, trials: testCase.trials, p0: testCase.p0.value,
                    alternative: try alternative(testCase.alternative), confidenceLevel: testCase.confidenceLevel)
            }
            if testCase.error == true {
                assertCannotTest(testCase.name, run)
            } else {
                let expected = try XCTUnwrap(testCase.expected, testCase.name)
                assertMatches(try run(), expected, level: testCase.confidenceLevel, case: testCase.name)
                compared += 1
            }
        }
        XCTAssertGreaterThan(compared, 15)
    }

    func testCorrectionsMatchStatsmodels() throws {
        for testCase in reference.corrections {
            for correction in PValueCorrection.allCases {
                let expected = try XCTUnwrap(testCase.adjusted[correction.rawValue], "\(testCase.name): \(correction)")
                let actual = correction.adjust(testCase.p.values)
                XCTAssertEqual(actual.count, expected.count, "\(testCase.name): \(correction)")
                for (index, (got, want)) in zip(actual, expected.values).enumerated() {
                    assertClose(got, want, "\(testCase.name): \(correction.rawValue)[\(index)]")
                }
            }
        }
    }
}
