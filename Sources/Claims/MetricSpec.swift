import Core
import Foundation
import Statistics
import YAMLSupport

/// The statistical test a metric runs; each expects particular columns from its query.
public enum TestKind: String, Sendable, Codable, CaseIterable {
    case spearman, pearson, kendall
    case mannWhitney = "mann-whitney"
    case welchT = "welch-t"
    case studentT = "student-t"
    case wilcoxon
    case pairedT = "paired-t"
    case kruskalWallis = "kruskal-wallis"
    case anova
    case chiSquare = "chi-square"
    case fisher
    case binomial
    case threshold

    /// What the query's rows must look like for this test.
    public enum Shape: Sendable {
        /// Columns x and y, one row per unit (correlations; paired tests compare x with y).
        case pairs
        /// Columns grp and value, one row per unit.
        case groups
        /// Columns a and b (one row per case), or a, b and count.
        case categories
        /// Columns successes and trials (one row), or value (0 or 1, one row per case).
        case proportion
        /// One row with a column value.
        case single
    }

    public var shape: Shape {
        switch self {
        case .spearman, .pearson, .kendall, .wilcoxon, .pairedT: return .pairs
        case .mannWhitney, .welchT, .studentT, .kruskalWallis, .anova: return .groups
        case .chiSquare, .fisher: return .categories
        case .binomial: return .proportion
        case .threshold: return .single
        }
    }

    /// The column sets the query may return, in words for error messages.
    public var expectedColumns: String {
        switch shape {
        case .pairs: return "x, y"
        case .groups: return "grp, value"
        case .categories: return "a, b (one row per case) or a, b, count"
        case .proportion: return "successes, trials (one row) or value (one row per case, 0 or 1)"
        case .single: return "value (one row)"
        }
    }

    /// Tests whose effect can take a bootstrap interval instead of the analytic one.
    var hasBootstrapOption: Bool { self == .kruskalWallis || self == .anova || self == .chiSquare }

    /// Tests that compare exactly two groups and so need `groups: [first, second]`.
    var isTwoGroup: Bool { self == .mannWhitney || self == .welchT || self == .studentT }

    /// The expectations that make sense for this test.
    var allowedExpectations: [Expectation] {
        switch self {
        case .spearman, .pearson, .kendall: return [.positive, .negative, .different]
        case .kruskalWallis, .anova, .chiSquare: return [.different]
        case .threshold: return [.greater, .less, .atLeast]
        case .mannWhitney, .welchT, .studentT, .wilcoxon, .pairedT, .fisher, .binomial: return [.greater, .less, .different]
        }
    }
}

/// The direction a claim predicts.
public enum Expectation: String, Sendable, Codable, CaseIterable {
    case greater, less, positive, negative, different
    /// For a threshold: the value reaches the threshold.
    case atLeast = "at-least"

    /// +1 when the claim predicts a positive directional effect, -1 for negative, 0 for any direction.
    public var sign: Int {
        switch self {
        case .greater, .positive, .atLeast: return 1
        case .less, .negative: return -1
        case .different: return 0
        }
    }
}

/// One metric that tests a claim on a dataset (DESIGN §4).
public struct MetricSpec: Sendable, Equatable, Codable {
    public var id: String
    /// The dataset to query; nil uses the study's default dataset.
    public var dataset: String?
    public var query: String
    public var test: TestKind
    public var expect: Expectation
    /// For two-group tests: the two values of `grp`, the first being the one predicted greater
    /// under `expect: greater`.
    public var groups: [String]?
    public var alpha: Double?
    /// The smallest absolute effect size that counts as support: the test's effect size (rho,
    /// r, tau-b, rank-biserial r, Cohen's d, Hedges' g, epsilon or eta squared, Cramér's V), for
    /// Fisher's test the log odds ratio, for a binomial test the difference between the observed
    /// proportion and `p0`, for a threshold the difference between the value and the threshold.
    public var minEffect: Double?
    /// The null proportion of a binomial test.
    public var p0: Double?
    /// The value a threshold metric compares its one value with.
    public var threshold: Double?
    /// For Fisher's exact test: the two values of column b, in table order (the first group's
    /// odds of the first level are compared with the second group's).
    public var levels: [String]?
    /// One-sided tests run in the predicted direction; two-sided (the default) also lets the data
    /// contradict the claim.
    public var oneSided: Bool
    /// The confidence level of this metric's interval; nil takes the study's (0.95 by default).
    public var confidence: Double?
    /// Which interval an effect without a closed form gets; nil takes the study's.
    public var interval: IntervalKind?
    /// The bootstrap's resamples and seed for this metric; nil fields take the study's.
    public var bootstrap: BootstrapSettings?
    public var note: String?
    public var location: SourceLocation

