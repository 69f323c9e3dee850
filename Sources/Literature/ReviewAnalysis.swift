import Core
import Foundation
import Prioritization
import Statistics

/// A record in the order `paper next` proposes.
public struct RankedPaper: Sendable, Equatable, Codable {
    public var rank: Int
    public var record: String
    /// The model's probability of relevance; nil while the order is the seeded random one
    /// (before one include and one exclude are known).
    public var score: Double?
    public var year: Int?
    public var title: String
}

/// Agreement between the reviewers of one screening stage.
public struct StageAgreement: Sendable, Equatable, Codable {
    public var stage: String
    public var reviewers: [String]
    /// Records decided by two or more reviewers.
    public var records: Int
    /// "Cohen's kappa" for two reviewers, "Fleiss' kappa" for more.
    public var measure: String?
    public var kappa: Double?
    public var percentAgreement: Double?
    /// Why there is no coefficient, when there is none.
    public var note: String?
}

/// A record whose reviewers disagree at a stage.
public struct ReviewConflict: Sendable, Equatable, Codable {
    public var record: String
    public var stage: String
    /// Reviewer → `include`, `exclude E2` or `maybe`.
    public var decisions: [String: String]
    public var title: String
}

/// A simulated screening of a labelled dataset, as `paper simulate` prints it.
public struct SimulationReport: Sendable, Equatable, Codable {
    public struct Milestone: Sendable, Equatable, Codable {
        /// The recall reached (0…1).
        public var recall: Double
        /// Records screened to reach it, and their share of all records screened.
        public var screened: Int
        public var fraction: Double
    }

    public var records: Int
    public var relevant: Int
    /// Records left out for lacking a 0/1 label.
    public var unlabelled: Int
    public var seed: UInt64
    public var batch: Int
    public var priors: [String]
    public var milestones: [Milestone]
    /// Recall after screening 10%, 25% and 50% of the records.
    public var recallAt10: Double
    public var recallAt25: Double
    public var recallAt50: Double
    public var wss95: Double
    public var wss100: Double
    /// The recall curve: relevant found after each record screened (index 0 is none screened).
    public var curve: [Int]
}

extension ReviewState {
    /// The PRISMA 2020 counts of the review.
    ///
    /// Identified records per database are the logged searches' hit counts; an export no search
    /// names adds its record count under its import's database (or its file name).
    public func prisma() -> PRISMACounts {
        // Records found by backward or forward snowballing are PRISMA's "other methods"
        // (citation searching), not records identified in a database.
        let links = (try? SnowballingFile.read(layout.snowballing, displayPath: relativePath(layout.snowballing))) ?? []
        var otherMethods: [String: String] = [:]
        for link in links { otherMethods[link.record] = "Citation searching" }
        var databaseOfFile: [String: String] = [:]
        for row in imports where !row.database.isEmpty { databaseOfFile[row.file] = row.database }
        return PRISMACounts.compute(records: records, searchLog: searchLog, dedupe: dedupe, ledger: ledger,
                                    otherMethods: otherMethods, databaseOfFile: databaseOfFile)
    }

    /// Unscreened records ordered by the relevance learned from the first-stage outcomes so far
    /// (include → relevant, exclude → irrelevant), from title and abstract; deterministic for `seed`.
    public func next(limit: Int?, seed: UInt64) -> [RankedPaper] {
        let stage = criteria.stages[0]
        var labels: [String: Label] = [:]
        for record in screeningSet {
            switch ledger.outcome(of: record.recordID, at: stage) {
            case .included: labels[record.recordID] = .relevant
            case .excluded: labels[record.recordID] = .irrelevant
            default: break
            }
        }
        let ranked = rank(labels: labels, seed: seed).filter { status(of: $0.id) == .unscreened }
        return ranked.prefix(limit ?? ranked.count).enumerated().map { index, ranked in
            let record = byID[ranked.id]!
            return RankedPaper(rank: index + 1, record: ranked.id, score: ranked.score, year: record.year, title: record.title ?? "")
        }
    }

    /// The next record `reviewer` should screen at `stage`, seeing only their own decisions
    /// (blind): at the first stage in the prioritizer's order learned from those decisions,
    /// at later stages by record id among the records included at the stage before.
    public func nextRecord(for reviewer: String, stage: String, seed: UInt64) -> String? {
        guard let position = criteria.stages.firstIndex(of: stage) else { return nil }
        let own = ledger.latest[stage] ?? [:]
        let eligible = screeningSet.map(\.recordID).filter { id in
            guard own[id]?[reviewer] == nil else { return false }
            guard position > 0 else { return true }
            if case .included = ledger.outcome(of: id, at: criteria.stages[position - 1]) { return true }
            return false
        }
        guard position == 0 else { return eligible.sorted().first }
        let wanted = Set(eligible)
        var labels: [String: Label] = [:]
        for (id, decisions) in own {
            switch decisions[reviewer]?.verdict {
            case .include: labels[id] = .relevant
            case .exclude: labels[id] = .irrelevant
            default: break
            }
        }
        return rank(labels: labels, seed: seed).first { wanted.contains($0.id) }?.id
    }

