import Foundation
import XCTest

@testable import Statistics

/// bootstrap.json, written by Reference/make_bootstrap_reference.py from NumPy and SciPy.
private struct BootstrapReference: Decodable {
    struct PercentileCase: Decodable {
        var values: [Double]
        var fractions: [Double]
        var expected: [Double]
    }

    /// 64-bit outputs are decimal strings, because JSON numbers lose precision above 2⁵³.
    struct GeneratorCase: Decodable {
        var seed: String
        var next: [String]
        var bound: Int
        var indexBelow: [Int]
    }

    /// SciPy's percentile interval for a statistic, with its bootstrap standard error.
    struct IntervalCase: Decodable {
        var groups: [[Double]]?
        var table: [[Int]]?
        var effect: Double
        var lower: Double
        var upper: Double
        var standardError: Double
    }

    var nResamples: Int
    var confidenceLevel: Double
    var percentiles: [PercentileCase]
    var generator: [GeneratorCase]
    var kruskalWallis: IntervalCase
    var oneWayAnova: IntervalCase
    var chiSquare: IntervalCase

    static func load() throws -> BootstrapReference {
        let folder = try XCTUnwrap(
            Bundle.module.url(forResource: "Reference", withExtension: nil), "the Reference resource folder is missing")
        let data = try Data(contentsOf: folder.appendingPathComponent("bootstrap.json"))
        let decoder = JSONDecoder()
        decoder.keyDecodingStrategy = .convertFromSnakeCase
        return try decoder.decode(BootstrapReference.self, from: data)
    }
}

/// Seeded percentile-bootstrap intervals for epsilon squared, eta squared and Cramér's V.
final class BootstrapTests: XCTestCase {
    private var reference: BootstrapReference!

    override func setUpWithError() throws {
        reference = try BootstrapReference.load()
    }

    private var groups: [[Double]] { reference.kruskalWallis.groups ?? [] }
    private var table: [[Int]] { reference.chiSquare.table ?? [] }

    /// The three effects, each with its bootstrap interval, under the given options.
    private func intervals(_ options: BootstrapOptions?) throws -> [(String, EffectSize)] {
        let choice = options.map(IntervalChoice.bootstrap) ?? IntervalChoice.none
        return [
            ("epsilon squared", try KGroups.kruskalWallis(groups, interval: choice).effect),
            ("eta squared", try KGroups.oneWayANOVA(groups, interval: choice).effect),
            ("Cramér's V", try Categorical.chiSquareIndependence(table, interval: choice).effect),
        ]
    }

    func testGeneratorMatchesReferenceAlgorithm() throws {
        XCTAssertGreaterThanOrEqual(reference.generator.count, 3)
        for testCase in reference.generator {
            let seed = try XCTUnwrap(UInt64(testCase.seed))
            var raw = Xoshiro256StarStar(seed: seed)
            XCTAssertEqual(testCase.next.map { UInt64($0) }, testCase.next.indices.map { _ in raw.next() }, "seed \(seed)")
            var bounded = Xoshiro256StarStar(seed: seed)
            let draws = testCase.indexBelow.indices.map { _ in bounded.index(below: testCase.bound) }
            XCTAssertEqual(draws, testCase.indexBelow, "seed \(seed), bound \(testCase.bound)")
        }
    }

    func testPercentileRuleMatchesNumPy() {
        var compared = 0
        for testCase in reference.percentiles {
            for (fraction, expected) in zip(testCase.fractions, testCase.expected) {
                let actual = Bootstrap.percentile(sorted: testCase.values, fraction)
                XCTAssertLessThanOrEqual(
                    abs(actual - expected), 1e-12 * max(1, abs(expected)),
                    "n = \(testCase.values.count), fraction \(fraction): NumPy \(expected), found \(actual)")
                compared += 1
            }
        }
        XCTAssertGreaterThanOrEqual(compared, 50)
    }

    /// Our stream is not NumPy's, so bounds agree only up to Monte-Carlo error. With 20,000
    /// resamples on each side, a 95% bound's Monte-Carlo standard error is about 0.02 of the
    /// bootstrap standard error, for the difference about 0.03; a quarter of the standard error is
    /// some eight of those, and far below the 0.02 a reader would notice in an effect size.
    func testBoundsAgreeWithSciPyBootstrap() throws {
        let options = BootstrapOptions(resamples: reference.nResamples, confidenceLevel: reference.confidenceLevel)
        let cases: [(String, BootstrapReference.IntervalCase, TestResult)] = [
            ("epsilon squared", reference.kruskalWallis, try KGroups.kruskalWallis(groups, interval: .bootstrap(options))),
            ("eta squared", reference.oneWayAnova, try KGroups.oneWayANOVA(groups, interval: .bootstrap(options))),
            ("Cramér's V", reference.chiSquare, try Categorical.chiSquareIndependence(table, interval: .bootstrap(options))),
        ]
        for (name, expected, result) in cases {
            assertClose(result.effect.value, expected.effect, "\(name): point estimate")
            let interval = try XCTUnwrap(result.effect.interval, name)
            let tolerance = min(0.02, 0.25 * expected.standardError)
            XCTAssertEqual(interval.lower, expected.lower, accuracy: tolerance, "\(name): lower bound")
            XCTAssertEqual(interval.upper, expected.upper, accuracy: tolerance, "\(name): upper bound")
            XCTAssertEqual(interval.level, reference.confidenceLevel, "\(name): level")
        }
    }

