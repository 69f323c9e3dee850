import Foundation

/// Tests of association between two paired variables.
public enum Correlation {
    /// Spearman's rank correlation, as `scipy.stats.spearmanr`.
    ///
    /// rho is Pearson's correlation of the average ranks (ties share the mean of their ranks).
    /// The p-value treats t = rho·√((n − 2)/((1 + rho)(1 − rho))) as Student t with n − 2 degrees
    /// of freedom — SciPy's choice; it is an approximation, close from about n = 10 upwards.
    /// The interval is Fisher's z, tanh(atanh(rho) ∓ z/√(n − 3)); the standard error 1/√(n − 3)
    /// is the Pearson one (SciPy's `pearsonr` interval), slightly narrow for Spearman, chosen so
    /// the interval matches a widely reproduced reference. With n = 3 the interval is [−1, 1],
    /// as in SciPy, because the standard error is undefined.
    ///
    /// - Throws: `CannotTest` for fewer than 3 pairs, mismatched lengths, NaN or infinite values,
    ///   or a constant variable.
    public static func spearman(
        _ x: [Double], _ y: [Double], alternative: Alternative = .twoSided, confidenceLevel: Double = 0.95
    ) throws -> TestResult {
        let test = "Spearman's correlation"
        try checkPairs(x, y, for: test, kind: "a rank correlation", confidenceLevel: confidenceLevel)

        let n = x.count
        let rho = pearson(Ranking(x).ranks, Ranking(y).ranks)
        let df = Double(n - 2)
        let t = rho * max(0, df / ((rho + 1) * (1 - rho))).squareRoot()
        let p = SpecialFunctions.pValue(t, alternative: alternative) {
            SpecialFunctions.studentTUpperTail($0, degreesOfFreedom: df)
        }
        return TestResult(
            test: "Spearman", n: n, statisticName: "rho", statistic: rho, degreesOfFreedom: df, pValue: p,
            effect: EffectSize(
                name: "rho", value: rho,
                interval: fisherInterval(rho, n: n, level: confidenceLevel, alternative: alternative),
                intervalMethod: "Fisher z"),
            method: nil)
    }

    /// Pearson's product-moment correlation, as `scipy.stats.pearsonr`.
    ///
    /// Under the null hypothesis of independent normal variables, r follows a beta distribution
    /// on (−1, 1) with both shapes n/2 − 1 (equivalently t = r√((n − 2)/(1 − r²)) is Student t
    /// with n − 2 degrees of freedom); the p-value is its tail. The interval is Fisher's z,
    /// tanh(atanh(r) ∓ z/√(n − 3)), SciPy's `confidence_interval`; [−1, 1] when n = 3.
    ///
    /// - Throws: `CannotTest` for fewer than 3 pairs (two points always lie on a line),
    ///   mismatched lengths, NaN or infinite values, or a constant variable.
    public static func pearson(
        _ x: [Double], _ y: [Double], alternative: Alternative = .twoSided, confidenceLevel: Double = 0.95
    ) throws -> TestResult {
        let test = "Pearson's correlation"
        try checkPairs(x, y, for: test, kind: "a correlation", confidenceLevel: confidenceLevel)

        let n = x.count
        let r = pearson(x, y)
        let shape = Double(n) / 2 - 1
        let p = SpecialFunctions.pValue(r, alternative: alternative) { value in
            SpecialFunctions.incompleteBeta(shape, shape, x: (1 - value) / 2, y: (1 + value) / 2).lower
        }
        return TestResult(
            test: "Pearson", n: n, statisticName: "r", statistic: r, degreesOfFreedom: Double(n - 2), pValue: p,
            effect: EffectSize(
                name: "r", value: r,
                interval: fisherInterval(r, n: n, level: confidenceLevel, alternative: alternative),
                intervalMethod: "Fisher z"),
            method: nil)
    }

