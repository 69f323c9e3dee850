import Claims
import Foundation
import Index
import Project
import Reports
import Statistics

extension ClaimMatrix {
    /// The matrix as a format-neutral table. `generatedOn`, when given, is the only date the
    /// output carries: without it the same study always gives the same bytes. `figures` adds a
    /// figure of each tested metric's data (drawn by the HTML renderer after the forest plot).
    public func table(generatedOn date: String? = nil, figures: Bool = false) -> ReportTable {
        var table = ReportTable(
            title: "Claim-validation matrix: \(title)",
            columns: [
                Column(key: "id", header: "ID"),
                Column(key: "claim", header: "Claim", wraps: true),
                Column(key: "papers", header: "Papers", wraps: true),
                Column(key: "interviews", header: "Interviews", alignment: .right),
                Column(key: "metric", header: "Metric"),
                Column(key: "n", header: "n", alignment: .right),
                Column(key: "statistic", header: "Statistic", alignment: .right),
                Column(key: "effect", header: "Effect (95% CI)", alignment: .right),
                Column(key: "p_adjusted", header: "p (adj.)", alignment: .right),
                Column(key: "verdict", header: "Verdict"),
                Column(key: "p_raw", header: "p (raw)", alignment: .right, role: .dataOnly),
                Column(key: "alpha", header: "alpha", alignment: .right, role: .dataOnly),
                Column(key: "sided", header: "Sided", role: .dataOnly),
                Column(key: "min_effect", header: "min effect", alignment: .right, role: .dataOnly),
                Column(key: "n_per_group", header: "n per group", role: .dataOnly),
                Column(key: "descriptives", header: "Descriptives", role: .dataOnly),
                Column(key: "query", header: "Query", wraps: true, role: .dataOnly),
                Column(key: "claim_verdict", header: "Claim verdict", role: .dataOnly),
                Column(key: "claim_rule", header: "Claim rule", role: .dataOnly),
                Column(key: "error", header: "Error", wraps: true, role: .dataOnly),
            ])
        var notes: [String] = []
        for row in rows {
            let id = row.metric.map { "\(row.claim.id)/\($0.id)" } ?? row.claim.id
            table.rows.append([
                Cell(text: id, value: .string(id)),
                Cell(row.claim.statement),
                papersCell(row),
                interviewsCell(row),
                metricCell(row),
                row.result.map { .integer($0.n) } ?? .empty,
                row.result.map(statisticCell) ?? .empty,
                row.result.map(effectCell) ?? .empty,
                row.adjustedP.map { Cell.pValue($0) } ?? .empty,
                Cell(row.verdict.rawValue),
                pRawCell(row),
                row.metric.map { .number($0.alpha ?? alpha, digits: 3) } ?? .empty,
                row.metric.map { Cell($0.alternative.rawValue) } ?? .empty,
                row.metric?.minEffect.map { .number($0, digits: 3) } ?? .empty,
                row.result == nil ? .empty : row.digest?.groupSizes ?? MetricDescriptives.groupSizesCell(row.observations),
                row.result == nil ? .empty : row.digest?.descriptives ?? MetricDescriptives.cell(row.observations),
                row.metric.map { Cell($0.query.trimmingCharacters(in: .whitespacesAndNewlines)) } ?? .empty,
                Cell(claimVerdict(of: row).rawValue),
                Cell(row.claim.rule.rawValue),
                row.verdict == .error ? Cell(row.reason ?? "") : .empty,
            ])
            if let reason = row.reason {
                notes.append("\(id) (\(row.verdict.rawValue)): \(reason).")
            }
        }
        for claim in claimVerdicts {
            notes.append("\(claim.claim) as a whole (\(claim.rule.rawValue) of its metrics must support it): \(claim.verdict.rawValue).")
        }
        let testedCount = rows.filter { $0.adjustedP != nil }.count
        notes.insert(contentsOf: [
            "Interviews: participants with at least one excerpt coded with the claim's codes (or their sub-codes) / all participants.",
            "p (adj.): \(correctionName) correction across the \(testedCount) test\(testedCount == 1 ? "" : "s") of this matrix; supported when p (adj.) < alpha = \(Self.plain(alpha)) (or the metric's own alpha), the effect has the predicted sign, and its size reaches the metric's min_effect.",
        ], at: 0)
        table.notes = notes
        var provenance = [
            ProvenanceItem(key: "tool", value: "triangulate \(TriangulateVersion.current)"),
            ProvenanceItem(key: "correction", value: correction.rawValue),
            ProvenanceItem(key: "alpha", value: Self.plain(alpha)),
        ]
        for input in datasetInputs {
            provenance.append(ProvenanceItem(key: "dataset \(input.dataset)", value: "\(input.path) sha256:\(input.sha256)"))
        }
        if let date { provenance.append(ProvenanceItem(key: "generated", value: date)) }
        table.provenance = provenance
        let chartRows = rows.compactMap(chartRow)
        if !chartRows.isEmpty {
            table.charts = [IntervalChart(title: "Effect sizes with their 95% intervals (dashed: no effect)", rows: chartRows)]
        }
        if figures {
            table.figures = rows.compactMap { row in MetricFigures.figure(for: row).map { Figure($0) } }
        }
        return table
    }

