import Foundation

/// Tests comparing two measurements of the same units (x[i] and y[i] belong together).
public enum Paired {
    /// The Wilcoxon signed-rank test on d = x − y, as `scipy.stats.wilcoxon` with its defaults:
    /// zero differences dropped ("wilcox"), no continuity correction, method "auto".
    ///
    /// R⁺ and R⁻ are the sums of the average ranks of |d| over positive and negative differences.
    /// SciPy's auto rule decides how the p-value of R⁺ is found, and `method` reports it:
    /// - more than 50 pairs: "asymptotic", the normal approximation with mean m(m + 1)/4 and
    ///   variance (m(m + 1)(2m + 1) − Σ(t³ − t)/2)/24 over the m nonzero differences;
    /// - no ties and no zeros: "exact", the null distribution of R⁺ over the 2ᵐ sign patterns;
    /// - otherwise, up to 13 pairs: "exact permutation", the same sign-flip distribution built on
    ///   the tied ranks (SciPy enumerates all 2ⁿ flips in `permutation_test`);
    /// - otherwise "asymptotic".
    /// The sign-flip distribution is built by dynamic programming over doubled ranks (which are
    /// integers), adding one rank at a time with probability one half each way.
    ///
    /// The statistic is SciPy's: min(R⁺, R⁻) for a two-sided test, R⁺ for one-sided ones. `n` is
    /// the number of nonzero differences, the pairs the test uses.
    /// The effect is the matched-pairs rank-biserial r = (R⁺ − R⁻)/(R⁺ + R⁻), positive when x
    /// tends to exceed y, with the Fisher-z interval of R's `effectsize::rank_biserial`,
    /// standard error √((2m³ + 3m² + m)/6)/(m(m + 1)/2).
    ///
    /// - Throws: `CannotTest` for mismatched lengths, no pairs, NaN or infinite values, or no
    ///   nonzero difference.
    public static func wilcoxonSignedRank(
        _ x: [Double], _ y: [Double], alternative: Alternative = .twoSided, confidenceLevel: Double = 0.95
    ) throws -> TestResult {
        let test = "the Wilcoxon signed-rank test"
        try Check.sameLength(x, y, for: test)
        try Check.count(x, named: "each variable", atLeast: 1, for: test)
        try Check.finite(x, named: "x")
        try Check.finite(y, named: "y")
        try Check.confidenceLevel(confidenceLevel)

        let differences = zip(x, y).map { $0 - $1 }
        let nonzero = differences.filter { $0 != 0 }
        if nonzero.isEmpty {
            throw CannotTest(reason: Check.constantReason("the differences x − y", test) + " (every difference is 0)")
        }
        let m = Double(nonzero.count)
        let ranking = Ranking(nonzero.map(abs))
        var rPlus = 0.0, rMinus = 0.0
        for (difference, rank) in zip(nonzero, ranking.ranks) {
            if difference > 0 { rPlus += rank } else { rMinus += rank }
        }

        let method: String
        if differences.count > 50 {
            method = "asymptotic"
        } else if !ranking.hasTies && nonzero.count == differences.count {
            method = "exact"
        } else if differences.count <= 13 {
            method = "exact permutation"
        } else {
            method = "asymptotic"
        }

        let p: Double
        if method == "asymptotic" {
            let z = signedRankZ(rPlus: rPlus, m: m, tieTerm: ranking.tieTerm)
            p = SpecialFunctions.pValue(z, alternative: alternative, upperTail: SpecialFunctions.normalUpperTail)
        } else {
            p = signFlipPValue(doubledRanks: ranking.ranks.map { Int(($0 * 2).rounded()) },
                               observed: Int((rPlus * 2).rounded()), alternative: alternative)
        }

        let r = (rPlus - rMinus) / (rPlus + rMinus)
        let se = ((2 * m * m * m + 3 * m * m + m) / 6).squareRoot() / (m * (m + 1) / 2)
        return TestResult(
            test: "Wilcoxon signed-rank", n: nonzero.count, statisticName: "W",
            statistic: alternative == .twoSided ? min(rPlus, rMinus) : rPlus, degreesOfFreedom: nil,
            pValue: p,
            effect: EffectSize(
                name: "matched-pairs rank-biserial r", value: r,
                interval: Intervals.fisher(r, standardError: se, level: confidenceLevel, alternative: alternative),
                intervalMethod: "Fisher z"),
            method: method)
    }

