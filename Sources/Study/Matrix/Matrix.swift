import Claims
import Core
import Datasets
import Foundation
import Index
import Project
import Reports
import Statistics
import Synchronization

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
    /// What the matrix shows of that data (group sizes, descriptives, log10 p), also when the
    /// data is not kept or the result comes from the cache.
    public var digest: MetricDigest? = nil
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
///
/// Each dataset is prepared (imported when its inputs changed) once, serially, before any metric
/// runs; the metrics then run concurrently on at most `jobs` threads, each on a read-only
/// connection of its own, and their results are put back in claim order, so the matrix is the
/// same whatever `jobs` is. With a ``ResultCache``, a metric whose dataset content, query, test
/// specification, evaluation defaults and tool are unchanged is not run again (see there).
public struct MatrixBuilder {
    public let study: Study
    public let index: StudyIndex
    public var progress: (@Sendable (String) -> Void)?
    /// Refuse any dataset input whose content differs from what its manifest records (replication).
    public var frozen = false
    /// How many metrics run at once (at least 1); the number of cores unless set.
    public var jobs: Int
    /// Where results are kept between runs; nil computes every metric.
    public var cache: ResultCache?
    /// Keep each metric's data in its row (`MatrixRow.observations`), for figures and reports.
    /// A stored result has only its ``MetricDigest``, so the cache is read only when this is
    /// false (results are still stored when it is true).
    public var keepsObservations: Bool
    /// Reuse stored results (false: compute every metric, and store what it gives).
    public var readsCache: Bool

    public init(study: Study, index: StudyIndex, frozen: Bool = false, jobs: Int? = nil, cache: ResultCache? = nil,
                readsCache: Bool = true, keepsObservations: Bool = true, progress: (@Sendable (String) -> Void)? = nil) {
        self.study = study
        self.index = index
        self.frozen = frozen
        self.jobs = max(1, jobs ?? ProcessInfo.processInfo.activeProcessorCount)
        self.cache = cache
        self.keepsObservations = keepsObservations
        self.readsCache = readsCache
        self.progress = progress
    }

    /// A metric of the matrix waiting for its result.
    private struct Job: Sendable {
        var row: Int
        var claim: String
        var metric: MetricSpec
        var dataset: String
    }