    func testSameSeedGivesTheSameBits() throws {
        let options = BootstrapOptions(resamples: 500, seed: 7)
        for ((name, first), (_, second)) in zip(try intervals(options), try intervals(options)) {
            let a = try XCTUnwrap(first.interval, name), b = try XCTUnwrap(second.interval, name)
            XCTAssertEqual(a.lower.bitPattern, b.lower.bitPattern, "\(name): lower bound")
            XCTAssertEqual(a.upper.bitPattern, b.upper.bitPattern, "\(name): upper bound")
        }
    }

    func testDifferentSeedGivesDifferentBounds() throws {
        let pairs = zip(try intervals(BootstrapOptions(resamples: 500, seed: 7)),
                        try intervals(BootstrapOptions(resamples: 500, seed: 8)))
        for ((name, first), (_, second)) in pairs {
            XCTAssertNotEqual(first.interval, second.interval, name)
        }
    }

    func testIntervalBracketsPointEstimate() throws {
        for (name, effect) in try intervals(BootstrapOptions()) {
            let interval = try XCTUnwrap(effect.interval, name)
            XCTAssertLessThan(interval.lower, effect.value, name)
            XCTAssertGreaterThan(interval.upper, effect.value, name)
            XCTAssertGreaterThanOrEqual(interval.lower, 0, name)
            XCTAssertLessThanOrEqual(interval.upper, 1, name)
            XCTAssertEqual(interval.level, 0.95, name)
        }
    }

    func testLevelFollowsOptions() throws {
        let wide = try intervals(BootstrapOptions(confidenceLevel: 0.99))
        let narrow = try intervals(BootstrapOptions(confidenceLevel: 0.8))
        for ((name, w), (_, n)) in zip(wide, narrow) {
            let a = try XCTUnwrap(w.interval, name), b = try XCTUnwrap(n.interval, name)
            XCTAssertEqual(a.level, 0.99, name)
            XCTAssertLessThan(a.lower, b.lower, name)
            XCTAssertGreaterThan(a.upper, b.upper, name)
        }
    }

    func testNoOptionsMeansNoInterval() throws {
        for (name, effect) in try intervals(nil) {
            XCTAssertNil(effect.interval, name)
        }
    }

    func testInvalidOptionsCannotTest() {
        for options in [BootstrapOptions(resamples: 0), BootstrapOptions(confidenceLevel: 1), BootstrapOptions(confidenceLevel: .nan)] {
            assertCannotTest("k groups \(options)") { try KGroups.kruskalWallis([[1, 2], [3, 4]], interval: .bootstrap(options)) }
            assertCannotTest("ANOVA \(options)") { try KGroups.oneWayANOVA([[1, 2], [3, 4]], interval: .bootstrap(options)) }
            assertCannotTest("table \(options)") { try Categorical.chiSquareIndependence([[3, 1], [2, 4]], interval: .bootstrap(options)) }
        }
    }

    /// A statistic undefined on about 30% of resamples still has an interval over the rest; one
    /// undefined on about 60% has none. Both report how many were skipped.
    func testUndefinedResamplesAreSkippedAndCounted() {
        let options = BootstrapOptions(resamples: 1000)
        let someUndefined = Bootstrap.percentileInterval(options) { generator in
            let draw = generator.index(below: 10)
            return draw < 3 ? nil : Double(draw)
        }
        XCTAssertNotNil(someUndefined.interval)
        XCTAssertTrue((250...350).contains(someUndefined.undefinedResamples), "\(someUndefined.undefinedResamples)")
        let mostUndefined = Bootstrap.percentileInterval(options) { generator in
            let draw = generator.index(below: 10)
            return draw < 6 ? nil : Double(draw)
        }
        XCTAssertNil(mostUndefined.interval)
        XCTAssertGreaterThan(mostUndefined.undefinedResamples, 500)
    }

    /// Real degenerate resamples: a lone odd value is missed by about a third of the resamples
    /// (all values equal, or an empty row), which are skipped.
    func testDegenerateResamplesAreSkipped() throws {
        let options = BootstrapOptions(resamples: 1000)
        let table = Bootstrap.cramersV([[3, 0], [0, 1]], options: options)
        XCTAssertNotNil(table.interval)
        XCTAssertTrue((250...400).contains(table.undefinedResamples), "table: \(table.undefinedResamples)")
        let groups = [[1.0, 1, 1, 2], [1.0, 1, 1]]
        for outcome in [Bootstrap.epsilonSquared(groups, options: options), Bootstrap.etaSquared(groups, options: options)] {
            XCTAssertNotNil(outcome.interval)
            XCTAssertTrue((250...400).contains(outcome.undefinedResamples), "groups: \(outcome.undefinedResamples)")
        }
    }

    /// Groups of one value can only be redrawn as they are, so every resample must reproduce the
    /// point estimate: the resampled statistics are the tests' own formulas.
    func testResamplesOfFixedDataReproduceThePointEstimate() throws {
        let fixed: [[Double]] = [[1], [2], [4], [4.5], [4.5]]
        let kruskal = try KGroups.kruskalWallis(fixed, interval: .bootstrap(BootstrapOptions(resamples: 5)))
        assertClose(kruskal.effect.interval?.lower, kruskal.effect.value, "epsilon squared, lower")
        assertClose(kruskal.effect.interval?.upper, kruskal.effect.value, "epsilon squared, upper")
        // One-way ANOVA itself refuses groups without variation; all variance is then between.
        let eta = Bootstrap.etaSquared(fixed, options: BootstrapOptions(resamples: 5))
        assertClose(eta.interval?.lower, 1, "eta squared, lower")
        assertClose(eta.interval?.upper, 1, "eta squared, upper")
    }
}
