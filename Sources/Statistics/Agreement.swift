/// Ratings of units by coders: `ratings[unit][coder]` is a category label, or nil when that coder
/// did not rate that unit.
///
/// A unit is whatever the coders judged independently: a turn of a transcript, one character of
/// it, a paper in a screening. `weights[unit]` says how many identical units the row stands for,
/// so long runs of identical ratings (every character of a long turn that nobody coded) are stored
/// once: every measure gives exactly the value it would give for the table with each row repeated
/// `weight` times. A weight of 0 removes the row.
public struct RatingTable: Sendable, Equatable {
    /// The coders, in the order of each row's ratings; names must be distinct.
    public var coders: [String]
    /// One row per unit, one entry per coder.
    public var ratings: [[String?]]
    /// How many identical units each row stands for; 1 for every row unless given.
    public var weights: [Int]

    /// - Parameter weights: one non-negative count per row; nil means 1 for every row.
    public init(coders: [String], ratings: [[String?]], weights: [Int]? = nil) {
        self.coders = coders
        self.ratings = ratings
        self.weights = weights ?? Array(repeating: 1, count: ratings.count)
    }
}

/// One agreement coefficient with the quantities it was built from.
public struct AgreementResult: Sendable, Equatable {
    /// "percent agreement", "Cohen's kappa", "Fleiss' kappa" or "Krippendorff's alpha".
    public var measure: String
    /// The coefficient: a share in [0, 1] for percent agreement; at most 1 for the others, 0
    /// meaning agreement no better than chance.
    public var value: Double
    /// The number of units the measure used (rows counted with their weights).
    public var units: Int
    /// The number of coders in the table.
    public var coders: Int
    /// The observed agreement Aₒ (for percent agreement, the value itself).
    public var observed: Double?
    /// The agreement expected by chance Aₑ; nil for percent agreement, which does not correct
    /// for chance. Chance-corrected values are (Aₒ − Aₑ)/(1 − Aₑ).
    public var expected: Double?
    /// The standard error of the coefficient, when the measure has one.
    public var standardError: Double?
    /// The confidence interval, when the measure has one.
    public var interval: ConfidenceInterval?
    /// How the standard error and interval were found, in words an output can quote.
    public var intervalMethod: String?

    public init(measure: String, value: Double, units: Int, coders: Int, observed: Double?, expected: Double?,
                standardError: Double? = nil, interval: ConfidenceInterval? = nil, intervalMethod: String? = nil) {
        self.measure = measure
        self.value = value
        self.units = units
        self.coders = coders
        self.observed = observed
        self.expected = expected
        self.standardError = standardError
        self.interval = interval
        self.intervalMethod = intervalMethod
    }
}

/// Inter-coder agreement on nominal categories: for codes applied to interview transcripts and
/// for include/exclude decisions of literature screening.
///
/// Which units each measure uses differs, and is part of its definition:
/// - percent agreement and Krippendorff's alpha use every unit rated by at least two coders;
/// - Cohen's kappa (exactly two coders) uses the units both rated;
/// - Fleiss' kappa (three or more coders) uses the units every coder rated.
///
/// Krippendorff's alpha is the measure to report when ratings are missing or coders vary: it uses
/// every pairable rating and corrects for small samples. The kappas are given because reviewers
/// ask for them. Every measure throws `CannotTest` rather than returning NaN: with fewer than two
/// coders, no usable unit, or (for the chance-corrected measures) a single category everywhere,
/// where chance agreement is 1 and the coefficient is 0/0. statsmodels returns NaN and the
/// `krippendorff` package raises in exactly those cases.
public enum Agreement {
    /// The share of units on which every coder who rated the unit chose the same category, among
    /// units rated by at least two coders.
    ///
    /// "All present coders agree" rather than the mean agreement of coder pairs: a unit on which
    /// one of three coders dissents counts as a disagreement, which is what a discussion between
    /// coders has to resolve. For two coders it equals Cohen's observed agreement; the mean
    /// pairwise agreement for complete units is Fleiss' observed agreement (`fleissKappa(_:)`'s
    /// `observed`). It does not correct for chance, so it is defined even when every rating is
    /// the same category (it is then 1).
    public static func percentAgreement(_ table: RatingTable) throws -> AgreementResult {
        let coded = try CodedTable(table)
        var used = 0, agreeing = 0
        for unit in 0..<coded.units where coded.weights[unit] > 0 {
            var first = -1, present = 0, same = true
            for code in coded.row(unit) where code >= 0 {
                present += 1
                if first < 0 { first = code } else if code != first { same = false }
            }
            guard present >= 2 else { continue }
            used += coded.weights[unit]
            if same { agreeing += coded.weights[unit] }
        }
        guard used > 0 else {
            throw CannotTest(reason: "no unit was rated by at least two coders, so there is no agreement to measure")
        }
        let value = Double(agreeing) / Double(used)
        return AgreementResult(
            measure: "percent agreement", value: value, units: used, coders: coded.coders, observed: value, expected: nil)
    }

