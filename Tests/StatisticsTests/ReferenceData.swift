import Foundation
import XCTest

@testable import Statistics

/// A number from reference.json, where non-finite values are written as "nan", "inf", "-inf".
struct ReferenceNumber: Decodable {
    var value: Double

    init(from decoder: Decoder) throws {
        let container = try decoder.singleValueContainer()
        if let number = try? container.decode(Double.self) {
            value = number
            return
        }
        switch try container.decode(String.self) {
        case "nan": value = .nan
        case "inf": value = .infinity
        case "-inf": value = -.infinity
        case let other:
            throw DecodingError.dataCorruptedError(in: container, debugDescription: "not a number: \(other)")
        }
    }
}

extension Array where Element == ReferenceNumber {
    var values: [Double] { map(\.value) }
}

/// The expected outputs of one reference case.
struct ReferenceExpectation: Decodable {
    var statistic: ReferenceNumber
    var pValue: ReferenceNumber
    var df: ReferenceNumber?
    var n: Int
    var effect: ReferenceNumber
    /// Absent when the effect has no interval.
    var lower: ReferenceNumber?
    var upper: ReferenceNumber?
    var method: String?
    /// The denominator degrees of freedom of an F test.
    var df2: ReferenceNumber?
}

/// What every reference case has: a name, whether the test must refuse it, SciPy's expected
/// result otherwise, and the confidence level its interval uses (nil where there is none).
protocol ReferenceCase {
    var name: String { get }
    var error: Bool? { get }
    var expected: ReferenceExpectation? { get }
    var level: Double? { get }
}

extension PairedCase: ReferenceCase { var level: Double? { confidenceLevel } }
extension TwoSampleCase: ReferenceCase { var level: Double? { confidenceLevel } }
extension BinomialCase: ReferenceCase { var level: Double? { confidenceLevel } }
extension GroupsCase: ReferenceCase { var level: Double? { nil } }
extension TableCase: ReferenceCase { var level: Double? { confidenceLevel } }

/// Runs `test` on every case: cases marked as errors must throw `CannotTest`, the others must
/// match SciPy; at least `minimum` cases must be compared.
func checkReferenceCases<Case: ReferenceCase>(
    _ cases: [Case], minimum: Int, file: StaticString = #filePath, line: UInt = #line,
    _ test: (Case) throws -> TestResult
) throws {
    var compared = 0
    for testCase in cases {
        if testCase.error == true {
            assertCannotTest(testCase.name, file: file, line: line) { try test(testCase) }
        } else {
            let expected = try XCTUnwrap(testCase.expected, testCase.name, file: file, line: line)
            assertMatches(try test(testCase), expected, level: testCase.level, case: testCase.name, file: file, line: line)
            compared += 1
        }
    }
    XCTAssertGreaterThanOrEqual(compared, minimum, file: file, line: line)
}

/// A paired-variable case (correlations).
struct PairedCase: Decodable {
    var name: String
    var x: [ReferenceNumber]
    var y: [ReferenceNumber]
    var alternative: String
    var confidenceLevel: Double
    var error: Bool?
    var expected: ReferenceExpectation?
}

/// A two-sample case.
struct TwoSampleCase: Decodable {
    var name: String
    var a: [ReferenceNumber]
    var b: [ReferenceNumber]
    var alternative: String
    var method: String?
    var confidenceLevel: Double
    var error: Bool?
    var expected: ReferenceExpectation?
}

/// A binomial case.
struct BinomialCase: Decodable {
    var name: String
    var successes: Int
    var trials: Int
    var p0: ReferenceNumber
    var alternative: String
    var confidenceLevel: Double
    var error: Bool?
    var expected: ReferenceExpectation?
}

/// A k-group case.
struct GroupsCase: Decodable {
    var name: String
    var groups: [[ReferenceNumber]]
    var error: Bool?
    var expected: ReferenceExpectation?
}

/// A contingency-table case; `alternative` and `confidenceLevel` only for Fisher's test.
struct TableCase: Decodable {
    var name: String
    var table: [[Int]]
    var alternative: String?
    var confidenceLevel: Double?
    var error: Bool?
    var expected: ReferenceExpectation?
}

/// A family of p-values with its adjustments, keyed by `PValueCorrection` raw value.
struct CorrectionCase: Decodable {
    var name: String
    var p: [ReferenceNumber]
    var adjusted: [String: [ReferenceNumber]]
}

