import Claims
import Core
import Datasets
import Foundation
import Project
import Statistics

/// The datasets opened while building one matrix: each is prepared and opened once.
struct DatasetSession {
    let study: Study
    let progress: (@Sendable (String) -> Void)?
    /// Each dataset is prepared once; every metric then gets a connection of its own.
    private var prepared: [String: (PreparedDataset, timeout: Double?)] = [:]
    let frozen: Bool
    let defaults: EvaluationDefaults
    private(set) var inputs: [(dataset: String, path: String, sha256: String)] = []
    /// Inputs whose content differs from what their manifest records.
    private(set) var notices: [String] = []

    init(study: Study, frozen: Bool, progress: (@Sendable (String) -> Void)?) {
        self.study = study
        self.frozen = frozen
        self.defaults = study.settings.evaluation
        self.progress = progress
    }

    struct Evaluation {
        var result: TestResult
        var note: String?
        var observations: MetricObservations?
    }

    mutating func evaluate(_ metric: MetricSpec, on name: String) throws -> Evaluation {
        try run(metric, on: try prepare(name))
    }

    /// Runs one metric on a dataset ``prepare(_:)`` returned. It changes nothing in the session,
    /// so the matrix runs metrics concurrently, each on a connection of its own.
    func run(_ metric: MetricSpec, on prepared: (PreparedDataset, timeout: Double?)) throws -> Evaluation {
        let (dataset, timeout) = prepared
        var samples: MetricSamples? = nil
        var observations: MetricObservations? = nil
        try DatasetStore(studyRoot: study.root).streamMetric(dataset, sql: metric.query, timeout: timeout, columns: { columns in
            samples = try MetricSamples(spec: metric, columns: columns)
            observations = MetricObservations(spec: metric, columns: columns)
        }, row: { values in
            try samples!.add { MetricCell(values[$0]) }
            observations?.add { MetricCell(values[$0]) }
        })
        guard let samples else { throw MetricError("the query returned no columns") }
        let result = try samples.run(defaults: defaults)
        var notes: [String] = []
        if samples.skippedRows > 0 { notes.append("\(samples.skippedRows) rows with missing or non-numeric values left out") }
        if samples.otherGroupRows > 0 { notes.append("\(samples.otherGroupRows) rows in other groups left out") }
        return Evaluation(result: result, note: notes.isEmpty ? nil : notes.joined(separator: "; "), observations: observations)
    }

    mutating func prepare(_ name: String) throws -> (PreparedDataset, timeout: Double?) {
        if let known = prepared[name] { return known }
        let manifest = try DatasetCatalog(study: study).manifest(named: name)
        let (dataset, changes) = try DatasetCatalog(study: study).prepare(manifest, frozen: frozen, progress: progress)
        notices += changes
        for input in dataset.inputs { inputs.append((name, input.path, input.sha256)) }
        prepared[name] = (dataset, manifest.queryTimeout)
        return (dataset, manifest.queryTimeout)
    }
}

extension MetricCell {
    init(_ value: DataValue) {
        switch value {
        case .null, .blob: self = .null
        case .integer(let int): self = .number(Double(int))
        case .real(let real): self = .number(real)
        case .text(let text): self = .text(text)
        }
    }
}