    /// Cohen's kappa for exactly two coders, over the units both rated, as
    /// `statsmodels.stats.inter_rater.cohens_kappa` and `sklearn.metrics.cohen_kappa_score`.
    ///
    /// κ = (Aₒ − Aₑ)/(1 − Aₑ), with Aₒ the share of units on which the coders agree and
    /// Aₑ = Σₖ pₖ·qₖ, pₖ and qₖ the shares of units each coder put in category k. Each coder's own
    /// category distribution defines chance, which is what distinguishes it from Scott's pi.
    ///
    /// Its standard error is the large-sample one of Fleiss, Cohen and Everitt (1969), as
    /// statsmodels' `std_kappa`: Var(κ) = (A + B − C)/((1 − Aₑ)² n) with
    /// A = Σᵢ pᵢᵢ(1 − (pᵢ. + p.ᵢ)(1 − κ))², B = (1 − κ)² Σᵢ≠ⱼ pᵢⱼ(p.ᵢ + pⱼ.)², C = (κ − Aₑ(1 − κ))²;
    /// the interval is the Wald interval κ ∓ z·SE, statsmodels' `kappa_low`/`kappa_upp`.
    public static func cohensKappa(_ table: RatingTable, confidenceLevel: Double = 0.95) throws -> AgreementResult {
        try Check.confidenceLevel(confidenceLevel)
        let coded = try CodedTable(table)
        guard coded.coders == 2 else {
            throw CannotTest(
                reason: "Cohen's kappa compares exactly two coders, found \(coded.coders); "
                    + "use Fleiss' kappa or Krippendorff's alpha for more")
        }
        var first = [Int](repeating: 0, count: coded.categories)
        var second = [Int](repeating: 0, count: coded.categories)
        var cross = [Int](repeating: 0, count: coded.categories * coded.categories)
        var used = 0, agreeing = 0
        for unit in 0..<coded.units where coded.weights[unit] > 0 {
            let a = coded.codes[2 * unit], b = coded.codes[2 * unit + 1]
            guard a >= 0, b >= 0 else { continue }
            let weight = coded.weights[unit]
            used += weight
            cross[a * coded.categories + b] += weight
            first[a] += weight
            second[b] += weight
            if a == b { agreeing += weight }
        }
        guard used > 0 else {
            throw CannotTest(reason: "no unit was rated by both coders, so Cohen's kappa has nothing to compare")
        }
        let total = Double(used)
        let observed = Double(agreeing) / total
        var expected = 0.0
        for category in 0..<coded.categories {
            expected += (Double(first[category]) / total) * (Double(second[category]) / total)
        }
        guard expected < 1 else { throw CannotTest(reason: singleCategory(measure: "Cohen's kappa")) }
        let kappa = (observed - expected) / (1 - expected)
        let k = coded.categories
        var termA = 0.0, termB = 0.0
        for i in 0..<k {
            let rowShare = Double(first[i]) / total
            for j in 0..<k where cross[i * k + j] > 0 {
                let p = Double(cross[i * k + j]) / total
                if i == j {
                    let factor = 1 - (rowShare + Double(second[i]) / total) * (1 - kappa)
                    termA += p * factor * factor
                } else {
                    let sum = Double(second[i]) / total + Double(first[j]) / total
                    termB += p * sum * sum
                }
            }
        }
        termB *= (1 - kappa) * (1 - kappa)
        let termC = (kappa - expected * (1 - kappa)) * (kappa - expected * (1 - kappa))
        let variance = max(0, (termA + termB - termC) / ((1 - expected) * (1 - expected) * total))
        let se = variance.squareRoot()
        let z = SpecialFunctions.normalQuantile(0.5 + confidenceLevel / 2)
        return AgreementResult(
            measure: "Cohen's kappa", value: kappa, units: used, coders: 2,
            observed: observed, expected: expected, standardError: se,
            interval: ConfidenceInterval(lower: kappa - z * se, upper: kappa + z * se, level: confidenceLevel),
            intervalMethod: "Fleiss-Cohen-Everitt standard error, Wald interval")
    }

