import XCTest

@testable import Statistics

/// The rest of the battery against reference.json: each case is computed here and compared with
/// SciPy's output; cases marked as errors must throw `CannotTest`.
final class BatteryReferenceTests: XCTestCase {
    private var reference: ReferenceData!

    override func setUpWithError() throws {
        reference = try ReferenceData.load()
    }

    private typealias PairedTest = ([Double], [Double], Alternative, Double) throws -> TestResult

    private func checkPaired(_ cases: [PairedCase], minimum: Int, _ test: @escaping PairedTest) throws {
        var compared = 0
        for testCase in cases {
            let side = try alternative(testCase.alternative)
            let run = { try test(testCase.x.values, testCase.y.values, side, testCase.confidenceLevel) }
            if testCase.error == true {
                assertCannotTest(testCase.name, run)
            } else {
                let expected = try XCTUnwrap(testCase.expected, testCase.name)
                assertMatches(try run(), expected, level: testCase.confidenceLevel, case: testCase.name)
                compared += 1
            }
        }
        XCTAssertGreaterThanOrEqual(compared, minimum)
    }

    func testPearsonMatchesSciPy() throws {
        try checkPaired(reference.pearson, minimum: 6) {
            try Correlation.pearson($0, $1, alternative: $2, confidenceLevel: $3)
        }
    }

    func testKendallTauBMatchesSciPy() throws {
        try checkPaired(reference.kendallTauB, minimum: 11) {
            try Correlation.kendallTauB($0, $1, alternative: $2, confidenceLevel: $3)
        }
    }

    func testPairedTMatchesSciPy() throws {
        try checkPaired(reference.pairedT, minimum: 4) {
            try Paired.pairedT($0, $1, alternative: $2, confidenceLevel: $3)
        }
    }

    func testWilcoxonSignedRankMatchesSciPy() throws {
        try checkPaired(reference.wilcoxon, minimum: 10) {
            try Paired.wilcoxonSignedRank($0, $1, alternative: $2, confidenceLevel: $3)
        }
    }

    func testStudentTMatchesSciPy() throws {
        var compared = 0
        for testCase in reference.studentT {
            let side = try alternative(testCase.alternative)
            let run = {
                try TwoSample.studentT(
                    testCase.a.values, testCase.b.values, alternative: side, confidenceLevel: testCase.confidenceLevel)
            }
            if testCase.error == true {
                assertCannotTest(testCase.name, run)
            } else {
                let expected = try XCTUnwrap(testCase.expected, testCase.name)
                assertMatches(try run(), expected, level: testCase.confidenceLevel, case: testCase.name)
                compared += 1
            }
        }
        XCTAssertGreaterThanOrEqual(compared, 5)
    }

    private func checkGroups(_ cases: [GroupsCase], minimum: Int, _ test: @escaping ([[Double]]) throws -> TestResult) throws {
        var compared = 0
        for testCase in cases {
            let run = { try test(testCase.groups.map(\.values)) }
            if testCase.error == true {
                assertCannotTest(testCase.name, run)
            } else {
                let expected = try XCTUnwrap(testCase.expected, testCase.name)
                assertMatches(try run(), expected, level: nil, case: testCase.name)
                compared += 1
            }
        }
        XCTAssertGreaterThanOrEqual(compared, minimum)
    }

    func testKruskalWallisMatchesSciPy() throws {
        // SciPy gives no interval; the bootstrap one is checked in BootstrapTests.
        try checkGroups(reference.kruskalWallis, minimum: 4) { try KGroups.kruskalWallis($0, bootstrap: nil) }
    }

    func testOneWayANOVAMatchesSciPy() throws {
        try checkGroups(reference.oneWayAnova, minimum: 4) { try KGroups.oneWayANOVA($0, bootstrap: nil) }
    }

    func testChiSquareIndependenceMatchesSciPy() throws {
        var compared = 0
        for testCase in reference.chiSquare {
            let run = { try Categorical.chiSquareIndependence(testCase.table, bootstrap: nil) }
            if testCase.error == true {
                assertCannotTest(testCase.name, run)
            } else {
                let expected = try XCTUnwrap(testCase.expected, testCase.name)
                assertMatches(try run(), expected, level: nil, case: testCase.name)
                compared += 1
            }
        }
        XCTAssertGreaterThanOrEqual(compared, 6)
    }

    func testFisherExactMatchesSciPy() throws {
        var compared = 0
        for testCase in reference.fisherExact {
            let side = try alternative(testCase.alternative ?? "two-sided")
            let level = try XCTUnwrap(testCase.confidenceLevel, testCase.name)
            let run = { try Categorical.fisherExact2x2(testCase.table, alternative: side, confidenceLevel: level) }
            if testCase.error == true {
                assertCannotTest(testCase.name, run)
            } else {
                let expected = try XCTUnwrap(testCase.expected, testCase.name)
                assertMatches(try run(), expected, level: level, case: testCase.name)
                compared += 1
            }
        }
        XCTAssertGreaterThanOrEqual(compared, 8)
    }
}
