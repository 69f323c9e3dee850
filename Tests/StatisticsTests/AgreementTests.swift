import Foundation
import XCTest

@testable import Statistics

/// The expected outcome of one measure on one table; `error` when the measure must throw.
private struct AgreementExpectation: Decodable {
    var error: Bool?
    var value: Double?
    var units: Int?
    var observed: Double?
    var expected: Double?
}

/// One case of agreement.json, written by Reference/make_agreement_reference.py.
private struct AgreementCase: Decodable {
    struct Measures: Decodable {
        var percentAgreement: AgreementExpectation
        var cohensKappa: AgreementExpectation
        var fleissKappa: AgreementExpectation
        var krippendorffAlpha: AgreementExpectation
    }

    var name: String
    var coders: [String]
    var ratings: [[String?]]
    var weights: [Int]?
    var expected: Measures

    var table: RatingTable { RatingTable(coders: coders, ratings: ratings, weights: weights) }
}

private struct AgreementReference: Decodable {
    var cases: [AgreementCase]

    static func load() throws -> AgreementReference {
        let folder = try XCTUnwrap(
            Bundle.module.url(forResource: "Reference", withExtension: nil), "the Reference resource folder is missing")
        let data = try Data(contentsOf: folder.appendingPathComponent("agreement.json"))
        let decoder = JSONDecoder()
        decoder.keyDecodingStrategy = .convertFromSnakeCase
        return try decoder.decode(AgreementReference.self, from: data)
    }
}

/// A small deterministic generator (SplitMix64's steps), so the property tests need no seed handling.
private struct AgreementRandom {
    var state: UInt64

    mutating func next(below bound: Int) -> Int {
        state &+= 0x9E37_79B9_7F4A_7C15
        var z = state
        z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
        z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
        z ^= z >> 31
        return Int(z % UInt64(bound))
    }
}

final class AgreementTests: XCTestCase {
    private typealias Measure = (RatingTable) throws -> AgreementResult

    private static var measures: [(name: String, run: Measure, expectation: (AgreementCase) -> AgreementExpectation)] {
        [
            ("percent agreement", Agreement.percentAgreement, { $0.expected.percentAgreement }),
            ("Cohen's kappa", { try Agreement.cohensKappa($0) }, { $0.expected.cohensKappa }),
            ("Fleiss' kappa", { try Agreement.fleissKappa($0) }, { $0.expected.fleissKappa }),
            ("Krippendorff's alpha", { try Agreement.krippendorffAlpha($0) }, { $0.expected.krippendorffAlpha }),
        ]
    }

    func testEveryMeasureMatchesTheReferenceLibraries() throws {
        let reference = try AgreementReference.load()
        var compared: [String: Int] = [:], refused: [String: Int] = [:]
        for testCase in reference.cases {
            for measure in Self.measures {
                let expected = measure.expectation(testCase)
                let label = "\(testCase.name): \(measure.name)"
                if expected.error == true {
                    assertCannotTest(label) { try measure.run(testCase.table) }
                    refused[measure.name, default: 0] += 1
                    continue
                }
                let result = try measure.run(testCase.table)
                XCTAssertEqual(result.measure, measure.name, label)
                assertClose(result.value, try XCTUnwrap(expected.value, label), "\(label): value")
                XCTAssertEqual(result.units, expected.units, "\(label): units")
                XCTAssertEqual(result.coders, testCase.coders.count, "\(label): coders")
                assertClose(result.observed, try XCTUnwrap(expected.observed, label), "\(label): observed agreement")
                if let chance = expected.expected {
                    assertClose(result.expected, chance, "\(label): expected agreement")
                } else {
                    XCTAssertNil(result.expected, "\(label): percent agreement has no chance agreement")
                }
                compared[measure.name, default: 0] += 1
            }
        }
        XCTAssertGreaterThanOrEqual(compared["percent agreement"] ?? 0, 18)
        XCTAssertGreaterThanOrEqual(compared["Cohen's kappa"] ?? 0, 8)
        XCTAssertGreaterThanOrEqual(compared["Fleiss' kappa"] ?? 0, 8)
        XCTAssertGreaterThanOrEqual(compared["Krippendorff's alpha"] ?? 0, 18)
        XCTAssertGreaterThanOrEqual(refused["Krippendorff's alpha"] ?? 0, 3)
    }

