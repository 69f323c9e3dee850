import XCTest

@testable import Statistics

/// The method choices of issues 15 and 17 that hold whatever the reference values are: the same
/// plain reason for constant input everywhere, exact samplers, intervals that contain their
/// bias-corrected estimates, and interval methods named on every result.
final class MethodChoiceTests: XCTestCase {
    /// Every test refuses constant input with the same words.
    func testConstantInputHasTheSamePlainReasonInEveryTest() {
        let same = [3.0, 3, 3, 3, 3]
        let cases: [(String, () throws -> TestResult)] = [
            ("Mann-Whitney", { try TwoSample.mannWhitneyU(same, [3, 3, 3]) }),
            ("Welch t", { try TwoSample.welchT(same, [3, 3, 3]) }),
            ("Student t", { try TwoSample.studentT(same, [3, 3, 3]) }),
            ("Spearman", { try Correlation.spearman(same, [1, 2, 3, 4, 5]) }),
            ("Pearson", { try Correlation.pearson([1, 2, 3, 4, 5], same) }),
            ("Kendall", { try Correlation.kendallTauB(same, [1, 2, 3, 4, 5]) }),
            ("Wilcoxon", { try Paired.wilcoxonSignedRank(same, same) }),
            ("paired t", { try Paired.pairedT([1, 2, 3, 4, 5], [0, 1, 2, 3, 4]) }),
            ("Kruskal-Wallis", { try KGroups.kruskalWallis([same, [3, 3]]) }),
            ("ANOVA", { try KGroups.oneWayANOVA([same, [3, 3]]) }),
            ("chi-square, one row", { try Categorical.chiSquareIndependence([[4, 5, 6]]) }),
            ("chi-square, one column", { try Categorical.chiSquareIndependence([[4], [5]]) }),
        ]
        for (name, run) in cases {
            XCTAssertThrowsError(try run(), name) { error in
                let reason = (error as? CannotTest)?.reason ?? ""
                XCTAssertTrue(reason.contains("is the same (constant input), so"), "\(name): \(reason)")
                XCTAssertTrue(reason.hasSuffix("is undefined") || reason.contains("is undefined ("), "\(name): \(reason)")
            }
        }
    }

    func testNoncentralDistributionsReduceToTheCentralOnes() {
        for (t, df) in [(0.7, 3.0), (-1.9, 12.0), (2.5, 40.0)] {
            assertClose(Noncentral.tCDF(t, degreesOfFreedom: df, noncentrality: 1e-300),
                        SpecialFunctions.studentTCDF(t, degreesOfFreedom: df), "t(\(t), \(df))")
        }
        for (x, k) in [(0.5, 1.0), (7.2, 4.0), (30.0, 25.0)] {
            assertClose(Noncentral.chiSquareCDF(x, degreesOfFreedom: k, noncentrality: 1e-300),
                        1 - SpecialFunctions.chiSquareUpperTail(x, degreesOfFreedom: k), "chi2(\(x), \(k))")
        }
        assertClose(Noncentral.fCDF(2.1, 3, 40, noncentrality: 1e-300), 1 - SpecialFunctions.fUpperTail(2.1, 3, 40), "F")
    }

    func testStudentQuantileInvertsTheCDF() {
        for (p, df) in [(0.975, 4.0), (0.95, 29.0), (0.995, 1000.0), (0.6, 2.0)] {
            let t = SpecialFunctions.studentTQuantile(p, degreesOfFreedom: df)
            assertClose(SpecialFunctions.studentTCDF(t, degreesOfFreedom: df), p, "t quantile \(p), \(df)")
        }
    }

    /// The binomial sampler's mean and variance over many draws, for both of its methods.
    func testBinomialSamplerHasTheRightMoments() {
        var generator = Xoshiro256StarStar(seed: 11)
        for (n, p) in [(20, 0.3), (1000, 0.02), (1_000_000, 0.37), (1_000_000_000, 0.5)] {
            let draws = (0..<20_000).map { _ in Double(generator.binomial(n, p)) }
            let mean = draws.reduce(0, +) / Double(draws.count)
            let variance = draws.reduce(0) { $0 + ($1 - mean) * ($1 - mean) } / Double(draws.count - 1)
            let expectedMean = Double(n) * p, expectedVariance = Double(n) * p * (1 - p)
            // Five standard errors of the mean, and 5% on the variance.
            XCTAssertEqual(mean, expectedMean, accuracy: 5 * (expectedVariance / 20_000).squareRoot(), "mean of B(\(n), \(p))")
            XCTAssertEqual(variance, expectedVariance, accuracy: 0.05 * expectedVariance, "variance of B(\(n), \(p))")
            XCTAssertTrue(draws.allSatisfy { $0 >= 0 && $0 <= Double(n) })
        }
    }

