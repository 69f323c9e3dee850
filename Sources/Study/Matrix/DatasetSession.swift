import Claims
import Core
import Datasets
import Foundation
import Project
import Statistics

/// The datasets opened while building one matrix: each is prepared once, and every metric then
/// gets a connection of its own.
///
/// Thread-safe: ``evaluate(_:on:)`` may run for several metrics at once. A dataset is prepared
/// the first time a metric uses it (or by ``prepare(_:)``, which a parallel caller runs first, in
/// claim order, so that ``inputs`` and ``notices`` list datasets in that order whatever order the
/// metrics finish in). A preparation that fails fails every metric on that dataset with the same
/// error, without trying again (an unreachable server costs one connect timeout, not one per metric).
final class DatasetSession: @unchecked Sendable {
    let study: Study
    let progress: (@Sendable (String) -> Void)?
    let frozen: Bool
    let defaults: EvaluationDefaults

    /// One dataset's preparation, done once.
    private final class Slot: @unchecked Sendable {
        let lock = NSLock()
        var outcome: Result<ReadyDataset, Error>?
    }

    private let lock = NSLock()
    private var slots: [String: Slot] = [:]
    /// Dataset names in the order they were first asked for.
    private var order: [String] = []

    init(study: Study, frozen: Bool, progress: (@Sendable (String) -> Void)?) {
        self.study = study
        self.frozen = frozen
        self.defaults = study.settings.evaluation
        self.progress = progress
    }

    struct Evaluation: Sendable {
        var result: TestResult
        var note: String?
        var observations: MetricObservations?
    }

    /// The inputs of every dataset prepared so far, in the order they were first asked for: file
    /// or database and SHA-256, or for a PostgreSQL dataset its loaded files and the server's
    /// version with the schema's fingerprint.
    var inputs: [(dataset: String, path: String, sha256: String)] {
        prepared().flatMap { name, dataset in dataset.inputs.map { (name, $0.path, $0.sha256) } }
    }

    /// Inputs whose content differs from what their manifest records.
    var notices: [String] {
        prepared().flatMap { $0.dataset.notices }
    }

    /// Prepares the named datasets now, in this order (errors are kept for the metrics that use them).
    func prepare(_ names: [String]) {
        for name in names { _ = try? ready(name) }
    }

    /// Runs a metric's query on its dataset and its test on the rows.
    func evaluate(_ metric: MetricSpec, on name: String) throws -> Evaluation {
        try run(metric, on: try ready(name))
    }

    /// Prepares one dataset (once; a failure is kept) and returns it for ``run(_:on:)``.
    func readyDataset(_ name: String) throws -> ReadyDataset {
        try ready(name)
    }

    /// Runs one metric on a dataset this session prepared, on a connection of its own.
    func run(_ metric: MetricSpec, on dataset: ReadyDataset) throws -> Evaluation {
        var samples: MetricSamples? = nil
        let connection = try dataset.open()
        defer { try? connection.close() }
        try connection.stream(metric.query, columns: { columns in
            samples = try MetricSamples(spec: metric, columns: columns)
        }, row: { values in
            try samples!.add { MetricCell(values[$0]) }
        })
        guard let samples else { throw MetricError("the query returned no columns") }
        let result = try samples.run(defaults: defaults)
        var notes: [String] = []
        if samples.skippedRows > 0 { notes.append("\(samples.skippedRows) rows with missing or non-numeric values left out") }
        if samples.otherGroupRows > 0 { notes.append("\(samples.otherGroupRows) rows in other groups left out") }
        return Evaluation(result: result, note: notes.isEmpty ? nil : notes.joined(separator: "; "), observations: samples.observations)
    }

    private func ready(_ name: String) throws -> ReadyDataset {
        let slot = lock.withLock { () -> Slot in
            if let slot = slots[name] { return slot }
            let slot = Slot()
            slots[name] = slot
            order.append(name)
            return slot
        }
        return try slot.lock.withLock { () -> Result<ReadyDataset, Error> in
            if let outcome = slot.outcome { return outcome }
            let outcome = Result { try DatasetCatalog(study: study).ready(named: name, frozen: frozen, progress: progress) }
            slot.outcome = outcome
            return outcome
        }.get()
    }

    /// The datasets prepared successfully, in the order they were first asked for.
    private func prepared() -> [(name: String, dataset: ReadyDataset)] {
        let entries = lock.withLock { order.map { ($0, slots[$0]!) } }
        return entries.compactMap { name, slot in
            guard case .success(let dataset)? = slot.lock.withLock({ slot.outcome }) else { return nil }
            return (name, dataset)
        }
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