    public init(id: String, dataset: String? = nil, query: String, test: TestKind, expect: Expectation,
                groups: [String]? = nil, alpha: Double? = nil, minEffect: Double? = nil, p0: Double? = nil,
                threshold: Double? = nil, levels: [String]? = nil, oneSided: Bool = false, confidence: Double? = nil,
                interval: IntervalKind? = nil, bootstrap: BootstrapSettings? = nil, note: String? = nil,
                location: SourceLocation) {
        self.id = id
        self.dataset = dataset
        self.query = query
        self.test = test
        self.expect = expect
        self.groups = groups
        self.alpha = alpha
        self.minEffect = minEffect
        self.p0 = p0
        self.threshold = threshold
        self.levels = levels
        self.oneSided = oneSided
        self.confidence = confidence
        self.interval = interval
        self.bootstrap = bootstrap
        self.note = note
        self.location = location
    }

    static let keys = ["id", "dataset", "query", "test", "expect", "groups", "levels", "alpha", "min_effect", "p0",
                       "threshold", "sided", "confidence", "interval", "bootstrap", "note"]

    static func parse(_ value: YAMLValue) throws -> MetricSpec {
        let fields = try value.fields("a metric", allowed: keys)
        let testValue = try fields.required("test")
        let testName = try fields.requiredString("test")
        guard let test = TestKind(rawValue: testName) else {
            throw testValue.error("expected test to be one of \(TestKind.allCases.map(\.rawValue).joined(separator: ", ")), found '\(testName)'")
        }
        let expectValue = try fields.required("expect")
        let expectName = try fields.requiredString("expect")
        guard let expect = Expectation(rawValue: expectName), test.allowedExpectations.contains(expect) else {
            throw expectValue.error("expected 'expect' for a \(test.rawValue) test to be one of \(test.allowedExpectations.map(\.rawValue).joined(separator: ", ")), found '\(expectName)'")
        }
        let groups = fields["groups"] == nil ? nil : try fields.strings("groups")
        if let groups, let groupsValue = fields["groups"] {
            switch test {
            case _ where test.isTwoGroup, .fisher:
                guard groups.count == 2, groups[0] != groups[1] else {
                    throw groupsValue.error("expected two different group values, such as [1, 0], found \(groups.count) value(s)")
                }
            case .kruskalWallis, .anova:
                guard groups.count >= 2, Set(groups).count == groups.count else {
                    throw groupsValue.error("expected two or more different group values, found \(groups.count) value(s)")
                }
            default:
                throw groupsValue.error("'groups' belongs to group tests (mann-whitney, welch-t, student-t, kruskal-wallis, anova, fisher), not \(test.rawValue)")
            }
        }
        if test.isTwoGroup && groups == nil {
            throw value.error("a \(test.rawValue) metric needs 'groups: [first, second]' naming the two values of its grp column")
        }
        let levels = fields["levels"] == nil ? nil : try fields.strings("levels")
        if let levels, let levelsValue = fields["levels"] {
            guard test == .fisher else { throw levelsValue.error("'levels' belongs to fisher metrics, not \(test.rawValue)") }
            guard levels.count == 2, levels[0] != levels[1] else {
                throw levelsValue.error("expected the two values of column b, such as [yes, no], found \(levels.count) value(s)")
            }
        }
        if test == .fisher && expect != .different && (groups == nil || levels == nil) {
            throw value.error("a directional fisher metric needs 'groups: [a1, a2]' and 'levels: [b1, b2]' to say which odds ratio is predicted")
        }
        let threshold = try fields.double("threshold")
        if test == .threshold && threshold == nil {
            throw value.error("a threshold metric needs 'threshold:' (the value its one result is compared with)")
        }
        if let thresholdValue = fields["threshold"], test != .threshold {
            throw thresholdValue.error("'threshold' belongs to threshold metrics, not \(test.rawValue)")
        }
        let alpha = try fields.double("alpha")
        if let alpha, !(alpha > 0 && alpha < 1), let alphaValue = fields["alpha"] {
            throw alphaValue.error("expected alpha between 0 and 1, found \(alpha)")
        }
        let minEffect = try fields.double("min_effect")
        if let minEffect, minEffect < 0, let minValue = fields["min_effect"] {
            throw minValue.error("expected min_effect to be 0 or more (it is compared with the effect's absolute size), found \(minEffect)")
        }
        let p0 = try fields.double("p0")
        if let p0Value = fields["p0"] {
            guard test == .binomial else { throw p0Value.error("'p0' belongs to binomial tests, not \(test.rawValue)") }
            guard let p0, p0 > 0, p0 < 1 else { throw p0Value.error("expected p0 strictly between 0 and 1") }
        }
        var oneSided = false
        if let sidedValue = fields["sided"] {
            switch try sidedValue.string("'sided'") {
            case "one": oneSided = true
            case "two": oneSided = false
            case let other: throw sidedValue.error("expected sided to be 'one' or 'two', found '\(other)'")
            }
            if oneSided && test == .threshold {
                throw sidedValue.error("a threshold metric runs no test, so it has no sides")
            }
            if oneSided && expect == .different {
                throw sidedValue.error("a one-sided test needs a direction; 'expect: different' is two-sided")
            }
        }
        let query = try fields.requiredString("query")
        let confidence = try fields["confidence"].map(EvaluationDefaults.parseConfidence)
        let interval = try fields["interval"].map(EvaluationDefaults.parseInterval)
        let bootstrap = try fields["bootstrap"].map(BootstrapSettings.parse)
        if let node = fields["interval"] ?? fields["bootstrap"], !test.hasBootstrapOption {
            throw node.error("'\(fields["interval"] != nil ? "interval" : "bootstrap")' chooses between analytic and bootstrap intervals, which only kruskal-wallis, anova and chi-square have; \(test.rawValue) has one exact interval")
        }
        if interval == .analytic, let node = fields["bootstrap"] {
            throw node.error("'bootstrap' settings need 'interval: bootstrap' (this metric asks for the analytic interval)")
        }
        return MetricSpec(
            id: try fields.requiredString("id"), dataset: try fields.string("dataset"), query: query, test: test,
            expect: expect, groups: groups, alpha: alpha, minEffect: minEffect, p0: p0, threshold: threshold,
            levels: levels, oneSided: oneSided, confidence: confidence, interval: interval, bootstrap: bootstrap,
            note: try fields.string("note"), location: value.location)
    }