    func testMultinomialDrawKeepsTheTotal() {
        var generator = Xoshiro256StarStar(seed: 5)
        var draws = [Int](repeating: 0, count: 4)
        for _ in 0..<100 {
            generator.multinomial(1_000_000_000, counts: [1, 0, 7, 2], total: 10, into: &draws)
            XCTAssertEqual(draws.reduce(0, +), 1_000_000_000)
            XCTAssertEqual(draws[1], 0, "an empty cell stays empty")
        }
    }

    func testEveryResultNamesItsIntervalMethod() throws {
        let a = [1.2, 3.4, 2.2, 5.1, 4.4, 3.9], b = [0.3, 1.1, 2.0, 0.8, 1.7]
        let results = [
            try TwoSample.mannWhitneyU(a, b), try TwoSample.welchT(a, b), try TwoSample.studentT(a, b),
            try Paired.pairedT(a, a.map { $0 - 0.5 + $0 * 0.1 }), try Paired.wilcoxonSignedRank(a, a.map { $0 * 0.8 }),
            try Correlation.spearman(a, a.map { $0 * $0 }), try Correlation.pearson(a, a.map { $0 + 1 / $0 }),
            try Correlation.kendallTauB(a, a.map { -$0 }), try Proportion.binomialTest(successes: 7, trials: 20),
            try KGroups.kruskalWallis([a, b]), try KGroups.oneWayANOVA([a, b]),
            try Categorical.chiSquareIndependence([[10, 3], [4, 9]]), try Categorical.fisherExact2x2([[10, 3], [4, 9]]),
        ]
        for result in results {
            XCTAssertNotNil(result.effect.interval, result.test)
            XCTAssertNotNil(result.effect.intervalMethod, result.test)
        }
        let bootstrapped = try KGroups.kruskalWallis([a, b], interval: .bootstrap(BootstrapOptions(resamples: 300, seed: 9)))
        XCTAssertEqual(bootstrapped.effect.intervalMethod, "percentile bootstrap (300 resamples, seed 9)")
        XCTAssertNil(try KGroups.kruskalWallis([a, b], interval: .none).effect.intervalMethod)
    }

    /// The bias-corrected estimates lie inside their intervals, including the cases where the
    /// sample estimate is all noise (statistic below its degrees of freedom).
    func testBiasCorrectedEstimatesLieInsideTheirIntervals() throws {
        let tables = [[[25, 25], [25, 25]], [[5, 7, 9], [9, 7, 5], [6, 6, 6]], [[10, 11, 9], [11, 10, 10], [9, 10, 11]], [[30, 5], [4, 28]]]
        for table in tables {
            let result = try Categorical.chiSquareIndependence(table)
            let corrected = try XCTUnwrap(result.additionalEffects.first)
            let interval = try XCTUnwrap(corrected.interval)
            XCTAssertTrue(interval.lower <= corrected.value && corrected.value <= interval.upper, "\(table)")
        }
        let groups: [[[Double]]] = [[[1, 2, 3, 4], [2, 3, 4, 5], [1.5, 2.5, 3.5, 4.5]], [[1, 2, 3], [7, 8, 9.5]]]
        for group in groups {
            for result in [try KGroups.kruskalWallis(group), try KGroups.oneWayANOVA(group)] {
                let corrected = try XCTUnwrap(result.additionalEffects.first)
                let interval = try XCTUnwrap(corrected.interval)
                XCTAssertTrue(interval.lower <= corrected.value && corrected.value <= interval.upper, "\(result.test) \(group)")
            }
        }
    }

    /// Exact intervals are wider than the normal approximation at small n: the example.
    func testSmallSampleIntervalIsWiderThanTheNormalApproximation() throws {
        let result = try TwoSample.welchT([10.2, 11.9, 12.4, 9.8, 13.1], [8.1, 7.9, 9.9, 6.5, 8.8])
        let d = result.effect.value, n = 5.0
        let normalHalfWidth = 1.959964 * ((2 * n) / (n * n) + d * d / (4 * n)).squareRoot()
        let interval = try XCTUnwrap(result.effect.interval)
        XCTAssertGreaterThan(interval.upper - interval.lower, 2 * normalHalfWidth)
    }
}
