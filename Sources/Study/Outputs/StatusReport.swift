import Core
import Datasets
import Foundation
import Index
import Project

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
    public var problems: [Diagnostic]
    /// Symbolic links in the study's folders: their files are not read.
    public var links: [String] = []

    /// Whether anything needs the researcher's attention. Datasets not imported yet or stale
    /// are not: the next command that queries them imports them.
    public var isClean: Bool {
        orphaned.isEmpty && links.isEmpty && unknownCodes.isEmpty && overlapping.isEmpty && claimWarnings.isEmpty && problems.allSatisfy { $0.severity == .note } && datasets.allSatisfy { !$0.needsAttention }
    }
}

extension StudyIndex {
    public func status() throws -> StatusReport {
        func issue(_ coding: IndexedCoding, reason: String?) -> StatusReport.CodingIssue {
            let moved = coding.anchorTurn.map { $0 != coding.turn ? " (now turn \($0))" : "" } ?? ""
            return StatusReport.CodingIssue(
                location: "\(coding.source):\(coding.line)",
                coding: "\(coding.transcript)#\(coding.turn) \(coding.code) by \(coding.coder)\(moved)",
                reason: reason ?? coding.anchorReason ?? "")
        }
        let counts = try counts()
        var report = StatusReport(
            title: study.settings.title,
            participants: counts.participants,
            transcripts: counts.transcripts,
            turns: counts.turns,
            codes: counts.codes,
            codings: counts.codingsByCoder.map { StatusReport.CoderCount(coder: $0.coder, codings: $0.codings) },
            reanchored: try codings(anchoredAs: "reanchored").map { issue($0, reason: "the transcript changed; the quote was found again") },
            orphaned: try codings(anchoredAs: "orphaned").map { issue($0, reason: nil) },
            unknownCodes: try codingsOfUnknownCodes().map { issue($0, reason: "the code is not in any codebook") },
            overlapping: try overlappingSpans().map { pair in
                StatusReport.CodingIssue(
                    location: "\(pair.coding.source):\(pair.coding.line)",
                    coding: "\(pair.coding.transcript)#\(pair.coding.anchorTurn ?? pair.coding.turn) \(pair.coding.code) by \(pair.coding.coder)",
                    reason: "overlaps the span of the same code at line \(pair.otherLine); merge or remove one")
            },
            papers: counts.papers,
            claims: counts.claims,
            metrics: counts.metrics,
            datasets: [],
            claimWarnings: [],
            problems: [])
        report.problems = try problems()
        report.links = study.links()
        if let claims = try? claims() { report.claimWarnings = reviewWarnings(for: claims) }
        let catalog = DatasetCatalog(study: study)
        report.datasets = catalog.names().map { name in
            do {
                let (kind, state) = try catalog.state(named: name)
                return StatusReport.DatasetState(name: name, kind: kind, state: state)
            } catch {
                let message = (error as? LocatedError)?.description ?? String(describing: error)
                return StatusReport.DatasetState(name: name, kind: "unknown", state: "broken: \(message)")
            }
        }
        return report
    }
}
