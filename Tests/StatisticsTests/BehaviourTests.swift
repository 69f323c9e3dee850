import XCTest

@testable import Statistics

/// Properties that hold whatever the reference values are: reasons, method choice, invariants.
final class BehaviourTests: XCTestCase {
    func testConstantInputReasonSaysSo() {
        XCTAssertThrowsError(try Correlation.spearman([2, 2, 2, 2], [1, 2, 3, 4])) { error in
            let reason = (error as? CannotTest)?.reason ?? ""
            XCTAssertTrue(reason.contains("constant input"), reason)
            XCTAssertTrue(reason.contains("x"), reason)
            XCTAssertEqual((error as? CannotTest)?.description, reason)
        }
    }

    func testMismatchedLengthsReasonGivesBothCounts() {
        XCTAssertThrowsError(try Correlation.spearman([1, 2, 3, 4], [1, 2, 3])) { error in
            let reason = (error as? CannotTest)?.reason ?? ""
            XCTAssertTrue(reason.contains("4") && reason.contains("3"), reason)
        }
    }

    func testNaNReasonNamesThePosition() {
        XCTAssertThrowsError(try TwoSample.welchT([1, 2, 3], [4, .nan, 6])) { error in
            let reason = (error as? CannotTest)?.reason ?? ""
            XCTAssertTrue(reason.contains("value 2 of the second sample"), reason)
        }
    }

    func testConfidenceLevelOutsideUnitIntervalCannotTest() {
        for level in [0.0, 1.0, -0.5, 1.5, .nan] {
            assertCannotTest("level \(level)") {
                try Proportion.binomialTest(successes: 3, trials: 10, confidenceLevel: level)
            }
            assertCannotTest("level \(level)") {
                try TwoSample.mannWhitneyU([1, 2], [3, 4], confidenceLevel: level)
            }
        }
    }

    func testNaNNullProportionCannotTest() {
        assertCannotTest("p0 NaN") { try Proportion.binomialTest(successes: 3, trials: 10, p0: .nan) }
    }

    func testAutoMethodFollowsSciPyRule() throws {
        let small = try TwoSample.mannWhitneyU([1, 2, 3], Array(stride(from: 4.5, through: 40, by: 1)))
        XCTAssertEqual(small.method, "exact")
        let tied = try TwoSample.mannWhitneyU([1, 2, 3], [3, 4, 5])
        XCTAssertEqual(tied.method, "asymptotic")
        let large = try TwoSample.mannWhitneyU((0..<9).map(Double.init), (0..<9).map { Double($0) + 0.5 })
        XCTAssertEqual(large.method, "asymptotic")
    }

    func testExactMannWhitneyDistributionIsAProbabilityDistribution() {
        for (n1, n2) in [(1, 1), (3, 5), (8, 8), (4, 12)] {
            let pmf = MannWhitneyDistribution.probabilities(upTo: n1 * n2, n1, n2)
            assertClose(pmf.reduce(0, +), 1, "\(n1)x\(n2) total probability")
            for u in 0...(n1 * n2) {
                assertClose(pmf[u], pmf[n1 * n2 - u], "\(n1)x\(n2) symmetry at \(u)")
            }
        }
    }

    func testSwappingSamplesNegatesRankBiserial() throws {
        let a = [1.2, 3.4, 2.2, 5.1, 0.3], b = [2.5, 6.1, 4.4, 7.0]
        let forward = try TwoSample.mannWhitneyU(a, b)
        let backward = try TwoSample.mannWhitneyU(b, a)
        assertClose(forward.effect.value, -backward.effect.value, "rank-biserial r")
        assertClose(forward.pValue, backward.pValue, "two-sided p")
    }

    func testNormalQuantileInvertsTheCDF() {
        for p in [1e-300, 1e-12, 0.001, 0.02425, 0.3, 0.5, 0.7, 0.975, 0.999999] {
            let x = SpecialFunctions.normalQuantile(p)
            assertClose(SpecialFunctions.normalCDF(x), p, "Φ(Φ⁻¹(\(p)))")
        }
    }

    func testCorrectionsKeepNaNAndEmptyInput() {
        for correction in PValueCorrection.allCases {
            XCTAssertEqual(correction.adjust([]), [])
            let adjusted = correction.adjust([0.01, .nan, 0.02])
            XCTAssertTrue(adjusted[1].isNaN, "\(correction)")
            // The NaN does not count as a test, so the family has two members.
            let twoTests = correction.adjust([0.01, 0.02])
            XCTAssertEqual(adjusted[0], twoTests[0], "\(correction)")
            XCTAssertEqual(adjusted[2], twoTests[1], "\(correction)")
        }
    }

    func testAlternativeRawValuesAreSciPySpellings() {
        XCTAssertEqual(Alternative.allCases.map(\.rawValue), ["two-sided", "greater", "less"])
        XCTAssertEqual(PValueCorrection(rawValue: "benjamini-hochberg"), .benjaminiHochberg)
    }
    func testUnaffordableExactMannWhitneyFallsBackOrThrows() throws {
        let few = [0.5, 1.5, 2.5]
        let many = (0..<200_000).map { Double($0) * 0.001 + 0.0004 }
        let automatic = try TwoSample.mannWhitneyU(few, many)
        XCTAssertEqual(automatic.method, "asymptotic")
        assertCannotTest("forced exact on 3 x 200000") { try TwoSample.mannWhitneyU(few, many, method: .exact) }
    }

    func testKendallDiscordantPairsMatchBruteForce() {
        var generator = SplitMix64(seed: 7)
        for size in [2, 3, 10, 57] {
            // Small integer ranges force ties in x, in y and in both.
            let x = (0..<size).map { _ in Double(generator.next() % 6) }
            let y = (0..<size).map { _ in Double(generator.next() % 5) }
            var discordant = 0, joint = 0
            for i in 0..<size {
                for j in (i + 1)..<size {
                    if (x[i] - x[j]) * (y[i] - y[j]) < 0 { discordant += 1 }
                    if x[i] == x[j] && y[i] == y[j] { joint += 1 }
                }
            }
            let pairs = KendallPairs(x, y)
            XCTAssertEqual(pairs.discordant, discordant, "n = \(size)")
            XCTAssertEqual(pairs.jointTies, joint, "n = \(size)")
        }
    }

    func testHypergeometricIsAProbabilityDistribution() {
        let distribution = Hypergeometric(population: 400, successes: 200, draws: 215)
        assertClose(distribution.cdf(distribution.high), 1, "total probability")
        for x in distribution.low...distribution.high {
            assertClose(distribution.cdf(x) + distribution.upperTail(x), 1, "cdf + upper tail at \(x)")
        }
        // With half the population successes, P(X = x) = P(X = draws − x).
        assertClose(distribution.pmf(120), distribution.pmf(95), "symmetry")
    }

    func testTableShapeProblemsCannotTest() {
        assertCannotTest("ragged") { try Categorical.chiSquareIndependence([[1, 2, 3], [4, 5]]) }
        assertCannotTest("2x3 for Fisher") { try Categorical.fisherExact2x2([[1, 2, 3], [4, 5, 6]]) }
        assertCannotTest("empty") { try Categorical.chiSquareIndependence([]) }
    }
}

/// A small deterministic generator, so property tests do not depend on the system's randomness.
struct SplitMix64: RandomNumberGenerator {
    private var state: UInt64

    init(seed: UInt64) { state = seed }

    mutating func next() -> UInt64 {
        state &+= 0x9E37_79B9_7F4A_7C15
        var z = state
        z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
        z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
        return z ^ (z >> 31)
    }
}
