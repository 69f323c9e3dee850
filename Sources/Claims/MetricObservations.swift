import Foundation
import Statistics

/// The data a metric's query returned, as `MetricSamples` keeps it (each row's values once): what
/// the test reads, and what a report reads to describe each group (n, mean, median, quartiles or
/// counts) and draw the data, and to recompute in log space a p-value that underflows to 0.
///
/// Named groups come in the metric's order, other groups in order of first appearance; rows with
/// a missing or non-numeric value are left out, as the test leaves them out.
public struct MetricObservations: Sendable {
    /// One group's values (two-group and k-group tests), or one variable of a pairs test.
    public struct Sample: Sendable, Equatable {
        public var name: String
        public var values: [Double]
    }

    public let test: TestKind
    /// `x` and `y` for the pairs shape, one sample per group for the groups shape.
    public private(set) var samples: [Sample] = []
    /// The contingency table of a categories test: row (column a) and column (column b) labels
    /// and their counts, in the metric's order when given, else in order of first appearance.
    public private(set) var rowLabels: [String] = []
    public private(set) var columnLabels: [String] = []
    /// Counts by position in `rowLabels` and `columnLabels` (a row may be shorter than
    /// `columnLabels`: the missing cells are 0), and each label's first position.
    private var table: [[Int]] = []
    private var rowPositions: [String: Int] = [:]
    private var columnPositions: [String: Int] = [:]
    /// A proportion test's successes and trials.
    public private(set) var successes = 0
    public private(set) var trials = 0
    /// A threshold metric's value.
    public private(set) var value: Double?

    private let spec: MetricSpec
    private var groupPositions: [String: Int] = [:]

    /// Empty samples for the metric: the named groups (or `x` and `y`) in place, no rows yet.
    /// `MetricSamples` makes it once it has checked the query's columns.
    init(spec: MetricSpec) {
        self.spec = spec
        test = spec.test
        switch spec.test.shape {
        case .pairs:
            samples = [Sample(name: "x", values: []), Sample(name: "y", values: [])]
        case .groups:
            for (position, name) in (spec.groups ?? []).enumerated() {
                samples.append(Sample(name: name, values: []))
                groupPositions[name] = position
            }
        case .categories:
            for label in spec.groups ?? [] { _ = rowPosition(of: label) }
            for label in spec.levels ?? [] { _ = columnPosition(of: label) }
        case .proportion, .single:
            break
        }
    }

    // MARK: Rows as `MetricSamples` accepts them (it checks each row once and keeps it here)

    mutating func appendPair(_ a: Double, _ b: Double) {
        samples[0].values.append(a)
        samples[1].values.append(b)
    }

    /// A value of the metric's named group at `position`.
    mutating func append(_ value: Double, toNamedGroup position: Int) {
        samples[position].values.append(value)
    }

    /// A value of the group labelled `label`, a new sample at its first appearance; returns the
    /// group's position in `samples`.
    @discardableResult
    mutating func append(_ value: Double, toGroup label: String) -> Int {
        if let position = groupPositions[label] {
            samples[position].values.append(value)
            return position
        }
        let position = samples.count
        groupPositions[label] = position
        samples.append(Sample(name: label, values: [value]))
        return position
    }

    /// The position of row label `a` in `rowLabels`, appended at its first appearance.
    mutating func rowPosition(of a: String) -> Int {
        if let position = rowPositions[a] { return position }
        rowPositions[a] = rowLabels.count
        rowLabels.append(a)
        return rowLabels.count - 1
    }

    /// The position of column label `b` in `columnLabels`, appended at its first appearance.
    mutating func columnPosition(of b: String) -> Int {
        if let position = columnPositions[b] { return position }
        columnPositions[b] = columnLabels.count
        columnLabels.append(b)
        return columnLabels.count - 1
    }

    /// Adds `count` to the cell at these positions of `rowLabels` and `columnLabels`.
    mutating func add(_ count: Int, row: Int, column: Int) {
        while table.count <= row { table.append([]) }
        if table[row].count <= column { table[row].append(contentsOf: repeatElement(0, count: column + 1 - table[row].count)) }
        table[row][column] += count
    }

    mutating func setProportion(successes: Int, trials: Int) {
        self.successes = successes
        self.trials = trials
    }

    mutating func setValue(_ value: Double) {
        self.value = value
    }

    /// The count of the cell (a, b) of a categories test.
    func count(_ a: String, _ b: String) -> Int {
        guard let row = rowPositions[a], let column = columnPositions[b] else { return 0 }
        return count(row: row, column: column)
    }

    private func count(row: Int, column: Int) -> Int {
        row < table.count && column < table[row].count ? table[row][column] : 0
    }

