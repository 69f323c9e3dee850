import Foundation

/// The category counts of each rated unit: the raw material of Gwet's coefficients and of every
/// standard error here.
struct UnitCategoryCounts {
    /// counts[unit][category]: how many coders put the unit in the category.
    var counts: [[Int]]
    /// How many identical units each row stands for.
    var weights: [Int]
    /// Categories that occur on the units kept.
    var categories: Int

    /// The units with weight > 0 whose number of ratings passes `keep`, with the categories that
    /// occur on them renumbered from 0.
    init(_ coded: CodedTable, keep: (Int) -> Bool) {
        var counts: [[Int]] = []
        var weights: [Int] = []
        var occurs = [Bool](repeating: false, count: coded.categories)
        for unit in 0..<coded.units where coded.weights[unit] > 0 {
            var row = [Int](repeating: 0, count: coded.categories)
            var present = 0
            for code in coded.row(unit) where code >= 0 {
                row[code] += 1
                present += 1
            }
            guard keep(present) else { continue }
            for (category, count) in row.enumerated() where count > 0 { occurs[category] = true }
            counts.append(row)
            weights.append(coded.weights[unit])
        }
        let kept = occurs.indices.filter { occurs[$0] }
        self.counts = counts.map { row in kept.map { row[$0] } }
        self.weights = weights
        self.categories = kept.count
    }

    var total: Double { Double(weights.reduce(0, +)) }
}

/// Gwet's linearized variances (Gwet 2014, ch. 5; `irrCAC`): each coefficient is a mean of unit
/// contributions, so its variance is that of the mean of the contributions corrected for the
/// estimated chance agreement, Σᵤ wᵤ(κᵤ* − κ)²/(n(n − 1)); the interval is κ ± t_{n−1}·SE with
/// its upper end clipped to 1, as `irrCAC` reports it.
enum GwetVariance {
    /// Observed agreement per unit, Σₖ rᵤₖ(rᵤₖ − 1)/(rᵤ(rᵤ − 1)) (0 for a unit with one rating),
    /// and its weighted mean over units with at least two ratings.
    static func observed(_ units: UnitCategoryCounts) -> (perUnit: [Double], mean: Double, pairable: Double) {
        var perUnit: [Double] = []
        var sum = 0.0, pairable = 0.0
        for (row, weight) in zip(units.counts, units.weights) {
            let r = row.reduce(0, +)
            guard r >= 2 else {
                perUnit.append(0)
                continue
            }
            let agreeing = row.reduce(0.0) { $0 + Double($1) * Double($1 - 1) }
            let value = agreeing / (Double(r) * Double(r - 1))
            perUnit.append(value)
            sum += Double(weight) * value
            pairable += Double(weight)
        }
        return (perUnit, pairable > 0 ? sum / pairable : .nan, pairable)
    }

    /// πₖ: the mean over units of each unit's share of ratings in category k.
    static func classification(_ units: UnitCategoryCounts) -> [Double] {
        var pi = [Double](repeating: 0, count: units.categories)
        for (row, weight) in zip(units.counts, units.weights) {
            let r = Double(row.reduce(0, +))
            for (k, count) in row.enumerated() { pi[k] += Double(weight) * Double(count) / r }
        }
        let n = units.total
        return pi.map { $0 / n }
    }

    /// The standard error and interval of a coefficient whose chance agreement per unit is
    /// `chancePerUnit`, overall `chance`, with `hasChanceTerm` false for Brennan-Prediger (whose
    /// chance agreement is a constant and contributes no variance).
    static func interval(
        _ units: UnitCategoryCounts, coefficient: Double, chance pe: Double, chancePerUnit: [Double]?, level: Double
    ) -> (standardError: Double, interval: ConfidenceInterval) {
        let (observedPerUnit, _, pairable) = observed(units)
        let n = units.total
        var sum = 0.0
        for (index, (row, weight)) in zip(units.counts, units.weights).enumerated() {
            let r = row.reduce(0, +)
            let chanceIfPairable = r >= 2 ? pe : 0
            var contribution = (n / pairable) * (observedPerUnit[index] - chanceIfPairable) / (1 - pe)
            if let chancePerUnit {
                contribution -= 2 * (1 - coefficient) * (chancePerUnit[index] - pe) / (1 - pe)
            }
            let difference = contribution - coefficient
            sum += Double(weight) * difference * difference
        }
        let standardError = (sum / (n * (n - 1))).squareRoot()
        let t = SpecialFunctions.studentTQuantile(0.5 + level / 2, degreesOfFreedom: n - 1)
        return (standardError, ConfidenceInterval(
            lower: coefficient - t * standardError, upper: min(1, coefficient + t * standardError), level: level))
    }
}

