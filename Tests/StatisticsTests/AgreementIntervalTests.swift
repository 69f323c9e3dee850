import Foundation
import XCTest

@testable import Statistics

/// One coefficient's expected value, standard error and interval; `error` when it must throw.
private struct CoefficientExpectation: Decodable {
    var error: Bool?
    var value: Double?
    var standardError: Double?
    var lower: Double?
    var upper: Double?
    /// For pairwise kappas: the coder positions of the pair.
    var first: Int?
    var second: Int?
}

private struct IntervalAgreementCase: Decodable {
    struct Measures: Decodable {
        var pairwise: [CoefficientExpectation]
        var gwetAc1: CoefficientExpectation
        var brennanPrediger: CoefficientExpectation
        var fleissKappa: CoefficientExpectation
        var krippendorffAlpha: CoefficientExpectation
    }

    var name: String
    var coders: [String]
    var ratings: [[String?]]
    var weights: [Int]?
    var confidenceLevel: Double
    var expected: Measures

    var table: RatingTable { RatingTable(coders: coders, ratings: ratings, weights: weights) }
}

private struct AlphaBootstrapCase: Decodable {
    var name: String
    var coders: [String]
    var ratings: [[String?]]
    var weights: [Int]
    var confidenceLevel: Double
    var resamples: Int
    var value: Double
    var lower: Double
    var upper: Double
    var standardError: Double
}

private struct AgreementIntervalReference: Decodable {
    var cases: [IntervalAgreementCase]
    var bootstrap: [AlphaBootstrapCase]

    static func load() throws -> AgreementIntervalReference {
        let folder = try XCTUnwrap(
            Bundle.module.url(forResource: "Reference", withExtension: nil), "the Reference resource folder is missing")
        let data = try Data(contentsOf: folder.appendingPathComponent("agreement_intervals.json"))
        let decoder = JSONDecoder()
        decoder.keyDecodingStrategy = .convertFromSnakeCase
        return try decoder.decode(AgreementIntervalReference.self, from: data)
    }
}

/// Standard errors and intervals of the agreement coefficients, pairwise kappas, Gwet's AC1 and
/// PABAK, against statsmodels, irrCAC and krippendorff.
final class AgreementIntervalTests: XCTestCase {
    /// Values and bounds to 1e-9 relative; a standard error is the square root of a sum that can
    /// cancel to rounding noise (a coder who uses one category), so standard errors and bounds
    /// also pass within 1e-7 absolute.
    private func check(_ result: AgreementResult, _ expected: CoefficientExpectation, level: Double, _ label: String) throws {
        assertClose(result.value, try XCTUnwrap(expected.value, label), "\(label): value")
        let se = try XCTUnwrap(expected.standardError, label)
        let interval = try XCTUnwrap(result.interval, "\(label): interval")
        for (actual, wanted, what) in [(result.standardError, se, "standard error"),
                                       (interval.lower, try XCTUnwrap(expected.lower), "lower"),
                                       (interval.upper, try XCTUnwrap(expected.upper), "upper")] {
            let actual = try XCTUnwrap(actual, "\(label): \(what)")
            XCTAssertLessThanOrEqual(abs(actual - wanted), max(1e-9 * abs(wanted), 1e-7), "\(label): \(what) \(actual) vs \(wanted)")
        }
        XCTAssertEqual(interval.level, level, "\(label): level")
        XCTAssertNotNil(result.intervalMethod, "\(label): interval method")
    }

