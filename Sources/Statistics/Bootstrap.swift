import Foundation

/// How a percentile-bootstrap confidence interval is drawn: how many resamples, from which seed,
/// at which confidence level.
///
/// The interval is a pure function of the data and these options: the same input and seed give
/// the same bounds, bit for bit, on every run and machine, so a report can be regenerated and
/// checked. Changing the seed shows how much of an interval's last digit is Monte-Carlo noise.
public struct BootstrapOptions: Sendable, Equatable {
    /// The number of resamples, at least 1. The default, 2,000, follows Efron and Tibshirani
    /// (1993, ch. 19): percentile intervals live in the tails, which need far more resamples than
    /// a standard error (≈ 200). With 2,000, about 50 resamples lie beyond each 95% bound, so a
    /// bound's coverage wobbles by only ±0.35 percentage points (√(0.025·0.975/2000)), and the
    /// whole interval still costs at most about a tenth of a second for n = 10,000.
    public var resamples: Int
    /// The seed of the generator. The default is arbitrary but fixed, so that results are
    /// reproducible without the caller having to pick one.
    public var seed: UInt64
    /// The confidence level, strictly between 0 and 1; 0.95 by default, as everywhere else here.
    public var confidenceLevel: Double

    public init(resamples: Int = 2000, seed: UInt64 = 20_240_601, confidenceLevel: Double = 0.95) {
        self.resamples = resamples
        self.seed = seed
        self.confidenceLevel = confidenceLevel
    }

    /// The method as an output names it: "percentile bootstrap (2000 resamples, seed 20240601)".
    public var methodDescription: String {
        "percentile bootstrap (\(resamples) resamples, seed \(seed))"
    }

    func validate() throws {
        if resamples < 1 {
            throw CannotTest(reason: "a bootstrap interval needs at least 1 resample, found \(resamples)")
        }
        try Check.confidenceLevel(confidenceLevel)
    }
}

/// xoshiro256** (Blackman and Vigna, 2018), seeded by SplitMix64 (Steele, Lea and Flood, 2014).
///
/// The module owns its generator, rather than using `SystemRandomNumberGenerator` or the
/// standard library's `random(in:using:)`, so that a seed means the same stream of numbers on
/// every platform and Swift version. xoshiro256** is fast, has a 2²⁵⁶ − 1 period and passes
/// BigCrush; SplitMix64 spreads a 64-bit seed over its 256-bit state as the authors recommend,
/// and, being a bijection of a counter, never yields the forbidden all-zero state.
struct Xoshiro256StarStar {
    private var s0: UInt64, s1: UInt64, s2: UInt64, s3: UInt64

    init(seed: UInt64) {
        var state = seed
        func splitMix() -> UInt64 {
            state &+= 0x9E37_79B9_7F4A_7C15
            var z = state
            z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
            z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
            return z ^ (z >> 31)
        }
        s0 = splitMix()
        s1 = splitMix()
        s2 = splitMix()
        s3 = splitMix()
    }

    mutating func next() -> UInt64 {
        let result = rotateLeft(s1 &* 5, 7) &* 9
        let t = s1 << 17
        s2 ^= s0
        s3 ^= s1
        s1 ^= s2
        s0 ^= s3
        s2 ^= t
        s3 = rotateLeft(s3, 45)
        return result
    }

    /// A uniform integer in 0..<bound (bound ≥ 1), by Lemire's multiply-and-reject method
    /// (2019): unbiased, and almost never divides.
    mutating func index(below bound: Int) -> Int {
        let range = UInt64(bound)
        var product = next().multipliedFullWidth(by: range)
        if product.low < range {
            let threshold = (0 &- range) % range
            while product.low < threshold {
                product = next().multipliedFullWidth(by: range)
            }
        }
        return Int(product.high)
    }

    /// A uniform double in [0, 1): the top 53 bits of the next output.
    mutating func uniform() -> Double {
        Double(next() >> 11) * 0x1p-53
    }

