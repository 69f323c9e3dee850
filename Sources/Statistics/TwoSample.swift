import Foundation

/// Tests comparing two independent samples.
public enum TwoSample {
    /// How the Mann-Whitney p-value is computed.
    public enum Method: String, Sendable {
        /// SciPy's rule: exact when one sample has at most 8 values and there are no ties,
        /// asymptotic otherwise — and also asymptotic when the exact table would exceed about
        /// 10⁹ operations (a handful of values against hundreds of thousands), where SciPy
        /// would not finish either and the normal approximation is excellent.
        case auto
        /// The exact null distribution of U (no tie correction; U is truncated to an integer).
        /// Throws `CannotTest` when the table would exceed about 10⁹ operations.
        case exact
        /// The normal approximation with tie and continuity corrections.
        case asymptotic
    }

    /// Mann-Whitney U test, as `scipy.stats.mannwhitneyu(use_continuity=True, method:)`.
    ///
    /// U is the statistic of the first sample: R₁ − n₁(n₁ + 1)/2, with R₁ the sum of `a`'s average
    /// ranks in the pooled sample. The p-value uses U₁ for `greater`, U₂ = n₁n₂ − U₁ for `less`,
    /// and twice the upper tail of max(U₁, U₂) for `twoSided`, clipped to 1.
    ///
    /// The exact distribution is built by dynamic programming over sample sizes: the largest of
    /// i + j pooled values comes from the first sample with probability i/(i + j), and then it
    /// beats all j values of the second, so P_{i,j}(u) = i/(i+j)·P_{i−1,j}(u − j) + j/(i+j)·P_{i,j−1}(u).
    /// Working with probabilities keeps every term positive, so no precision is lost to
    /// cancellation or to counts beyond 2⁵³. The asymptotic method compares
    /// z = (U − n₁n₂/2 − 1/2)/σ with the normal distribution, where
    /// σ² = n₁n₂/12 · ((n + 1) − Σ(t³ − t)/(n(n − 1))) corrects for ties.
    ///
    /// The effect is the rank-biserial correlation r = 2U/(n₁n₂) − 1, which equals Cliff's delta
    /// and is positive when `a` tends to be larger. Its interval is Fisher's z with standard
    /// error √((n₁ + n₂ + 1)/(3n₁n₂)), the method of R's `effectsize::rank_biserial`, chosen
    /// because it needs no resampling and stays inside [−1, 1].
    ///
    /// - Throws: `CannotTest` for an empty sample, a NaN or infinite value, or an `exact` request
    ///   whose distribution is too large to compute.
    public static func mannWhitneyU(
        _ a: [Double], _ b: [Double], alternative: Alternative = .twoSided, method: Method = .auto,
        confidenceLevel: Double = 0.95
    ) throws -> TestResult {
        let test = "the Mann-Whitney U test"
        try Check.count(a, named: "the first sample", atLeast: 1, for: test)
        try Check.count(b, named: "the second sample", atLeast: 1, for: test)
        try Check.finite(a, named: "the first sample")
        try Check.finite(b, named: "the second sample")
        try Check.confidenceLevel(confidenceLevel)
        try Check.notConstant(a + b, named: "both samples together", for: test)

        let n1 = a.count, n2 = b.count
        let ranking = Ranking(a + b)
        let rankSum = Moments.sum(Array(ranking.ranks[0..<n1]))
        let u1 = rankSum - Double(n1) * (Double(n1) + 1) / 2
        let product = Double(n1) * Double(n2)
        let u2 = product - u1

        let u: Double, factor: Double
        switch alternative {
        case .greater: (u, factor) = (u1, 1)
        case .less: (u, factor) = (u2, 1)
        case .twoSided: (u, factor) = (max(u1, u2), 2)
        }

        let exactIsAffordable = MannWhitneyDistribution.isAffordable(u, n1, n2)
        let chosen: Method
        switch method {
        case .auto:
            chosen = (n1 > 8 && n2 > 8) || ranking.hasTies || !exactIsAffordable ? .asymptotic : .exact
        case .exact:
            if !exactIsAffordable {
                throw CannotTest(
                    reason: "the exact Mann-Whitney distribution for samples of \(n1) and \(n2) values is too large to compute; use the asymptotic method")
            }
            chosen = .exact
        case .asymptotic:
            chosen = .asymptotic
        }

        let tail: Double
        if chosen == .exact {
            tail = MannWhitneyDistribution.upperTail(atLeast: Int(u), n1, n2)
        } else {
            tail = asymptoticUpperTail(u, n1: Double(n1), n2: Double(n2), tieTerm: ranking.tieTerm)
        }
        let p = min(1, max(0, tail * factor))

        let r = 2 * u1 / product - 1
        let se = ((Double(n1) + Double(n2) + 1) / (3 * product)).squareRoot()
        return TestResult(
            test: "Mann-Whitney U", n: n1 + n2, statisticName: "U", statistic: u1, degreesOfFreedom: nil,
            pValue: p,
            effect: EffectSize(
                name: "rank-biserial r", value: r,
                interval: Intervals.fisher(r, standardError: se, level: confidenceLevel, alternative: alternative),
                intervalMethod: "Fisher z"),
            method: chosen.rawValue)
    }