/// reference.json, written by Reference/make_reference.py from SciPy and statsmodels.
struct ReferenceData: Decodable {
    var spearman: [PairedCase]
    var mannWhitney: [TwoSampleCase]
    var welchT: [TwoSampleCase]
    var binomial: [BinomialCase]
    var corrections: [CorrectionCase]
    var pearson: [PairedCase]
    var kendallTauB: [PairedCase]
    var studentT: [TwoSampleCase]
    var pairedT: [PairedCase]
    var wilcoxon: [PairedCase]
    var kruskalWallis: [GroupsCase]
    var oneWayAnova: [GroupsCase]
    var chiSquare: [TableCase]
    var fisherExact: [TableCase]

    static func load() throws -> ReferenceData {
        let folder = try XCTUnwrap(
            Bundle.module.url(forResource: "Reference", withExtension: nil), "the Reference resource folder is missing")
        let data = try Data(contentsOf: folder.appendingPathComponent("reference.json"))
        let decoder = JSONDecoder()
        decoder.keyDecodingStrategy = .convertFromSnakeCase
        return try decoder.decode(ReferenceData.self, from: data)
    }
}

/// Compares with relative tolerance 1e-9, absolute 1e-12 near zero; infinities must match exactly.
func assertClose(
    _ actual: Double?, _ expected: Double, _ what: @autoclosure () -> String,
    file: StaticString = #filePath, line: UInt = #line
) {
    guard let actual else {
        XCTFail("\(what()): expected \(expected), found nothing", file: file, line: line)
        return
    }
    if expected.isNaN || expected.isInfinite || actual.isNaN || actual.isInfinite {
        XCTAssertTrue(
            actual == expected || (actual.isNaN && expected.isNaN),
            "\(what()): expected \(expected), found \(actual)", file: file, line: line)
        return
    }
    let tolerance = max(1e-9 * abs(expected), 1e-12)
    XCTAssertLessThanOrEqual(
        abs(actual - expected), tolerance, "\(what()): expected \(expected), found \(actual)", file: file, line: line)
}

/// Checks a result against a reference expectation, field by field.
func assertMatches(
    _ result: TestResult, _ expected: ReferenceExpectation, level: Double?, case name: String,
    file: StaticString = #filePath, line: UInt = #line
) {
    assertClose(result.statistic, expected.statistic.value, "\(name): statistic", file: file, line: line)
    assertClose(result.pValue, expected.pValue.value, "\(name): p-value", file: file, line: line)
    assertClose(result.effect.value, expected.effect.value, "\(name): effect", file: file, line: line)
    if let lower = expected.lower, let upper = expected.upper {
        assertClose(result.effect.interval?.lower, lower.value, "\(name): CI lower", file: file, line: line)
        assertClose(result.effect.interval?.upper, upper.value, "\(name): CI upper", file: file, line: line)
        XCTAssertEqual(result.effect.interval?.level, level, "\(name): CI level", file: file, line: line)
    } else {
        XCTAssertNil(result.effect.interval, "\(name): expected no interval", file: file, line: line)
    }
    if let df2 = expected.df2 {
        assertClose(result.denominatorDegreesOfFreedom, df2.value, "\(name): denominator df", file: file, line: line)
    }
    XCTAssertEqual(result.n, expected.n, "\(name): n", file: file, line: line)
    if let df = expected.df {
        assertClose(result.degreesOfFreedom, df.value, "\(name): degrees of freedom", file: file, line: line)
    }
    if let method = expected.method {
        XCTAssertEqual(result.method, method, "\(name): method", file: file, line: line)
    }
    XCTAssertTrue((0...1).contains(result.pValue), "\(name): p-value outside [0, 1]", file: file, line: line)
}

/// Asserts that `body` throws `CannotTest` with a non-empty reason.
func assertCannotTest<T>(
    _ name: String, file: StaticString = #filePath, line: UInt = #line, _ body: () throws -> T
) {
    XCTAssertThrowsError(try body(), "\(name): expected CannotTest", file: file, line: line) { error in
        guard let cannot = error as? CannotTest else {
            XCTFail("\(name): expected CannotTest, found \(error)", file: file, line: line)
            return
        }
        XCTAssertFalse(cannot.reason.isEmpty, "\(name): empty reason", file: file, line: line)
    }
}

func alternative(_ raw: String, file: StaticString = #filePath, line: UInt = #line) throws -> Alternative {
    try XCTUnwrap(Alternative(rawValue: raw), "unknown alternative \(raw)", file: file, line: line)
}
