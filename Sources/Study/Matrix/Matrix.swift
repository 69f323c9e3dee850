import Claims
import Core
import Datasets
import Foundation
import Index
import Project
import Reports
import Statistics

/// One row of the claim-validation matrix: a claim and one of its metrics (or none).
public struct MatrixRow: Sendable {
    public var claim: Claim
    public var metric: MetricSpec?
    /// The claim's papers that are records of the study, and those that are not.
    public var papers: [String]
    public var unknownPapers: [String]
    /// Participants with at least one anchored excerpt carrying one of the claim's codes.
    public var supportingParticipants: [String]
    public var participantCount: Int
    public var dataset: String?
    public var result: TestResult?
    public var adjustedP: Double?
    public var verdict: Verdict
    /// Why the verdict is `error` or `not tested`, in plain words; notes on excluded rows otherwise.
    public var reason: String?
    /// The data the metric's query returned, for descriptives, figures and log-space p-values.
    public var observations: MetricObservations? = nil
}

/// The claim-validation matrix of a study (DESIGN §6): every claim and metric, its evidence, the
/// statistical result and the verdict, with the provenance that makes it reproducible.
public struct ClaimMatrix: Sendable {
    public var title: String
    public var rows: [MatrixRow]
    /// The verdicts of claims with several metrics, combined under each claim's rule.
    public var claimVerdicts: [(claim: String, rule: ClaimRule, verdict: Verdict)]
    public var correction: PValueCorrection
    public var alpha: Double
    /// The inputs of every dataset used: name, file or database, SHA-256.
    public var datasetInputs: [(dataset: String, path: String, sha256: String)]
    public var warnings: [String]
}

/// Builds the matrix: refreshes the index, prepares datasets, runs each metric's query and test,
/// corrects the p-values across all tests of the matrix and decides the verdicts.
public struct MatrixBuilder {
    public let study: Study
    public let index: StudyIndex
    public var progress: (@Sendable (String) -> Void)?
    /// Refuse any dataset input whose content differs from what its manifest records (replication).
    public var frozen = false

    public init(study: Study, index: StudyIndex, frozen: Bool = false, progress: (@Sendable (String) -> Void)? = nil) {
        self.study = study
        self.index = index
        self.frozen = frozen
        self.progress = progress
    }

    public func build() throws -> ClaimMatrix {
        try index.requireNoErrors()
        let claims = try index.claims()
        var warnings: [String] = []
        var datasets = DatasetSession(study: study, frozen: frozen, progress: progress)
        let participantCount = try index.participantCount()
        var rows: [MatrixRow] = []

        for claim in claims {
            let papers = try index.knownPapers(claim.sources.map(\.paper))
            let unknown = claim.sources.map(\.paper).filter { !papers.contains($0) }
            for key in unknown {
                warnings.append("\(claim.location.file): claim \(claim.id) cites '\(key)', which is not a record in corpus/literature")
            }
            let support = try index.participants(withCodes: claim.codes)
            let base = MatrixRow(claim: claim, metric: nil, papers: papers, unknownPapers: unknown,
                                 supportingParticipants: support, participantCount: participantCount, dataset: nil,
                                 result: nil, adjustedP: nil, verdict: .notTested,
                                 reason: "no metric tests this claim yet")
            if claim.metrics.isEmpty {
                rows.append(base)
                continue
            }
            for metric in claim.metrics {
                var row = base
                row.metric = metric
                row.reason = nil
                let datasetName = metric.dataset ?? study.settings.defaultDataset
                row.dataset = datasetName
                do {
                    guard let datasetName else {
                        throw MetricError("the metric names no dataset and triangulate.yaml sets no default_dataset")
                    }
                    progress?("claim \(claim.id), metric \(metric.id): querying \(datasetName)")
                    let evaluation = try datasets.evaluate(metric, on: datasetName)
                    row.result = evaluation.result
                    row.reason = evaluation.note
                    row.observations = evaluation.observations
                } catch {
                    row.verdict = .error
                    let reason = (error as? LocatedError)?.message ?? String(describing: error)
                    row.reason = reason
                    warnings.append("\(metric.location): claim \(claim.id), metric \(metric.id): \(reason)")
                }
                rows.append(row)
            }
        }

        let tested = rows.indices.filter { rows[$0].result != nil }
        let adjusted = study.settings.correction.adjust(tested.map { rows[$0].result!.pValue })
        for (position, rowIndex) in tested.enumerated() {
            let p = adjusted[position]
            rows[rowIndex].adjustedP = p.isNaN ? nil : p
            rows[rowIndex].verdict = rows[rowIndex].metric!.verdict(
                for: rows[rowIndex].result!, adjustedP: rows[rowIndex].adjustedP, studyAlpha: study.settings.alpha,
                significance: study.settings.evaluation.significance)
        }
        warnings += datasets.notices
        warnings += index.reviewWarnings(for: claims)
        var claimVerdicts: [(claim: String, rule: ClaimRule, verdict: Verdict)] = []
        for claim in claims where claim.metrics.count > 1 {
            let verdicts = rows.filter { $0.claim.id == claim.id }.map(\.verdict)
            claimVerdicts.append((claim.id, claim.rule, Verdict.combine(verdicts, rule: claim.rule)))
        }
        return ClaimMatrix(title: study.settings.title, rows: rows, claimVerdicts: claimVerdicts,
                           correction: study.settings.correction, alpha: study.settings.alpha,
                           datasetInputs: datasets.inputs, warnings: warnings)
    }
}
