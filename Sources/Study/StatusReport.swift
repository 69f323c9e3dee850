import Core
import Datasets
import Foundation
import GRDB

/// What a study holds and what needs attention (`triangulate status`).
public struct StatusReport: Sendable, Codable, Equatable {
    public struct CoderCount: Sendable, Codable, Equatable {
        public var coder: String
        public var codings: Int
    }

    public struct CodingIssue: Sendable, Codable, Equatable {
        public var location: String
        public var coding: String
        public var reason: String
    }

    public struct DatasetState: Sendable, Codable, Equatable {
        public var name: String
        public var kind: String
        public var state: String

        public var needsAttention: Bool { state.hasPrefix("missing") || state.hasPrefix("broken") }
    }

    public var title: String
    public var participants: Int
    public var transcripts: Int
    public var turns: Int
    public var codes: Int
    public var codings: [CoderCount]
    public var reanchored: [CodingIssue]
    public var orphaned: [CodingIssue]
    public var unknownCodes: [CodingIssue]
    /// Spans of one code by one coder that overlap in a turn: usually a double click.
    public var overlapping: [CodingIssue]
    public var papers: Int
    public var claims: Int
    public var metrics: Int
    public var datasets: [DatasetState]
    /// Claims citing papers that the literature review excluded or has not (finished) screening.
    public var claimWarnings: [String]
    public var problems: [FileProblem]

    /// Whether anything needs the researcher's attention. Datasets not imported yet or stale
    /// are not: the next command that queries them imports them.
    public var isClean: Bool {
        orphaned.isEmpty && unknownCodes.isEmpty && overlapping.isEmpty && claimWarnings.isEmpty && problems.isEmpty && datasets.allSatisfy { !$0.needsAttention }
    }
}

extension StudyIndex {
    public func status() throws -> StatusReport {
        var report = try read { db -> StatusReport in
            func count(_ sql: String) throws -> Int { try Int.fetchOne(db, sql: sql) ?? 0 }
            func issues(_ condition: String, reason: String?) throws -> [StatusReport.CodingIssue] {
                try Row.fetchAll(db, sql: """
                    SELECT source, line, transcript, turn, code, coder, anchor_reason, anchor_turn FROM coding
                    WHERE \(condition) ORDER BY source, line
                    """).map { row in
                    let turn: Int = row["turn"]
                    let anchored: Int? = row["anchor_turn"]
                    let moved = anchored.map { $0 != turn ? " (now turn \($0))" : "" } ?? ""
                    return StatusReport.CodingIssue(
                        location: "\(row["source"] as String):\(row["line"] as Int)",
                        coding: "\(row["transcript"] as String)#\(turn) \(row["code"] as String) by \(row["coder"] as String)\(moved)",
                        reason: reason ?? row["anchor_reason"] ?? "")
                }
            }
            return StatusReport(
                title: study.settings.title,
                participants: try count("SELECT COUNT(*) FROM participant"),
                transcripts: try count("SELECT COUNT(*) FROM transcript"),
                turns: try count("SELECT COUNT(*) FROM turn"),
                codes: try count("SELECT COUNT(*) FROM code"),
                codings: try Row.fetchAll(db, sql: "SELECT coder, COUNT(*) AS n FROM coding GROUP BY coder ORDER BY coder").map {
                    StatusReport.CoderCount(coder: $0["coder"], codings: $0["n"])
                },
                reanchored: try issues("anchor = 'reanchored'", reason: "the transcript changed; the quote was found again"),
                orphaned: try issues("anchor = 'orphaned'", reason: nil),
                unknownCodes: try issues("code NOT IN (SELECT id FROM code)", reason: "the code is not in any codebook"),
                overlapping: try Row.fetchAll(db, sql: """
                    SELECT a.source, a.line, b.line AS other, a.transcript, a.anchor_turn, a.code, a.coder FROM coding a CROSS
                    JOIN coding b INDEXED BY coding_by_place ON a.source = b.source AND a.line < b.line AND a.transcript = b.transcript
                        AND a.anchor_turn = b.anchor_turn AND a.code = b.code
                        AND a.anchor_start IS NOT NULL AND b.anchor_start IS NOT NULL
                        AND a.anchor_start < b.anchor_end AND b.anchor_start < a.anchor_end
                    ORDER BY a.source, a.line, b.line
                    """).map { row in
                    StatusReport.CodingIssue(
                        location: "\(row["source"] as String):\(row["line"] as Int)",
                        coding: "\(row["transcript"] as String)#\(row["anchor_turn"] as Int) \(row["code"] as String) by \(row["coder"] as String)",
                        reason: "overlaps the span of the same code at line \(row["other"] as Int); merge or remove one")
                },
                papers: try count("SELECT COUNT(DISTINCT key) FROM paper"),
                claims: try count("SELECT COUNT(*) FROM claim"),
                metrics: try count("SELECT COALESCE(SUM(metrics), 0) FROM claim"),
                datasets: [],
                claimWarnings: [],
                problems: [])
        }
        report.problems = try problems()
        if let claims = try? claims() { report.claimWarnings = study.reviewWarnings(for: claims) }
        let catalog = DatasetCatalog(study: study)
        report.datasets = catalog.names().map { name in
            do {
                let manifest = try catalog.manifest(named: name)
                let state = try DatasetStore(studyRoot: study.root).state(of: manifest)
                return StatusReport.DatasetState(name: name, kind: manifest.isAttached ? "attached database" : "imported files", state: state)
            } catch {
                let message = (error as? LocatedError)?.description ?? String(describing: error)
                return StatusReport.DatasetState(name: name, kind: "unknown", state: "broken: \(message)")
            }
        }
        return report
    }
}
