import Core
import Foundation
import YAMLSupport

/// An inclusion or exclusion criterion with the id decisions cite.
public struct ScreeningCriterion: Sendable, Equatable {
    public var id: String
    public var text: String

    public init(id: String, text: String) {
        self.id = id
        self.text = text
    }
}

/// The stages and criteria of a review's screening, from the study settings.
///
/// A review has one stage (title-and-abstract screening only, as rapid reviews do) or any number:
/// the last is PRISMA's full-text assessment and the ones before it are screening. Each stage uses
/// the review-wide criteria unless it lists its own (`stageCriteria`), so an abstract stage and a
/// full-text stage can cite different exclusions. The exclusion id `not-retrieved` is reserved:
/// at the last stage of a review of two or more stages it records a report that could not be
/// obtained, which PRISMA counts apart from the exclusions with reasons.
public struct ScreeningCriteria: Sendable, Equatable {
    public static let notRetrieved = "not-retrieved"

    /// The criteria one stage lists instead of the review-wide ones.
    public struct StageCriteria: Sendable, Equatable {
        public var include: [ScreeningCriterion]?
        public var exclude: [ScreeningCriterion]?

        public init(include: [ScreeningCriterion]? = nil, exclude: [ScreeningCriterion]? = nil) {
            self.include = include
            self.exclude = exclude
        }
    }

    public private(set) var stages: [String]
    /// The review-wide criteria.
    public private(set) var include: [ScreeningCriterion]
    public private(set) var exclude: [ScreeningCriterion]
    /// Stage → its own criteria, for the stages that have some.
    public private(set) var stageCriteria: [String: StageCriteria]

    /// Checks for one or more distinct stages, criteria only for known stages, and criterion ids
    /// that are not reserved and mean one criterion wherever they appear.
    public init(
        stages: [String] = ["title-abstract", "full-text"], include: [ScreeningCriterion], exclude: [ScreeningCriterion],
        stageCriteria: [String: StageCriteria] = [:], location: SourceLocation = SourceLocation(file: "study settings")
    ) throws {
        guard !stages.isEmpty, Set(stages).count == stages.count, !stages.contains("") else {
            throw LiteratureError.invalidEntry(
                location, expected: "one or more distinct screening stages (e.g. title-abstract, full-text)",
                found: "[\(stages.joined(separator: ", "))]")
        }
        for stage in stageCriteria.keys.sorted() where !stages.contains(stage) {
            throw LiteratureError.invalidEntry(location, expected: "criteria only for the stages \(stages.joined(separator: ", "))", found: "'\(stage)'")
        }
        func check(_ list: [ScreeningCriterion], _ known: inout [String: String]) throws {
            var local: Set<String> = []
            for criterion in list {
                guard !criterion.id.isEmpty, criterion.id != Self.notRetrieved, local.insert(criterion.id).inserted,
                    known[criterion.id].map({ $0 == criterion.text }) ?? true
                else {
                    throw LiteratureError.invalidEntry(
                        location, expected: "unique criterion ids other than '\(Self.notRetrieved)', each with one text", found: "'\(criterion.id)'")
                }
                known[criterion.id] = criterion.text
            }
        }
        var known: [String: String] = [:]
        try check(include + exclude, &known)
        for stage in stages {
            if let own = stageCriteria[stage] { try check((own.include ?? []) + (own.exclude ?? []), &known) }
        }
        self.stages = stages
        self.include = include
        self.exclude = exclude
        self.stageCriteria = stageCriteria
    }

    /// Reads the YAML mapping `stages: [...]`, `include: [{id, text}]`, `exclude: [{id, text}]`;
    /// `stages` may be left out for the default two. A stage is a name, or a mapping with its
    /// `name` and its own `include` and `exclude` lists.
    public static func parse(_ text: String, file: String) throws -> ScreeningCriteria {
        try ScreeningCriteria(yaml: try YAMLValue.parse(text, file: file))
    }