/// A Cohen's kappa between one pair of coders, or why it could not be computed.
public struct PairwiseAgreement: Sendable, Equatable {
    public var first: String
    public var second: String
    /// The kappa, when the pair has units both rated and more than one category.
    public var result: AgreementResult?
    /// Why there is no result, in plain words.
    public var problem: String?
}

extension Agreement {
    /// Gwet's AC1 for any number of coders, missing ratings allowed, as `irrCAC`'s
    /// `gwet.ac1.raw` (`CAC.gwet()` in its Python port), with Gwet's standard error and
    /// t interval.
    ///
    /// AC1 = (Aₒ − Aₑ)/(1 − Aₑ) with Aₒ the mean pairwise agreement over units with two or more
    /// ratings and Aₑ = Σₖ πₖ(1 − πₖ)/(q − 1), πₖ the mean share of each unit's ratings in
    /// category k and q the number of categories. Unlike kappa, whose chance agreement tends to
    /// 1 when one category dominates (a rare code: 97.5% agreement, kappa 0), AC1's chance
    /// agreement falls, so it stays near the observed agreement: it is the prevalence-robust
    /// coefficient to report beside kappa (Gwet 2008; Wongpakaran et al. 2013).
    ///
    /// - Parameter categories: the number of possible categories q; nil counts those that occur.
    ///   A binary code (present/absent) has 2 even when every rating is "absent".
    public static func gwetAC1(_ table: RatingTable, categories: Int? = nil, confidenceLevel: Double = 0.95) throws -> AgreementResult {
        try Check.confidenceLevel(confidenceLevel)
        let units = UnitCategoryCounts(try CodedTable(table)) { $0 >= 1 }
        let q = Double(categories ?? units.categories)
        let (_, pa, pairable) = GwetVariance.observed(units)
        guard pairable > 0 else {
            throw CannotTest(reason: "no unit was rated by at least two coders, so Gwet's AC1 has no pairs to compare")
        }
        guard q >= 2, units.categories >= 1 else { throw CannotTest(reason: "Gwet's AC1 needs at least two possible categories, found \(Int(q))") }
        let pi = GwetVariance.classification(units)
        let pe = pi.reduce(0) { $0 + $1 * (1 - $1) } / (q - 1)
        let ac1 = (pa - pe) / (1 - pe)
        let chancePerUnit = units.counts.map { row -> Double in
            let r = Double(row.reduce(0, +))
            return zip(row, pi).reduce(0) { $0 + Double($1.0) * (1 - $1.1) } / r / (q - 1)
        }
        let (se, interval) = GwetVariance.interval(units, coefficient: ac1, chance: pe, chancePerUnit: chancePerUnit, level: confidenceLevel)
        return AgreementResult(
            measure: "Gwet's AC1", value: ac1, units: Int(units.total), coders: table.coders.count, observed: pa, expected: pe,
            standardError: se, interval: interval, intervalMethod: "Gwet linearized variance, t interval")
    }

    /// Brennan and Prediger's coefficient, (Aₒ − 1/q)/(1 − 1/q), as `irrCAC`'s `bp.coeff.raw`,
    /// with Gwet's standard error. For two coders and a binary code it is PABAK, the
    /// prevalence- and bias-adjusted kappa 2Aₒ − 1 (Byrt, Bishop and Carlin 1993): chance
    /// agreement fixed at 1/q instead of estimated from the margins.
    ///
    /// - Parameter categories: the number of possible categories q; nil counts those that occur.
    public static func brennanPrediger(_ table: RatingTable, categories: Int? = nil, confidenceLevel: Double = 0.95) throws -> AgreementResult {
        try Check.confidenceLevel(confidenceLevel)
        let units = UnitCategoryCounts(try CodedTable(table)) { $0 >= 1 }
        let q = Double(categories ?? units.categories)
        let (_, pa, pairable) = GwetVariance.observed(units)
        guard pairable > 0 else {
            throw CannotTest(reason: "no unit was rated by at least two coders, so PABAK has no pairs to compare")
        }
        guard q >= 2 else { throw CannotTest(reason: "PABAK (Brennan-Prediger) needs at least two possible categories, found \(Int(q))") }
        let pe = 1 / q
        let value = (pa - pe) / (1 - pe)
        let (se, interval) = GwetVariance.interval(units, coefficient: value, chance: pe, chancePerUnit: nil, level: confidenceLevel)
        return AgreementResult(
            measure: "PABAK (Brennan-Prediger)", value: value, units: Int(units.total), coders: table.coders.count,
            observed: pa, expected: pe, standardError: se, interval: interval,
            intervalMethod: "Gwet linearized variance, t interval")
    }

