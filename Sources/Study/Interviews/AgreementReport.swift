import Foundation
import Index
import Project
import Qualitative
import Reports
import Statistics

/// Inter-coder agreement over a study's codings, per code and overall (`triangulate agreement`).
///
/// The unit is declared, never implied: each participant turn (`turn`), or each character of a
/// participant turn (`character`), is rated "present" or "absent" for a code by each coder. Only
/// transcripts that at least two of the coders coded take part; a coder who coded nothing in a
/// transcript is missing there, not "absent". Overall agreement pools every (unit, code) decision.
public struct AgreementReport {
    public struct Row: Sendable {
        public var code: String
        public var units: Int
        public var percent: Double?
        public var kappa: AgreementResult?
        public var alpha: Double?
        /// Krippendorff's alpha with its standard error and interval.
        public var alphaResult: AgreementResult?
        /// Gwet's AC1: robust to a rare code, where kappa collapses although coders agree.
        public var ac1: AgreementResult?
        /// PABAK (Brennan–Prediger for two categories), for two coders.
        public var pabak: AgreementResult?
        /// Cohen's kappa for every pair of coders, when there are three or more.
        public var pairwise: [PairwiseAgreement] = []
        public var problems: [String]
    }

    public var coders: [String]
    public var unit: AgreementUnit
    public var rows: [Row]
    public var disagreements: [(code: String, disagreement: Disagreement)]

    /// - Parameter coders: the coders to compare (default: every coder with codings).
    public static func compute(index: StudyIndex, coders requested: [String]?, unit: AgreementUnit, code: String?,
                               participants: Set<String>? = nil) throws -> AgreementReport {
        try index.requireNoErrors(in: StudyIndex.codingInputs)
        let allCodings = try index.anchoredCodingsOnParticipantTurns().map {
            PlacedCoding(transcript: $0.transcript, turn: $0.anchorTurn ?? $0.turn, start: $0.anchorStart, end: $0.anchorEnd, code: $0.code, coder: $0.coder)
        }
        let allTurns = try index.participantTurns().map { CodedTurn(transcript: $0.transcript, turn: $0.number, length: $0.length) }
        var allCoders = try index.coders()
        if unit == .participant {
            // Coders who coded participants as a whole count too.
            allCoders = Array(Set(allCoders).union(try index.caseCodings(coder: nil).map(\.coder))).sorted()
        }
        let codes = try index.codeIDs()
        let keep = { (transcript: String) in participants?.contains(transcript) ?? true }
        let codings = allCodings.filter { keep($0.transcript) }
        let turns = allTurns.filter { keep($0.transcript) }
        let coders = requested ?? allCoders
        for coder in coders where !allCoders.contains(coder) {
            throw StudyError.unknown(kind: "coder with codings", name: coder, known: allCoders)
        }
        guard coders.count >= 2 else {
            throw StudyError.invalid("agreement needs at least two coders with codings; found \(coders.isEmpty ? "none" : coders.joined(separator: ", "))", at: nil)
        }
        if let code, !codes.contains(code) { throw StudyError.unknown(kind: "code", name: code, known: codes) }
        let selected = code.map { selected in codes.filter { Code.covers(selected, $0) } } ?? codes
        if unit == .participant {
            return try participantReport(index: index, coders: coders, codes: codes, selected: selected, participants: participants)
        }
        let units = AgreementUnits(codings: codings, turns: turns, coders: coders)
        var report = AgreementReport(coders: coders, unit: unit, rows: [], disagreements: [])
        var pooled: [[String?]: Int] = [:]
        // "overall" pools the leaf codes only: a parent's decisions are its children's again, and
        // pooling both would count every sub-code decision twice (docs/statistics.md).
        let leaves = Set(selected.filter { id in !codes.contains { $0 != id && Code.covers(id, $0) } })
        for id in selected {
            let ratings = units.ratings(for: id, unit: unit)
            let compressed = Self.compress(ratings.ratings, weights: ratings.weights)
            if leaves.contains(id) { for (vector, weight) in compressed { pooled[vector, default: 0] += weight } }
            report.rows.append(Self.row(id, Self.table(coders: ratings.coders, compressed)))
            report.disagreements += units.disagreements(for: id, unit: unit).map { (id, $0) }
        }
        report.rows.append(Self.row("overall", Self.table(coders: coders, pooled)))
        return report
    }