    /// The contingency table's counts, rows by `rowLabels`, columns by `columnLabels`.
    public var counts: [[Int]] {
        rowLabels.map { a in columnLabels.map { b in count(a, b) } }
    }
}

/// Summary numbers of one sample: what a reader needs to see the groups the test compared.
public struct SampleSummary: Sendable, Equatable {
    public var n: Int
    public var mean: Double
    public var median: Double
    /// The first and third quartiles (linear interpolation between order statistics, NumPy's
    /// default and R's type 7).
    public var q1: Double
    public var q3: Double
    public var min: Double
    public var max: Double

    public var iqr: Double { q3 - q1 }

    /// The summary of `values`; nil when there are none.
    public init?(_ values: [Double]) {
        guard !values.isEmpty else { return nil }
        let sorted = RadixSort.sorted(values) ?? values.sorted()
        let count = sorted.count
        func quantile(_ q: Double) -> Double {
            let position = q * Double(count - 1)
            let low = Int(position.rounded(.down))
            let high = Swift.min(low + 1, count - 1)
            return sorted[low] + (sorted[high] - sorted[low]) * (position - Double(low))
        }
        n = count
        mean = sorted.reduce(0, +) / Double(count)
        median = quantile(0.5)
        q1 = quantile(0.25)
        q3 = quantile(0.75)
        min = sorted[0]
        max = sorted[count - 1]
    }
}

extension MetricObservations {
    /// log10 of the test's p-value. Where the p-value is a positive double this is simply its
    /// logarithm; where it underflowed to 0 it is recomputed in log space from the statistic and
    /// the data: the t family (Pearson, Spearman, Welch, Student, paired t), the normal
    /// approximations of Mann-Whitney and Kendall's tau-b (with their tie corrections, from the
    /// data), chi-square and Kruskal-Wallis, ANOVA's F, and the exact sums of the binomial and
    /// Fisher's tests. The Wilcoxon signed-rank test's variance depends on how zero differences
    /// and ties were treated, which the result does not say: for it an underflowed p-value gives
    /// nil, as does a threshold (no p-value at all).
    public func log10PValue(of result: TestResult, alternative: Alternative) -> Double? {
        if result.pValue > 0 { return Foundation.log10(result.pValue) }
        guard result.pValue == 0 else { return nil }
        let sides = alternative == .twoSided ? 2.0 : 1.0
        let natural: Double?
        switch test {
        case .pearson, .spearman:
            let r = result.statistic, df = Double(result.n - 2)
            guard df > 0, abs(r) < 1 else { return nil }
            natural = LogTails.studentT(abs(r) * (df / (1 - r * r)).squareRoot(), df: df).map { $0 + Foundation.log(sides) }
        case .welchT, .studentT, .pairedT:
            guard let df = result.degreesOfFreedom else { return nil }
            natural = LogTails.studentT(abs(result.statistic), df: df).map { $0 + Foundation.log(sides) }
        case .mannWhitney:
            natural = mannWhitneyLogTail(alternative: alternative).map { $0 + Foundation.log(sides) }
        case .chiSquare, .kruskalWallis:
            guard let df = result.degreesOfFreedom else { return nil }
            natural = LogTails.chiSquare(result.statistic, df: df)
        case .anova:
            guard let d1 = result.degreesOfFreedom, let d2 = result.denominatorDegreesOfFreedom else { return nil }
            natural = LogTails.f(result.statistic, d1, d2)
        case .binomial:
            natural = LogTails.binomial(successes: successes, trials: trials, p0: spec.p0 ?? 0.5, alternative: alternative)
        case .fisher:
            let table = counts
            guard table.count == 2, table.allSatisfy({ $0.count == 2 }) else { return nil }
            natural = LogTails.fisher(table, alternative: alternative)
        case .kendall:
            natural = kendallLogTail(tau: result.statistic).map { $0 + Foundation.log(sides) }
        case .wilcoxon:
            natural = wilcoxonLogTail().map { $0 + Foundation.log(sides) }
        case .threshold:
            natural = nil
        }
        return natural.map { Swift.min(0, $0) / Foundation.log(10) }
    }

    /// The natural log of the upper normal tail of the signed-rank test's |z|: the differences
    /// x − y without zeros, midranks of their sizes, the tie term in the variance.
    private func wilcoxonLogTail() -> Double? {
        guard samples.count == 2, samples[0].values.count == samples[1].values.count else { return nil }
        let differences = zip(samples[0].values, samples[1].values).map { $0 - $1 }.filter { $0 != 0 }
        guard !differences.isEmpty else { return nil }
        let sorted = differences.sorted { abs($0) < abs($1) }
        var rPlus = 0.0, tieTerm = 0.0, start = 0
        while start < sorted.count {
            var end = start
            while end + 1 < sorted.count && abs(sorted[end + 1]) == abs(sorted[start]) { end += 1 }
            let midrank = Double(start + end) / 2 + 1, t = Double(end - start + 1)
            tieTerm += t * t * t - t
            for index in start...end where sorted[index] > 0 { rPlus += midrank }
            start = end + 1
        }
        let m = Double(differences.count)
        let se = ((m * (m + 1) * (2 * m + 1) - tieTerm / 2) / 24).squareRoot()
        guard se > 0 else { return nil }
        return LogTails.normal(abs(rPlus - m * (m + 1) / 4) / se)
    }

