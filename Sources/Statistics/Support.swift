import Foundation

/// Checks shared by every test; each failure becomes a `CannotTest` with a plain-words reason.
enum Check {
    static func finite(_ values: [Double], named name: String) throws {
        if let index = values.firstIndex(where: { !$0.isFinite }) {
            let kind = values[index].isNaN ? "missing (NaN)" : "infinite"
            throw CannotTest(reason: "value \(index + 1) of \(name) is \(kind); remove or impute it before testing")
        }
    }

    static func count(_ values: [Double], named name: String, atLeast minimum: Int, for test: String) throws {
        if values.count < minimum {
            throw CannotTest(
                reason: "\(test) needs at least \(minimum) observation\(minimum == 1 ? "" : "s") in \(name), found \(values.count)")
        }
    }

    static func sameLength(_ x: [Double], _ y: [Double], for test: String) throws {
        if x.count != y.count {
            throw CannotTest(
                reason: "\(test) pairs x with y, but x has \(x.count) values and y has \(y.count) (mismatched lengths)")
        }
    }

    /// Refuses input whose values are all equal, with the same plain reason in every test.
    static func notConstant(_ values: [Double], named name: String, for test: String) throws {
        if let first = values.first, values.allSatisfy({ $0 == first }) {
            throw CannotTest(reason: constantReason(name, test))
        }
    }

    /// "every value of X is the same (constant input), so T has nothing to compare".
    static func constantReason(_ name: String, _ test: String) -> String {
        "every value of \(name) is the same (constant input), so \(test) is undefined"
    }

    static func confidenceLevel(_ level: Double) throws {
        if !(level > 0 && level < 1) {
            throw CannotTest(reason: "the confidence level must lie strictly between 0 and 1, found \(level)")
        }
    }
}

/// Ranks with ties, as `scipy.stats.rankdata(method="average")`.
struct Ranking {
    /// 1-based ranks; tied values share the mean of the ranks they span.
    var ranks: [Double]
    /// The size of every group of tied values (1 for an untied value), in ascending value order.
    var tieGroupSizes: [Int]

    init(_ values: [Double]) {
        let order = RadixSort.order(values) ?? values.indices.sorted { values[$0] < values[$1] }
        var ranks = [Double](repeating: 0, count: values.count)
        var sizes: [Int] = []
        var start = 0
        while start < order.count {
            var end = start + 1
            while end < order.count && values[order[end]] == values[order[start]] { end += 1 }
            // Positions start..<end hold ranks start+1 ... end; their mean is (start + 1 + end) / 2.
            let average = Double(start + 1 + end) / 2
            for position in start..<end { ranks[order[position]] = average }
            sizes.append(end - start)
            start = end
        }
        self.ranks = ranks
        self.tieGroupSizes = sizes
    }

    /// Whether any two values are equal.
    var hasTies: Bool { tieGroupSizes.contains { $0 > 1 } }

    /// Σ(t³ − t) over the tie groups, the tie correction of every rank test here.
    var tieTerm: Double { Ranking.tieTerm(tieGroupSizes) }

    /// Σ(t³ − t) for tie groups of the given sizes, in `Double`: a group of 2.1 million equal
    /// values already has t³ beyond `Int.max`, and real data (models with zero downloads) have
    /// groups that large. Each term is exact up to t ≈ 2·10⁵ and within one rounding beyond, far
    /// inside the tolerance of the statistics that use it.
    static func tieTerm(_ sizes: [Int]) -> Double {
        var total = 0.0
        for size in sizes where size > 1 {
            let t = Double(size)
            total += (t * t - 1) * t
        }
        return total
    }
}

/// Sums and moments with Neumaier's compensated summation, so that large samples agree with
/// NumPy's pairwise summation well inside the reference tolerance.
enum Moments {
    static func sum(_ values: [Double]) -> Double {
        var total = 0.0, compensation = 0.0
        for value in values {
            let next = total + value
            if abs(total) >= abs(value) {
                compensation += (total - next) + value
            } else {
                compensation += (value - next) + total
            }
            total = next
        }
        return total + compensation
    }

    static func mean(_ values: [Double]) -> Double {
        sum(values) / Double(values.count)
    }

    /// The unbiased sample variance Σ(x − x̄)²/(n − 1), computed in two passes.
    static func variance(_ values: [Double]) -> Double {
        let m = mean(values)
        return sum(values.map { ($0 - m) * ($0 - m) }) / Double(values.count - 1)
    }
}

/// Interval constructions shared by several effect sizes.
enum Intervals {
    /// The normal quantile for a two-sided (1 − α/2) or one-sided (1 − α) interval, as SciPy.
    static func normalQuantile(level: Double, alternative: Alternative) -> Double {
        alternative == .twoSided
            ? SpecialFunctions.normalQuantile(0.5 + level / 2)
            : SpecialFunctions.normalQuantile(level)
    }

    /// tanh(atanh(r) ∓ z·se): a Fisher-z interval for a correlation-like effect in [−1, 1].
    ///
    /// The Fisher transform makes the sampling distribution of r nearly normal with a standard
    /// error that does not depend on r; the open side of a one-sided interval is −1 or 1.
    static func fisher(_ r: Double, standardError se: Double, level: Double, alternative: Alternative) -> ConfidenceInterval {
        let z = normalQuantile(level: level, alternative: alternative)
        let zr = atanh(r)
        let lower = alternative == .less ? -1 : tanh(zr - z * se)
        let upper = alternative == .greater ? 1 : tanh(zr + z * se)
        return ConfidenceInterval(lower: lower, upper: upper, level: level)
    }

    /// estimate ∓ z·se: a Wald interval for an unbounded effect; one-sided intervals are open
    /// (infinite) on the other side.
    static func normal(_ estimate: Double, standardError se: Double, level: Double, alternative: Alternative) -> ConfidenceInterval {
        let z = normalQuantile(level: level, alternative: alternative)
        let lower = alternative == .less ? -Double.infinity : estimate - z * se
        let upper = alternative == .greater ? Double.infinity : estimate + z * se
        return ConfidenceInterval(lower: lower, upper: upper, level: level)
    }
}
