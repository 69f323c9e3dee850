import Core
import Foundation
import Index
import Project
import Qualitative
import Reports

/// Analyses of the coded interviews, each as a format-neutral table (so every one prints as
/// Markdown, CSV, JSON, LaTeX or HTML): code × participant, code co-occurrence, saturation.
///
/// Only anchored codings count (orphaned ones are reported by `status`); a code counts its
/// sub-codes too, as everywhere in Triangulate.
public struct CodingAnalysis {
    public let index: StudyIndex
    /// Only these participants' transcripts (from a `--where` filter), or all.
    public var participants: Set<String>?

    public init(index: StudyIndex, participants: Set<String>? = nil) {
        self.index = index
        self.participants = participants
    }

    /// Transcripts in interview order: the order of participants.csv, then the others by id.
    public func interviewOrder() throws -> [String] {
        let listed = try index.participantEntries().map(\.id)
        let transcripts = Set(try index.transcriptIDs())
        let rest = transcripts.subtracting(listed).sorted { $0.localizedStandardCompare($1) == .orderedAscending }
        return (listed.filter(transcripts.contains) + rest).filter { participants?.contains($0) ?? true }
    }

    private func codings(coder: String?) throws -> [PlacedCoding] {
        try index.requireNoErrors(in: StudyIndex.codingInputs)
        return try index.anchoredCodings(coder: coder).map {
            PlacedCoding(transcript: $0.transcript, turn: $0.anchorTurn ?? $0.turn, start: $0.anchorStart, end: $0.anchorEnd, code: $0.code, coder: $0.coder)
        }.filter { participants?.contains($0.transcript) ?? true }
    }

    private func codeIds() throws -> [String] {
        try index.codeIDs()
    }

    /// Codes × participants: how many codings (or, with `presence`, whether any) each
    /// participant's transcript has for each code.
    public func codeByParticipant(presence: Bool, coder: String?) throws -> ReportTable {
        let (evidence, participants) = try evidence(coder: coder)
        var table = ReportTable(
            title: presence ? "Codes by participant (presence)" : "Codes by participant (codings)",
            columns: [Column(key: "code", header: "Code")] + participants.map { Column(key: $0, header: $0, alignment: .right) }
                + [Column(key: "total", header: presence ? "Participants" : "Total", alignment: .right)])
        let matrix = CodeParticipantMatrix(codes: try codeIds(), participants: participants, evidence: evidence, presence: presence)
        for (row, code) in matrix.codes.enumerated() {
            table.rows.append([Cell(code)] + matrix.counts[row].map { Cell.integer($0) } + [Cell.integer(matrix.total(row: row))])
        }
        table.notes = ["Counts include sub-codes\(coder.map { "; coder \($0) only" } ?? "; all coders"); a case-level coding counts once for its participant.",]
        return table
    }

    /// Pairs of codes that occur together: in the same turn, or (with `spans`) in overlapping
    /// spans of a turn (a whole-turn coding overlaps every span of its turn). Each unit counts once
    /// per pair, whoever coded it.
    public func cooccurrence(spans: Bool, coder: String?) throws -> ReportTable {
        var table = ReportTable(
            title: spans ? "Code co-occurrence (overlapping spans)" : "Code co-occurrence (same turn)",
            columns: [Column(key: "code_a", header: "Code"), Column(key: "code_b", header: "Code"),
                      Column(key: spans ? "spans" : "turns", header: spans ? "Overlapping in turns" : "Turns", alignment: .right),
                      Column(key: "participants", header: "Participants", alignment: .right)])
        for pair in CodingTables.cooccurrence(try codings(coder: coder), spans: spans) {
            table.rows.append([Cell(pair.codeA), Cell(pair.codeB), .integer(pair.units), .integer(pair.participants)])
        }
        return table
    }

    /// How saturation orders the interviews.
    public enum SaturationOrder: Sendable, Equatable {
        /// The order of participants.csv (then transcripts it does not list, by id).
        case participants
        /// By interview date: the participant's `interview_date` (or `date`) attribute, else the
        /// date in their transcript's file name (`Interview-03-20220710.docx`).
        case date
        /// Exactly these participants, in this order.
        case explicit([String])
    }

    /// One step of the saturation curve.
    public struct SaturationStep: Sendable, Equatable, Codable {
        public var transcript: String
        public var newCodes: [String]
        public var cumulative: Int
        /// Distinct codes applied to this participant (ids), however the curve counts.
        public var codesApplied: Int = 0
    }

    /// Participants with evidence for the analyses: the rows of participants.csv that have a
    /// transcript or a case-level coding, then transcripts it does not list, by id.
    private func participantsWithEvidence(caseCodings: [IndexedCaseCoding]) throws -> [String] {
        let listed = try index.participantEntries().map(\.id)
        let present = Set(try index.transcriptIDs()).union(caseCodings.map(\.participant))
        let rest = present.subtracting(listed).sorted { $0.localizedStandardCompare($1) == .orderedAscending }
        return (listed.filter(present.contains) + rest).filter { participants?.contains($0) ?? true }
    }

    /// Each participant's evidence: the anchored codings in their transcript and their case-level codings.
    public func evidence(coder: String?) throws -> (evidence: ParticipantEvidence, participants: [String]) {
        let placed = try codings(coder: coder)
        let cases = try index.caseCodings(coder: coder).filter { participants?.contains($0.participant) ?? true }
        let evidence = ParticipantEvidence(placed: placed, caseCodings: cases.map {
            CaseCoding(participant: $0.participant, code: $0.code, coder: $0.coder, location: SourceLocation(file: $0.source, line: $0.line))
        })
        return (evidence, try participantsWithEvidence(caseCodings: cases))
    }

