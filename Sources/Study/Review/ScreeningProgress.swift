import Core
import Foundation
import Literature
import Prioritization
import Project

/// Where first-stage screening stands, and what the stopping rules say (`paper next --stats`).
public struct ScreeningProgress: Sendable, Equatable, Encodable {
    public var stage: String
    /// Records to screen: every record but the duplicates deduplication removed.
    public var records: Int
    public var screened: Int
    /// Records decided relevant: included by a reviewer, or left as maybe (a maybe may still be
    /// relevant, so the rules count it as found rather than let it end screening early).
    public var relevant: Int
    public var unscreened: Int
    public var rule: StoppingRule.Report
    /// One sentence per rule and the estimate, as the terminal shows them.
    public var summary: [String]
    /// How the order of screening was read, which the rules depend on.
    public var order: String

    enum CodingKeys: String, CodingKey {
        case stage, records, screened, relevant, unscreened, rule, summary, order
    }
}

extension ReviewState {
    /// The first-stage decisions in the order they were made, applied to `rule`.
    ///
    /// Screening files are append-only, so a record's place in the order is the row where a
    /// reviewer first decided it; with several reviewers their files are interleaved row by row
    /// (no timestamps are kept). A record is relevant when a reviewer included it or marked it
    /// maybe; irrelevant when every decision excludes it.
    public func screeningProgress(consecutiveIrrelevant: Int = 100, minimumScreened: Int = 150) throws -> ScreeningProgress {
        try screeningProgress(rule: StoppingRule(consecutiveIrrelevant: consecutiveIrrelevant, minimumScreened: minimumScreened))
    }

    public func screeningProgress(rule: StoppingRule) throws -> ScreeningProgress {
        let stage = criteria.stages[0]
        var firstRow: [String: (row: Int, reviewer: Int)] = [:]
        let names = ((try? FileManager.default.contentsOfDirectory(atPath: layout.screening.path)) ?? [])
            .filter { $0.hasSuffix(".csv") && !$0.hasPrefix(".") && $0 != "resolutions.csv" }.sorted()
        for (position, name) in names.enumerated() {
            let reviewer = String(name.dropLast(4))
            let url = layout.screeningFile(for: reviewer)
            let decisions = try ScreeningFile.read(url, displayPath: relativePath(url), context: .init(reviewer: reviewer, criteria: criteria))
            for (row, decision) in decisions.enumerated() where decision.stage == stage {
                let record = keptFor[decision.record] ?? decision.record
                if let seen = firstRow[record], (seen.row, seen.reviewer) <= (row, position) { continue }
                firstRow[record] = (row, position)
            }
        }
        let set = screeningSet
        let inSet = Set(set.map(\.recordID))
        let order = firstRow.filter { inSet.contains($0.key) }.sorted { ($0.value.row, $0.value.reviewer) < ($1.value.row, $1.value.reviewer) }.map(\.key)
        let labels = order.map { id -> Bool in
            switch ledger.outcome(of: id, at: stage) {
            case .excluded: return false
            case .included: return true
            default: return (ledger.latest[stage]?[id] ?? [:]).values.contains { $0.verdict != .exclude }
            }
        }
        let unscreened = set.count - order.count
        let report = rule.evaluate(labels, unscreened: unscreened)
        return ScreeningProgress(
            stage: stage, records: set.count, screened: order.count, relevant: labels.filter { $0 }.count, unscreened: unscreened,
            rule: report, summary: report.summary,
            order: "first decision per record at \(stage), reviewers' files interleaved row by row")
    }
}
