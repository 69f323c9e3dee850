import Foundation
import XCTest

@testable import Statistics

/// The expected outputs of an interval case: a reference expectation plus, for the effects with
/// a bias-corrected companion, that companion's value.
private struct IntervalExpectation: Decodable {
    var base: ReferenceExpectation
    var additional: ReferenceNumber?

    enum CodingKeys: String, CodingKey { case additional }

    init(from decoder: Decoder) throws {
        base = try ReferenceExpectation(from: decoder)
        additional = try decoder.container(keyedBy: CodingKeys.self).decodeIfPresent(ReferenceNumber.self, forKey: .additional)
    }
}

private struct IntervalTwoSampleCase: Decodable {
    var name: String
    var a: [ReferenceNumber]
    var b: [ReferenceNumber]
    var alternative: String
    var confidenceLevel: Double
    var kind: String
    var expected: IntervalExpectation
}

private struct IntervalPairedCase: Decodable {
    var name: String
    var x: [ReferenceNumber]
    var y: [ReferenceNumber]
    var alternative: String
    var confidenceLevel: Double
    var expected: IntervalExpectation
}

private struct IntervalGroupsCase: Decodable {
    var name: String
    var groups: [[ReferenceNumber]]
    var confidenceLevel: Double
    var expected: IntervalExpectation
}

private struct IntervalTableCase: Decodable {
    var name: String
    var table: [[Int]]
    var alternative: String?
    var confidenceLevel: Double
    var expected: IntervalExpectation
}

/// intervals.json, written by Reference/make_interval_reference.py from SciPy's noncentral
/// distributions.
private struct IntervalReference: Decodable {
    var twoSample: [IntervalTwoSampleCase]
    var paired: [IntervalPairedCase]
    var kruskalWallis: [IntervalGroupsCase]
    var oneWayAnova: [IntervalGroupsCase]
    var chiSquare: [IntervalTableCase]
    var fisherExact: [IntervalTableCase]

    static func load() throws -> IntervalReference {
        let folder = try XCTUnwrap(
            Bundle.module.url(forResource: "Reference", withExtension: nil), "the Reference resource folder is missing")
        let data = try Data(contentsOf: folder.appendingPathComponent("intervals.json"))
        let decoder = JSONDecoder()
        decoder.keyDecodingStrategy = .convertFromSnakeCase
        return try decoder.decode(IntervalReference.self, from: data)
    }
}

/// Exact effect-size intervals (noncentral t, F and chi-square; conditional exact odds ratio)
/// against SciPy, case by case, with the interval method each result names.
final class IntervalReferenceTests: XCTestCase {
    private var reference: IntervalReference!

    override func setUpWithError() throws {
        reference = try IntervalReference.load()
    }

    private func check(_ result: TestResult, _ expected: IntervalExpectation, level: Double, method: String, _ name: String) {
        assertMatches(result, expected.base, level: level, case: name)
        XCTAssertEqual(result.effect.intervalMethod, method, "\(name): interval method")
        if let additional = expected.additional {
            let companion = result.additionalEffects.first
            assertClose(companion?.value, additional.value, "\(name): bias-corrected estimate")
            if let interval = companion?.interval, let value = companion?.value {
                XCTAssertTrue(interval.lower <= value && value <= interval.upper,
                              "\(name): bias-corrected \(value) outside [\(interval.lower), \(interval.upper)]")
            }
        }
    }

    func testStandardizedDifferencesUseTheNoncentralT() throws {
        XCTAssertGreaterThanOrEqual(reference.twoSample.count, 30)
        for testCase in reference.twoSample {
            let alternative = try alternative(testCase.alternative)
            let result = testCase.kind == "student"
                ? try TwoSample.studentT(testCase.a.values, testCase.b.values, alternative: alternative,
                                         confidenceLevel: testCase.confidenceLevel)
                : try TwoSample.welchT(testCase.a.values, testCase.b.values, alternative: alternative,
                                       confidenceLevel: testCase.confidenceLevel)
            check(result, testCase.expected, level: testCase.confidenceLevel, method: "noncentral t", testCase.name)
        }
        XCTAssertGreaterThanOrEqual(reference.paired.count, 20)
        for testCase in reference.paired {
            let result = try Paired.pairedT(testCase.x.values, testCase.y.values, alternative: try alternative(testCase.alternative),
                                            confidenceLevel: testCase.confidenceLevel)
            check(result, testCase.expected, level: testCase.confidenceLevel, method: "noncentral t", testCase.name)
        }
    }

    func testEpsilonSquaredUsesTheNoncentralChiSquare() throws {
        XCTAssertGreaterThanOrEqual(reference.kruskalWallis.count, 20)
        for testCase in reference.kruskalWallis {
            let result = try KGroups.kruskalWallis(
                testCase.groups.map(\.values), interval: .analytic(confidenceLevel: testCase.confidenceLevel))
            check(result, testCase.expected, level: testCase.confidenceLevel, method: "noncentral chi-square", testCase.name)
        }
    }

    func testEtaSquaredUsesTheNoncentralF() throws {
        XCTAssertGreaterThanOrEqual(reference.oneWayAnova.count, 20)
        for testCase in reference.oneWayAnova {
            let result = try KGroups.oneWayANOVA(
                testCase.groups.map(\.values), interval: .analytic(confidenceLevel: testCase.confidenceLevel))
            check(result, testCase.expected, level: testCase.confidenceLevel, method: "noncentral F", testCase.name)
        }
    }

    func testCramersVUsesTheNoncentralChiSquare() throws {
        XCTAssertGreaterThanOrEqual(reference.chiSquare.count, 20)
        for testCase in reference.chiSquare {
            let result = try Categorical.chiSquareIndependence(
                testCase.table, interval: .analytic(confidenceLevel: testCase.confidenceLevel))
            check(result, testCase.expected, level: testCase.confidenceLevel, method: "noncentral chi-square", testCase.name)
        }
    }

    func testOddsRatioUsesTheConditionalExactInterval() throws {
        XCTAssertGreaterThanOrEqual(reference.fisherExact.count, 30)
        for testCase in reference.fisherExact {
            let result = try Categorical.fisherExact2x2(
                testCase.table, alternative: try alternative(testCase.alternative ?? "two-sided"),
                confidenceLevel: testCase.confidenceLevel)
            check(result, testCase.expected, level: testCase.confidenceLevel, method: "conditional exact", testCase.name)
        }
    }

    /// The complaint: a table of equal cells has V = 0, and its interval must contain it.
    func testEqualCellsGiveAnIntervalFromZero() throws {
        let result = try Categorical.chiSquareIndependence([[50, 50, 50], [50, 50, 50]])
        let interval = try XCTUnwrap(result.effect.interval)
        XCTAssertEqual(result.effect.value, 0, accuracy: 1e-12)
        XCTAssertEqual(interval.lower, 0)
        XCTAssertGreaterThanOrEqual(interval.upper, 0)
    }
}
