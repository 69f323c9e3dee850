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
        let participants = try interviewOrder()
        let all = try codings(coder: coder)
        var table = ReportTable(
            title: presence ? "Codes by participant (presence)" : "Codes by participant (codings)",
            columns: [Column(key: "code", header: "Code")] + participants.map { Column(key: $0, header: $0, alignment: .right) }
                + [Column(key: "total", header: presence ? "Participants" : "Total", alignment: .right)])
        for row in CodingTables.codeByParticipant(codes: try codeIds(), participants: participants, codings: all, presence: presence) {
            table.rows.append([Cell(row.code)] + row.counts.map { Cell.integer($0) } + [Cell.integer(row.counts.reduce(0, +))])
        }
        table.notes = ["Counts include sub-codes\(coder.map { "; coder \($0) only" } ?? "; all coders").",]
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

    /// One step of the saturation curve.
    public struct SaturationStep: Sendable, Equatable, Codable {
        public var transcript: String
        public var newCodes: [String]
        public var cumulative: Int
    }

    /// Cumulative unique codes per transcript in interview order: the table researchers report
    /// to argue that further interviews stopped yielding new codes.
    public func saturation(coder: String?) throws -> [SaturationStep] {
        let all = try codings(coder: coder)
        var seen = Set<String>()
        var steps: [SaturationStep] = []
        for transcript in try interviewOrder() {
            let codes = Set(all.filter { $0.transcript == transcript }.map(\.code))
            let new = codes.subtracting(seen).sorted()
            seen.formUnion(new)
            steps.append(SaturationStep(transcript: transcript, newCodes: new, cumulative: seen.count))
        }
        return steps
    }

    public func saturationTable(coder: String?) throws -> ReportTable {
        var table = ReportTable(
            title: "Code saturation",
            columns: [Column(key: "interview", header: "Interview", alignment: .right), Column(key: "transcript", header: "Transcript"),
                      Column(key: "new", header: "New codes", alignment: .right),
                      Column(key: "cumulative", header: "Cumulative codes", alignment: .right),
                      Column(key: "new_codes", header: "Codes first seen", wraps: true)])
        for (number, step) in try saturation(coder: coder).enumerated() {
            table.rows.append([.integer(number + 1), Cell(step.transcript), .integer(step.newCodes.count), .integer(step.cumulative),
                               Cell(text: step.newCodes.joined(separator: ", "), value: .array(step.newCodes.map(CellValue.string)))])
        }
        table.notes = ["Interview order is the order of corpus/participants.csv; codes are counted as applied (sub-codes separately)."]
        return table
    }

    /// The saturation curve as a self-contained SVG line chart.
    public static func saturationSVG(_ steps: [SaturationStep], title: String) -> String {
        SaturationChart.svg(points: steps.map { ($0.transcript, $0.cumulative) }, title: title)
    }
}
