import Foundation

/// Tests comparing k ≥ 2 independent groups at once (the omnibus question "do any differ?").
public enum KGroups {
    /// The Kruskal-Wallis H test, as `scipy.stats.kruskal`.
    ///
    /// H = (12/(n(n + 1)) Σ Rᵢ²/nᵢ − 3(n + 1)) / (1 − Σ(t³ − t)/(n³ − n)), with Rᵢ the sum of the
    /// average ranks of group i in the pooled sample; the denominator corrects for ties. The
    /// p-value is the upper tail of χ² with k − 1 degrees of freedom (SciPy's only method).
    ///
    /// The effect is epsilon squared, ε² = H/(n − 1) (Tomczak and Tomczak, 2014), the share of
    /// rank variance explained by the groups, in [0, 1]. It has no closed-form interval, so its
    /// interval is a seeded percentile bootstrap that resamples within each group (see
    /// `BootstrapOptions`); pass `bootstrap: nil` for none.
    ///
    /// - Throws: `CannotTest` for fewer than 2 groups, an empty group, NaN or infinite values, all
    ///   values equal, or invalid bootstrap options.
    public static func kruskalWallis(
        _ groups: [[Double]], bootstrap: BootstrapOptions? = BootstrapOptions()
    ) throws -> TestResult {
        let test = "the Kruskal-Wallis test"
        try checkGroups(groups, for: test)
        try bootstrap?.validate()
        let pooled = groups.flatMap { $0 }
        if let first = pooled.first, pooled.allSatisfy({ $0 == first }) {
            throw CannotTest(reason: "every value in every group is the same (constant input), so \(test) has nothing to rank")
        }
        let n = Double(pooled.count)
        let ranking = Ranking(pooled)
        var offset = 0
        var sumOfSquares = 0.0
        for group in groups {
            let rankSum = Moments.sum(Array(ranking.ranks[offset..<(offset + group.count)]))
            sumOfSquares += rankSum * rankSum / Double(group.count)
            offset += group.count
        }
        let tieTerm = Double(ranking.tieGroupSizes.reduce(0) { $0 + ($1 * $1 * $1 - $1) })
        let h = (12 / (n * (n + 1)) * sumOfSquares - 3 * (n + 1)) / (1 - tieTerm / (n * n * n - n))
        let df = Double(groups.count - 1)
        return TestResult(
            test: "Kruskal-Wallis", n: pooled.count, statisticName: "H", statistic: h, degreesOfFreedom: df,
            pValue: min(1, SpecialFunctions.chiSquareUpperTail(h, degreesOfFreedom: df)),
            effect: EffectSize(
                name: "epsilon squared", value: h / (n - 1),
                interval: bootstrap.flatMap { Bootstrap.epsilonSquared(groups, options: $0).interval }),
            method: "asymptotic")
    }

    /// One-way analysis of variance, as `scipy.stats.f_oneway`.
    ///
    /// F = (SS_between/(k − 1)) / (SS_within/(n − k)); the p-value is the upper tail of the F
    /// distribution with (k − 1, n − k) degrees of freedom, stored as `degreesOfFreedom` and
    /// `denominatorDegreesOfFreedom`. It assumes normal groups with equal variances.
    ///
    /// The effect is eta squared, η² = SS_between/SS_total, the share of variance explained by
    /// the groups. An exact interval would need the noncentral F distribution and the very
    /// normality the data may lack, so its interval is a seeded percentile bootstrap that
    /// resamples within each group (see `BootstrapOptions`); pass `bootstrap: nil` for none.
    ///
    /// - Throws: `CannotTest` for fewer than 2 groups, an empty group, no more values than
    ///   groups, NaN or infinite values, no variation within any group, or invalid bootstrap
    ///   options.
    public static func oneWayANOVA(
        _ groups: [[Double]], bootstrap: BootstrapOptions? = BootstrapOptions()
    ) throws -> TestResult {
        let test = "one-way ANOVA"
        try checkGroups(groups, for: test)
        try bootstrap?.validate()
        let pooled = groups.flatMap { $0 }
        let k = Double(groups.count), n = Double(pooled.count)
        if pooled.count <= groups.count {
            throw CannotTest(
                reason: "\(test) needs more values than groups to estimate the within-group variance, found \(pooled.count) values in \(groups.count) groups")
        }
        let grandMean = Moments.mean(pooled)
        let ssWithin = Moments.sum(groups.map { group in
            let mean = Moments.mean(group)
            return Moments.sum(group.map { ($0 - mean) * ($0 - mean) })
        })
        if ssWithin == 0 {
            throw CannotTest(
                reason: "no group varies within itself (every value equals its group mean), so the F ratio is undefined")
        }
        let ssBetween = Moments.sum(groups.map { group in
            let difference = Moments.mean(group) - grandMean
            return Double(group.count) * difference * difference
        })
        let d1 = k - 1, d2 = n - k
        let f = (ssBetween / d1) / (ssWithin / d2)
        return TestResult(
            test: "one-way ANOVA", n: pooled.count, statisticName: "F", statistic: f, degreesOfFreedom: d1,
            pValue: min(1, SpecialFunctions.fUpperTail(f, d1, d2)),
            effect: EffectSize(
                name: "eta squared", value: ssBetween / (ssBetween + ssWithin),
                interval: bootstrap.flatMap { Bootstrap.etaSquared(groups, options: $0).interval }),
            method: nil, denominatorDegreesOfFreedom: d2)
    }

    private static func checkGroups(_ groups: [[Double]], for test: String) throws {
        if groups.count < 2 {
            throw CannotTest(reason: "\(test) compares at least 2 groups, found \(groups.count)")
        }
        for (index, group) in groups.enumerated() {
            try Check.count(group, named: "group \(index + 1)", atLeast: 1, for: test)
            try Check.finite(group, named: "group \(index + 1)")
        }
    }
}