    /// The claim's verdict as a whole: the combined verdict of a claim with several metrics, the
    /// row's own verdict otherwise.
    public func claimVerdict(of row: MatrixRow) -> Verdict {
        claimVerdicts.first { $0.claim == row.claim.id }?.verdict ?? row.verdict
    }

    /// The raw p-value with its log10, computed in log space where the p-value underflowed to 0
    /// (`-inf` where it could not be computed, see `MetricObservations.log10PValue(of:alternative:)`).
    private func pRawCell(_ row: MatrixRow) -> Cell {
        guard let result = row.result, let metric = row.metric, !result.pValue.isNaN else { return .empty }
        let log10 = (row.digest.map { $0.log10P } ?? row.observations?.log10PValue(of: result, alternative: metric.alternative))
            ?? (result.pValue > 0 ? Foundation.log10(result.pValue) : -Double.infinity)
        return Cell.pValue(result.pValue, log10: log10)
    }

    /// A tested metric's effect with its interval, on its own axis; the dashed line is the value
    /// of no effect (0; 1 for an odds ratio, on a log scale; p0 for a proportion).
    private func chartRow(_ row: MatrixRow) -> IntervalChart.Row? {
        guard let metric = row.metric, let result = row.result, let interval = result.effect.interval,
              interval.lower.isFinite, interval.upper.isFinite else { return nil }
        let effect = result.effect
        let reference: Double?
        switch metric.test {
        case .fisher: reference = 1
        case .binomial: reference = metric.p0 ?? 0.5
        default: reference = 0
        }
        let text = "\(FixedDecimal.format(effect.value, digits: 3)) [\(FixedDecimal.format(interval.lower, digits: 3)), \(FixedDecimal.format(interval.upper, digits: 3))] \(row.verdict.rawValue)"
        return IntervalChart.Row(label: "\(row.claim.id)/\(metric.id) \(effect.name)", kind: effect.name, estimate: effect.value, lower: interval.lower,
                                 upper: interval.upper, reference: reference, logScale: metric.test == .fisher, text: text)
    }

    private var correctionName: String {
        switch correction {
        case .holm: return "Holm"
        case .bonferroni: return "Bonferroni"
        case .benjaminiHochberg: return "Benjamini-Hochberg"
        case .none: return "no"
        }
    }

    private func papersCell(_ row: MatrixRow) -> Cell {
        let keys = row.papers + row.unknownPapers.map { "\($0)?" }
        let text = keys.isEmpty ? "0" : "\(row.papers.count): \(keys.joined(separator: ", "))"
        return Cell(text: text, value: .object([
            "count": .integer(row.papers.count),
            "keys": .array(row.papers.map(CellValue.string)),
            "unknown": .array(row.unknownPapers.map(CellValue.string)),
        ]), citations: row.papers)
    }

    private func interviewsCell(_ row: MatrixRow) -> Cell {
        let text = row.claim.codes.isEmpty ? "" : "\(row.supportingParticipants.count)/\(row.participantCount)"
        return Cell(text: text, value: row.claim.codes.isEmpty ? .null : .object([
            "codes": .array(row.claim.codes.map(CellValue.string)),
            "participants": .array(row.supportingParticipants.map(CellValue.string)),
            "total": .integer(row.participantCount),
        ]))
    }

    private func metricCell(_ row: MatrixRow) -> Cell {
        guard let metric = row.metric else { return .empty }
        let dataset = row.dataset ?? "?"
        let sided = metric.oneSided ? ", one-sided" : ""
        return Cell(text: "\(metric.test.rawValue) on \(dataset)\(sided)", value: .object([
            "id": .string(metric.id),
            "test": .string(metric.test.rawValue),
            "dataset": row.dataset.map(CellValue.string) ?? .null,
            "expect": .string(metric.expect.rawValue),
            "alternative": .string(metric.alternative.rawValue),
        ]))
    }

    private func statisticCell(_ result: TestResult) -> Cell {
        var object: [String: CellValue] = ["name": .string(result.statisticName), "value": .number(result.statistic)]
        if let df = result.degreesOfFreedom { object["df"] = .number(df) }
        if let method = result.method { object["method"] = .string(method) }
        return Cell(text: "\(result.statisticName) = \(Self.compact(result.statistic))", value: .object(object))
    }

    private func effectCell(_ result: TestResult) -> Cell {
        let effect = result.effect
        var text = "\(effect.name) = \(FixedDecimal.format(effect.value, digits: 3))"
        var object: [String: CellValue] = ["name": .string(effect.name), "value": .number(effect.value)]
        if let interval = effect.interval {
            text += " [\(FixedDecimal.format(interval.lower, digits: 3)), \(FixedDecimal.format(interval.upper, digits: 3))]"
            object["lower"] = .number(interval.lower)
            object["upper"] = .number(interval.upper)
            object["level"] = .number(interval.level)
        }
        return Cell(text: text, value: .object(object))
    }

    /// Counts (k, and U, which runs into the billions) and other whole or large statistics
    /// without decimals; the rest with 3.
    static func compact(_ value: Double) -> String {
        let whole = value.rounded() == value || abs(value) >= 10_000
        return FixedDecimal.format(value, digits: whole ? 0 : 3)
    }

    static func plain(_ value: Double) -> String {
        var text = String(value)
        if text.hasSuffix(".0") { text.removeLast(2) }
        return text
    }
}
