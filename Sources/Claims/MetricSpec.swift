import Core
import Foundation
import Statistics
import YAMLSupport

/// The statistical test a metric runs; each expects particular columns from its query.
public enum TestKind: String, Sendable, CaseIterable {
    case spearman
    case mannWhitney = "mann-whitney"
    case welchT = "welch-t"
    case binomial

    /// The column sets the query may return, in words for error messages.
    public var expectedColumns: String {
        switch self {
        case .spearman: return "x, y"
        case .mannWhitney, .welchT: return "grp, value"
        case .binomial: return "successes, trials (one row) or value (one row per case, 0 or 1)"
        }
    }

    /// The expectations that make sense for this test.
    var allowedExpectations: [Expectation] {
        switch self {
        case .spearman: return [.positive, .negative, .different]
        case .mannWhitney, .welchT, .binomial: return [.greater, .less, .different]
        }
    }
}

/// The direction a claim predicts.
public enum Expectation: String, Sendable, CaseIterable {
    case greater, less, positive, negative, different

    /// +1 when the claim predicts a positive directional effect, -1 for negative, 0 for any direction.
    public var sign: Int {
        switch self {
        case .greater, .positive: return 1
        case .less, .negative: return -1
        case .different: return 0
        }
    }
}

/// One metric that tests a claim on a dataset (DESIGN §4).
public struct MetricSpec: Sendable, Equatable {
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
    /// The smallest absolute effect size that counts as support (rho, rank-biserial r, Cohen's d,
    /// or for a binomial test the difference between the observed proportion and `p0`).
    public var minEffect: Double?
    /// The null proportion of a binomial test.
    public var p0: Double?
    /// One-sided tests run in the predicted direction; two-sided (the default) also lets the data
    /// contradict the claim.
    public var oneSided: Bool
    public var note: String?
    public var location: SourceLocation

    public init(id: String, dataset: String? = nil, query: String, test: TestKind, expect: Expectation,
                groups: [String]? = nil, alpha: Double? = nil, minEffect: Double? = nil, p0: Double? = nil,
                oneSided: Bool = false, note: String? = nil, location: SourceLocation) {
        self.id = id
        self.dataset = dataset
        self.query = query
        self.test = test
        self.expect = expect
        self.groups = groups
        self.alpha = alpha
        self.minEffect = minEffect
        self.p0 = p0
        self.oneSided = oneSided
        self.note = note
        self.location = location
    }

    static let keys = ["id", "dataset", "query", "test", "expect", "groups", "alpha", "min_effect", "p0", "sided", "note"]

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
            guard test == .mannWhitney || test == .welchT else {
                throw groupsValue.error("'groups' belongs to two-group tests (mann-whitney, welch-t), not \(test.rawValue)")
            }
            guard groups.count == 2, groups[0] != groups[1] else {
                throw groupsValue.error("expected two different group values, such as [1, 0], found \(groups.count) value(s)")
            }
        }
        if (test == .mannWhitney || test == .welchT) && groups == nil {
            throw value.error("a \(test.rawValue) metric needs 'groups: [first, second]' naming the two values of its grp column")
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
            if oneSided && expect == .different {
                throw sidedValue.error("a one-sided test needs a direction; 'expect: different' is two-sided")
            }
        }
        let query = try fields.requiredString("query")
        return MetricSpec(
            id: try fields.requiredString("id"), dataset: try fields.string("dataset"), query: query, test: test,
            expect: expect, groups: groups, alpha: alpha, minEffect: minEffect, p0: p0, oneSided: oneSided,
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
        if oneSided { writer.raw("sided", "one", indent: 4) }
        if let note { writer.scalar("note", note, indent: 4) }
    }

    /// The alternative hypothesis the test is run with.
    public var alternative: Alternative {
        guard oneSided else { return .twoSided }
        return expect.sign > 0 ? .greater : .less
    }
}