    /// The criteria of a YAML mapping, such as the `screening:` section of triangulate.yaml: the one
    /// place screening criteria are read. `otherKeys` are keys the section may hold for its owner
    /// (the settings' `reviewers`), which are left to it.
    public init(yaml node: YAMLValue, what: String = "the screening criteria", otherKeys: [String] = []) throws {
        let top = try node.fields(what, allowed: ["stages", "include", "exclude"] + otherKeys)
        func criteria(_ key: String, in fields: YAMLFields) throws -> [ScreeningCriterion]? {
            guard fields.entries[key] != nil else { return nil }
            return try fields.list(key).map { item in
                let criterion = try item.fields("a criterion", allowed: ["id", "text"])
                return ScreeningCriterion(id: try criterion.requiredString("id"), text: try criterion.requiredString("text"))
            }
        }
        var stages = ["title-abstract", "full-text"]
        var own: [String: StageCriteria] = [:]
        if let node = top["stages"] {
            let items: [YAMLValue]
            if case .scalar = node.node { items = [node] } else { items = try node.list("'stages'") }
            stages = try items.map { item in
                if case .scalar = item.node { return try item.string("a stage") }
                let fields = try item.fields("a stage", allowed: ["name", "include", "exclude"])
                let name = try fields.requiredString("name")
                let stage = StageCriteria(include: try criteria("include", in: fields), exclude: try criteria("exclude", in: fields))
                if stage.include != nil || stage.exclude != nil { own[name] = stage }
                return name
            }
        }
        try self.init(
            stages: stages, include: try criteria("include", in: top) ?? [], exclude: try criteria("exclude", in: top) ?? [],
            stageCriteria: own, location: node.location)
    }

    /// The inclusion criteria a decision at `stage` may cite.
    public func includeCriteria(at stage: String) -> [ScreeningCriterion] { stageCriteria[stage]?.include ?? include }

    /// The exclusion criteria a decision at `stage` may cite (without `not-retrieved`).
    public func exclusionCriteria(at stage: String) -> [ScreeningCriterion] { stageCriteria[stage]?.exclude ?? exclude }

    /// Every exclusion criterion of the review, review-wide first, then each stage's own in stage order.
    public var allExclusions: [ScreeningCriterion] {
        var seen: Set<String> = []
        return (exclude + stages.flatMap { stageCriteria[$0]?.exclude ?? [] }).filter { seen.insert($0.id).inserted }
    }

    /// The exclusion criterion with `id` at any stage, or nil.
    public func exclusion(_ id: String) -> ScreeningCriterion? { allExclusions.first { $0.id == id } }

    /// True when `not-retrieved` may be cited at `stage`: the full-text stage of a review with one.
    public func allowsNotRetrieved(at stage: String) -> Bool { stages.count > 1 && stage == stages.last }

    /// The criterion ids a decision of `verdict` at `stage` may cite: an inclusion's, an
    /// exclusion's (with `not-retrieved` where it applies), or either for a maybe.
    public func citable(for verdict: ScreeningVerdict, at stage: String) -> [String] {
        switch verdict {
        case .include: return includeCriteria(at: stage).map(\.id)
        case .exclude: return exclusionCriteria(at: stage).map(\.id) + (allowsNotRetrieved(at: stage) ? [Self.notRetrieved] : [])
        case .maybe: return (includeCriteria(at: stage) + exclusionCriteria(at: stage)).map(\.id)
        }
    }

    func accepts(criterion: String, for verdict: ScreeningVerdict, stage: String) -> Bool {
        citable(for: verdict, at: stage).contains(criterion)
    }
}

/// A screening verdict.
public enum ScreeningVerdict: String, Sendable, CaseIterable, Comparable {
    case include, exclude, maybe

    public static func < (lhs: ScreeningVerdict, rhs: ScreeningVerdict) -> Bool { lhs.rawValue < rhs.rawValue }
}

/// One reviewer's decision on one record at one stage.
public struct ScreeningDecision: Sendable, Equatable {
    public var record: String
    public var stage: String
    public var verdict: ScreeningVerdict
    /// A criterion id; required for `exclude`.
    public var criterion: String?
    public var note: String
    public var reviewer: String
    /// The row it was read from, when read from a file.
    public var location: SourceLocation?

    public init(record: String, stage: String, verdict: ScreeningVerdict, criterion: String? = nil, note: String = "",
                reviewer: String, location: SourceLocation? = nil) {
        self.record = record
        self.stage = stage
        self.verdict = verdict
        self.criterion = criterion
        self.note = note
        self.reviewer = reviewer
        self.location = location
    }
}

/// A resolver's final word on a record where reviewers disagreed, a row of `screening/resolutions.csv`.
public struct ScreeningResolution: Sendable, Equatable {
    public var record: String
    public var stage: String
    public var verdict: ScreeningVerdict
    public var criterion: String?
    public var note: String
    public var resolver: String

    public init(record: String, stage: String, verdict: ScreeningVerdict, criterion: String? = nil, note: String = "", resolver: String) {
        self.record = record
        self.stage = stage
        self.verdict = verdict
        self.criterion = criterion
        self.note = note
        self.resolver = resolver
    }
}