    /// Fleiss' kappa for three or more coders, over the units every coder rated, as
    /// `statsmodels.stats.inter_rater.fleiss_kappa`.
    ///
    /// With n coders, nᵤₖ of them putting unit u in category k, and N units:
    /// Aₒ = (1/N) Σᵤ (Σₖ nᵤₖ² − n)/(n(n − 1)), the mean share of agreeing coder pairs, and
    /// Aₑ = Σₖ pₖ², pₖ the share of all ratings in category k. Units with a missing rating are
    /// left out because the formula assumes the same number of ratings per unit; Krippendorff's
    /// alpha keeps them. Two coders are refused: use Cohen's kappa (Fleiss' formula would give
    /// Scott's pi, a different coefficient).
    ///
    /// Its standard error is Gwet's linearized one (Gwet 2014; `irrCAC`'s `fleiss.kappa.raw` on
    /// the same complete units), which holds under the alternative, not only under κ = 0 as
    /// Fleiss' (1971) formula does; the interval is κ ∓ t_{N−1}·SE, clipped to 1 above.
    public static func fleissKappa(_ table: RatingTable, confidenceLevel: Double = 0.95) throws -> AgreementResult {
        try Check.confidenceLevel(confidenceLevel)
        let coded = try CodedTable(table)
        let n = coded.coders
        guard n >= 3 else {
            throw CannotTest(reason: "Fleiss' kappa is for three or more coders, found \(n); use Cohen's kappa for two")
        }
        var counts = [Int](repeating: 0, count: coded.categories)
        var totals = [Int](repeating: 0, count: coded.categories)
        var used = 0, agreeingPairs = 0
        units: for unit in 0..<coded.units where coded.weights[unit] > 0 {
            let row = coded.row(unit)
            for code in row where code < 0 { continue units }
            let weight = coded.weights[unit]
            for code in row { counts[code] += 1 }
            var squares = 0
            for code in row where counts[code] > 0 {
                squares += counts[code] * counts[code]
                totals[code] += weight * counts[code]
                counts[code] = 0
            }
            agreeingPairs += weight * (squares - n)
            used += weight
        }
        guard used > 0 else {
            throw CannotTest(
                reason: "no unit was rated by all \(n) coders; Fleiss' kappa needs complete units "
                    + "(Krippendorff's alpha allows missing ratings)")
        }
        let ratings = Double(used) * Double(n)
        let observed = Double(agreeingPairs) / (Double(used) * Double(n) * Double(n - 1))
        var expected = 0.0
        for total in totals {
            let share = Double(total) / ratings
            expected += share * share
        }
        guard expected < 1 else { throw CannotTest(reason: singleCategory(measure: "Fleiss' kappa")) }
        let kappa = (observed - expected) / (1 - expected)
        var result = AgreementResult(
            measure: "Fleiss' kappa", value: kappa, units: used, coders: n, observed: observed, expected: expected)
        if used >= 2 {
            let units = UnitCategoryCounts(coded) { $0 == n }
            let pi = GwetVariance.classification(units)
            let chance = pi.reduce(0) { $0 + $1 * $1 }
            let chancePerUnit = units.counts.map { row in zip(row, pi).reduce(0) { $0 + Double($1.0) * $1.1 } / Double(n) }
            let (se, interval) = GwetVariance.interval(
                units, coefficient: kappa, chance: chance, chancePerUnit: chancePerUnit, level: confidenceLevel)
            result.standardError = se
            result.interval = interval
            result.intervalMethod = "Gwet linearized variance, t interval"
        }
        return result
    }

