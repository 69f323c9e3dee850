import Foundation

/// Tests of association between two categorical variables, given as a table of counts
/// (rows are the categories of one variable, columns those of the other).
public enum Categorical {
    /// Pearson's chi-square test of independence, as `scipy.stats.chi2_contingency`.
    ///
    /// Expected counts are Eᵢⱼ = (row i total)(column j total)/n and χ² = Σ(O − E)²/E with
    /// (r − 1)(c − 1) degrees of freedom. For a 2×2 table (one degree of freedom) Yates'
    /// continuity correction moves each observed count up to 0.5 towards its expected count,
    /// SciPy's default, because the uncorrected test is anti-conservative there.
    ///
    /// The effect is Cramér's V = √(χ²/(n(min(r, c) − 1))) from the uncorrected χ², as
    /// `scipy.stats.contingency.association`, so V does not depend on the correction. V has no
    /// closed-form interval, so its interval is a seeded percentile bootstrap that resamples the
    /// n cases (see `BootstrapOptions`); pass `bootstrap: nil` for none.
    ///
    /// - Throws: `CannotTest` for a table smaller than 2×2, ragged rows, a negative count, a row
    ///   or column whose counts are all zero, or invalid bootstrap options.
    public static func chiSquareIndependence(
        _ table: [[Int]], bootstrap: BootstrapOptions? = BootstrapOptions()
    ) throws -> TestResult {
        let test = "the chi-square test of independence"
        try checkTable(table, for: test)
        try bootstrap?.validate()
        let observed = table.map { $0.map(Double.init) }
        let rowTotals = observed.map { $0.reduce(0, +) }
        let columnTotals = observed[0].indices.map { j in observed.reduce(0) { $0 + $1[j] } }
        let n = rowTotals.reduce(0, +)
        let rows = table.count, columns = table[0].count
        let df = (rows - 1) * (columns - 1)

        var uncorrected = 0.0, corrected = 0.0
        for i in 0..<rows {
            for j in 0..<columns {
                let expected = rowTotals[i] * columnTotals[j] / n
                let o = observed[i][j]
                uncorrected += (o - expected) * (o - expected) / expected
                let difference = expected - o
                let adjusted = o + min(0.5, abs(difference)) * (difference > 0 ? 1 : difference < 0 ? -1 : 0)
                corrected += (adjusted - expected) * (adjusted - expected) / expected
            }
        }
        let statistic = df == 1 ? corrected : uncorrected
        let v = (uncorrected / n / Double(min(rows, columns) - 1)).squareRoot()
        return TestResult(
            test: "chi-square", n: Int(n), statisticName: "chi2", statistic: statistic,
            degreesOfFreedom: Double(df),
            pValue: min(1, SpecialFunctions.chiSquareUpperTail(statistic, degreesOfFreedom: Double(df))),
            effect: EffectSize(
                name: "Cramér's V", value: v,
                interval: bootstrap.flatMap { Bootstrap.cramersV(table, options: $0).interval }),
            method: df == 1 ? "Yates-corrected" : "uncorrected")
    }

    /// Fisher's exact test for a 2×2 table [[a, b], [c, d]], as `scipy.stats.fisher_exact`.
    ///
    /// Conditional on the margins, a is hypergeometric. `less` is P(X ≤ a), `greater` P(X ≥ a);
    /// the two-sided p-value adds every table no more likely than the observed one, with
    /// SciPy's relative tolerance 10⁻¹⁴ for "equally likely". Probabilities are built by the
    /// ratio recurrence from the mode, which keeps equal terms equal to well within that
    /// tolerance even for large tables (log-gamma differences would not).
    ///
    /// The statistic and effect are the sample odds ratio ad/(bc) (infinite when b or c is 0,
    /// as SciPy). Its interval is Woolf's, exp(ln OR ∓ z√(1/a + 1/b + 1/c + 1/d)), as
    /// `scipy.stats.contingency.odds_ratio(kind="sample")`; nil when a cell is 0, where
    /// Woolf's standard error is infinite.
    ///
    /// - Throws: `CannotTest` for a table that is not 2×2, a negative count, or an empty row or
    ///   column.
    public static func fisherExact2x2(
        _ table: [[Int]], alternative: Alternative = .twoSided, confidenceLevel: Double = 0.95
    ) throws -> TestResult {
        let test = "Fisher's exact test"
        try checkTable(table, for: test)
        if table.count != 2 || table[0].count != 2 {
            throw CannotTest(
                reason: "\(test) here takes a 2×2 table, found \(table.count)×\(table[0].count); use the chi-square test for larger tables")
        }
        try Check.confidenceLevel(confidenceLevel)
        let a = table[0][0], b = table[0][1], c = table[1][0], d = table[1][1]
        let oddsRatio = c > 0 && b > 0 ? Double(a) * Double(d) / (Double(c) * Double(b)) : Double.infinity
        let distribution = Hypergeometric(population: a + b + c + d, successes: a + b, draws: a + c)

        let p: Double
        switch alternative {
        case .less: p = distribution.cdf(a)
        case .greater: p = distribution.upperTail(a - 1)
        case .twoSided: p = distribution.twoSidedPValue(a)
        }

        var interval: ConfidenceInterval?
        if a > 0 && b > 0 && c > 0 && d > 0 {
            let se = (1 / Double(a) + 1 / Double(b) + 1 / Double(c) + 1 / Double(d)).squareRoot()
            let logInterval = Intervals.normal(log(oddsRatio), standardError: se, level: confidenceLevel, alternative: alternative)
            interval = ConfidenceInterval(lower: exp(logInterval.lower), upper: exp(logInterval.upper), level: confidenceLevel)
        }
        return TestResult(
            test: "Fisher exact", n: a + b + c + d, statisticName: "odds ratio", statistic: oddsRatio,
            degreesOfFreedom: nil, pValue: min(1, p),
            effect: EffectSize(name: "odds ratio", value: oddsRatio, interval: interval),
            method: "exact")
    }