    /// Kendall's tau-b, as `scipy.stats.kendalltau(method="auto")`.
    ///
    /// tau-b = (C − D)/√((P − Tx)(P − Ty)), with C and D the concordant and discordant pairs, P
    /// all pairs and Tx, Ty the pairs tied in x or y; it reaches ±1 with ties, unlike tau-a.
    /// D is counted in O(n log n) by merge sort. The p-value is exact (Kendall's recurrence for
    /// the number of permutations with a given number of inversions) when there are no ties and
    /// n ≤ 33 or the ranks are at most one swap from perfect order — SciPy's rule — and
    /// otherwise uses the normal approximation with the tie-corrected variance of C − D.
    ///
    /// The interval is Fisher's z with standard error √(0.437/(n − 4)) (Fieller, Hartley and
    /// Pearson, 1957), the usual closed-form choice for tau; nil for n ≤ 4, where it is undefined.
    ///
    /// - Throws: `CannotTest` for fewer than 3 pairs, mismatched lengths, NaN or infinite values,
    ///   or a constant variable.
    public static func kendallTauB(
        _ x: [Double], _ y: [Double], alternative: Alternative = .twoSided, confidenceLevel: Double = 0.95
    ) throws -> TestResult {
        let test = "Kendall's tau-b"
        try checkPairs(x, y, for: test, kind: "a rank correlation", confidenceLevel: confidenceLevel)

        let n = x.count
        let pairs = KendallPairs(x, y)
        let total = n * (n - 1) / 2
        let concordantMinusDiscordant = Double(total - pairs.xTies.pairs - pairs.yTies.pairs + pairs.jointTies - 2 * pairs.discordant)
        let tau = min(1, max(-1,
            concordantMinusDiscordant / Double(total - pairs.xTies.pairs).squareRoot()
                / Double(total - pairs.yTies.pairs).squareRoot()))

        let untied = pairs.xTies.pairs == 0 && pairs.yTies.pairs == 0
        let exact = untied && (n <= 33 || min(pairs.discordant, total - pairs.discordant) <= 1)
        let p: Double
        if exact {
            p = KendallDistribution.pValue(n: n, concordant: total - pairs.discordant, alternative: alternative)
        } else {
            let nd = Double(n), m = nd * (nd - 1)
            let variance = (m * (2 * nd + 5) - pairs.xTies.v1 - pairs.yTies.v1) / 18
                + 2 * Double(pairs.xTies.pairs) * Double(pairs.yTies.pairs) / m
                + pairs.xTies.v0 * pairs.yTies.v0 / (9 * m * (nd - 2))
            let z = concordantMinusDiscordant / variance.squareRoot()
            p = SpecialFunctions.pValue(z, alternative: alternative, upperTail: SpecialFunctions.normalUpperTail)
        }
        let interval = n > 4
            ? Intervals.fisher(tau, standardError: (0.437 / Double(n - 4)).squareRoot(),
                               level: confidenceLevel, alternative: alternative)
            : nil
        return TestResult(
            test: "Kendall tau-b", n: n, statisticName: "tau", statistic: tau, degreesOfFreedom: nil, pValue: p,
            effect: EffectSize(name: "tau-b", value: tau, interval: interval, intervalMethod: "Fisher z"),
            method: exact ? "exact" : "asymptotic")
    }

    /// The checks every correlation makes: paired, at least 3 pairs, finite values, a valid
    /// confidence level, and neither variable constant.
    static func checkPairs(_ x: [Double], _ y: [Double], for test: String, kind: String, confidenceLevel: Double) throws {
        try Check.sameLength(x, y, for: test)
        try Check.count(x, named: "each variable", atLeast: 3, for: test)
        try Check.finite(x, named: "x")
        try Check.finite(y, named: "y")
        try Check.confidenceLevel(confidenceLevel)
        try Check.notConstant(x, named: "x", for: kind)
        try Check.notConstant(y, named: "y", for: kind)
    }

    /// Pearson's r = Σ(x − x̄)(y − ȳ) / √(Σ(x − x̄)² Σ(y − ȳ)²), clipped to [−1, 1] against rounding.
    static func pearson(_ x: [Double], _ y: [Double]) -> Double {
        let mx = Moments.mean(x), my = Moments.mean(y)
        let dx = x.map { $0 - mx }, dy = y.map { $0 - my }
        let sxy = Moments.sum(zip(dx, dy).map { $0 * $1 })
        let sxx = Moments.sum(dx.map { $0 * $0 })
        let syy = Moments.sum(dy.map { $0 * $0 })
        return min(1, max(-1, sxy / sxx.squareRoot() / syy.squareRoot()))
    }

    /// The Fisher-z interval with standard error 1/√(n − 3); [−1, 1] when n ≤ 3, as SciPy.
    static func fisherInterval(_ r: Double, n: Int, level: Double, alternative: Alternative) -> ConfidenceInterval {
        if n <= 3 { return ConfidenceInterval(lower: -1, upper: 1, level: level) }
        return Intervals.fisher(r, standardError: 1 / Double(n - 3).squareRoot(), level: level, alternative: alternative)
    }
}