    /// z = (R⁺ − m(m + 1)/4)/√((m(m + 1)(2m + 1) − Σ(t³ − t)/2)/24), in `Double` throughout, so m up
    /// to 10⁹ and tie groups as large as m neither overflow nor lose the correction.
    static func signedRankZ(rPlus: Double, m: Double, tieTerm: Double) -> Double {
        let se = ((m * (m + 1) * (2 * m + 1) - tieTerm / 2) / 24).squareRoot()
        return (rPlus - m * (m + 1) / 4) / se
    }

    /// The p-value of 2R⁺ = `observed` under random signs: each doubled rank joins the positive
    /// sum with probability 1/2. Tails are summed directly (never as 1 − the other tail).
    static func signFlipPValue(doubledRanks: [Int], observed: Int, alternative: Alternative) -> Double {
        let total = doubledRanks.reduce(0, +)
        var distribution = [Double](repeating: 0, count: total + 1)
        distribution[0] = 1
        var reach = 0
        for weight in doubledRanks {
            reach += weight
            for sum in stride(from: reach, through: 0, by: -1) {
                let shifted = sum >= weight ? distribution[sum - weight] : 0
                distribution[sum] = 0.5 * distribution[sum] + 0.5 * shifted
            }
        }
        let lower = distribution[0...observed].reduce(0, +)
        let upper = distribution[observed...].reduce(0, +)
        switch alternative {
        case .less: return min(1, lower)
        case .greater: return min(1, upper)
        case .twoSided: return min(1, 2 * min(lower, upper))
        }
    }

    /// The paired t test on d = x − y, as `scipy.stats.ttest_rel`.
    ///
    /// t = d̄/(s_d/√n) with n − 1 degrees of freedom. The effect is Cohen's d_z = d̄/s_d, the
    /// standardized mean difference of the pairs (positive when x exceeds y on average), with
    /// the exact interval d_z = t/√n: the noncentral-t bounds of t with n − 1 degrees of freedom,
    /// divided by √n.
    ///
    /// - Throws: `CannotTest` for mismatched lengths, fewer than 2 pairs, NaN or infinite
    ///   values, or differences that are all the same (zero variance).
    public static func pairedT(
        _ x: [Double], _ y: [Double], alternative: Alternative = .twoSided, confidenceLevel: Double = 0.95
    ) throws -> TestResult {
        let test = "the paired t test"
        try Check.sameLength(x, y, for: test)
        try Check.count(x, named: "each variable", atLeast: 2, for: test)
        try Check.finite(x, named: "x")
        try Check.finite(y, named: "y")
        try Check.confidenceLevel(confidenceLevel)

        let differences = zip(x, y).map { $0 - $1 }
        try Check.notConstant(differences, named: "the differences x − y", for: test)
        let n = Double(differences.count)
        let mean = Moments.mean(differences)
        let sd = Moments.variance(differences).squareRoot()
        let t = mean / (sd / n.squareRoot())
        let df = n - 1
        let p = SpecialFunctions.pValue(t, alternative: alternative) {
            SpecialFunctions.studentTUpperTail($0, degreesOfFreedom: df)
        }
        let dz = mean / sd
        return TestResult(
            test: "paired t", n: differences.count, statisticName: "t", statistic: t, degreesOfFreedom: df,
            pValue: p,
            effect: EffectSize(
                name: "Cohen's d_z", value: dz,
                interval: EffectIntervals.standardizedDifference(
                    dz, scale: 1 / n.squareRoot(), degreesOfFreedom: df, level: confidenceLevel, alternative: alternative),
                intervalMethod: "noncentral t"),
            method: nil)
    }
}