    /// A Binomial(n, p) draw, exact.
    ///
    /// For n·min(p, 1 − p) < 14, inversion by sequential search from 0 (a handful of steps);
    /// otherwise Hörmann's BTRS (1993), transformed rejection with a squeeze, whose expected
    /// cost is bounded whatever n is. Both are the methods of NumPy's generator; the stream of
    /// numbers is ours, so draws agree in distribution, not bit for bit.
    mutating func binomial(_ n: Int, _ p: Double) -> Int {
        if n <= 0 || p <= 0 { return 0 }
        if p >= 1 { return n }
        if p > 0.5 { return n - binomial(n, 1 - p) }
        let nd = Double(n), q = 1 - p
        if nd * p < 14 {
            while true {
                let s = p / q, a = (nd + 1) * s
                var r = exp(nd * log1p(-p))
                var u = uniform()
                var x = 0
                while u > r {
                    u -= r
                    x += 1
                    if x > n { break }
                    r *= a / Double(x) - s
                }
                if x <= n { return x }
            }
        }
        let spq = (nd * p * q).squareRoot()
        let b = 1.15 + 2.53 * spq
        let a = -0.0873 + 0.0248 * b + 0.01 * p
        let c = nd * p + 0.5
        let vr = 0.92 - 4.2 / b
        let alpha = (2.83 + 5.1 / b) * spq
        let lpq = log(p / q)
        let m = ((nd + 1) * p).rounded(.down)
        let h = lgamma(m + 1) + lgamma(nd - m + 1)
        while true {
            let u = uniform() - 0.5
            var v = uniform()
            let us = 0.5 - abs(u)
            let k = ((2 * a / us + b) * u + c).rounded(.down)
            if k < 0 || k > nd { continue }
            if us >= 0.07 && v <= vr { return Int(k) }
            v = log(v * alpha / (a / (us * us) + b))
            let logRatio: Double = h - lgamma(k + 1) - lgamma(nd - k + 1) + (k - m) * lpq
            if v <= logRatio { return Int(k) }
        }
    }

    /// A multinomial draw of `n` cases over cells with the given counts (probabilities
    /// counts/total), into `into`, by sequential conditional binomials: cell i gets
    /// Binomial(remaining cases, pᵢ/(remaining probability)). O(cells), whatever n is.
    mutating func multinomial(_ n: Int, counts: [Int], total: Int, into draws: inout [Int]) {
        var remaining = n
        var remainingCount = total
        for cell in counts.indices {
            let count = counts[cell]
            if remaining == 0 || count == 0 {
                draws[cell] = 0
                continue
            }
            if count >= remainingCount {
                draws[cell] = remaining
                remaining = 0
                remainingCount -= count
                continue
            }
            let x = binomial(remaining, Double(count) / Double(remainingCount))
            draws[cell] = x
            remaining -= x
            remainingCount -= count
        }
    }

    private func rotateLeft(_ x: UInt64, _ k: UInt64) -> UInt64 {
        (x << k) | (x >> (64 - k))
    }
}

/// Percentile-bootstrap intervals for effect sizes without a closed-form interval.
///
/// Each resample redraws the data with replacement the way it was sampled: within each group,
/// keeping the group sizes, for k-group designs; the n cases of a contingency table for
/// categorical data. Redrawing n cases with replacement from a set of distinct values is a
/// multinomial draw of n over those values, with probabilities their shares, so every resample
/// is drawn that way (`Xoshiro256StarStar.multinomial`): it costs O(cells) for a table and
/// O(distinct values per group) for groups, never O(n) — 2,000 resamples of a 1M-case table
/// cost what 2,000 resamples of its four cells cost. The statistic is recomputed on each
/// resample, and the interval is the α/2 and 1 − α/2 percentiles of those values, interpolated as
/// NumPy's default `np.percentile(method="linear")` and hence as `scipy.stats.bootstrap(method=
/// "percentile")`. The percentile method suits these effects because it respects their range
/// ([0, 1]) and needs no standard error formula.
///
/// A resample on which the statistic is undefined (every value equal, an empty row or column) is
/// skipped and counted; the percentiles use the others. When more than half are undefined the
/// data are too thin for a bootstrap and no interval is given.
enum Bootstrap {
    /// An interval, if one could be built, and how many resamples were skipped as undefined.
    struct Outcome: Equatable {
        var interval: ConfidenceInterval?
        var undefinedResamples: Int
    }

