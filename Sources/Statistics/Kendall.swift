import Foundation

/// Pair counts behind Kendall's tau-b: discordant pairs and the tie statistics of each variable.
struct KendallPairs {
    /// Tie statistics of one variable, summed over its groups of t equal values.
    struct Ties {
        /// Σ t(t − 1)/2: the pairs tied in this variable.
        var pairs = 0
        /// Σ t(t − 1)(t − 2), a term of the null variance of C − D.
        var v0 = 0.0
        /// Σ t(t − 1)(2t + 5), a term of the null variance of C − D.
        var v1 = 0.0

        init(groupSizes: [Int]) {
            for t in groupSizes where t > 1 {
                let td = Double(t)
                pairs += t * (t - 1) / 2
                v0 += td * (td - 1) * (td - 2)
                v1 += td * (td - 1) * (2 * td + 5)
            }
        }
    }

    /// Pairs ordered one way by x and the other by y (ties in either never count).
    var discordant: Int
    /// Pairs tied in both x and y.
    var jointTies: Int
    var xTies: Ties
    var yTies: Ties

    init(_ x: [Double], _ y: [Double]) {
        // Sorting by (x, y) puts pairs tied in x in ascending y, so the strict inversions of the
        // y sequence are exactly the discordant pairs.
        let order = x.indices.sorted { x[$0] != x[$1] ? x[$0] < x[$1] : y[$0] < y[$1] }
        var ys = order.map { y[$0] }
        var buffer = ys
        discordant = KendallPairs.countInversions(&ys, &buffer, 0, ys.count)

        var joint = 0
        var start = 0
        while start < order.count {
            var end = start + 1
            while end < order.count && x[order[end]] == x[order[start]] && y[order[end]] == y[order[start]] {
                end += 1
            }
            joint += (end - start) * (end - start - 1) / 2
            start = end
        }
        jointTies = joint
        xTies = Ties(groupSizes: Ranking(x).tieGroupSizes)
        yTies = Ties(groupSizes: Ranking(y).tieGroupSizes)
    }

    /// Merge sort of values[low..<high] that returns the number of strict inversions.
    private static func countInversions(_ values: inout [Double], _ buffer: inout [Double], _ low: Int, _ high: Int) -> Int {
        if high - low < 2 { return 0 }
        let mid = (low + high) / 2
        var count = countInversions(&values, &buffer, low, mid) + countInversions(&values, &buffer, mid, high)
        var i = low, j = mid, k = low
        while i < mid && j < high {
            if values[j] < values[i] {
                // values[j] is smaller than every remaining left value: mid − i inversions.
                count += mid - i
                buffer[k] = values[j]
                j += 1
            } else {
                buffer[k] = values[i]
                i += 1
            }
            k += 1
        }
        while i < mid { buffer[k] = values[i]; i += 1; k += 1 }
        while j < high { buffer[k] = values[j]; j += 1; k += 1 }
        for index in low..<high { values[index] = buffer[index] }
        return count
    }
}

/// The exact null distribution of Kendall's statistic without ties.
enum KendallDistribution {
    /// The p-value for `concordant` concordant pairs among n untied observations, following
    /// SciPy's `_kendall_p_exact` step for step.
    ///
    /// The number of permutations of n items with c inversions satisfies Kendall's recurrence
    /// (each new item adds 0 … j − 1 inversions), evaluated as running sums; the distribution is
    /// symmetric, so the smaller tail c' = min(c, P − c) is summed and doubled for two sides.
    static func pValue(n: Int, concordant c: Int, alternative: Alternative) -> Double {
        let total = n * (n - 1) / 2
        let inRightTail = c >= total - c
        let c = min(c, total - c)
        var probability: Double
        var massAtC = 0.0
        if n == 1 {
            (probability, massAtC) = (1, 1)
        } else if n == 2 {
            (probability, massAtC) = (1, 0.5)
        } else if c == 0 {
            probability = n < 171 ? 2 / factorial(n) : 0
            massAtC = probability / 2
        } else if c == 1 {
            probability = n < 172 ? 2 / factorial(n - 1) : 0
            massAtC = Double(n - 1) / factorial(n)
        } else if 4 * c == n * (n - 1) && alternative == .twoSided {
            probability = 1
        } else {
            var counts = [Double](repeating: 0, count: c + 1)
            counts[0] = 1
            counts[1] = 1
            for j in 3...n {
                var running = 0.0
                for index in counts.indices {
                    running += counts[index]
                    counts[index] = n < 171 ? running : running / Double(j)
                }
                if j <= c {
                    let previous = counts
                    for index in j...c { counts[index] -= previous[index - j] }
                }
            }
            if n < 171 {
                probability = 2 * counts.reduce(0, +) / factorial(n)
                massAtC = counts[c] / factorial(n)
            } else {
                probability = counts.reduce(0, +)
                massAtC = counts[c] / 2
            }
        }
        if alternative != .twoSided {
            if inRightTail == (alternative == .greater) {
                probability /= 2
            } else {
                probability = 1 - probability / 2 + massAtC
            }
        }
        return min(1, max(0, probability))
    }

    private static func factorial(_ n: Int) -> Double {
        (1...max(1, n)).reduce(1.0) { $0 * Double($1) }
    }
}
