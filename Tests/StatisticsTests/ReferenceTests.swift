import XCTest

@testable import Statistics

/// Every case of reference.json, computed here and compared with SciPy's and statsmodels' output.
final class ReferenceTests: XCTestCase {
    private var reference: ReferenceData!

    override func setUpWithError() throws {
        reference = try ReferenceData.load()
    }

    func testSpearmanMatchesSciPy() throws {
        try checkReferenceCases(reference.spearman, minimum: 11) {
            try Correlation.spearman($0.x.values, $0.y.values, alternative: try alternative($0.alternative),
                                     confidenceLevel: $0.confidenceLevel)
        }
    }

    func testMannWhitneyMatchesSciPy() throws {
        try checkReferenceCases(reference.mannWhitney, minimum: 16) { testCase in
            let method = try XCTUnwrap(TwoSample.Method(rawValue: testCase.method ?? "auto"), testCase.name)
            return try TwoSample.mannWhitneyU(
                testCase.a.values, testCase.b.values, alternative: try alternative(testCase.alternative), method: method,
                confidenceLevel: testCase.confidenceLevel)
        }
    }

    func testWelchTMatchesSciPy() throws {
        try checkReferenceCases(reference.welchT, minimum: 6) {
            try TwoSample.welchT($0.a.values, $0.b.values, alternative: try alternative($0.alternative),
                                 confidenceLevel: $0.confidenceLevel)
        }
    }

    func testBinomialMatchesSciPy() throws {
        try checkReferenceCases(reference.binomial, minimum: 16) {
            try Proportion.binomialTest(successes: $0.successes, trials: $0.trials, p0: $0.p0.value,
                                        alternative: try alternative($0.alternative), confidenceLevel: $0.confidenceLevel)
        }
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