    func testWeightedRowsEqualTheExpandedTable() throws {
        var random = AgreementRandom(state: 7)
        for (coders, categories) in [(2, 2), (2, 5), (3, 2), (4, 3), (6, 4)] {
            let names = (0..<coders).map { "coder\($0)" }
            var rows: [[String?]] = [], weights: [Int] = [], expanded: [[String?]] = []
            for _ in 0..<60 {
                let truth = random.next(below: categories)
                let row: [String?] = (0..<coders).map { _ in
                    switch random.next(below: 10) {
                    case 0: return nil
                    case 1, 2: return "c\(random.next(below: categories))"
                    default: return "c\(truth)"
                    }
                }
                let weight = random.next(below: 4) == 0 ? random.next(below: 3) : 1 + random.next(below: 500)
                rows.append(row)
                weights.append(weight)
                expanded.append(contentsOf: repeatElement(row, count: weight))
            }
            let weighted = RatingTable(coders: names, ratings: rows, weights: weights)
            let plain = RatingTable(coders: names, ratings: expanded)
            for measure in Self.measures {
                let label = "\(coders) coders, \(categories) categories: \(measure.name)"
                if (measure.name == "Cohen's kappa" && coders != 2) || (measure.name == "Fleiss' kappa" && coders < 3) {
                    assertCannotTest(label) { try measure.run(weighted) }
                    continue
                }
                let a = try measure.run(weighted), b = try measure.run(plain)
                assertClose(a.value, b.value, "\(label): value")
                assertClose(a.observed, try XCTUnwrap(b.observed), "\(label): observed")
                if let chance = b.expected { assertClose(a.expected, chance, "\(label): expected") }
                XCTAssertEqual(a.units, b.units, label)
                XCTAssertGreaterThan(a.units, 1000, label)
            }
        }
    }

    func testPercentAgreementCountsAUnitWithOneDissenterAsDisagreement() throws {
        let table = RatingTable(
            coders: ["a", "b", "c"], ratings: [["x", "x", "y"], ["x", "x", "x"], ["y", nil, "y"], ["x", nil, nil]])
        let result = try Agreement.percentAgreement(table)
        assertClose(result.value, 2.0 / 3.0, "two of the three comparable units agree")
        XCTAssertEqual(result.units, 3, "the unit rated by one coder is not comparable")
    }

    func testASingleCategoryLeavesPercentAgreementDefinedAndTheOthersUndefined() throws {
        let two = RatingTable(coders: ["a", "b"], ratings: Array(repeating: ["absent", "absent"], count: 5))
        XCTAssertEqual(try Agreement.percentAgreement(two).value, 1)
        for run in [{ try Agreement.cohensKappa($0) }, { try Agreement.krippendorffAlpha($0) }] as [Measure] {
            XCTAssertThrowsError(try run(two)) { error in
                XCTAssertTrue((error as? CannotTest)?.reason.contains("is the same category") == true, "\(error)")
            }
        }
        XCTAssertThrowsError(try Agreement.cohensKappa(two)) { error in
            XCTAssertEqual(
                (error as? CannotTest)?.reason,
                "every rating is the same category, so chance agreement is 1 and Cohen's kappa is undefined")
        }
        let three = RatingTable(coders: ["a", "b", "c"], ratings: Array(repeating: ["x", "x", "x"], count: 3))
        XCTAssertThrowsError(try Agreement.fleissKappa(three)) { error in
            XCTAssertEqual(
                (error as? CannotTest)?.reason,
                "every rating is the same category, so chance agreement is 1 and Fleiss' kappa is undefined")
        }
    }