    /// Cohen's kappa for every pair of coders, in the order of `table.coders` (first with
    /// second, first with third, …), each over the units both coders of the pair rated.
    ///
    /// With three or more coders Fleiss' kappa summarizes them all, but a reviewer wants to see
    /// which pair disagrees; a pair without shared units or with a single category has a
    /// `problem` instead of a result.
    public static func pairwiseCohensKappa(_ table: RatingTable, confidenceLevel: Double = 0.95) throws -> [PairwiseAgreement] {
        try Check.confidenceLevel(confidenceLevel)
        _ = try CodedTable(table)
        var pairs: [PairwiseAgreement] = []
        for i in table.coders.indices {
            for j in table.coders.indices where j > i {
                let pair = RatingTable(coders: [table.coders[i], table.coders[j]],
                                       ratings: table.ratings.map { [$0[i], $0[j]] }, weights: table.weights)
                do {
                    pairs.append(PairwiseAgreement(first: table.coders[i], second: table.coders[j],
                                                   result: try cohensKappa(pair, confidenceLevel: confidenceLevel), problem: nil))
                } catch let error as CannotTest {
                    pairs.append(PairwiseAgreement(first: table.coders[i], second: table.coders[j], result: nil, problem: error.reason))
                }
            }
        }
        return pairs
    }

    /// Krippendorff's alpha with a seeded percentile-bootstrap interval over units.
    ///
    /// Each resample draws the pairable units (those rated by two or more coders) with
    /// replacement — a multinomial draw over the table's distinct rows, so compressed tables cost
    /// what their rows cost — and recomputes alpha; the interval is the percentile interval of
    /// those values (see `BootstrapOptions`). Hayes and Krippendorff (2007) resample pairs of
    /// values from the coincidence matrix instead; resampling units, as Zapf et al. (2016)
    /// recommend, keeps the ratings of one unit together, which is how they were made. Resamples
    /// on which alpha is undefined (a single category) are skipped.
    public static func krippendorffAlphaBootstrap(_ table: RatingTable, options: BootstrapOptions = BootstrapOptions()) throws -> AgreementResult {
        try options.validate()
        var result = try krippendorffAlpha(table, confidenceLevel: options.confidenceLevel)
        let units = UnitCategoryCounts(try CodedTable(table)) { $0 >= 2 }
        let rows = units.counts.count
        let present = units.counts.map { Double($0.reduce(0, +)) }
        let agreeing = units.counts.map { row in row.reduce(0.0) { $0 + Double($1) * Double($1 - 1) } }
        let n = units.weights.reduce(0, +)
        var drawn = [Int](repeating: 0, count: rows)
        var totals = [Double](repeating: 0, count: units.categories)
        let outcome = Bootstrap.percentileInterval(options) { generator in
            generator.multinomial(n, counts: units.weights, total: n, into: &drawn)
            var pairable = 0.0, diagonal = 0.0
            for k in totals.indices { totals[k] = 0 }
            for row in 0..<rows where drawn[row] > 0 {
                let w = Double(drawn[row])
                pairable += w * present[row]
                diagonal += w * agreeing[row] / (present[row] - 1)
                for (k, count) in units.counts[row].enumerated() { totals[k] += w * Double(count) }
            }
            let squares = totals.reduce(0) { $0 + $1 * $1 }
            let chance = pairable * pairable - squares
            return chance > 0 ? 1 - (pairable - 1) * (pairable - diagonal) / chance : nil
        }
        result.interval = outcome.interval
        result.standardError = nil
        result.intervalMethod = outcome.interval == nil ? nil : options.methodDescription + " over units"
        return result
    }
}
