import Claims
import Core
import Datasets
import Foundation
import Index
import Project
import Reports
import Statistics

/// One metric run without a claim, for exploration (`triangulate test`): the same query, test,
/// options and verdict rule as a metric in the matrix, so a result found in a notebook-like
/// session reads exactly as it will in the matrix. With one test there is nothing to correct, so
/// the adjusted p-value is the raw one.
public struct QuickTest {
    public let study: Study
    public var progress: (@Sendable (String) -> Void)?

    public init(study: Study, progress: (@Sendable (String) -> Void)? = nil) {
        self.study = study
        self.progress = progress
    }

    /// The metric, checked by the same rules as a metric in a claim file: the options are written
    /// as a claim and read back, so an option that does not fit the test (groups for a
    /// correlation, a one-sided test that expects no direction) fails as it would in a claim.
    public static func metric(dataset: String, query: String, test: TestKind, expect: Expectation, groups: [String]?, levels: [String]?,
                              alpha: Double?, minEffect: Double?, p0: Double?, threshold: Double?, oneSided: Bool) throws -> MetricSpec {
        let location = SourceLocation(file: "command line", line: 1, column: 1)
        let draft = MetricSpec(id: "Q1", dataset: dataset, query: query, test: test, expect: expect, groups: groups, alpha: alpha,
                               minEffect: minEffect, p0: p0, threshold: threshold, levels: levels, oneSided: oneSided, location: location)
        let claim = Claim(id: "Q", statement: "quick test", metrics: [draft], location: location)
        guard let metric = try Claim.parse(claim.yamlText, file: "the test's options").metrics.first else {
            throw MetricError("the options give no metric")
        }
        return metric
    }

    /// Runs `metric` on its dataset and returns it as a one-row matrix.
    public func run(_ metric: MetricSpec) throws -> ClaimMatrix {
        guard let dataset = metric.dataset ?? study.settings.defaultDataset else {
            throw MetricError("name a dataset (triangulate.yaml sets no default_dataset)")
        }
        let session = DatasetSession(study: study, frozen: false, progress: progress)
        let claim = Claim(id: "test", statement: "Quick test: \(metric.test.rawValue) on \(dataset)", metrics: [metric], location: metric.location)
        var row = MatrixRow(claim: claim, metric: metric, papers: [], unknownPapers: [], supportingParticipants: [], participantCount: 0,
                            dataset: dataset, result: nil, adjustedP: nil, verdict: .error, reason: nil)
        do {
            let evaluation = try session.evaluate(metric, on: dataset)
            row.result = evaluation.result
            row.reason = evaluation.note
            row.observations = evaluation.observations
            let p = evaluation.result.pValue
            row.adjustedP = p.isNaN ? nil : p
            row.verdict = metric.verdict(for: evaluation.result, adjustedP: row.adjustedP, studyAlpha: study.settings.alpha)
        } catch let error as LocatedError {
            row.reason = error.message
        } catch {
            row.reason = String(describing: error)
        }
        return ClaimMatrix(title: "\(metric.test.rawValue) on \(dataset)", rows: [row], claimVerdicts: [], correction: .none,
                           alpha: study.settings.alpha, datasetInputs: session.inputs, warnings: session.notices)
    }
}

extension ClaimMatrix {
    /// The matrix's first row as plain lines for a terminal: the test, n, statistic, p with its
    /// log10, the effect, the groups' descriptives and the verdict with the rule it applied.
    public func quickTestText() -> String {
        guard let row = rows.first, let metric = row.metric else { return "" }
        var lines = ["\(metric.test.rawValue) on \(row.dataset ?? "?") (\(metric.alternative.rawValue))"]
        guard let result = row.result else {
            lines.append("error: \(row.reason ?? "the metric gave no result")")
            return lines.joined(separator: "\n") + "\n"
        }
        lines.append("n = \(result.n)")
        var statistic = "\(result.statisticName) = \(Self.compact(result.statistic))"
        if let df = result.degreesOfFreedom { statistic += ", df = \(Self.compact(df))" }
        if let df2 = result.denominatorDegreesOfFreedom { statistic += ", \(Self.compact(df2))" }
        if let method = result.method { statistic += " (\(method))" }
        lines.append(statistic)
        if !result.pValue.isNaN {
            var p = "p = \(result.pValue)"
            if let log10 = row.observations?.log10PValue(of: result, alternative: metric.alternative) {
                p += " (log10 p = \(FixedDecimal.format(log10, digits: 3)))"
            }
            lines.append(p)
        }
        var effect = "\(result.effect.name) = \(FixedDecimal.format(result.effect.value, digits: 3))"
        if let interval = result.effect.interval {
            effect += " [\(FixedDecimal.format(interval.lower, digits: 3)), \(FixedDecimal.format(interval.upper, digits: 3))] (\(Self.plain(interval.level * 100))% CI)"
        }
        lines.append(effect)
        let descriptives = MetricDescriptives.cell(row.observations).text
        if !descriptives.isEmpty { lines.append("data: \(descriptives)") }
        if let note = row.reason { lines.append("note: \(note)") }
        let rule = metric.test == .threshold
            ? "value against threshold \(Self.plain(metric.threshold ?? 0)), expect \(metric.expect.rawValue)"
            : "alpha = \(Self.plain(metric.alpha ?? alpha)), expect \(metric.expect.rawValue), min_effect = \(Self.plain(metric.minEffect ?? 0))"
        lines.append("verdict: \(row.verdict.rawValue) (\(rule))")
        return lines.joined(separator: "\n") + "\n"
    }
}