    func testCoefficientsAndIntervalsMatchTheReferenceLibraries() throws {
        let reference = try AgreementIntervalReference.load()
        XCTAssertGreaterThanOrEqual(reference.cases.count, 40)
        var compared = 0
        for testCase in reference.cases {
            let level = testCase.confidenceLevel
            let measures: [(String, CoefficientExpectation, () throws -> AgreementResult)] = [
                ("Gwet's AC1", testCase.expected.gwetAc1, { try Agreement.gwetAC1(testCase.table, confidenceLevel: level) }),
                ("PABAK", testCase.expected.brennanPrediger, { try Agreement.brennanPrediger(testCase.table, confidenceLevel: level) }),
                ("Fleiss' kappa", testCase.expected.fleissKappa, { try Agreement.fleissKappa(testCase.table, confidenceLevel: level) }),
                ("Krippendorff's alpha", testCase.expected.krippendorffAlpha,
                 { try Agreement.krippendorffAlpha(testCase.table, confidenceLevel: level) }),
            ]
            for (name, expected, run) in measures {
                let label = "\(testCase.name): \(name)"
                if expected.error == true {
                    // The reference could not compute it; ours must refuse or (Fleiss with two
                    // coders) is refused by its coder rule.
                    if let result = try? run() { XCTAssertNil(result.interval, "\(label): unexpected interval") }
                    continue
                }
                try check(try run(), expected, level: level, label)
                compared += 1
            }
            let pairs = try Agreement.pairwiseCohensKappa(testCase.table, confidenceLevel: level)
            XCTAssertEqual(pairs.count, testCase.coders.count * (testCase.coders.count - 1) / 2, testCase.name)
            for (pair, expected) in zip(pairs, testCase.expected.pairwise) {
                let label = "\(testCase.name): kappa \(pair.first)–\(pair.second)"
                XCTAssertEqual(pair.first, testCase.coders[try XCTUnwrap(expected.first)], label)
                XCTAssertEqual(pair.second, testCase.coders[try XCTUnwrap(expected.second)], label)
                if expected.error == true {
                    XCTAssertNil(pair.result, label)
                    XCTAssertNotNil(pair.problem, label)
                } else {
                    try check(try XCTUnwrap(pair.result, "\(label): \(pair.problem ?? "")"), expected, level: level, label)
                    compared += 1
                }
            }
        }
        XCTAssertGreaterThanOrEqual(compared, 150)
    }

    /// A rare code: coders agree on 39 of 40 units, kappa is 0, AC1 and PABAK stay near the
    /// observed agreement.
    func testPrevalenceRobustCoefficientsOnARareCode() throws {
        let table = RatingTable(coders: ["a", "b"], ratings: Array(repeating: ["absent", "absent"], count: 39) + [["present", "absent"]])
        XCTAssertEqual(try Agreement.cohensKappa(table).value, 0, accuracy: 1e-12)
        XCTAssertGreaterThan(try Agreement.gwetAC1(table).value, 0.97)
        assertClose(try Agreement.brennanPrediger(table).value, 0.95, "PABAK = 2·0.975 − 1")
    }

    /// Our generator is not NumPy's, so bootstrap bounds agree within Monte-Carlo error, as in
    /// BootstrapTests.
    func testAlphaBootstrapAgreesWithAUnitBootstrapInNumPy() throws {
        let reference = try AgreementIntervalReference.load()
        for testCase in reference.bootstrap {
            let table = RatingTable(coders: testCase.coders, ratings: testCase.ratings, weights: testCase.weights)
            let result = try Agreement.krippendorffAlphaBootstrap(
                table, options: BootstrapOptions(resamples: testCase.resamples, confidenceLevel: testCase.confidenceLevel))
            assertClose(result.value, testCase.value, "\(testCase.name): alpha")
            let interval = try XCTUnwrap(result.interval, testCase.name)
            let tolerance = min(0.02, 0.25 * testCase.standardError)
            XCTAssertEqual(interval.lower, testCase.lower, accuracy: tolerance, "\(testCase.name): lower")
            XCTAssertEqual(interval.upper, testCase.upper, accuracy: tolerance, "\(testCase.name): upper")
            XCTAssertEqual(result.intervalMethod, "percentile bootstrap (\(testCase.resamples) resamples, seed 20240601) over units")
        }
    }

    func testAlphaBootstrapIsReproducible() throws {
        let table = RatingTable(coders: ["a", "b"], ratings: [["x", "x"], ["x", "y"], ["y", "y"]], weights: [20, 4, 16])
        let options = BootstrapOptions(resamples: 300, seed: 3)
        XCTAssertEqual(try Agreement.krippendorffAlphaBootstrap(table, options: options).interval,
                       try Agreement.krippendorffAlphaBootstrap(table, options: options).interval)
    }
}