    /// Agreement about participants (case-level codes): is code C among the codes coder X gave
    /// participant P, anywhere: as a case-level coding or on a turn of P's transcript? A coder
    /// who gave P no code at all has not assessed P and is missing there, not "absent"; only
    /// participants assessed by two coders or more are units (``CaseAgreementUnits``).
    static func participantReport(index: StudyIndex, coders: [String], codes: [String], selected: [String],
                                  participants: Set<String>?) throws -> AgreementReport {
        let (evidence, _) = try CodingAnalysis(index: index, participants: participants).evidence(coder: nil)
        let units = CaseAgreementUnits(evidence: evidence, coders: coders, countTextCodings: true)
        var report = AgreementReport(coders: coders, unit: .participant, rows: [], disagreements: [])
        var pooled: [[String?]: Int] = [:]
        let leaves = Set(selected.filter { id in !codes.contains { $0 != id && Code.covers(id, $0) } })
        for id in selected {
            let ratings = units.ratings(for: id)
            let compressed = Self.compress(ratings, weights: Array(repeating: 1, count: ratings.count))
            if leaves.contains(id) { for (vector, weight) in compressed { pooled[vector, default: 0] += weight } }
            report.rows.append(Self.row(id, Self.table(coders: units.coders, compressed)))
            report.disagreements += units.disagreements(for: id).map {
                (id, Disagreement(transcript: $0.participant, turn: 0, start: nil, end: nil, applied: $0.applied, notApplied: $0.notApplied))
            }
        }
        report.rows.append(Self.row("overall", Self.table(coders: units.coders, pooled)))
        return report
    }

    /// Units with the same ratings from every coder are interchangeable for every measure here,
    /// so they are merged into one weighted row: with two labels and a few coders there are only
    /// a handful of distinct rows, however many units.
    static func compress(_ ratings: [[String?]], weights: [Int]) -> [[String?]: Int] {
        var merged: [[String?]: Int] = [:]
        for (vector, weight) in zip(ratings, weights) { merged[vector, default: 0] += weight }
        return merged
    }

    /// A rating table from merged rows, in a fixed row order so results never depend on hashing.
    static func table(coders: [String], _ merged: [[String?]: Int]) -> RatingTable {
        let rows = merged.sorted { $0.key.map { $0 ?? "" }.lexicographicallyPrecedes($1.key.map { $0 ?? "" }) }
        return RatingTable(coders: coders, ratings: rows.map(\.key), weights: rows.map(\.value))
    }

    static func row(_ code: String, _ table: RatingTable) -> Row {
        var row = Row(code: code, units: table.weights.reduce(0, +), percent: nil, kappa: nil, alpha: nil, problems: [])
        func attempt<T>(_ body: () throws -> T) -> T? {
            do { return try body() } catch {
                let reason = (error as? CannotTest)?.reason ?? String(describing: error)
                if !row.problems.contains(reason) { row.problems.append(reason) }
                return nil
            }
        }
        row.percent = attempt { try Agreement.percentAgreement(table).value }
        row.kappa = attempt { table.coders.count == 2 ? try Agreement.cohensKappa(table) : try Agreement.fleissKappa(table) }
        row.alphaResult = attempt { try Agreement.krippendorffAlpha(table) }
        row.alpha = row.alphaResult?.value
        row.ac1 = attempt { try Agreement.gwetAC1(table, categories: 2) }
        if table.coders.count == 2 {
            row.pabak = attempt { try Agreement.brennanPrediger(table, categories: 2) }
        } else {
            row.pairwise = attempt { try Agreement.pairwiseCohensKappa(table) } ?? []
        }
        return row
    }