    func write(to writer: inout YAMLWriter) {
        writer.scalar("id", id, indent: 4, listItem: true)
        if let dataset { writer.scalar("dataset", dataset, indent: 4) }
        writer.scalar("query", query.hasSuffix("\n") ? query : query + "\n", indent: 4)
        writer.raw("test", test.rawValue, indent: 4)
        writer.raw("expect", expect.rawValue, indent: 4)
        if let groups { writer.flowList("groups", groups, indent: 4) }
        if let alpha { writer.raw("alpha", "\(alpha)", indent: 4) }
        if let minEffect { writer.raw("min_effect", "\(minEffect)", indent: 4) }
        if let p0 { writer.raw("p0", "\(p0)", indent: 4) }
        if let threshold { writer.raw("threshold", "\(threshold)", indent: 4) }
        if let levels { writer.flowList("levels", levels, indent: 4) }
        if oneSided { writer.raw("sided", "one", indent: 4) }
        if let confidence { writer.raw("confidence", "\(confidence)", indent: 4) }
        if let interval { writer.raw("interval", interval.rawValue, indent: 4) }
        if let bootstrap { bootstrap.write(to: &writer, indent: 4) }
        if let note { writer.scalar("note", note, indent: 4) }
    }

    /// The alternative hypothesis the test is run with.
    public var alternative: Alternative {
        guard oneSided else { return .twoSided }
        return expect.sign > 0 ? .greater : .less
    }
}