    /// Draws `options.resamples` values of `statistic` (nil for undefined) from one generator
    /// stream, and takes their percentile interval.
    static func percentileInterval(
        _ options: BootstrapOptions, statistic: (inout Xoshiro256StarStar) -> Double?
    ) -> Outcome {
        var generator = Xoshiro256StarStar(seed: options.seed)
        var values: [Double] = []
        values.reserveCapacity(options.resamples)
        var undefined = 0
        for _ in 0..<options.resamples {
            if let value = statistic(&generator), value.isFinite {
                values.append(value)
            } else {
                undefined += 1
            }
        }
        if values.isEmpty || 2 * undefined > options.resamples {
            return Outcome(interval: nil, undefinedResamples: undefined)
        }
        values.sort()
        let alpha = (1 - options.confidenceLevel) / 2
        let interval = ConfidenceInterval(
            lower: percentile(sorted: values, alpha), upper: percentile(sorted: values, 1 - alpha),
            level: options.confidenceLevel)
        return Outcome(interval: interval, undefinedResamples: undefined)
    }

    /// The `fraction` quantile (0...1) of ascending `values`, as NumPy's "linear" rule.
    ///
    /// The virtual index h = (n − 1)·fraction falls between positions ⌊h⌋ and ⌊h⌋ + 1; with
    /// γ = h − ⌊h⌋ the value is a + γ(b − a) for γ < 0.5 and b − (1 − γ)(b − a) otherwise, NumPy's
    /// `_lerp`, which keeps the result monotone and exact at the ends.
    static func percentile(sorted values: [Double], _ fraction: Double) -> Double {
        let last = values.count - 1
        let virtualIndex = Double(last) * fraction
        if virtualIndex <= 0 { return values[0] }
        if virtualIndex >= Double(last) { return values[last] }
        let below = Int(virtualIndex.rounded(.down))
        let gamma = virtualIndex - Double(below)
        let a = values[below], b = values[below + 1]
        let difference = b - a
        return gamma >= 0.5 ? b - difference * (1 - gamma) : a + difference * gamma
    }

    /// The distinct values of one group (as levels of the pooled sample) with their counts.
    private struct GroupLevels {
        var levels: [Int]
        var counts: [Int]
        var size: Int
    }

    /// Replaces each value by its level (its position among the distinct pooled values) and
    /// counts each group's levels; returns the groups and the number of levels.
    private static func levels(of groups: [[Double]]) -> (groups: [GroupLevels], levelValues: [Double]) {
        let pooled = groups.flatMap { $0 }
        let distinct = Array(Set(pooled)).sorted()
        var position: [Double: Int] = [:]
        for (index, value) in distinct.enumerated() { position[value] = index }
        let grouped = groups.map { group -> GroupLevels in
            var counts: [Int: Int] = [:]
            for value in group { counts[position[value]!, default: 0] += 1 }
            let levels = counts.keys.sorted()
            return GroupLevels(levels: levels, counts: levels.map { counts[$0]! }, size: group.count)
        }
        return (grouped, distinct)
    }

    /// Epsilon squared, H/(n − 1), over resamples drawn within each group.
    ///
    /// Each group's resample is a multinomial draw over the group's distinct values; pooled
    /// counts per distinct value then give the average ranks and the tie term directly, so a
    /// resample costs O(distinct values), not a sort of n values. Undefined when every
    /// resampled value is equal.
    static func epsilonSquared(_ groups: [[Double]], options: BootstrapOptions) -> Outcome {
        let (grouped, levelValues) = levels(of: groups)
        let levelCount = levelValues.count
        let n = grouped.reduce(0) { $0 + $1.size }
        let total = Double(n)
        let tieDenominator = total * total * total - total
        var pooledCounts = [Int](repeating: 0, count: levelCount)
        var averageRanks = [Double](repeating: 0, count: levelCount)
        var drawn = grouped.map { [Int](repeating: 0, count: $0.levels.count) }
        return percentileInterval(options) { generator in
            for level in 0..<levelCount { pooledCounts[level] = 0 }
            for (g, group) in grouped.enumerated() {
                generator.multinomial(group.size, counts: group.counts, total: group.size, into: &drawn[g])
                for (i, level) in group.levels.enumerated() { pooledCounts[level] += drawn[g][i] }
            }
            var below = 0
            var tieTerm = 0.0
            for level in 0..<levelCount where pooledCounts[level] > 0 {
                let t = pooledCounts[level]
                if t == n { return nil }
                // Positions below+1 ... below+t share the mean rank below + (t + 1)/2.
                averageRanks[level] = Double(below) + Double(t + 1) / 2
                let td = Double(t)
                tieTerm += (td * td - 1) * td
                below += t
            }
            var sumOfSquares = 0.0
            for (g, group) in grouped.enumerated() {
                var rankSum = 0.0
                for (i, level) in group.levels.enumerated() { rankSum += Double(drawn[g][i]) * averageRanks[level] }
                sumOfSquares += rankSum * rankSum / Double(group.size)
            }
            let h = (12 / (total * (total + 1)) * sumOfSquares - 3 * (total + 1)) / (1 - tieTerm / tieDenominator)
            return h / (total - 1)
        }
    }