    public var table: ReportTable {
        let kappaName = coders.count == 2 ? "Cohen's kappa" : "Fleiss' kappa"
        func estimate(_ result: AgreementResult?) -> Cell {
            guard let result else { return .empty }
            guard let interval = result.interval else { return .number(result.value, digits: 3) }
            return Cell(text: String(format: "%.3f [%.3f, %.3f]", result.value, interval.lower, interval.upper),
                        value: .object(["value": .number(result.value), "lower": .number(interval.lower), "upper": .number(interval.upper),
                                        "standard_error": result.standardError.map(CellValue.number) ?? .null]))
        }
        var columns = [Column(key: "code", header: "Code"), Column(key: "units", header: "Units", alignment: .right),
                       Column(key: "percent", header: "Agreement", alignment: .right),
                       Column(key: "kappa", header: "\(kappaName) (95% CI)", alignment: .right),
                       Column(key: "alpha", header: "Krippendorff's alpha (95% CI)", alignment: .right),
                       Column(key: "ac1", header: "Gwet's AC1", alignment: .right)]
        if coders.count == 2 { columns.append(Column(key: "pabak", header: "PABAK", alignment: .right)) }
        var table = ReportTable(
            title: "Inter-coder agreement (\(coders.joined(separator: ", ")); unit: \(Self.unitName(unit)))",
            columns: columns)
        for row in rows {
            var cells = [Cell(row.code), .integer(row.units), row.percent.map { .number($0, digits: 3) } ?? .empty,
                         estimate(row.kappa), estimate(row.alphaResult), row.ac1.map { .number($0.value, digits: 3) } ?? .empty]
            if coders.count == 2 { cells.append(row.pabak.map { .number($0.value, digits: 3) } ?? .empty) }
            table.rows.append(cells)
        }
        let methods = [rows.last?.kappa, rows.last?.alphaResult].compactMap { $0 }.compactMap { result in
            result.intervalMethod.map { "\(result.measure): \($0)" }
        }
        let unitName = Self.unitName(unit)
        let robust = coders.count == 2 ? " and PABAK stay" : " stays"
        let rated = coders.count == 2 ? "both coders" : "every coder"
        var notes: [String] = [
            unit == .participant
                ? "Each participant is one unit, rated present or absent for each code by each coder: present when the coder gave them the code or a sub-code as a case-level coding or on a turn of their transcript; participants count when at least two of the coders gave them any code, and a coder who gave a participant none is missing there. 'overall' pools the units of the leaf codes only."
                : "Each \(unitName) is one unit, rated present or absent for each code by each coder; transcripts count when at least two of the coders coded them, and a coder who coded nothing in a transcript is missing there. 'overall' pools the units of the leaf codes only, so a sub-code's decisions are not counted again under its parent.",
            "Agreement: share of units where all coders who rated the unit agree. \(kappaName) uses units rated by \(rated); Krippendorff's alpha (nominal) allows missing ratings; Gwet's AC1\(robust) meaningful for a rare code, where kappa can be 0 although the coders agree on nearly every unit.",
        ]
        if !methods.isEmpty { notes.append("Intervals: " + methods.joined(separator: "; ") + ". Methods and references: docs/statistics.md.") }
        for row in rows {
            for pair in row.pairwise {
                let value: String = pair.result.map { String(format: "%.3f", $0.value) } ?? (pair.problem ?? "not computable")
                notes.append("\(row.code): \(pair.first)–\(pair.second) Cohen's kappa \(value)")
            }
        }
        for row in rows where !row.problems.isEmpty { notes.append("\(row.code): \(row.problems.joined(separator: "; ")).") }
        table.notes = notes
        return table
    }

    static func unitName(_ unit: AgreementUnit) -> String {
        switch unit {
        case .turn: return "participant turn"
        case .character: return "character of a participant turn"
        case .participant: return "participant (a code given to them as a case or on a turn of their transcript)"
        }
    }

    /// The units on which coders differ, for discussion.
    public var disagreementTable: ReportTable {
        var table = ReportTable(
            title: "Disagreements to discuss",
            columns: [Column(key: "code", header: "Code"), Column(key: "place", header: "Place"),
                      Column(key: "applied", header: "Applied by"), Column(key: "not_applied", header: "Not by")])
        for (code, item) in disagreements {
            let place = unit == .participant ? item.transcript
                : item.start.map { "\(item.transcript)#\(item.turn):\($0)-\(item.end!)" } ?? "\(item.transcript)#\(item.turn)"
            table.rows.append([Cell(code), Cell(place), Cell(item.applied.joined(separator: ", ")), Cell(item.notApplied.joined(separator: ", "))])
        }
        return table
    }
}