    public func build() throws -> ClaimMatrix {
        try index.requireNoErrors()
        let claims = try index.claims()
        // Warnings in claim order; a nil text stands for the error of the row, known later.
        var warningSlots: [(text: String?, row: Int)] = []
        let participantCount = try index.participantCount()
        var rows: [MatrixRow] = []
        var jobs: [Job] = []

        for claim in claims {
            let papers = try index.knownPapers(claim.sources.map(\.paper))
            let unknown = claim.sources.map(\.paper).filter { !papers.contains($0) }
            for key in unknown {
                warningSlots.append(("\(claim.location.file): claim \(claim.id) cites '\(key)', which is not a record in corpus/literature", -1))
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
                if let datasetName {
                    jobs.append(Job(row: rows.count, claim: claim.id, metric: metric, dataset: datasetName))
                } else {
                    row.verdict = .error
                    row.reason = "the metric names no dataset and triangulate.yaml sets no default_dataset"
                }
                warningSlots.append((nil, rows.count))
                rows.append(row)
            }
        }

        let (resolved, inputs, notices) = evaluate(jobs)
        for (job, outcome) in zip(jobs, resolved) {
            switch outcome {
            case .success(let evaluation):
                rows[job.row].result = evaluation.result
                rows[job.row].reason = evaluation.note
                rows[job.row].observations = evaluation.observations
                rows[job.row].digest = evaluation.digest
            case .failure(let error):
                rows[job.row].verdict = .error
                rows[job.row].reason = (error as? LocatedError)?.message ?? String(describing: error)
            }
        }
        var warnings: [String] = []
        for (text, row) in warningSlots {
            if let text {
                warnings.append(text)
            } else if rows[row].verdict == .error, let metric = rows[row].metric {
                warnings.append("\(metric.location): claim \(rows[row].claim.id), metric \(metric.id): \(rows[row].reason ?? "")")
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
        warnings += notices
        warnings += index.reviewWarnings(for: claims)
        var claimVerdicts: [(claim: String, rule: ClaimRule, verdict: Verdict)] = []
        for claim in claims where claim.metrics.count > 1 {
            let verdicts = rows.filter { $0.claim.id == claim.id }.map(\.verdict)
            claimVerdicts.append((claim.id, claim.rule, Verdict.combine(verdicts, rule: claim.rule)))
        }
        return ClaimMatrix(title: study.settings.title, rows: rows, claimVerdicts: claimVerdicts,
                           correction: study.settings.correction, alpha: study.settings.alpha,
                           datasetInputs: inputs, warnings: warnings)
    }

    /// A metric's outcome as its row takes it.
    private struct Outcome: Sendable {
        var result: TestResult
        var note: String?
        var observations: MetricObservations?
        var digest: MetricDigest
    }

    /// The outcome of every job, in job order, with the inputs of the datasets used and the
    /// notices their preparation gave (both in order of first use).
    private func evaluate(_ jobs: [Job]) -> (outcomes: [Result<Outcome, any Error>],
                                             inputs: [(dataset: String, path: String, sha256: String)], notices: [String]) {
        var outcomes = [Result<Outcome, any Error>?](repeating: nil, count: jobs.count)
        var inputs: [(dataset: String, path: String, sha256: String)] = []
        var notices: [String] = []
        let session = DatasetSession(study: study, frozen: frozen, progress: progress)
        let defaults = study.settings.evaluation
        let reads = readsCache && !keepsObservations
        var names: [String] = []
        for job in jobs where !names.contains(job.dataset) { names.append(job.dataset) }
        // Metrics to run: the job's position, the prepared dataset, the key to store the result under.
        var runs: [(job: Int, prepared: ReadyDataset, key: String?)] = []

        for name in names {
            let members = jobs.indices.filter { jobs[$0].dataset == name }
            var state = reads ? cache?.currentState(of: name, frozen: frozen) : nil
            if let cache, let known = state {
                for position in members {
                    if let entry = cache.entry(cache.key(for: jobs[position].metric, datasetKey: known.key, defaults: defaults)) {
                        outcomes[position] = .success(Outcome(result: entry.result, note: entry.note, observations: nil, digest: entry.digest))
                    }
                }
                if members.allSatisfy({ outcomes[$0] != nil }) {
                    inputs += known.inputs.map { (name, $0.path, $0.sha256) }
                    notices += known.notices
                    continue
                }
            }
            // Prepare the dataset, noting its file stamps first (see ``ResultCache/record``).
            let manifestURL = study.layout.manifest(for: name)
            let manifestSHA256 = (try? Data(contentsOf: manifestURL)).map(ContentHash.sha256)
            let manifest = try? DatasetCatalog(study: study).manifest(named: name)
            let stamps = manifest.flatMap { cache?.inputStamps(of: $0) }
            let prepared: ReadyDataset
            do {
                prepared = try session.readyDataset(name)
            } catch {
                for position in members where outcomes[position] == nil { outcomes[position] = .failure(error) }
                continue
            }
            let fresh = prepared.notices
            inputs += prepared.inputs.map { (name, $0.path, $0.sha256) }
            notices += fresh
            state = nil
            if let cache, let manifest, let manifestSHA256, let stamps {
                state = cache.record(name, manifest: manifest, manifestSHA256: manifestSHA256, stamps: stamps,
                                     inputs: prepared.inputs, notices: fresh)
            }
            for position in members where outcomes[position] == nil {
                let key = state.flatMap { cache?.key(for: jobs[position].metric, datasetKey: $0.key, defaults: defaults) }
                if reads, let key, let entry = cache?.entry(key) {
                    outcomes[position] = .success(Outcome(result: entry.result, note: entry.note, observations: nil, digest: entry.digest))
                } else {
                    runs.append((position, prepared, key))
                }
            }
        }

        let prepared = session, store = cache, keeps = keepsObservations, progress = progress, pending = runs
        let computed = ParallelWork.map(pending.count, workers: self.jobs) { index -> Result<Outcome, any Error> in
            let run = pending[index], job = jobs[run.job]
            progress?("claim \(job.claim), metric \(job.metric.id): querying \(job.dataset)")
            return Result {
                let evaluation = try prepared.run(job.metric, on: run.prepared)
                let digest = MetricDigest(observations: evaluation.observations, result: evaluation.result, metric: job.metric)
                if let key = run.key {
                    store?.store(ResultCache.Entry(result: evaluation.result, note: evaluation.note, digest: digest), under: key)
                }
                return Outcome(result: evaluation.result, note: evaluation.note, observations: keeps ? evaluation.observations : nil,
                               digest: digest)
            }
        }
        for (run, outcome) in zip(runs, computed) { outcomes[run.job] = outcome }
        return (outcomes.map { $0! }, inputs, notices)
    }
}

/// Independent work spread over a bounded number of threads.
enum ParallelWork {
    /// `body(0) … body(count - 1)` on at most `workers` threads (the calling one included), each
    /// taking the next index when it is done with one; the results in index order.
    static func map<T: Sendable>(_ count: Int, workers: Int, _ body: @escaping @Sendable (Int) -> T) -> [T] {
        let workers = max(1, min(workers, count))
        if workers == 1 { return (0..<count).map(body) }
        let shared = Shared<T>(count: count)
        let group = DispatchGroup()
        let work: @Sendable () -> Void = {
            while let index = shared.take() {
                shared.put(body(index), at: index)
            }
        }
        for _ in 1..<workers {
            group.enter()
            let thread = Thread {
                work()
                group.leave()
            }
            thread.stackSize = 8 << 20
            thread.start()
        }
        work()
        group.wait()
        return shared.results()
    }

    private final class Shared<T: Sendable>: Sendable {
        private let state: Mutex<(next: Int, results: [T?])>
        private let count: Int

        init(count: Int) {
            self.count = count
            state = Mutex((0, [T?](repeating: nil, count: count)))
        }

        func take() -> Int? {
            state.withLock { state in
                guard state.next < count else { return nil }
                state.next += 1
                return state.next - 1
            }
        }

        func put(_ value: T, at index: Int) {
            state.withLock { $0.results[index] = value }
        }

        func results() -> [T] {
            state.withLock { $0.results.map { $0! } }
        }
    }
}