    /// The natural log of the upper normal tail of Kendall's z, with the null variance of C − D
    /// under ties that `Correlation.kendallTauB` uses; C − D is recovered from tau-b.
    private func kendallLogTail(tau: Double) -> Double? {
        guard samples.count == 2, samples[0].values.count == samples[1].values.count, samples[0].values.count > 2 else { return nil }
        func ties(_ values: [Double]) -> (pairs: Double, v0: Double, v1: Double) {
            let sorted = values.sorted()
            var result = (pairs: 0.0, v0: 0.0, v1: 0.0), start = 0
            while start < sorted.count {
                var end = start
                while end + 1 < sorted.count && sorted[end + 1] == sorted[start] { end += 1 }
                let t = Double(end - start + 1)
                result.pairs += t * (t - 1) / 2
                result.v0 += t * (t - 1) * (t - 2)
                result.v1 += t * (t - 1) * (2 * t + 5)
                start = end + 1
            }
            return result
        }
        let x = ties(samples[0].values), y = ties(samples[1].values)
        let n = Double(samples[0].values.count), m = n * (n - 1), total = m / 2
        let difference = tau * (total - x.pairs).squareRoot() * (total - y.pairs).squareRoot()
        let variance = (m * (2 * n + 5) - x.v1 - y.v1) / 18 + 2 * x.pairs * y.pairs / m + x.v0 * y.v0 / (9 * m * (n - 2))
        guard variance > 0 else { return nil }
        return LogTails.normal(abs(difference) / variance.squareRoot())
    }

    /// The natural log of the upper normal tail of Mann-Whitney's z, as `TwoSample.mannWhitneyU`
    /// computes z for its asymptotic method.
    private func mannWhitneyLogTail(alternative: Alternative) -> Double? {
        guard samples.count == 2 else { return nil }
        let a = samples[0].values, b = samples[1].values
        let n1 = Double(a.count), n2 = Double(b.count), n = n1 + n2
        guard n1 > 0, n2 > 0 else { return nil }
        // Midranks of the pooled sample and the tie term sum(t^3 - t).
        let pooled = (a.map { ($0, true) } + b.map { ($0, false) }).sorted { $0.0 < $1.0 }
        var rankSum = 0.0, tieTerm = 0.0, start = 0
        while start < pooled.count {
            var end = start
            while end + 1 < pooled.count && pooled[end + 1].0 == pooled[start].0 { end += 1 }
            let midrank = Double(start + end) / 2 + 1
            let t = Double(end - start + 1)
            tieTerm += t * t * t - t
            for index in start...end where pooled[index].1 { rankSum += midrank }
            start = end + 1
        }
        let product = n1 * n2
        let u1 = rankSum - n1 * (n1 + 1) / 2
        let u: Double
        switch alternative {
        case .greater: u = u1
        case .less: u = product - u1
        case .twoSided: u = Swift.max(u1, product - u1)
        }
        let sigma = (product / 12 * ((n + 1) - tieTerm / (n * (n - 1)))).squareRoot()
        guard sigma > 0 else { return nil }
        return LogTails.normal((u - product / 2 - 0.5) / sigma)
    }
}

/// Natural logarithms of distribution tails, accurate where the tail itself is below the smallest
/// double (the only place the matrix needs them).
enum LogTails {
    /// log P(Z > z) for a standard normal Z: the asymptotic series for large z, else the log of
    /// the complementary error function.
    static func normal(_ z: Double) -> Double? {
        guard z.isFinite else { return nil }
        if z < 30 { return Foundation.log(0.5 * erfc(z / 2.0.squareRoot())) }
        let z2 = z * z
        let series = 1 - 1 / z2 + 3 / (z2 * z2) - 15 / (z2 * z2 * z2)
        return -z2 / 2 - Foundation.log(z) - 0.5 * Foundation.log(2 * Double.pi) + Foundation.log(series)
    }

    /// log P(T > t) for Student's t with `df` degrees of freedom, t ≥ 0: ½ I_x(df/2, ½) with
    /// x = df / (df + t²).
    static func studentT(_ t: Double, df: Double) -> Double? {
        guard t.isFinite, df > 0 else { return nil }
        return logIncompleteBeta(df / 2, 0.5, x: df / (df + t * t)).map { $0 + Foundation.log(0.5) }
    }