    /// Krippendorff's alpha for nominal categories, any number of coders, missing ratings
    /// allowed, as the `krippendorff` package (`level_of_measurement="nominal"`).
    ///
    /// Every unit with mᵤ ≥ 2 ratings contributes to the coincidence matrix: each ordered pair of
    /// its ratings by different coders adds 1/(mᵤ − 1), so a unit's ratings count mᵤ times in
    /// total whatever its number of coders. With n the number of pairable ratings, n꜀ those in
    /// category c and o꜀꜀ the diagonal of the coincidence matrix,
    /// α = 1 − (n − 1)(n − Σ꜀ o꜀꜀)/(n² − Σ꜀ n꜀²). `observed` is Aₒ = Σ꜀ o꜀꜀/n and `expected`
    /// is Aₑ = Σ꜀ n꜀(n꜀ − 1)/(n(n − 1)), so that α = (Aₒ − Aₑ)/(1 − Aₑ) like the kappas; the
    /// n − 1 is the small-sample correction (drawing without replacement).
    ///
    /// The standard error is Gwet's linearized one (`irrCAC`'s `krippen.alpha.raw`), with the
    /// interval α ∓ t_{N−1}·SE clipped to 1 above; `krippendorffAlphaBootstrap` gives the
    /// bootstrap interval instead.
    public static func krippendorffAlpha(_ table: RatingTable, confidenceLevel: Double = 0.95) throws -> AgreementResult {
        try Check.confidenceLevel(confidenceLevel)
        let coded = try CodedTable(table)
        var counts = [Int](repeating: 0, count: coded.categories)
        var totals = [Int](repeating: 0, count: coded.categories)
        // Σ over units with m ratings of weight · Σ꜀ nᵤ꜀(nᵤ꜀ − 1), kept as exact integers per m and
        // divided by m − 1 once at the end.
        var sameRatingPairs = [Int](repeating: 0, count: coded.coders + 1)
        var used = 0, pairable = 0
        for unit in 0..<coded.units where coded.weights[unit] > 0 {
            let row = coded.row(unit)
            var present = 0
            for code in row where code >= 0 { present += 1 }
            guard present >= 2 else { continue }
            let weight = coded.weights[unit]
            for code in row where code >= 0 { counts[code] += 1 }
            var pairs = 0
            for code in row where code >= 0 && counts[code] > 0 {
                pairs += counts[code] * (counts[code] - 1)
                totals[code] += weight * counts[code]
                counts[code] = 0
            }
            sameRatingPairs[present] += weight * pairs
            used += weight
            pairable += weight * present
        }
        guard used > 0 else {
            throw CannotTest(reason: "no unit was rated by at least two coders, so Krippendorff's alpha has no pairs to compare")
        }
        var diagonal = 0.0
        for m in 2..<sameRatingPairs.count where sameRatingPairs[m] > 0 {
            diagonal += Double(sameRatingPairs[m]) / Double(m - 1)
        }
        let n = Double(pairable)
        var sumOfSquares = 0.0, sameCategoryDraws = 0.0
        for total in totals {
            sumOfSquares += Double(total) * Double(total)
            sameCategoryDraws += Double(total) * Double(total - 1)
        }
        let chanceDisagreement = n * n - sumOfSquares
        guard chanceDisagreement > 0 else {
            throw CannotTest(
                reason: "every rating on a unit rated by two or more coders is the same category, so expected "
                    + "disagreement is 0 and Krippendorff's alpha is undefined")
        }
        let value = 1 - (n - 1) * (n - diagonal) / chanceDisagreement
        var result = AgreementResult(
            measure: "Krippendorff's alpha", value: value, units: used, coders: coded.coders,
            observed: diagonal / n, expected: sameCategoryDraws / (n * (n - 1)))
        if used >= 2 {
            let (se, interval) = krippendorffStandardError(UnitCategoryCounts(coded) { $0 >= 2 }, alpha: value, level: confidenceLevel)
            result.standardError = se
            result.interval = interval
            result.intervalMethod = "Gwet linearized variance, t interval"
        }
        return result
    }