    /// P(U ≥ u) by the normal approximation with continuity and tie corrections:
    /// z = (u − n₁n₂/2 − 1/2)/σ, σ² = n₁n₂/12 · ((n + 1) − Σ(t³ − t)/(n(n − 1))).
    ///
    /// Every quantity is a `Double`, so sizes up to 10⁹ and tie groups as large as n neither
    /// overflow nor lose the correction (the sample of 10M values with 2.3M ties that made the
    /// integer version trap is in the tests).
    static func asymptoticUpperTail(_ u: Double, n1: Double, n2: Double, tieTerm: Double) -> Double {
        let n = n1 + n2, product = n1 * n2
        let sigma = (product / 12 * ((n + 1) - tieTerm / (n * (n - 1)))).squareRoot()
        return SpecialFunctions.normalUpperTail((u - product / 2 - 0.5) / sigma)
    }

    /// The checks and summaries both t tests need: sizes, means and variances of the samples.
    static func tSamples(_ a: [Double], _ b: [Double], for test: String, confidenceLevel: Double) throws
        -> (n1: Double, n2: Double, mean1: Double, mean2: Double, var1: Double, var2: Double)
    {
        try Check.count(a, named: "the first sample", atLeast: 2, for: test)
        try Check.count(b, named: "the second sample", atLeast: 2, for: test)
        try Check.finite(a, named: "the first sample")
        try Check.finite(b, named: "the second sample")
        try Check.confidenceLevel(confidenceLevel)
        try Check.notConstant(a + b, named: "both samples together", for: test)
        let var1 = Moments.variance(a), var2 = Moments.variance(b)
        if var1 == 0 && var2 == 0 {
            throw CannotTest(
                reason: "both samples have zero variance (every value within each sample is the same), so a t statistic is undefined")
        }
        return (Double(a.count), Double(b.count), Moments.mean(a), Moments.mean(b), var1, var2)
    }

    /// Welch's unequal-variances t test, as `scipy.stats.ttest_ind(equal_var=False)`.
    ///
    /// t = (x̄₁ − x̄₂)/√(s₁²/n₁ + s₂²/n₂) with the Welch–Satterthwaite degrees of freedom
    /// (s₁²/n₁ + s₂²/n₂)² / ((s₁²/n₁)²/(n₁ − 1) + (s₂²/n₂)²/(n₂ − 1)). Welch is the default
    /// two-sample t test because it keeps its error rate when the variances differ and loses
    /// almost nothing when they do not.
    ///
    /// The effect is Cohen's d = (x̄₁ − x̄₂)/s_p with the pooled SD
    /// s_p = √(((n₁ − 1)s₁² + (n₂ − 1)s₂²)/(n₁ + n₂ − 2)), positive when mean(a) > mean(b). Its
    /// interval is exact: d = t_p·√(1/n₁ + 1/n₂), with t_p the pooled-variance t statistic, which
    /// is noncentral t with n₁ + n₂ − 2 degrees of freedom, so the noncentral-t bounds of t_p
    /// scaled by √(1/n₁ + 1/n₂) cover the population d (`effectsize::cohens_d`). The normal
    /// approximation it replaces was too narrow in small samples.
    ///
    /// - Throws: `CannotTest` for fewer than 2 values in a sample, a NaN or infinite value, or
    ///   zero variance in both samples.
    public static func welchT(
        _ a: [Double], _ b: [Double], alternative: Alternative = .twoSided, confidenceLevel: Double = 0.95
    ) throws -> TestResult {
        let test = "Welch's t test"
        let (n1, n2, mean1, mean2, var1, var2) = try tSamples(a, b, for: test, confidenceLevel: confidenceLevel)
        let se1 = var1 / n1, se2 = var2 / n2
        let t = (mean1 - mean2) / (se1 + se2).squareRoot()
        let df = (se1 + se2) * (se1 + se2) / (se1 * se1 / (n1 - 1) + se2 * se2 / (n2 - 1))
        let p = SpecialFunctions.pValue(t, alternative: alternative) {
            SpecialFunctions.studentTUpperTail($0, degreesOfFreedom: df)
        }
        return TestResult(
            test: "Welch t", n: a.count + b.count, statisticName: "t", statistic: t, degreesOfFreedom: df,
            pValue: p,
            effect: cohensD(mean1 - mean2, var1, var2, n1, n2, level: confidenceLevel, alternative: alternative),
            method: nil)
    }