    private static func checkTable(_ table: [[Int]], for test: String) throws {
        guard let width = table.first?.count, table.count >= 2, width >= 2 else {
            throw CannotTest(
                reason: "\(test) needs a table of at least 2 rows and 2 columns, found \(table.count) row\(table.count == 1 ? "" : "s") of \(table.first?.count ?? 0)")
        }
        if let row = table.firstIndex(where: { $0.count != width }) {
            throw CannotTest(reason: "row \(row + 1) of the table has \(table[row].count) counts, but row 1 has \(width)")
        }
        for (i, row) in table.enumerated() {
            if let j = row.firstIndex(where: { $0 < 0 }) {
                throw CannotTest(reason: "the count in row \(i + 1), column \(j + 1) is negative (\(row[j])); counts must be 0 or more")
            }
            if row.allSatisfy({ $0 == 0 }) {
                throw CannotTest(reason: "row \(i + 1) of the table is empty (all counts 0); drop that category before testing")
            }
        }
        for j in 0..<width where table.allSatisfy({ $0[j] == 0 }) {
            throw CannotTest(reason: "column \(j + 1) of the table is empty (all counts 0); drop that category before testing")
        }
    }
}

/// The hypergeometric distribution: successes among `draws` taken without replacement from a
/// population holding `successes` successes.
struct Hypergeometric {
    /// The smallest and largest possible values, and the number of draws.
    let low: Int, high: Int, draws: Int
    private let probabilities: [Double]

    init(population: Int, successes: Int, draws: Int) {
        let failures = population - successes
        self.draws = draws
        low = max(0, draws - failures)
        high = min(successes, draws)
        let mode = min(high, max(low, (draws + 1) * (successes + 1) / (population + 2)))
        // Ratios of consecutive terms from the mode outwards; normalized at the end.
        var weights = [Double](repeating: 0, count: high - low + 1)
        weights[mode - low] = 1
        if mode < high {
            for x in mode..<high {
                let ratio = Double(successes - x) * Double(draws - x) / (Double(x + 1) * Double(failures - draws + x + 1))
                weights[x + 1 - low] = weights[x - low] * ratio
            }
        }
        if mode > low {
            for x in stride(from: mode, to: low, by: -1) {
                let ratio = Double(x) * Double(failures - draws + x) / (Double(successes - x + 1) * Double(draws - x + 1))
                weights[x - 1 - low] = weights[x - low] * ratio
            }
        }
        let total = Moments.sum(weights)
        probabilities = weights.map { $0 / total }
        self.mode = mode
    }

    /// The most likely value, floor((draws + 1)(successes + 1)/(population + 2)) as in SciPy.
    let mode: Int

    func pmf(_ x: Int) -> Double {
        x < low || x > high ? 0 : probabilities[x - low]
    }

    /// P(X ≤ x).
    func cdf(_ x: Int) -> Double {
        if x < low { return 0 }
        return Moments.sum(Array(probabilities[0...(min(x, high) - low)]))
    }

    /// P(X > x).
    func upperTail(_ x: Int) -> Double {
        if x >= high { return 0 }
        return Moments.sum(Array(probabilities[(max(x + 1, low) - low)...]))
    }

    /// SciPy's two-sided rule for `fisher_exact`, step for step.
    func twoSidedPValue(_ observed: Int) -> Double {
        let pExact = pmf(observed), pMode = pmf(mode)
        let epsilon = 1e-14, gamma = 1 + epsilon
        if abs(pExact - pMode) / max(pExact, pMode) <= epsilon { return 1 }
        if observed < mode {
            let lower = cdf(observed)
            if pmf(draws) > pExact * gamma { return lower }
            let guess = Proportion.searchOrderedTerms({ -pmf($0) }, below: -pExact * gamma, low: mode, high: draws)
            return min(1, lower + upperTail(guess))
        }
        let upper = upperTail(observed - 1)
        if pmf(0) > pExact * gamma { return upper }
        let guess = Proportion.searchOrderedTerms(pmf, below: pExact * gamma, low: 0, high: mode)
        return min(1, upper + cdf(guess))
    }
}
