import Foundation
import Statistics

/// A value from a metric query's result, as the metric needs it.
public enum MetricCell: Sendable, Equatable {
    case null
    case number(Double)
    case text(String)

    /// The value as a group or category label: integral numbers without a decimal point, so
    /// `grp` values 1 and 1.0 both match `groups: [1, 0]`.
    var label: String? {
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
/// million rows never holds a million row objects. Each accepted row's values are kept once, in
/// `observations`, which the test reads and a report describes.
public struct MetricSamples {
    public let spec: MetricSpec
    private var indices: [Int] = []
    private var countsGiven = false
    /// The rows kept: pairs, groups (named groups in the metric's order, others in order of
    /// first appearance), the contingency table's counts, a proportion, a value.
    public private(set) var observations: MetricObservations
    /// The metric's named groups as numbers (nil where a name is not a number): a row's group is
    /// then found by comparing numbers, with no text made or hashed per row.
    private var namedGroupNumbers: [Double?] = []
    /// The labels of columns a and b of a categories test, as kept rows first show them.
    private var aLabels: CategoryLabels
    private var bLabels: CategoryLabels
    /// Unnamed groups met as numbers, by number: a row's group is found by hashing its number,
    /// with no text made or hashed per row (the label is made once, at the group's first row).
    private var numberGroupPositions = NumberMap()
    private var rowsSeen = 0
    /// Rows left out because a needed value was missing or not a number.
    public private(set) var skippedRows = 0
    /// Rows whose group is not one of the metric's groups.
    public private(set) var otherGroupRows = 0

    /// Checks the query's columns against what the test expects.
    public init(spec: MetricSpec, columns: [String]) throws {
        self.spec = spec
        aLabels = CategoryLabels(allowed: spec.groups)
        bLabels = CategoryLabels(allowed: spec.levels)
        let lowered = columns.map { $0.lowercased() }
        func find(_ names: [String]) -> [Int]? {
            let found = names.compactMap { lowered.firstIndex(of: $0) }
            return found.count == names.count ? found : nil
        }
        var found: [Int]?
        switch spec.test.shape {
        case .pairs: found = find(["x", "y"])
        case .groups: found = find(["grp", "value"])
        case .categories:
            if let withCounts = find(["a", "b", "count"]) {
                found = withCounts
                countsGiven = true
            } else {
                found = find(["a", "b"])
            }
        case .proportion:
            if let summary = find(["successes", "trials"]) {
                found = summary
                countsGiven = true
            } else {
                found = find(["value"])
            }
        case .single: found = find(["value"])
        }
        guard let found else {
            let got = columns.isEmpty ? "no columns" : columns.joined(separator: ", ")
            throw MetricError("a \(spec.test.rawValue) test expects the query to return columns \(spec.test.expectedColumns); it returned \(got)")
        }
        indices = found
        observations = MetricObservations(spec: spec)
        if let groups = spec.groups { namedGroupNumbers = groups.map { Double($0) } }
    }

    public mutating func add(_ row: [MetricCell]) throws {
        try add { row[$0] }
    }

    /// Adds one row, read through `cell(column)`, so a caller streaming rows in another
    /// representation needs no array of cells per row.
    public mutating func add(_ cell: (Int) -> MetricCell) throws {
        rowsSeen += 1
        switch spec.test.shape {
        case .pairs:
            guard let a = cell(indices[0]).number, let b = cell(indices[1]).number else { skippedRows += 1; return }
            observations.appendPair(a, b)
        case .groups:
            let groupCell = cell(indices[0])
            guard let value = cell(indices[1]).number else { skippedRows += 1; return }
            if let groups = spec.groups {
                let position: Int?
                switch groupCell {
                case .null: skippedRows += 1; return
                case .number(let number): position = namedGroupNumbers.firstIndex(of: number)
                case .text(let text): position = groups.firstIndex(of: text) ?? Double(text).flatMap { namedGroupNumbers.firstIndex(of: $0) }
                }
                guard let position else { otherGroupRows += 1; return }
                observations.append(value, toNamedGroup: position)
                return
            }
            if case .number(let number) = groupCell, !number.isNaN {
                if let position = numberGroupPositions[number] {
                    observations.append(value, toNamedGroup: position)
                } else {
                    numberGroupPositions.insert(observations.append(value, toGroup: groupCell.label!), for: number)
                }
                return
            }
            guard let group = groupCell.label else { skippedRows += 1; return }
            observations.append(value, toGroup: group)
        case .categories:
            guard let a = aLabels.id(of: cell(indices[0])), let b = bLabels.id(of: cell(indices[1])) else { skippedRows += 1; return }
            var count = 1
            if countsGiven {
                guard let value = cell(indices[2]).number, value >= 0, value.rounded() == value, let whole = Int(exactly: value) else {
                    throw MetricError("a \(spec.test.rawValue) test's count column holds whole numbers of 0 or more; found \(cell(indices[2]))")
                }
                count = whole
            }
            guard aLabels.isAllowed(a), bLabels.isAllowed(b) else { otherGroupRows += 1; return }
            let row = aLabels.position(of: a) ?? aLabels.keep(a, at: observations.rowPosition(of: aLabels.label(of: a)))
            let column = bLabels.position(of: b) ?? bLabels.keep(b, at: observations.columnPosition(of: bLabels.label(of: b)))
            observations.add(count, row: row, column: column)
        case .proportion where countsGiven:
            guard rowsSeen == 1 else {
                throw MetricError("a binomial test with successes and trials expects one row; the query returned more")
            }
            guard let s = cell(indices[0]).number, let t = cell(indices[1]).number,
                  let si = Int(exactly: s), let ti = Int(exactly: t) else {
                throw MetricError("a binomial test expects whole numbers of successes and trials")
            }
            observations.setProportion(successes: si, trials: ti)
        case .proportion:
            guard let value = cell(indices[0]).number else { skippedRows += 1; return }
            guard value == 0 || value == 1 else {
                throw MetricError("a binomial test's value column holds 0 or 1 for each case; found \(value)")
            }
            observations.setProportion(successes: observations.successes + Int(value), trials: observations.trials + 1)
        case .single:
            guard rowsSeen == 1 else { throw MetricError("a threshold metric expects one row with one value; the query returned more") }
            guard let value = cell(indices[0]).number else { throw MetricError("a threshold metric's value is missing or not a number") }
            observations.setValue(value)
        }
    }

    /// Runs the test on the collected samples, with the study's evaluation defaults (the
    /// metric's own `confidence:`, `interval:` and `bootstrap:` override them).
    public func run(defaults: EvaluationDefaults = EvaluationDefaults()) throws -> TestResult {
        let alternative = spec.alternative
        let x = observations.test.shape == .pairs ? observations.samples[0].values : []
        let y = observations.test.shape == .pairs ? observations.samples[1].values : []
        let successes = observations.successes, trials = observations.trials
        let level = spec.confidenceLevel(defaults: defaults)
        let interval = spec.intervalChoice(defaults: defaults)
        do {
            switch spec.test {
            case .spearman: return try Correlation.spearman(x, y, alternative: alternative, confidenceLevel: level)
            case .pearson: return try Correlation.pearson(x, y, alternative: alternative, confidenceLevel: level)
            case .kendall: return try Correlation.kendallTauB(x, y, alternative: alternative, confidenceLevel: level)
            case .wilcoxon: return try Paired.wilcoxonSignedRank(x, y, alternative: alternative, confidenceLevel: level)
            case .pairedT: return try Paired.pairedT(x, y, alternative: alternative, confidenceLevel: level)
            case .mannWhitney:
                let (a, b) = try twoGroups()
                return try TwoSample.mannWhitneyU(a, b, alternative: alternative, confidenceLevel: level)
            case .welchT:
                let (a, b) = try twoGroups()
                return try TwoSample.welchT(a, b, alternative: alternative, confidenceLevel: level)
            case .studentT:
                let (a, b) = try twoGroups()
                return try TwoSample.studentT(a, b, alternative: alternative, confidenceLevel: level)
            case .kruskalWallis: return try KGroups.kruskalWallis(try kGroups(), interval: interval)
            case .anova: return try KGroups.oneWayANOVA(try kGroups(), interval: interval)
            case .chiSquare: return try Categorical.chiSquareIndependence(table(rows: nil, columns: nil), interval: interval)
            case .fisher:
                return try Categorical.fisherExact2x2(table(rows: spec.groups, columns: spec.levels), alternative: alternative,
                                                      confidenceLevel: level)
            case .binomial:
                return try Proportion.binomialTest(successes: successes, trials: trials, p0: spec.p0 ?? 0.5, alternative: alternative,
                                                   confidenceLevel: level)
            case .threshold:
                guard let value = observations.value else { throw MetricError("the query returned no row") }
                return TestResult(test: "threshold", n: 1, statisticName: "value", statistic: value, degreesOfFreedom: nil,
                                  pValue: .nan, effect: EffectSize(name: "value", value: value, interval: nil), method: "descriptive")
            }
        } catch let error as CannotTest {
            throw MetricError("cannot test: \(error.reason)")
        }
    }

    /// The values of the metric's named groups, in its order.
    private var namedGroupValues: [[Double]] { observations.samples.map(\.values) }

    private func twoGroups() throws -> ([Double], [Double]) {
        let names = spec.groups ?? []
        let values = namedGroupValues
        for (name, group) in zip(names, values) where group.isEmpty {
            throw MetricError("no rows have grp = \(name); check the query and the metric's groups")
        }
        return (values[0], values[1])
    }

    /// The groups in the metric's order when it names them, else sorted by label.
    private func kGroups() throws -> [[Double]] {
        if let names = spec.groups {
            let values = namedGroupValues
            for (name, group) in zip(names, values) where group.isEmpty {
                throw MetricError("no rows have grp = \(name); check the query and the metric's groups")
            }
            return values
        }
        return observations.samples.sorted { $0.name.localizedStandardCompare($1.name) == .orderedAscending }.map(\.values)
    }

    /// The contingency table, rows and columns in the metric's order when given, else sorted.
    private func table(rows: [String]?, columns: [String]?) throws -> [[Int]] {
        let rowNames = rows ?? aLabels.keptOrder.sorted { $0.localizedStandardCompare($1) == .orderedAscending }
        let columnNames = columns ?? bLabels.keptOrder.sorted { $0.localizedStandardCompare($1) == .orderedAscending }
        if let rows { for name in rows where !aLabels.isKept(name) { throw MetricError("no rows have a = \(name)") } }
        return rowNames.map { a in columnNames.map { b in observations.count(a, b) } }
    }

    /// The signed effect that the verdict compares with the expectation and `min_effect`.
    public func directionalEffect(of result: TestResult) -> Double {
        spec.directionalEffect(of: result)
    }
}

/// One category column's labels, each given an id at its first appearance, so a row's cell is
/// turned into its label once per distinct value: a number is found by comparing numbers (a
/// `NumberMap`), a text by one hash, and the label's allow-list check and its position in the
/// observations are looked up by id. Labels of kept rows are listed in order of first
/// appearance.
private struct CategoryLabels {
    /// Each id's label, whether the metric's list admits it, and its position in the
    /// observations once a kept row had it.
    private var labels: [String] = []
    private var allowed: [Bool] = []
    private var positions: [Int?] = []
    private var idByLabel: [String: Int] = [:]
    private var idByNumber = NumberMap()
    private let allowList: Set<String>?
    /// Labels of kept rows, in order of first appearance.
    private(set) var keptOrder: [String] = []

    init(allowed: [String]?) {
        allowList = allowed.map(Set.init)
    }

    /// The id of the cell's label, nil for a missing value. Text `1` and the number 1 have
    /// the same label, and so the same id.
    mutating func id(of cell: MetricCell) -> Int? {
        switch cell {
        case .null: return nil
        case .number(let number) where !number.isNaN:
            if let id = idByNumber[number] { return id }
            let id = id(ofLabel: cell.label!)
            idByNumber.insert(id, for: number)
            return id
        default:
            guard let label = cell.label else { return nil }
            return id(ofLabel: label)
        }
    }

    private mutating func id(ofLabel label: String) -> Int {
        if let id = idByLabel[label] { return id }
        let id = labels.count
        idByLabel[label] = id
        labels.append(label)
        allowed.append(allowList?.contains(label) ?? true)
        positions.append(nil)
        return id
    }

    func isAllowed(_ id: Int) -> Bool { allowed[id] }

    func label(of id: Int) -> String { labels[id] }

    /// The position in the observations of label `id`, once a kept row has had it.
    func position(of id: Int) -> Int? { positions[id] }

    /// Records that a kept row first has label `id`, at this position in the observations.
    mutating func keep(_ id: Int, at position: Int) -> Int {
        positions[id] = position
        keptOrder.append(labels[id])
        return position
    }

    /// Whether a kept row has had this label.
    func isKept(_ label: String) -> Bool {
        idByLabel[label].map { positions[$0] != nil } ?? false
    }
}

/// A map from numbers to positions that compares numbers while it holds a few (the groups and
/// categories of a metric are mostly a handful) and hashes them beyond that. `-0.0` and `0.0`
/// are one key, as in a `Dictionary`; NaN is never a key.
struct NumberMap {
    private static let linearLimit = 16
    private var keys: [Double] = []
    private var values: [Int] = []
    private var hashed: [Double: Int] = [:]

    subscript(number: Double) -> Int? {
        if keys.count < Self.linearLimit {
            for index in keys.indices where keys[index] == number { return values[index] }
            return nil
        }
        return hashed[number]
    }

    mutating func insert(_ value: Int, for number: Double) {
        guard keys.count < Self.linearLimit else { hashed[number] = value; return }
        keys.append(number)
        values.append(value)
        if keys.count == Self.linearLimit { hashed = Dictionary(zip(keys, values), uniquingKeysWith: { first, _ in first }) }
    }
}

extension MetricSpec {
    /// The effect size itself, or: for a binomial test the observed proportion minus p0; for a
    /// threshold the value minus the threshold; for Fisher's test the log odds ratio (so that
    /// "greater" means an odds ratio above 1).
    public func directionalEffect(of result: TestResult) -> Double {
        switch test {
        case .binomial: return result.effect.value - (p0 ?? 0.5)
        case .threshold: return result.effect.value - (threshold ?? 0)
        case .fisher: return log(result.effect.value)
        default: return result.effect.value
        }
    }

    /// The verdict of a tested metric, given its p-value adjusted across the matrix and the
    /// study's rule for p = alpha.
    public func verdict(for result: TestResult, adjustedP: Double?, studyAlpha: Double,
                        significance: SignificanceRule = .belowAlpha) -> Verdict {
        let effect = directionalEffect(of: result)
        if test == .threshold {
            let holds: Bool
            switch expect {
            case .atLeast: holds = effect >= 0
            case .less: holds = effect < 0
            default: holds = effect > 0
            }
            return holds ? .supported : .contradicted
        }
        guard let adjustedP else { return .error }
        return Verdict.decide(adjustedP: adjustedP, alpha: alpha ?? studyAlpha, effect: effect, expectation: expect,
                              minEffect: minEffect ?? 0, significance: significance)
    }
}