/// A reviewer's `screening/<reviewer>.csv` (`record,stage,decision,criterion,note`), each row
/// checked against the criteria.
///
/// The file is append-only: a reviewer who changes their mind appends a new row, and the last row
/// for a record and stage is the decision in force.
public enum ScreeningFile: DecisionFile {
    public struct Context {
        public var reviewer: String
        public var criteria: ScreeningCriteria

        public init(reviewer: String, criteria: ScreeningCriteria) {
            self.reviewer = reviewer
            self.criteria = criteria
        }
    }

    public static func columns(_: Context) -> [String] { ["record", "stage", "decision", "criterion", "note"] }

    public static func decode(_ row: DecisionRow, context: Context) throws -> ScreeningDecision {
        let checked = try checkedDecision(row, criteria: context.criteria)
        return ScreeningDecision(
            record: row["record"], stage: row["stage"], verdict: checked.verdict, criterion: checked.criterion,
            note: row["note"], reviewer: context.reviewer, location: row.location(of: "record"))
    }

    public static func cells(of decision: ScreeningDecision) -> [String: String] {
        ["record": decision.record, "stage": decision.stage, "decision": decision.verdict.rawValue,
         "criterion": decision.criterion ?? "", "note": decision.note]
    }

    /// The checks a decision row and a resolution row share: a record, a known stage and verdict,
    /// and a criterion the stage defines for the verdict (required for an exclusion).
    static func checkedDecision(_ row: DecisionRow, criteria: ScreeningCriteria) throws -> (verdict: ScreeningVerdict, criterion: String?) {
        if row["record"].isEmpty {
            throw row.invalid("record", expected: "a record id", found: "an empty cell")
        }
        guard criteria.stages.contains(row["stage"]) else {
            throw row.invalid("stage", expected: "one of the stages \(criteria.stages.joined(separator: ", "))", found: "'\(row["stage"])'")
        }
        guard let verdict = ScreeningVerdict(rawValue: row["decision"]) else {
            throw row.invalid("decision", expected: "include, exclude or maybe", found: "'\(row["decision"])'")
        }
        let stage = row["stage"]
        let criterion = row["criterion"].isEmpty ? nil : row["criterion"]
        if verdict == .exclude && criterion == nil {
            throw row.invalid(
                "criterion",
                expected: "an exclusion criterion id (\(criteria.exclusionCriteria(at: stage).map(\.id).joined(separator: ", "))) for an exclude decision",
                found: "an empty cell")
        }
        if let criterion, !criteria.accepts(criterion: criterion, for: verdict, stage: stage) {
            let ids = criteria.citable(for: verdict, at: stage)
            throw row.invalid(
                "criterion", expected: "a criterion id defined for \(verdict.rawValue) (\(ids.joined(separator: ", ")))", found: "'\(criterion)'")
        }
        return (verdict, criterion)
    }
}

/// `screening/resolutions.csv` (`record,stage,decision,criterion,note,resolver`): a screening row
/// with the resolver's name.
public enum ResolutionFile: DecisionFile {
    public static func columns(_: ScreeningCriteria) -> [String] { ["record", "stage", "decision", "criterion", "note", "resolver"] }

    public static func decode(_ row: DecisionRow, context criteria: ScreeningCriteria) throws -> ScreeningResolution {
        let checked = try ScreeningFile.checkedDecision(row, criteria: criteria)
        if row["resolver"].isEmpty {
            throw row.invalid("resolver", expected: "the resolver's name", found: "an empty cell")
        }
        return ScreeningResolution(
            record: row["record"], stage: row["stage"], verdict: checked.verdict, criterion: checked.criterion,
            note: row["note"], resolver: row["resolver"])
    }

    public static func cells(of resolution: ScreeningResolution) -> [String: String] {
        ["record": resolution.record, "stage": resolution.stage, "decision": resolution.verdict.rawValue,
         "criterion": resolution.criterion ?? "", "note": resolution.note, "resolver": resolution.resolver]
    }
}

/// Reviewers who disagree on a record at a stage.
public struct ScreeningConflict: Sendable, Equatable {
    public var record: String
    public var stage: String
    /// The decision in force of each reviewer who decided the record.
    public var decisions: [String: ScreeningDecision]
    /// The resolution, when one was recorded.
    public var resolution: ScreeningResolution?
}

