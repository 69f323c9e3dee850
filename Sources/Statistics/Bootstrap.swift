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

    private func rotateLeft(_ x: UInt64, _ k: UInt64) -> UInt64 {
        (x << k) | (x >> (64 - k))
    }
}

/// Percentile-bootstrap intervals for effect sizes without a closed-form interval.
///
/// Each resample redraws the data with replacement the way it was sampled: within each group,
/// keeping the group sizes, for k-group designs; the n cases of a contingency table (a
/// multinomial draw over its cells) for categorical data. The statistic is recomputed on each
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

    /// Epsilon squared, H/(n − 1), over resamples drawn within each group.
    ///
    /// Resampled values are always values of the original data, so each is replaced once by its
    /// level (its position among the distinct pooled values); a resample then ranks by counting
    /// levels, in O(n + distinct values), instead of sorting. Undefined when every resampled
    /// value is equal.
    static func epsilonSquared(_ groups: [[Double]], options: BootstrapOptions) -> Outcome {
        let pooled = groups.flatMap { $0 }
        let order = pooled.indices.sorted { pooled[$0] < pooled[$1] }
        var pooledLevels = [Int](repeating: 0, count: pooled.count)
        var levelCount = 0
        for (position, index) in order.enumerated() {
            if position > 0 && pooled[index] != pooled[order[position - 1]] { levelCount += 1 }
            pooledLevels[index] = levelCount
        }
        levelCount += 1
        var groupLevels: [[Int]] = []
        var offset = 0
        for group in groups {
            groupLevels.append(Array(pooledLevels[offset..<(offset + group.count)]))
            offset += group.count
        }

        let n = pooled.count
        let total = Double(n)
        let tieDenominator = total * total * total - total
        var counts = [Int](repeating: 0, count: levelCount)
        var averageRanks = [Double](repeating: 0, count: levelCount)
        var drawn = [Int](repeating: 0, count: n)
        return percentileInterval(options) { generator in
            for level in 0..<levelCount { counts[level] = 0 }
            var position = 0
            for levels in groupLevels {
                for _ in 0..<levels.count {
                    let level = levels[generator.index(below: levels.count)]
                    drawn[position] = level
                    counts[level] += 1
                    position += 1
                }
            }
            var below = 0
            var tieTerm = 0.0
            for level in 0..<levelCount where counts[level] > 0 {
                let t = counts[level]
                if t == n { return nil }
                // Positions below+1 ... below+t share the mean rank below + (t + 1)/2.
                averageRanks[level] = Double(below) + Double(t + 1) / 2
                tieTerm += Double(t) * Double(t) * Double(t) - Double(t)
                below += t
            }
            var sumOfSquares = 0.0
            position = 0
            for levels in groupLevels {
                var rankSum = 0.0
                for _ in 0..<levels.count {
                    rankSum += averageRanks[drawn[position]]
                    position += 1
                }
                sumOfSquares += rankSum * rankSum / Double(levels.count)
            }
            let h = (12 / (total * (total + 1)) * sumOfSquares - 3 * (total + 1)) / (1 - tieTerm / tieDenominator)
            return h / (total - 1)
        }
    }

    /// Eta squared, SS_between/SS_total, over resamples drawn within each group.
    ///
    /// Values are shifted by their group's mean once, so one pass of sums and sums of squares
    /// per resample loses no precision to cancellation. Undefined when every resampled value is
    /// equal (SS_total = 0).
    static func etaSquared(_ groups: [[Double]], options: BootstrapOptions) -> Outcome {
        let centres = groups.map(Moments.mean)
        let shifted = zip(groups, centres).map { group, centre in group.map { $0 - centre } }
        let total = Double(groups.reduce(0) { $0 + $1.count })
        var means = [Double](repeating: 0, count: groups.count)
        return percentileInterval(options) { generator in
            var ssWithin = 0.0
            var weightedMeans = 0.0
            var smallest = Double.infinity, largest = -Double.infinity
            for (g, values) in shifted.enumerated() {
                let size = Double(values.count)
                var sum = 0.0, sumOfSquares = 0.0
                for _ in 0..<values.count {
                    let index = generator.index(below: values.count)
                    let y = values[index]
                    sum += y
                    sumOfSquares += y * y
                    // The original values, not y + centre, which may round differently.
                    smallest = min(smallest, groups[g][index])
                    largest = max(largest, groups[g][index])
                }
                ssWithin += max(0, sumOfSquares - sum * sum / size)
                means[g] = centres[g] + sum / size
                weightedMeans += size * means[g]
            }
            if smallest == largest { return nil }
            let grandMean = weightedMeans / total
            var ssBetween = 0.0
            for (g, values) in shifted.enumerated() {
                let difference = means[g] - grandMean
                ssBetween += Double(values.count) * difference * difference
            }
            let ssTotal = ssBetween + ssWithin
            return ssTotal > 0 ? ssBetween / ssTotal : nil
        }
    }

    /// Cramér's V, √(χ²/(n(min(r, c) − 1))) from the uncorrected χ², over resamples of the n cases
    /// (a multinomial draw over the cells). Undefined when a row or column of the resampled table
    /// is empty.
    static func cramersV(_ table: [[Int]], options: BootstrapOptions) -> Outcome {
        let rows = table.count, columns = table[0].count
        var cellOfCase: [Int] = []
        for (cell, count) in table.joined().enumerated() {
            cellOfCase.append(contentsOf: repeatElement(cell, count: count))
        }
        let n = cellOfCase.count
        let total = Double(n)
        let scale = total * Double(min(rows, columns) - 1)
        var counts = [Int](repeating: 0, count: rows * columns)
        var rowTotals = [Int](repeating: 0, count: rows)
        var columnTotals = [Int](repeating: 0, count: columns)
        return percentileInterval(options) { generator in
            for cell in counts.indices { counts[cell] = 0 }
            for _ in 0..<n { counts[cellOfCase[generator.index(below: n)]] += 1 }
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