    /// Gwet's linearized standard error of alpha, as `irrCAC` (`CAC.krippendorff()`), over the
    /// units with at least two ratings: with r̄ the mean number of ratings per unit,
    /// Aₒ' = mean of Σₖ rᵤₖ(rᵤₖ − 1)/(r̄(rᵤ − 1)), πₖ = mean of rᵤₖ/r̄, Aₑ = Σ πₖ², α' = (Aₒ' − Aₑ)/(1 − Aₑ),
    /// each unit contributes κᵤ − 2(1 − α')(Aₑᵤ − Aₑ)/(1 − Aₑ), and Var = Σ(contribution − α')²/(N(N − 1)).
    private static func krippendorffStandardError(_ units: UnitCategoryCounts, alpha: Double, level: Double)
        -> (Double, ConfidenceInterval)
    {
        let n = units.total
        var ratings = 0.0
        for (row, weight) in zip(units.counts, units.weights) { ratings += Double(weight) * Double(row.reduce(0, +)) }
        let meanRatings = ratings / n
        var pi = [Double](repeating: 0, count: units.categories)
        var observedPrime = 0.0
        let agreeing = units.counts.map { row in row.reduce(0.0) { $0 + Double($1) * Double($1 - 1) } }
        for (index, (row, weight)) in zip(units.counts, units.weights).enumerated() {
            let r = Double(row.reduce(0, +))
            observedPrime += Double(weight) * agreeing[index] / (meanRatings * (r - 1))
            for (k, count) in row.enumerated() { pi[k] += Double(weight) * Double(count) / meanRatings }
        }
        observedPrime /= n
        pi = pi.map { $0 / n }
        let epsilon = 1 / ratings
        let observed = (1 - epsilon) * observedPrime + epsilon
        let chance = pi.reduce(0) { $0 + $1 * $1 }
        let alphaPrime = (observedPrime - chance) / (1 - chance)
        var sum = 0.0
        for (index, (row, weight)) in zip(units.counts, units.weights).enumerated() {
            let r = Double(row.reduce(0, +))
            let agreement = agreeing[index] / (meanRatings * (r - 1)) - observed * (r - meanRatings) / meanRatings
            let kappa = (agreement - chance) / (1 - chance)
            let chanceHere = zip(row, pi).reduce(0) { $0 + Double($1.0) * $1.1 } / meanRatings
                - chance * (r - meanRatings) / meanRatings
            let contribution = kappa - 2 * (1 - alphaPrime) * (chanceHere - chance) / (1 - chance)
            sum += Double(weight) * (contribution - alphaPrime) * (contribution - alphaPrime)
        }
        let se = (sum / (n * (n - 1))).squareRoot()
        let t = SpecialFunctions.studentTQuantile(0.5 + level / 2, degreesOfFreedom: n - 1)
        return (se, ConfidenceInterval(lower: alpha - t * se, upper: min(1, alpha + t * se), level: level))
    }

    private static func singleCategory(measure: String) -> String {
        "every rating is the same category, so chance agreement is 1 and \(measure) is undefined"
    }
}

/// A validated rating table with categories replaced by small integers (−1 for a missing
/// rating), stored row after row, so the measures count with arrays instead of hashing labels.
struct CodedTable {
    let coders: Int
    let units: Int
    let categories: Int
    let codes: [Int]
    let weights: [Int]

    init(_ table: RatingTable) throws {
        coders = table.coders.count
        units = table.ratings.count
        guard coders >= 2 else {
            throw CannotTest(reason: "agreement needs at least two coders, found \(coders)")
        }
        var seen = Set<String>()
        for coder in table.coders where !seen.insert(coder).inserted {
            throw CannotTest(reason: "coder '\(coder)' appears twice in the table; each coder must be one column")
        }
        guard units > 0 else { throw CannotTest(reason: "the rating table has no units") }
        guard table.weights.count == units else {
            throw CannotTest(
                reason: "the rating table has \(units) units but \(table.weights.count) weights; give one weight per unit")
        }
        if let index = table.weights.firstIndex(where: { $0 < 0 }) {
            throw CannotTest(
                reason: "unit \(index + 1) has weight \(table.weights[index]); weights count units and cannot be negative")
        }
        var labels: [String: Int] = [:]
        var codes = [Int]()
        codes.reserveCapacity(units * coders)
        for (index, row) in table.ratings.enumerated() {
            guard row.count == coders else {
                throw CannotTest(
                    reason: "unit \(index + 1) has \(row.count) ratings but the table has \(coders) coders; "
                        + "give one entry per coder, nil where a coder did not rate it")
            }
            for label in row {
                guard let label else {
                    codes.append(-1)
                    continue
                }
                if let code = labels[label] {
                    codes.append(code)
                } else {
                    codes.append(labels.count)
                    labels[label] = labels.count
                }
            }
        }
        self.categories = labels.count
        self.codes = codes
        self.weights = table.weights
    }

    func row(_ unit: Int) -> ArraySlice<Int> {
        codes[(unit * coders)..<((unit + 1) * coders)]
    }
}