    /// Student's two-sample t test with pooled variance, as `scipy.stats.ttest_ind(equal_var=True)`.
    ///
    /// t = (x̄₁ − x̄₂)/(s_p √(1/n₁ + 1/n₂)) with n₁ + n₂ − 2 degrees of freedom. Prefer `welchT`
    /// unless equal variances are known; this test is here for replicating published analyses.
    ///
    /// The effect is Hedges' g = J·d, Cohen's d with the exact small-sample bias correction
    /// J = Γ(ν/2)/(√(ν/2) Γ((ν − 1)/2)), ν = n₁ + n₂ − 2 (Hedges 1981), positive when
    /// mean(a) > mean(b); its interval is J times the exact noncentral-t interval of d.
    ///
    /// - Throws: `CannotTest` for fewer than 2 values in a sample, a NaN or infinite value, or
    ///   zero variance in both samples.
    public static func studentT(
        _ a: [Double], _ b: [Double], alternative: Alternative = .twoSided, confidenceLevel: Double = 0.95
    ) throws -> TestResult {
        let test = "Student's t test"
        let (n1, n2, mean1, mean2, var1, var2) = try tSamples(a, b, for: test, confidenceLevel: confidenceLevel)
        let df = n1 + n2 - 2
        let pooledVariance = ((n1 - 1) * var1 + (n2 - 1) * var2) / df
        let t = (mean1 - mean2) / (pooledVariance * (1 / n1 + 1 / n2)).squareRoot()
        let p = SpecialFunctions.pValue(t, alternative: alternative) {
            SpecialFunctions.studentTUpperTail($0, degreesOfFreedom: df)
        }
        let d = (mean1 - mean2) / pooledVariance.squareRoot()
        let j = EffectIntervals.hedgesCorrection(degreesOfFreedom: df)
        let dInterval = EffectIntervals.standardizedDifference(
            d, scale: (1 / n1 + 1 / n2).squareRoot(), degreesOfFreedom: df, level: confidenceLevel, alternative: alternative)
        return TestResult(
            test: "Student t", n: a.count + b.count, statisticName: "t", statistic: t, degreesOfFreedom: df,
            pValue: p,
            effect: EffectSize(
                name: "Hedges' g", value: j * d,
                interval: ConfidenceInterval(lower: j * dInterval.lower, upper: j * dInterval.upper, level: confidenceLevel),
                intervalMethod: "noncentral t"),
            method: nil)
    }

    /// Cohen's d with the pooled SD and its exact noncentral-t interval.
    static func cohensD(
        _ difference: Double, _ var1: Double, _ var2: Double, _ n1: Double, _ n2: Double,
        level: Double, alternative: Alternative
    ) -> EffectSize {
        let df = n1 + n2 - 2
        let pooled = (((n1 - 1) * var1 + (n2 - 1) * var2) / df).squareRoot()
        let d = difference / pooled
        return EffectSize(
            name: "Cohen's d", value: d,
            interval: EffectIntervals.standardizedDifference(
                d, scale: (1 / n1 + 1 / n2).squareRoot(), degreesOfFreedom: df, level: level, alternative: alternative),
            intervalMethod: "noncentral t")
    }
}

/// The exact null distribution of the Mann-Whitney U statistic (no ties).
enum MannWhitneyDistribution {
    /// Whether the table behind `upperTail` stays within about 10⁹ operations.
    static func isAffordable(_ u: Double, _ n1: Int, _ n2: Int) -> Bool {
        let reach = min(u, Double(n1) * Double(n2) - u) + 1
        return Double(n1) * Double(n2) * reach <= 1e9
    }

    /// P(U = u) for u in 0...maxU, for samples of sizes n1 and n2.
    static func probabilities(upTo maxU: Int, _ n1: Int, _ n2: Int) -> [Double] {
        // U's distribution is symmetric in the two sizes; keep the smaller one in the inner table.
        let small = min(n1, n2), large = max(n1, n2)
        // table[i][u] holds P_{i,j}(u) for the current j.
        var table = [[Double]](repeating: [Double](repeating: 0, count: maxU + 1), count: small + 1)
        for i in 0...small { table[i][0] = 1 }
        if large == 0 { return table[small] }
        for j in 1...large {
            if small == 0 { break }
            for i in 1...small {
                let fromFirst = Double(i) / Double(i + j), fromSecond = Double(j) / Double(i + j)
                var row = table[i]
                let previous = table[i - 1]
                for u in 0...maxU {
                    let shifted = u >= j ? previous[u - j] : 0
                    row[u] = fromFirst * shifted + fromSecond * row[u]
                }
                table[i] = row
            }
        }
        return table[small]
    }

    /// P(U ≥ k), summed from the nearer end as SciPy does: the distribution is symmetric about
    /// n₁n₂/2, so P(U ≥ k) = P(U ≤ n₁n₂ − k), and only the lower half is ever built.
    static func upperTail(atLeast k: Int, _ n1: Int, _ n2: Int) -> Double {
        let complement = n1 * n2 - k
        if k < complement {
            let pmf = probabilities(upTo: k, n1, n2)
            let cdf = pmf.reduce(0, +)
            return 1 - cdf + pmf[k]
        }
        return probabilities(upTo: complement, n1, n2).reduce(0, +)
    }
}
