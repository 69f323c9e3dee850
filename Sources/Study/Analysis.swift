import Coding
import Foundation
import Index
import Project
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

    struct Placed {
        var transcript: String
        var turn: Int
        var start: Int?
        var end: Int?
        var code: String
        var coder: String
    }

    private func codings(coder: String?) throws -> [Placed] {
        try index.anchoredCodings(coder: coder).map {
            Placed(transcript: $0.transcript, turn: $0.anchorTurn ?? $0.turn, start: $0.anchorStart, end: $0.anchorEnd, code: $0.code, coder: $0.coder)
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
        for code in try codeIds() {
            var counts = participants.map { participant in
                all.filter { $0.transcript == participant && Code.covers(code, $0.code) }.count
            }
            if presence { counts = counts.map { $0 > 0 ? 1 : 0 } }
            table.rows.append([Cell(code)] + counts.map { Cell.integer($0) } + [Cell.integer(counts.reduce(0, +))])
        }
        table.notes = ["Counts include sub-codes\(coder.map { "; coder \($0) only" } ?? "; all coders").",]
        return table
    }

    /// Pairs of codes that occur together: in the same turn, or (with `spans`) in overlapping
    /// spans of a turn (a whole-turn coding overlaps every span of its turn). Each unit counts once
    /// per pair, whoever coded it.
    public func cooccurrence(spans: Bool, coder: String?) throws -> ReportTable {
        let all = try codings(coder: coder).filter { _ in true }
        var byTurn: [String: [Placed]] = [:]
        for coding in all { byTurn["\(coding.transcript)#\(coding.turn)", default: []].append(coding) }
        var pairs: [String: (count: Int, participants: Set<String>)] = [:]
        for (_, codings) in byTurn {
            var found = Set<String>()
            for (i, a) in codings.enumerated() {
                for b in codings[(i + 1)...] where a.code != b.code {
                    if spans && !Self.overlap(a, b) { continue }
                    let key = [a.code, b.code].sorted().joined(separator: "\u{1F}")
                    found.insert(key)
                }
            }
            for key in found {
                pairs[key, default: (0, [])].count += 1
                pairs[key]!.participants.insert(codings[0].transcript)
            }
        }
        var table = ReportTable(
            title: spans ? "Code co-occurrence (overlapping spans)" : "Code co-occurrence (same turn)",
            columns: [Column(key: "code_a", header: "Code"), Column(key: "code_b", header: "Code"),
                      Column(key: spans ? "spans" : "turns", header: spans ? "Overlapping in turns" : "Turns", alignment: .right),
                      Column(key: "participants", header: "Participants", alignment: .right)])
        let sorted = pairs.sorted { $0.value.count != $1.value.count ? $0.value.count > $1.value.count : $0.key < $1.key }
        for (key, value) in sorted {
            let codes = key.split(separator: "\u{1F}").map(String.init)
            table.rows.append([Cell(codes[0]), Cell(codes[1]), .integer(value.count), .integer(value.participants.count)])
        }
        return table
    }

    private static func overlap(_ a: Placed, _ b: Placed) -> Bool {
        guard let aStart = a.start, let aEnd = a.end, let bStart = b.start, let bEnd = b.end else { return true }
        return aStart < bEnd && bStart < aEnd
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
        let width = 640.0, height = 400.0, left = 60.0, right = 20.0, top = 40.0, bottom = 60.0
        let maxY = Double(max(1, steps.map(\.cumulative).max() ?? 1))
        let n = max(1, steps.count)
        func x(_ i: Int) -> Double { left + (width - left - right) * (n == 1 ? 0.5 : Double(i) / Double(n - 1)) }
        func y(_ v: Int) -> Double { height - bottom - (height - top - bottom) * Double(v) / maxY }
        func fmt(_ v: Double) -> String { String(format: "%.1f", v) }
        func escape(_ s: String) -> String {
            s.replacingOccurrences(of: "&", with: "&amp;").replacingOccurrences(of: "<", with: "&lt;").replacingOccurrences(of: ">", with: "&gt;")
                .replacingOccurrences(of: "\"", with: "&quot;")
        }
        var svg = """
            <svg xmlns="http://www.w3.org/2000/svg" width="\(Int(width))" height="\(Int(height))" viewBox="0 0 \(Int(width)) \(Int(height))" font-family="Helvetica, Arial, sans-serif" font-size="12">
            <title>\(escape(title))</title>
            <rect width="100%" height="100%" fill="white"/>
            <text x="\(fmt(width / 2))" y="22" text-anchor="middle" font-size="15">\(escape(title))</text>
            <line x1="\(fmt(left))" y1="\(fmt(height - bottom))" x2="\(fmt(width - right))" y2="\(fmt(height - bottom))" stroke="black"/>
            <line x1="\(fmt(left))" y1="\(fmt(top))" x2="\(fmt(left))" y2="\(fmt(height - bottom))" stroke="black"/>

            """
        let ticks = 5
        for t in 0...ticks {
            let value = Int((maxY * Double(t) / Double(ticks)).rounded())
            svg += "<text x=\"\(fmt(left - 8))\" y=\"\(fmt(y(value) + 4))\" text-anchor=\"end\">\(value)</text>\n"
            svg += "<line x1=\"\(fmt(left))\" y1=\"\(fmt(y(value)))\" x2=\"\(fmt(width - right))\" y2=\"\(fmt(y(value)))\" stroke=\"#dddddd\"/>\n"
        }
        for (i, step) in steps.enumerated() {
            svg += "<text x=\"\(fmt(x(i)))\" y=\"\(fmt(height - bottom + 18))\" text-anchor=\"middle\">\(escape(step.transcript))</text>\n"
        }
        let points = steps.enumerated().map { "\(fmt(x($0.offset))),\(fmt(y($0.element.cumulative)))" }.joined(separator: " ")
        svg += "<polyline points=\"\(points)\" fill=\"none\" stroke=\"#1f5fa8\" stroke-width=\"2\"/>\n"
        for (i, step) in steps.enumerated() {
            svg += "<circle cx=\"\(fmt(x(i)))\" cy=\"\(fmt(y(step.cumulative)))\" r=\"3.5\" fill=\"#1f5fa8\"><title>\(escape(step.transcript)): \(step.cumulative) codes</title></circle>\n"
        }
        svg += "<text x=\"\(fmt(width / 2))\" y=\"\(fmt(height - 15))\" text-anchor=\"middle\">Interviews in order</text>\n"
        svg += "<text x=\"16\" y=\"\(fmt(height / 2))\" text-anchor=\"middle\" transform=\"rotate(-90 16 \(fmt(height / 2)))\">Cumulative unique codes</text>\n"
        svg += "</svg>\n"
        return svg
    }
}
