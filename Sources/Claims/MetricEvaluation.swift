import Foundation
import Statistics

/// A value from a metric query's result, as the metric needs it.
public enum MetricCell: Sendable, Equatable {
    case null
    case number(Double)
    case text(String)

    /// The value as a group label: integral numbers without a decimal point, so `grp` values
    /// 1 and 1.0 both match `groups: [1, 0]`.
    var groupKey: String? {
        switch self {
        case .null: return nil
        case .text(let text): return text
        case .number(let number):
            if number.rounded() == number, abs(number) < 1e15 { return String(Int64(number)) }
            return String(number)
        }
    }

    var number: Double? {
        switch self {
        case .number(let value): return value.isFinite ? value : nil
        case .text(let text): return Double(text.trimmingCharacters(in: .whitespaces))
        case .null: return nil
        }
    }
}

/// Why a metric could not produce a result: its data cannot carry the test.
public struct MetricError: Error, Sendable, Equatable, CustomStringConvertible {
    public var description: String
    public init(_ description: String) { self.description = description }
}

/// Collects a query's rows, one at a time, into the samples a test needs, so a metric over a
/// million rows never holds a million row objects.
public struct MetricSamples {
    public let spec: MetricSpec
    private let indices: [Int]
    private var first: [Double] = []
    private var second: [Double] = []
    private var successes = 0
    private var trials = 0
    private var countRows = false
    /// Rows left out because a needed value was missing or not a number.
    public private(set) var skippedRows = 0
    /// Rows whose group is neither of the metric's two groups.
    public private(set) var otherGroupRows = 0
    private var sawSummaryRow = false

    /// Checks the query's columns against what the test expects.
    public init(spec: MetricSpec, columns: [String]) throws {
        self.spec = spec
        let lowered = columns.map { $0.lowercased() }
        func find(_ names: [String]) -> [Int]? {
            let found = names.compactMap { lowered.firstIndex(of: $0) }
            return found.count == names.count ? found : nil
        }
        let expected: [String]
        switch spec.test {
        case .spearman: expected = ["x", "y"]
        case .mannWhitney, .welchT: expected = ["grp", "value"]
        case .binomial:
            if let found = find(["successes", "trials"]) {
                indices = found
                return
            }
            expected = ["value"]
            countRows = true
        }
        guard let found = find(expected) else {
            let got = columns.isEmpty ? "no columns" : columns.joined(separator: ", ")
            throw MetricError("a \(spec.test.rawValue) test expects the query to return columns \(spec.test.expectedColumns); it returned \(got)")
        }
        indices = found
    }

    public mutating func add(_ row: [MetricCell]) throws {
        switch spec.test {
        case .spearman:
            guard let x = row[indices[0]].number, let y = row[indices[1]].number else { skippedRows += 1; return }
            first.append(x)
            second.append(y)
        case .mannWhitney, .welchT:
            guard let group = row[indices[0]].groupKey, let value = row[indices[1]].number else { skippedRows += 1; return }
            if group == spec.groups?[0] {
                first.append(value)
            } else if group == spec.groups?[1] {
                second.append(value)
            } else {
                otherGroupRows += 1
            }
        case .binomial where countRows:
            guard let value = row[indices[0]].number else { skippedRows += 1; return }
            guard value == 0 || value == 1 else {
                throw MetricError("a binomial test's value column holds 0 or 1 for each case; found \(value)")
            }
            trials += 1
            successes += Int(value)
        case .binomial:
            guard !sawSummaryRow else {
                throw MetricError("a binomial test with successes and trials expects one row; the query returned more")
            }
            sawSummaryRow = true
            guard let s = row[indices[0]].number, let t = row[indices[1]].number,
                  s.rounded() == s, t.rounded() == t, let si = Int(exactly: s), let ti = Int(exactly: t) else {
                throw MetricError("a binomial test expects whole numbers of successes and trials")
            }
            successes = si
            trials = ti
        }
    }

    /// Runs the test on the collected samples.
    public func run() throws -> TestResult {
        do {
            switch spec.test {
            case .spearman:
                return try Correlation.spearman(first, second, alternative: spec.alternative)
            case .mannWhitney:
                try requireGroups()
                return try TwoSample.mannWhitneyU(first, second, alternative: spec.alternative)
            case .welchT:
                try requireGroups()
                return try TwoSample.welchT(first, second, alternative: spec.alternative)
            case .binomial:
                return try Proportion.binomialTest(
                    successes: successes, trials: trials, p0: spec.p0 ?? 0.5, alternative: spec.alternative)
            }
        } catch let error as CannotTest {
            throw MetricError("cannot test: \(error.reason)")
        }
    }

    private func requireGroups() throws {
        guard let groups = spec.groups else { return }
        for (name, sample) in zip(groups, [first, second]) where sample.isEmpty {
            throw MetricError("no rows have grp = \(name); check the query and the metric's groups")
        }
    }

    /// The signed effect that the verdict compares with the expectation and `min_effect`:
    /// the effect size itself, or for a binomial test the observed proportion minus p0.
    public func directionalEffect(of result: TestResult) -> Double {
        spec.test == .binomial ? result.effect.value - (spec.p0 ?? 0.5) : result.effect.value
    }
}