/// Where a record stands at a stage once all decisions and resolutions are read.
public enum ScreeningOutcome: Sendable, Equatable {
    case undecided
    /// Reviewers disagree and no resolution is recorded.
    case conflict
    /// Every decision is `maybe`, with no resolution.
    case maybe
    case included(criterion: String?)
    case excluded(criterion: String)
}

/// All screening decisions of a review, with the questions asked of them.
public struct ScreeningLedger: Sendable {
    public let criteria: ScreeningCriteria
    /// Stage → record → reviewer → the decision in force (the last one given).
    public let latest: [String: [String: [String: ScreeningDecision]]]
    /// Stage → record → the last resolution.
    public let resolutions: [String: [String: ScreeningResolution]]

    public init(criteria: ScreeningCriteria, decisions: [ScreeningDecision], resolutions: [ScreeningResolution] = []) {
        self.criteria = criteria
        var latest: [String: [String: [String: ScreeningDecision]]] = [:]
        for decision in decisions { latest[decision.stage, default: [:]][decision.record, default: [:]][decision.reviewer] = decision }
        self.latest = latest
        var resolved: [String: [String: ScreeningResolution]] = [:]
        for resolution in resolutions { resolved[resolution.stage, default: [:]][resolution.record] = resolution }
        self.resolutions = resolved
    }

    /// Records at `stage` where the reviewers' verdicts differ, by record id; resolved ones carry
    /// their resolution and are left out unless `includingResolved`.
    public func conflicts(at stage: String, includingResolved: Bool = false) -> [ScreeningConflict] {
        (latest[stage] ?? [:]).keys.sorted().compactMap { record in
            let decisions = latest[stage]![record]!
            guard Set(decisions.values.map(\.verdict)).count > 1 else { return nil }
            let resolution = resolutions[stage]?[record]
            if resolution != nil && !includingResolved { return nil }
            return ScreeningConflict(record: record, stage: stage, decisions: decisions, resolution: resolution)
        }
    }

    /// The outcome of `record` at `stage`: a resolution wins; otherwise reviewers who agree decide.
    /// When agreeing excluders cite different criteria, the criterion listed first in the settings
    /// is reported, so the PRISMA reasons are deterministic.
    public func outcome(of record: String, at stage: String) -> ScreeningOutcome {
        if let resolution = resolutions[stage]?[record] {
            return Self.outcome(resolution.verdict, [resolution.criterion], criteria)
        }
        guard let decisions = latest[stage]?[record], !decisions.isEmpty else { return .undecided }
        let verdicts = Set(decisions.values.map(\.verdict))
        guard verdicts.count == 1, let verdict = verdicts.first else { return .conflict }
        return Self.outcome(verdict, decisions.keys.sorted().map { decisions[$0]!.criterion }, criteria)
    }

    private static func outcome(_ verdict: ScreeningVerdict, _ cited: [String?], _ criteria: ScreeningCriteria) -> ScreeningOutcome {
        switch verdict {
        case .maybe: return .maybe
        case .include: return .included(criterion: cited.compactMap { $0 }.first)
        case .exclude:
            let ids = Set(cited.compactMap { $0 })
            let order = criteria.allExclusions.map(\.id) + [ScreeningCriteria.notRetrieved]
            return .excluded(criterion: order.first { ids.contains($0) } ?? ids.sorted().first ?? "")
        }
    }

    /// What `reviewer` may see in blind mode: their own decisions, and another reviewer's only on a
    /// record and stage that every assigned reviewer has already decided. Ordered by stage (as in
    /// the settings), record and reviewer.
    public func visibleDecisions(for reviewer: String, assignedReviewers: [String]) -> [ScreeningDecision] {
        var visible: [ScreeningDecision] = []
        for stage in criteria.stages {
            for (_, decisions) in (latest[stage] ?? [:]).sorted(by: { $0.key < $1.key }) {
                let everyoneDecided = assignedReviewers.allSatisfy { decisions[$0] != nil }
                for name in decisions.keys.sorted() where name == reviewer || (everyoneDecided && assignedReviewers.contains(reviewer)) {
                    visible.append(decisions[name]!)
                }
            }
        }
        return visible
    }

    /// The verdicts per record at `stage` of records decided by two or more reviewers, by record
    /// id, for an agreement statistic such as Cohen's or Fleiss' kappa.
    public func agreementPairs(at stage: String) -> [(record: String, verdicts: [String: ScreeningVerdict])] {
        (latest[stage] ?? [:]).keys.sorted().compactMap { record in
            let decisions = latest[stage]![record]!
            guard decisions.count >= 2 else { return nil }
            return (record, decisions.mapValues(\.verdict))
        }
    }
}