    private func rank(labels: [String: Label], seed: UInt64) -> [RankedDocument] {
        let documents = screeningSet.map { Document(id: $0.recordID, text: Self.text(of: $0)) }
        return Prioritizer(seed: seed).rank(documents, labels: labels)
    }

    /// Conflicts at `stage` (every stage when nil), unresolved only.
    public func conflicts(at stage: String?) -> [ReviewConflict] {
        (stage.map { [$0] } ?? criteria.stages).flatMap { stage in
            ledger.conflicts(at: stage).map { conflict in
                ReviewConflict(
                    record: conflict.record, stage: stage,
                    decisions: conflict.decisions.mapValues { [$0.verdict.rawValue, $0.criterion].compactMap { $0 }.joined(separator: " ") },
                    title: byID[conflict.record]?.title ?? "")
            }
        }
    }

    /// Cohen's kappa (two reviewers) or Fleiss' kappa (three or more) per stage, over the
    /// records two or more reviewers decided; verdicts (include, exclude, maybe) are the categories.
    public func agreement(at stage: String?) -> [StageAgreement] {
        (stage.map { [$0] } ?? criteria.stages).map { stage in
            let pairs = ledger.agreementPairs(at: stage)
            let reviewers = Set(pairs.flatMap { $0.verdicts.keys }).sorted()
            var result = StageAgreement(stage: stage, reviewers: reviewers, records: pairs.count)
            let table = RatingTable(coders: reviewers, ratings: pairs.map { pair in reviewers.map { pair.verdicts[$0]?.rawValue } })
            do {
                guard reviewers.count >= 2 else {
                    throw CannotTest(reason: "no record at \(stage) was screened by two reviewers yet")
                }
                result.percentAgreement = try Agreement.percentAgreement(table).value
                let kappa = reviewers.count == 2 ? try Agreement.cohensKappa(table) : try Agreement.fleissKappa(table)
                result.measure = kappa.measure
                result.kappa = kappa.value
            } catch let error as CannotTest {
                result.note = error.reason
            } catch {
                result.note = String(describing: error)
            }
            return result
        }
    }
}

extension StageAgreement {
    init(stage: String, reviewers: [String], records: Int) {
        self.init(stage: stage, reviewers: reviewers, records: records, measure: nil, kappa: nil, percentAgreement: nil, note: nil)
    }
}

/// Replays labelled datasets with the prioritizer.
public enum ReviewSimulation {
    /// Reads an ASReview CSV (`title`, `abstract`, `label_included`, optionally `record_id`) and
    /// screens it in the prioritizer's order from one relevant and one irrelevant prior record.
    /// Rows without a 0/1 label are left out and counted.
    public static func run(labels url: URL, displayPath: String, seed: UInt64, batch: Int) throws -> SimulationReport {
        let text: String
        do {
            text = try TextFile.read(url, displayPath: displayPath)
        } catch let error as FileError {
            throw LiteratureError.unreadableFile(error.location ?? SourceLocation(file: displayPath), reason: error.message)
        }
        let parsed = try CSVImporter(mapping: .asreview).parse(text, file: displayPath)
        let records = BibliographicRecord.withUniqueKeys(parsed.records)
        var documents: [Document] = []
        var labels: [String: Label] = [:]
        var unlabelled = 0
        for record in records {
            switch record.fields["label"]?.trimmingCharacters(in: .whitespaces) {
            case "1": labels[record.recordID] = .relevant
            case "0": labels[record.recordID] = .irrelevant
            default:
                unlabelled += 1
                continue
            }
            documents.append(Document(id: record.recordID, text: ReviewState.text(of: record)))
        }
        guard !documents.isEmpty else {
            throw InvalidRequestError("expected rows with a label_included of 0 or 1 in \(displayPath), found none", at: SourceLocation(file: displayPath, line: 1, column: 1))
        }
        let result: SimulationResult
        do {
            result = try Simulation.run(documents, labels: labels, seed: seed, batch: batch)
        } catch {
            throw InvalidRequestError("cannot simulate \(displayPath): \(error.description)")
        }
        let milestones = [0.5, 0.8, 0.9, 0.95, 1.0].map { recall -> SimulationReport.Milestone in
            let needed = max(1, Int((recall * Double(result.relevant) - 1e-9).rounded(.up)))
            let screened = result.recallCurve.first { $0.found >= needed }?.screened ?? result.total
            return .init(recall: recall, screened: screened, fraction: Double(screened) / Double(result.total))
        }
        return SimulationReport(
            records: result.total, relevant: result.relevant, unlabelled: unlabelled, seed: seed, batch: batch, priors: result.priors,
            milestones: milestones, recallAt10: result.recall(afterScreening: 0.10), recallAt25: result.recall(afterScreening: 0.25),
            recallAt50: result.recall(afterScreening: 0.50), wss95: result.wss95, wss100: result.wss100,
            curve: result.recallCurve.map(\.found))
    }
}
