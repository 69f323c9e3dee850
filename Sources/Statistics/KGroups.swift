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
    /// rank variance explained by the groups, in [0, 1]. Its analytic interval inverts H's
    /// noncentral chi-square approximation (k − 1 degrees of freedom): the noncentralities
    /// [λ_L, λ_U] that put the observed H at the 1 − α/2 and α/2 quantiles, mapped as the point
    /// estimate is, λ/(n − 1), and clipped to 1. Since E[H] = λ + k − 1, the sample ε²
    /// overestimates by (k − 1)/(n − 1); the bias-corrected max(0, H − (k − 1))/(n − 1) is given as
    /// an additional effect and always lies inside the interval. `interval: .bootstrap(...)`
    /// gives the seeded percentile bootstrap within groups instead; `.none` no interval.
    ///
    /// - Throws: `CannotTest` for fewer than 2 groups, an empty group, NaN or infinite values, all
    ///   values equal, or invalid interval options.
    public static func kruskalWallis(
        _ groups: [[Double]], interval: IntervalChoice = .standard
    ) throws -> TestResult {
        let test = "the Kruskal-Wallis test"
        try checkGroups(groups, for: test)
        try interval.validate()
        let pooled = groups.flatMap { $0 }
        try Check.notConstant(pooled, named: "every group together", for: test)
        let n = Double(pooled.count)
        let ranking = Ranking(pooled)
        var offset = 0
        var sumOfSquares = 0.0
        for group in groups {
            let rankSum = Moments.sum(Array(ranking.ranks[offset..<(offset + group.count)]))
            sumOfSquares += rankSum * rankSum / Double(group.count)
            offset += group.count
        }
        let h = hStatistic(sumOfSquares: sumOfSquares, n: n, tieTerm: ranking.tieTerm)
        let df = Double(groups.count - 1)
        let map = { (lambda: Double) in min(1, max(0, lambda) / (n - 1)) }
        let (effectInterval, intervalMethod) = chosenInterval(interval, bootstrap: { Bootstrap.epsilonSquared(groups, options: $0) }) { level in
            let bounds = EffectIntervals.chiSquareNoncentrality(h, degreesOfFreedom: df, level: level)
            return (ConfidenceInterval(lower: map(bounds.lower), upper: map(bounds.upper), level: level), "noncentral chi-square")
        }
        var result = TestResult(
            test: "Kruskal-Wallis", n: pooled.count, statisticName: "H", statistic: h, degreesOfFreedom: df,
            pValue: min(1, SpecialFunctions.chiSquareUpperTail(h, degreesOfFreedom: df)),
            effect: EffectSize(name: "epsilon squared", value: h / (n - 1), interval: effectInterval, intervalMethod: intervalMethod),
            method: "asymptotic")
        result.additionalEffects = [EffectSize(
            name: "bias-corrected epsilon squared", value: map(h - df),
            interval: intervalMethod == "noncentral chi-square" ? effectInterval : nil, intervalMethod: intervalMethod)]
        return result
    }

    /// H = (12/(n(n + 1)) Σ Rᵢ²/nᵢ − 3(n + 1)) / (1 − Σ(t³ − t)/(n³ − n)), all in `Double` so that
    /// n up to 10⁹ and tie groups as large as n neither overflow nor lose the correction.
    static func hStatistic(sumOfSquares: Double, n: Double, tieTerm: Double) -> Double {
        (12 / (n * (n + 1)) * sumOfSquares - 3 * (n + 1)) / (1 - tieTerm / (n * n * n - n))
    }

    /// The effect's interval under the caller's choice: none, the analytic one, or the bootstrap.
    static func chosenInterval(
        _ choice: IntervalChoice, bootstrap: (BootstrapOptions) -> Bootstrap.Outcome,
        analytic: (Double) -> (ConfidenceInterval, String)
    ) -> (ConfidenceInterval?, String?) {
        switch choice {
        case .none: return (nil, nil)
        case .analytic(let level):
            let (interval, method) = analytic(level)
            return (interval, method)
        case .bootstrap(let options):
            let outcome = bootstrap(options)
            return (outcome.interval, outcome.interval == nil ? nil : options.methodDescription)
        }
    }

    /// One-way analysis of variance, as `scipy.stats.f_oneway`.
    ///
    /// F = (SS_between/(k − 1)) / (SS_within/(n − k)); the p-value is the upper tail of the F
    /// distribution with (k − 1, n − k) degrees of freedom, stored as `degreesOfFreedom` and
    /// `denominatorDegreesOfFreedom`. It assumes normal groups with equal variances.
    ///
    /// The effect is eta squared, η² = SS_between/SS_total, the share of variance explained by
    /// the groups. Its analytic interval is exact under the test's assumptions: F is noncentral F
    /// with noncentrality λ = n·η²/(1 − η²) for the population η², so the noncentralities
    /// [λ_L, λ_U] that put the observed F at the 1 − α/2 and α/2 quantiles map to
    /// [λ_L/(λ_L + n), λ_U/(λ_U + n)] (Steiger 2004; `effectsize::eta_squared`). Omega squared,
    /// the same map at λ̂ = d₁(F − 1), is the less biased estimate and is given as an additional
    /// effect. `interval: .bootstrap(...)` gives the seeded percentile bootstrap within groups,
    /// which does not lean on normality; `.none` no interval.
    ///
    /// - Throws: `CannotTest` for fewer than 2 groups, an empty group, no more values than
    ///   groups, NaN or infinite values, no variation within any group, or invalid interval
    ///   options.
    public static func oneWayANOVA(
        _ groups: [[Double]], interval: IntervalChoice = .standard
    ) throws -> TestResult {
        let test = "one-way ANOVA"
        try checkGroups(groups, for: test)
        try interval.validate()
        let pooled = groups.flatMap { $0 }
        let k = Double(groups.count), n = Double(pooled.count)
        try Check.notConstant(pooled, named: "every group together", for: test)
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
        let map = { (lambda: Double) in max(0, lambda) / (max(0, lambda) + n) }
        let (effectInterval, intervalMethod) = chosenInterval(interval, bootstrap: { Bootstrap.etaSquared(groups, options: $0) }) { level in
            let bounds = EffectIntervals.fNoncentrality(f, d1, d2, level: level)
            return (ConfidenceInterval(lower: map(bounds.lower), upper: map(bounds.upper), level: level), "noncentral F")
        }
        var result = TestResult(
            test: "one-way ANOVA", n: pooled.count, statisticName: "F", statistic: f, degreesOfFreedom: d1,
            pValue: min(1, SpecialFunctions.fUpperTail(f, d1, d2)),
            effect: EffectSize(
                name: "eta squared", value: ssBetween / (ssBetween + ssWithin), interval: effectInterval,
                intervalMethod: intervalMethod),
            method: nil, denominatorDegreesOfFreedom: d2)
        result.additionalEffects = [EffectSize(
            name: "omega squared", value: map(d1 * (f - 1)),
            interval: intervalMethod == "noncentral F" ? effectInterval : nil, intervalMethod: intervalMethod)]
        return result
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
