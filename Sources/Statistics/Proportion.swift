import Foundation

/// Tests about a single proportion.
public enum Proportion {
    /// The exact binomial test, as `scipy.stats.binomtest`; statistic k, effect the proportion
    /// k/n with its Wilson score interval.
    ///
    /// One-sided p-values are binomial tails: P(X ≤ k) for `less`, P(X ≥ k) for `greater`. The
    /// two-sided p-value sums the probabilities of every outcome no more likely than k ("minimum
    /// likelihood" ordering): the outcomes on the other side of the mode whose probability is at
    /// most P(X = k)·(1 + 10⁻⁷), found by binary search. The relative tolerance 10⁻⁷ is SciPy's;
    /// it keeps outcomes whose probability equals P(X = k) up to rounding, so symmetric cases
    /// (p0 = 0.5) give the doubled tail they should.
    ///
    /// The Wilson score interval (without continuity correction) is used because, unlike the
    /// Wald interval, it stays inside [0, 1] and keeps close to its nominal coverage for small n
    /// and proportions near 0 or 1; it is SciPy's `proportion_ci(method="wilson")`.
    ///
    /// - Throws: `CannotTest` when `trials` is not positive, `successes` is outside 0...trials,
    ///   or `p0` is outside [0, 1].
    public static func binomialTest(
        successes: Int, trials: Int, p0: Double = 0.5, alternative: Alternative = .twoSided,
        confidenceLevel: Double = 0.95
    ) throws -> TestResult {
        if trials < 1 {
            throw CannotTest(reason: "the binomial test needs at least 1 trial, found \(trials)")
        }
        if successes < 0 || successes > trials {
            throw CannotTest(
                reason: "the number of successes must lie between 0 and the number of trials (\(trials)), found \(successes)")
        }
        if !(p0 >= 0 && p0 <= 1) {
            throw CannotTest(reason: "the null proportion p0 must lie between 0 and 1, found \(p0)")
        }
        try Check.confidenceLevel(confidenceLevel)

        let k = successes, n = trials
        let p: Double
        switch alternative {
        case .less: p = SpecialFunctions.binomialCDF(k, n, p0)
        case .greater: p = SpecialFunctions.binomialUpperTail(k - 1, n, p0)
        case .twoSided: p = twoSidedPValue(k, n, p0)
        }
        return TestResult(
            test: "binomial", n: n, statisticName: "k", statistic: Double(k), degreesOfFreedom: nil, pValue: p,
            effect: EffectSize(
                name: "proportion", value: Double(k) / Double(n),
                interval: wilsonInterval(k, n, level: confidenceLevel, alternative: alternative),
                intervalMethod: "Wilson score"),
            method: "exact")
    }

    /// SciPy's two-sided rule, step for step (see `binomialTest`).
    static func twoSidedPValue(_ k: Int, _ n: Int, _ p0: Double) -> Double {
        let pmf = { (x: Int) in SpecialFunctions.binomialPMF(x, n, p0) }
        let d = pmf(k)
        let relativeError = 1 + 1e-7
        let expected = p0 * Double(n)
        if Double(k) == expected { return 1 }
        let p: Double
        if Double(k) < expected {
            let ix = searchOrderedTerms({ -pmf($0) }, below: -d * relativeError,
                                        low: Int(expected.rounded(.up)), high: n)
            let y = n - ix + (d * relativeError == pmf(ix) ? 1 : 0)
            p = SpecialFunctions.binomialCDF(k, n, p0) + SpecialFunctions.binomialUpperTail(n - y, n, p0)
        } else {
            let ix = searchOrderedTerms(pmf, below: d * relativeError, low: 0, high: Int(expected.rounded(.down)))
            let y = ix + 1
            p = SpecialFunctions.binomialCDF(y - 1, n, p0) + SpecialFunctions.binomialUpperTail(k - 1, n, p0)
        }
        return min(1, p)
    }

    /// The index i in low...high with a(i) ≤ d < a(i + 1), for ascending a (SciPy's
    /// `_binary_search_for_binom_tst`; it may return low − 1 when every term exceeds d).
    static func searchOrderedTerms(_ a: (Int) -> Double, below d: Double, low: Int, high: Int) -> Int {
        var low = low, high = high
        while low < high {
            let mid = low + (high - low) / 2
            let value = a(mid)
            if value < d {
                low = mid + 1
            } else if value > d {
                high = mid - 1
            } else {
                return mid
            }
        }
        return a(low) <= d ? low : low - 1
    }

    /// The Wilson score interval (center ∓ z/(2(n + z²))·√(4npq + z²), center = (2np + z²)/(2(n + z²))),
    /// closed at 0 when k = 0 and at 1 when k = n, one-sided for one-sided alternatives.
    static func wilsonInterval(_ k: Int, _ n: Int, level: Double, alternative: Alternative) -> ConfidenceInterval {
        let nd = Double(n)
        let p = Double(k) / nd, q = 1 - p
        let z = Intervals.normalQuantile(level: level, alternative: alternative)
        let denominator = 2 * (nd + z * z)
        let center = (2 * nd * p + z * z) / denominator
        let delta = z / denominator * (4 * nd * p * q + z * z).squareRoot()
        let lower = alternative == .less || k == 0 ? 0 : center - delta
        let upper = alternative == .greater || k == n ? 1 : center + delta
        return ConfidenceInterval(lower: lower, upper: upper, level: level)
    }
}