    /// The participants in the order `order` asks for.
    public func saturationOrder(_ order: SaturationOrder, participants: [String]) throws -> [String] {
        switch order {
        case .participants:
            return participants
        case .explicit(let ids):
            return try InterviewOrder.explicit(ids, participants: participants)
        case .date:
            let entries = Dictionary(try index.participantEntries().map { ($0.id, $0.attributes) }, uniquingKeysWith: { first, _ in first })
            var dates: [String: String] = [:]
            for participant in participants {
                let attributes = entries[participant] ?? [:]
                if let date = attributes["interview_date"] ?? attributes["date"], !date.isEmpty {
                    dates[participant] = date
                } else if let path = try index.transcriptPath(participant),
                          let date = InterviewOrder.date(inFileName: URL(fileURLWithPath: path).lastPathComponent) {
                    dates[participant] = date
                }
            }
            return try InterviewOrder.byDate(participants, dates: dates)
        }
    }

    /// Cumulative unique codes per participant in interview order: the table researchers report
    /// to argue that further interviews stopped yielding new codes. Counts text and case-level
    /// codings alike (see `ParticipantEvidence`); by label, codes with the same name are one.
    public func saturation(coder: String?, order: SaturationOrder = .participants, count: SaturationCount = .code) throws -> [SaturationStep] {
        let (evidence, participants) = try evidence(coder: coder)
        let ordered = try saturationOrder(order, participants: participants)
        let names = count == .label ? try codeNames() : [:]
        return Saturation.curve(order: ordered, codes: evidence.codesByParticipant(), count: count, names: names).map {
            SaturationStep(transcript: $0.participant, newCodes: $0.new, cumulative: $0.cumulative, codesApplied: $0.codesApplied)
        }
    }

    private func codeNames() throws -> [String: String] {
        Dictionary(try index.codes().map { ($0.id, $0.name) }, uniquingKeysWith: { first, _ in first })
    }

    public func saturationTable(coder: String?, order: SaturationOrder = .participants, count: SaturationCount = .code,
                                rule: GuestStoppingRule? = nil) throws -> ReportTable {
        var table = ReportTable(
            title: "Code saturation",
            columns: [Column(key: "interview", header: "Interview", alignment: .right), Column(key: "transcript", header: "Participant"),
                      Column(key: "codes", header: "Codes", alignment: .right),
                      Column(key: "new", header: "New codes", alignment: .right),
                      Column(key: "cumulative", header: "Cumulative codes", alignment: .right),
                      Column(key: "new_codes", header: "Codes first seen", wraps: true)])
        let steps = try saturation(coder: coder, order: order, count: count)
        for (number, step) in steps.enumerated() {
            table.rows.append([.integer(number + 1), Cell(step.transcript), .integer(step.codesApplied), .integer(step.newCodes.count), .integer(step.cumulative),
                               Cell(text: step.newCodes.joined(separator: ", "), value: .array(step.newCodes.map(CellValue.string)))])
        }
        let orderNote: String
        switch order {
        case .participants: orderNote = "Interview order is the order of corpus/participants.csv"
        case .date: orderNote = "Interviews are ordered by date (the interview_date attribute, or the date in the transcript's file name; equal dates keep the order of participants.csv)"
        case .explicit: orderNote = "Interview order as given by --order"
        }
        let countNote = count == .code ? "codes are counted by id (sub-codes separately)" : "codes are counted by label: codes of the same name in different families are one"
        table.notes = ["\(orderNote); \(countNote). Codes: distinct codes applied to the participant (ids); text and case-level codings count alike."]
        if let rule { table.notes.append(Self.describe(rule.assess(Self.curve(steps)))) }
        return table
    }

    /// Guest et al.'s criterion in words, for beside the curve.
    public static func describe(_ assessment: GuestStoppingRule.Assessment) -> String {
        let rule = assessment.rule
        let percent = FixedDecimal.format(rule.threshold * 100, digits: rule.threshold * 100 == (rule.threshold * 100).rounded() ? 0 : 1)
        var text = "Stopping rule (Guest, Namey and Chen 2020; base \(rule.base), run \(rule.run), new information ≤ \(percent)%): "
        guard let at = assessment.saturationAt, let run = assessment.runs.first(where: { $0.meetsThreshold }) else {
            if assessment.runs.isEmpty {
                return text + "not assessed: it needs at least \(rule.base + rule.run) interviews."
            }
            return text + "not reached; base \(assessment.baseCount) codes, runs add " + assessment.runs.map { "\($0.new)" }.joined(separator: ", ") + "."
        }
        let share = FixedDecimal.format(run.share * 100, digits: 1)
        text += "saturation at \(at) interviews: interviews \(run.first)–\(run.last) add \(run.new) new code\(run.new == 1 ? "" : "s") "
        text += "(\(share)% of the base's \(assessment.baseCount)); runs from interview \(rule.base + 1) add "
        return text + assessment.runs.map { "\($0.new)" }.joined(separator: ", ") + "."
    }

    static func curve(_ steps: [SaturationStep]) -> [Qualitative.SaturationStep] {
        steps.map { Qualitative.SaturationStep(participant: $0.transcript, codesApplied: $0.codesApplied, counted: 0, new: $0.newCodes, cumulative: $0.cumulative) }
    }

    /// The saturation curve as a self-contained SVG line chart.
    public static func saturationSVG(_ steps: [SaturationStep], title: String) -> String {
        SaturationChart.svg(points: steps.map { ($0.transcript, $0.cumulative) }, title: title)
    }
}