    func testMalformedTablesAreRefusedWithAReason() {
        let cases: [(String, RatingTable, String)] = [
            ("one coder", RatingTable(coders: ["a"], ratings: [["x"], ["y"]]), "at least two coders, found 1"),
            ("no units", RatingTable(coders: ["a", "b"], ratings: []), "no units"),
            ("short row", RatingTable(coders: ["a", "b"], ratings: [["x", "y"], ["x"]]), "unit 2 has 1 ratings"),
            ("weights", RatingTable(coders: ["a", "b"], ratings: [["x", "y"]], weights: [1, 2]), "1 units but 2 weights"),
            ("negative", RatingTable(coders: ["a", "b"], ratings: [["x", "y"]], weights: [-3]), "weight -3"),
            ("duplicate", RatingTable(coders: ["a", "a"], ratings: [["x", "y"]]), "coder 'a' appears twice"),
            ("all weights zero", RatingTable(coders: ["a", "b"], ratings: [["x", "y"]], weights: [0]), "no unit"),
        ]
        for (name, table, fragment) in cases {
            for run in [Agreement.percentAgreement, { try Agreement.cohensKappa($0) }, { try Agreement.krippendorffAlpha($0) }] as [Measure] {
                XCTAssertThrowsError(try run(table), name) { error in
                    let reason = (error as? CannotTest)?.reason ?? ""
                    XCTAssertTrue(reason.contains(fragment), "\(name): \(reason)")
                }
            }
        }
    }

    func testEachKappaRefusesTheWrongNumberOfCoders() {
        let three = RatingTable(coders: ["a", "b", "c"], ratings: [["x", "y", "x"], ["y", "y", "x"]])
        XCTAssertThrowsError(try Agreement.cohensKappa(three)) { error in
            XCTAssertTrue((error as? CannotTest)?.reason.contains("exactly two coders, found 3") == true, "\(error)")
        }
        let two = RatingTable(coders: ["a", "b"], ratings: [["x", "y"], ["y", "y"]])
        XCTAssertThrowsError(try Agreement.fleissKappa(two)) { error in
            XCTAssertTrue((error as? CannotTest)?.reason.contains("use Cohen's kappa for two") == true, "\(error)")
        }
        let incomplete = RatingTable(coders: ["a", "b", "c"], ratings: [["x", nil, "x"], [nil, "y", "x"]])
        XCTAssertThrowsError(try Agreement.fleissKappa(incomplete)) { error in
            XCTAssertTrue((error as? CannotTest)?.reason.contains("rated by all 3 coders") == true, "\(error)")
        }
        XCTAssertNoThrow(try Agreement.krippendorffAlpha(incomplete))
    }

    /// Print-only: the statistics half of the agreement benchmark (the other half, building units
    /// from codings, is in QualitativeTests). Timings belong in benchmarks, so nothing is asserted.
    func testLargeTablePerformancePrintOnly() throws {
        var random = AgreementRandom(state: 11)
        let coders = ["ana", "ben", "cho"]
        var rows: [[String?]] = [], weights: [Int] = []
        for _ in 0..<300_000 {
            rows.append(coders.map { _ in
                random.next(below: 8) == 0 ? nil : (random.next(below: 5) == 0 ? "present" : "absent")
            })
            weights.append(1 + random.next(below: 400))
        }
        let table = RatingTable(coders: coders, ratings: rows, weights: weights)
        let clock = ContinuousClock()
        let elapsed = try clock.measure {
            _ = try Agreement.percentAgreement(table)
            _ = try Agreement.fleissKappa(table)
            _ = try Agreement.krippendorffAlpha(table)
        }
        print("agreement: three measures over \(rows.count) weighted rows took \(elapsed)")
    }
}