    /// log P(F > f) for an F distribution: I_x(d2/2, d1/2) with x = d2 / (d2 + d1 f).
    static func f(_ f: Double, _ d1: Double, _ d2: Double) -> Double? {
        guard f.isFinite, f > 0, d1 > 0, d2 > 0 else { return nil }
        return logIncompleteBeta(d2 / 2, d1 / 2, x: d2 / (d2 + d1 * f))
    }

    /// log of the regularized incomplete beta function I_x(a, b) through its hypergeometric
    /// series, x^a (1-x)^b / (a B(a, b)) · Σ, whose terms shrink by about x each: used only where
    /// the result underflows, that is where x^a is tiny.
    static func logIncompleteBeta(_ a: Double, _ b: Double, x: Double) -> Double? {
        guard x > 0, x < 1 else { return nil }
        var sum = 1.0, term = 1.0, n = 0.0
        while n < 1_000_000 {
            term *= (a + b + n) / (a + 1 + n) * x
            sum += term
            n += 1
            if term < sum * 1e-16 { break }
        }
        let logBeta = lgamma(a) + lgamma(b) - lgamma(a + b)
        return a * Foundation.log(x) + b * Foundation.log1p(-x) - Foundation.log(a) - logBeta + Foundation.log(sum)
    }

    /// log P(X > x) for a chi-square X with `df` degrees of freedom: the upper regularized gamma
    /// Q(df/2, x/2) by its continued fraction (Lentz), the prefactor kept in log space.
    static func chiSquare(_ statistic: Double, df: Double) -> Double? {
        guard statistic.isFinite, statistic > 0, df > 0 else { return nil }
        let a = df / 2, x = statistic / 2
        guard x > a + 1 else { return nil }
        let tiny = 1e-300
        var b = x + 1 - a, c = 1 / tiny, d = 1 / b, h = d
        for i in 1...100_000 {
            let an = -Double(i) * (Double(i) - a)
            b += 2
            d = an * d + b
            if abs(d) < tiny { d = tiny }
            c = b + an / c
            if abs(c) < tiny { c = tiny }
            d = 1 / d
            let delta = d * c
            h *= delta
            if abs(delta - 1) < 1e-15 { break }
        }
        return -x + a * Foundation.log(x) - lgamma(a) + Foundation.log(h)
    }

    /// log of the sum of exp(terms), without overflow.
    static func logSum(_ terms: [Double]) -> Double? {
        guard let largest = terms.max(), largest.isFinite else { return nil }
        return largest + Foundation.log(terms.reduce(0) { $0 + exp($1 - largest) })
    }

    static func logChoose(_ n: Int, _ k: Int) -> Double {
        lgamma(Double(n) + 1) - lgamma(Double(k) + 1) - lgamma(Double(n - k) + 1)
    }

    /// The binomial test's p-value in log space, by SciPy's rules: for two sides, every outcome
    /// no more likely than the observed one (with SciPy's relative tolerance of 1e-7).
    static func binomial(successes k: Int, trials n: Int, p0: Double, alternative: Alternative) -> Double? {
        guard n > 0, k >= 0, k <= n, p0 > 0, p0 < 1 else { return nil }
        let logPMF = { (x: Int) in logChoose(n, x) + Double(x) * Foundation.log(p0) + Double(n - x) * Foundation.log1p(-p0) }
        switch alternative {
        case .greater: return logSum((k...n).map(logPMF))
        case .less: return logSum((0...k).map(logPMF))
        case .twoSided:
            let observed = logPMF(k) + Foundation.log1p(1e-7)
            return logSum((0...n).map(logPMF).filter { $0 <= observed })
        }
    }

    /// Fisher's exact test of a 2×2 table in log space, by SciPy's rules: `greater` sums the
    /// tables with at least the observed top-left count, `less` at most, and two sides every
    /// table no more likely than the observed one (relative tolerance 1e-7).
    static func fisher(_ table: [[Int]], alternative: Alternative) -> Double? {
        let a = table[0][0], b = table[0][1], c = table[1][0], d = table[1][1]
        let row1 = a + b, column1 = a + c, n = a + b + c + d
        let low = max(0, column1 - (n - row1)), high = min(row1, column1)
        guard low <= high else { return nil }
        let logPMF = { (x: Int) in logChoose(row1, x) + logChoose(n - row1, column1 - x) - logChoose(n, column1) }
        switch alternative {
        case .greater: return logSum((a...high).map(logPMF))
        case .less: return logSum((low...a).map(logPMF))
        case .twoSided:
            let observed = logPMF(a) + Foundation.log1p(1e-7)
            return logSum((low...high).map(logPMF).filter { $0 <= observed })
        }
    }
}
