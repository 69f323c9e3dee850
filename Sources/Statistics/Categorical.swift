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
    /// `scipy.stats.contingency.association`, so V does not depend on the correction. Its
    /// analytic interval inverts the uncorrected χ²'s noncentral chi-square distribution: the
    /// noncentralities [λ_L, λ_U] that put the observed χ² at the 1 − α/2 and α/2 quantiles give
    /// √(λ/(n(min(r, c) − 1))), clipped to 1 (`effectsize::cramers_v`, two-sided). Because
    /// E[χ²] = λ + df, the sample V overestimates the population V; the bias-corrected
    /// √(max(0, χ² − df)/(n(min(r, c) − 1))) is given as an additional effect and always lies
    /// inside the interval (the sample V can lie above it when χ² is far below df, which says
    /// its size is all sampling noise). `interval: .bootstrap(...)` gives the seeded percentile
    /// bootstrap over the cells instead; `.none` no interval.
    ///
    /// - Throws: `CannotTest` for a table smaller than 2×2, ragged rows, a negative count, a row
    ///   or column whose counts are all zero, or invalid interval options.
    public static func chiSquareIndependence(
        _ table: [[Int]], interval: IntervalChoice = .standard
    ) throws -> TestResult {
        let test = "the chi-square test of independence"
        try checkTable(table, for: test)
        try interval.validate()
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
        let scale = n * Double(min(rows, columns) - 1)
        let map = { (lambda: Double) in min(1, (max(0, lambda) / scale).squareRoot()) }
        let v = (uncorrected / scale).squareRoot()
        let (effectInterval, intervalMethod) = KGroups.chosenInterval(interval, bootstrap: { Bootstrap.cramersV(table, options: $0) }) { level in
            let bounds = EffectIntervals.chiSquareNoncentrality(uncorrected, degreesOfFreedom: Double(df), level: level)
            return (ConfidenceInterval(lower: map(bounds.lower), upper: map(bounds.upper), level: level), "noncentral chi-square")
        }
        var result = TestResult(
            test: "chi-square", n: Int(n), statisticName: "chi2", statistic: statistic,
            degreesOfFreedom: Double(df),
            pValue: min(1, SpecialFunctions.chiSquareUpperTail(statistic, degreesOfFreedom: Double(df))),
            effect: EffectSize(name: "Cramér's V", value: v, interval: effectInterval, intervalMethod: intervalMethod),
            method: df == 1 ? "Yates-corrected" : "uncorrected")
        result.additionalEffects = [EffectSize(
            name: "bias-corrected Cramér's V", value: map(uncorrected - Double(df)),
            interval: intervalMethod == "noncentral chi-square" ? effectInterval : nil, intervalMethod: intervalMethod)]
        return result
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
    /// as SciPy). Its interval is the conditional exact one that belongs to Fisher's test
    /// (Cornfield 1956; R's `fisher.test`; `scipy.stats.contingency.odds_ratio(kind=
    /// "conditional").confidence_interval`): conditional on the margins, a follows Fisher's
    /// noncentral hypergeometric distribution with odds ratio ψ, and the bounds are the ψ with
    /// P(X ≥ a; ψ_L) = α/2 and P(X ≤ a; ψ_U) = α/2. It exists when a cell is 0 (a bound is then 0
    /// or infinite), where Woolf's log interval has an infinite standard error.
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

        let bounds = FisherNoncentralHypergeometric.oddsRatioInterval(
            observed: a, population: a + b + c + d, successes: a + b, draws: a + c, level: confidenceLevel,
            alternative: alternative)
        let interval = ConfidenceInterval(lower: bounds.lower, upper: bounds.upper, level: confidenceLevel)
        return TestResult(
            test: "Fisher exact", n: a + b + c + d, statisticName: "odds ratio", statistic: oddsRatio,
            degreesOfFreedom: nil, pValue: min(1, p),
            effect: EffectSize(name: "odds ratio", value: oddsRatio, interval: interval, intervalMethod: "conditional exact"),
            method: "exact")
    }

    private static func checkTable(_ table: [[Int]], for test: String) throws {
        if table.count == 1, (table.first?.count ?? 0) >= 1 {
            throw CannotTest(reason: Check.constantReason("the row variable (one category)", test))
        }
        if table.count >= 2, table.allSatisfy({ $0.count == 1 }) {
            throw CannotTest(reason: Check.constantReason("the column variable (one category)", test))
        }
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
///
/// Only the stretch of the support whose probabilities are representable is stored: the ratio
/// recurrence runs from the mode outwards until a term falls below 10⁻³⁰⁰ of the mode's, beyond
/// which no term can change a sum (and before subnormal numbers, where a product with a ratio
/// just below 1 rounds back to itself and the loop would crawl through the whole support). It
/// needs O(√n) memory and time instead of O(n), so a table with 10⁹ cases neither exhausts
/// memory nor overflows (the mode is computed in `Double`).
struct Hypergeometric {
    /// The smallest and largest possible values, and the number of draws.
    let low: Int, high: Int, draws: Int
    /// The first value whose probability is stored (`probabilities[0]`).
    private let first: Int
    private let probabilities: [Double]

    init(population: Int, successes: Int, draws: Int) {
        let failures = population - successes
        self.draws = draws
        low = max(0, draws - failures)
        high = min(successes, draws)
        let estimate = (Double(draws) + 1) * (Double(successes) + 1) / (Double(population) + 2)
        let mode = min(high, max(low, Int(estimate.rounded(.down))))
        // Ratios of consecutive terms from the mode outwards; normalized at the end.
        var upward: [Double] = []
        var weight = 1.0
        var x = mode
        while x < high {
            let ratio = Double(successes - x) * Double(draws - x) / (Double(x + 1) * Double(failures - draws + x + 1))
            weight *= ratio
            if weight < 1e-300 { break }
            upward.append(weight)
            x += 1
        }
        var downward: [Double] = []
        weight = 1
        x = mode
        while x > low {
            let ratio = Double(x) * Double(failures - draws + x) / (Double(successes - x + 1) * Double(draws - x + 1))
            weight *= ratio
            if weight < 1e-300 { break }
            downward.append(weight)
            x -= 1
        }
        let weights = downward.reversed() + [1] + upward
        first = mode - downward.count
        let total = Moments.sum(weights)
        probabilities = weights.map { $0 / total }
        self.mode = mode
    }

    /// The most likely value, floor((draws + 1)(successes + 1)/(population + 2)) as in SciPy.
    let mode: Int

    private var last: Int { first + probabilities.count - 1 }

    func pmf(_ x: Int) -> Double {
        x < first || x > last ? 0 : probabilities[x - first]
    }

    /// P(X ≤ x).
    func cdf(_ x: Int) -> Double {
        if x < first { return 0 }
        return Moments.sum(Array(probabilities[0...(min(x, last) - first)]))
    }

    /// P(X > x).
    func upperTail(_ x: Int) -> Double {
        if x >= last { return 0 }
        return Moments.sum(Array(probabilities[(max(x + 1, first) - first)...]))
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

/// Fisher's noncentral hypergeometric distribution: the distribution of the top-left cell of a
/// 2×2 table given its margins when the odds ratio is ψ, P(x) ∝ C(successes, x)·C(failures,
/// draws − x)·ψˣ.
///
/// Terms are built from the mode outwards and stop once they fall below 10⁻²⁰ of the mode's:
/// the interval's tail probabilities (α/2 ≥ 10⁻⁴ or so) cannot feel what is left, and a table of
/// 10⁹ cases then needs about 20 standard deviations of terms, not its whole support.
struct FisherNoncentralHypergeometric {
    /// P(X ≤ a) and P(X ≥ a) under odds ratio ψ, in one pass over the terms from the mode
    /// outwards, with no array: the interval search evaluates this a hundred times or so.
    static func tails(at a: Int, population: Int, successes: Int, draws: Int, oddsRatio psi: Double)
        -> (atMost: Double, atLeast: Double)
    {
        let failures = population - successes
        let low = max(0, draws - failures), high = min(successes, draws)
        // r(x) = P(x + 1)/P(x) falls with x; the mode is the first x with r(x) < 1.
        func ratio(_ x: Int) -> Double {
            psi * Double(successes - x) * Double(draws - x) / (Double(x + 1) * Double(failures - draws + x + 1))
        }
        var lo = low, hi = high
        while lo < hi {
            let mid = lo + (hi - lo) / 2
            if ratio(mid) < 1 { hi = mid } else { lo = mid + 1 }
        }
        let mode = lo
        // Sums of the weights below a, at a, and above a (the mode's weight is 1).
        // Weights relative to the mode's: the sums of those at most a and at least a.
        var atMost = mode <= a ? 1.0 : 0, atLeast = mode >= a ? 1.0 : 0, total = 1.0
        var weight = 1.0, x = mode
        while x < high {
            weight *= ratio(x)
            if weight < 1e-20 { break }
            x += 1
            total += weight
            if x <= a { atMost += weight }
            if x >= a { atLeast += weight }
        }
        weight = 1
        x = mode
        while x > low {
            weight /= ratio(x - 1)
            if weight < 1e-20 { break }
            x -= 1
            total += weight
            if x <= a { atMost += weight }
            if x >= a { atLeast += weight }
        }
        return (min(1, atMost / total), min(1, atLeast / total))
    }

    /// The conditional exact interval for the odds ratio given the observed top-left count,
    /// found on the log scale, where both tails are smooth and monotone; as SciPy's
    /// `_conditional_oddsratio_ci`, the lower bound is 0 when a is its smallest possible value
    /// and the upper bound infinite when it is its largest.
    static func oddsRatioInterval(observed a: Int, population: Int, successes: Int, draws: Int, level: Double,
                                  alternative: Alternative) -> (lower: Double, upper: Double) {
        let low = max(0, draws - (population - successes)), high = min(successes, draws)
        let tail = alternative == .twoSided ? (1 - level) / 2 : 1 - level
        func tails(_ logPsi: Double) -> (atMost: Double, atLeast: Double) {
            FisherNoncentralHypergeometric.tails(at: a, population: population, successes: successes, draws: draws,
                                                 oddsRatio: exp(logPsi))
        }
        // The search starts around the Haldane-corrected log odds ratio, ± 4 of its Woolf
        // standard errors, which brackets the bounds in all but extreme tables (the bracket
        // widens itself when it does not); a table of 10⁹ cases then needs a dozen evaluations.
        let b = successes - a, c = draws - a, d = population - successes - c
        let cells = [a, b, c, d].map { Double($0) + 0.5 }
        let centre = log(cells[0] * cells[3] / (cells[1] * cells[2]))
        let width = 4 * cells.reduce(0) { $0 + 1 / $1 }.squareRoot()
        var lower = 0.0, upper = Double.infinity
        if alternative != .less && a > low {
            // P(X ≥ a; ψ) rises with ψ.
            lower = exp(Roots.decreasingRoot({ tail - tails($0).atLeast }, from: centre - width, to: centre))
        }
        if alternative != .greater && a < high {
            // P(X ≤ a; ψ) falls with ψ.
            upper = exp(Roots.decreasingRoot({ tails($0).atMost - tail }, from: centre, to: centre + width))
        }
        return (lower, upper)
    }
}