    /// Eta squared, SS_between/SS_total, over resamples drawn within each group.
    ///
    /// Each group's resample is a multinomial draw over its distinct values. Values are shifted
    /// by their group's mean once, so one pass of weighted sums and sums of squares per resample
    /// loses no precision to cancellation. Undefined when every resampled value is equal
    /// (SS_total = 0).
    static func etaSquared(_ groups: [[Double]], options: BootstrapOptions) -> Outcome {
        let (grouped, levelValues) = levels(of: groups)
        let centres = groups.map(Moments.mean)
        let shifted = zip(grouped, centres).map { group, centre in group.levels.map { levelValues[$0] - centre } }
        let total = Double(grouped.reduce(0) { $0 + $1.size })
        var means = [Double](repeating: 0, count: groups.count)
        var drawn = grouped.map { [Int](repeating: 0, count: $0.levels.count) }
        return percentileInterval(options) { generator in
            var ssWithin = 0.0
            var weightedMeans = 0.0
            var smallest = Int.max, largest = Int.min
            for (g, group) in grouped.enumerated() {
                generator.multinomial(group.size, counts: group.counts, total: group.size, into: &drawn[g])
                let size = Double(group.size)
                var sum = 0.0, sumOfSquares = 0.0
                for (i, count) in drawn[g].enumerated() where count > 0 {
                    let y = shifted[g][i], c = Double(count)
                    sum += c * y
                    sumOfSquares += c * y * y
                    // Levels order the original values, so equal levels mean equal values.
                    smallest = min(smallest, group.levels[i])
                    largest = max(largest, group.levels[i])
                }
                ssWithin += max(0, sumOfSquares - sum * sum / size)
                means[g] = centres[g] + sum / size
                weightedMeans += size * means[g]
            }
            if smallest == largest { return nil }
            let grandMean = weightedMeans / total
            var ssBetween = 0.0
            for (g, group) in grouped.enumerated() {
                let difference = means[g] - grandMean
                ssBetween += Double(group.size) * difference * difference
            }
            let ssTotal = ssBetween + ssWithin
            return ssTotal > 0 ? ssBetween / ssTotal : nil
        }
    }

    /// Cramér's V, √(χ²/(n(min(r, c) − 1))) from the uncorrected χ², over resamples of the n cases,
    /// each a multinomial draw over the cells. Undefined when a row or column of the resampled
    /// table is empty.
    static func cramersV(_ table: [[Int]], options: BootstrapOptions) -> Outcome {
        let rows = table.count, columns = table[0].count
        let cellCounts = Array(table.joined())
        let n = cellCounts.reduce(0, +)
        let total = Double(n)
        let scale = total * Double(min(rows, columns) - 1)
        var counts = [Int](repeating: 0, count: rows * columns)
        var rowTotals = [Int](repeating: 0, count: rows)
        var columnTotals = [Int](repeating: 0, count: columns)
        return percentileInterval(options) { generator in
            generator.multinomial(n, counts: cellCounts, total: n, into: &counts)
            for i in 0..<rows { rowTotals[i] = 0 }
            for j in 0..<columns { columnTotals[j] = 0 }
            for i in 0..<rows {
                for j in 0..<columns {
                    rowTotals[i] += counts[i * columns + j]
                    columnTotals[j] += counts[i * columns + j]
                }
            }
            if rowTotals.contains(0) || columnTotals.contains(0) { return nil }
            var chiSquare = 0.0
            for i in 0..<rows {
                for j in 0..<columns {
                    let expected = Double(rowTotals[i]) * Double(columnTotals[j]) / total
                    let difference = Double(counts[i * columns + j]) - expected
                    chiSquare += difference * difference / expected
                }
            }
            return (chiSquare / scale).squareRoot()
        }
    }
}
