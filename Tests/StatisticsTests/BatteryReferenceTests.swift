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

    private func checkPaired(_ cases: [PairedCase], minimum: Int, _ test: PairedTest) throws {
        try checkReferenceCases(cases, minimum: minimum) {
            try test($0.x.values, $0.y.values, try alternative($0.alternative), $0.confidenceLevel)
        }
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
        try checkReferenceCases(reference.studentT, minimum: 5) {
            try TwoSample.studentT($0.a.values, $0.b.values, alternative: try alternative($0.alternative),
                                   confidenceLevel: $0.confidenceLevel)
        }
    }

    private func checkGroups(_ cases: [GroupsCase], minimum: Int, _ test: ([[Double]]) throws -> TestResult) throws {
        try checkReferenceCases(cases, minimum: minimum) { try test($0.groups.map(\.values)) }
    }

    func testKruskalWallisMatchesSciPy() throws {
        // SciPy gives no interval; the bootstrap one is checked in BootstrapTests.
        try checkGroups(reference.kruskalWallis, minimum: 4) { try KGroups.kruskalWallis($0, interval: .none) }
    }

    func testOneWayANOVAMatchesSciPy() throws {
        try checkGroups(reference.oneWayAnova, minimum: 4) { try KGroups.oneWayANOVA($0, interval: .none) }
    }

    func testChiSquareIndependenceMatchesSciPy() throws {
        try checkReferenceCases(reference.chiSquare, minimum: 6) { try Categorical.chiSquareIndependence($0.table, interval: .none) }
    }

    func testFisherExactMatchesSciPy() throws {
        try checkReferenceCases(reference.fisherExact, minimum: 8) {
            try Categorical.fisherExact2x2($0.table, alternative: try alternative($0.alternative ?? "two-sided"),
                                           confidenceLevel: try XCTUnwrap($0.confidenceLevel, $0.name))
        }
    }
}
