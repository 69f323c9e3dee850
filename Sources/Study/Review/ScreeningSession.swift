import Core
import Foundation
import Literature
import Prioritization
import Project

/// One record as `paper show` and the screening loop present it.
public struct RecordDetails: Sendable, Equatable, Encodable {
    public struct Decision: Sendable, Equatable, Encodable {
        public var stage: String
        public var reviewer: String
        public var decision: String
        public var criterion: String?
        public var note: String
        /// True for a resolver's final word (screening/resolutions.csv).
        public var resolution: Bool
    }

    public var id: String
    public var key: String
    public var type: String
    public var title: String?
    public var authors: [String]
    public var venue: String?
    public var year: Int?
    public var abstract: String?
    public var keywords: [String]
    public var doi: String?
    public var url: String?
    /// The record's status in the review (`excluded (E2 at title-abstract)`).
    public var status: String
    public var database: String?
    /// Decisions in force, by stage (as in the settings) then reviewer, resolutions last.
    public var decisions: [Decision]
}

/// How far one reviewer is at one stage: `312/1,704 screened, 28 included`.
public struct ReviewerProgress: Sendable, Equatable {
    /// Records the reviewer may screen at the stage (the screening set, or those included at the
    /// stage before).
    public var eligible: Int
    public var screened: Int
    public var included: Int

    public init(eligible: Int, screened: Int, included: Int) {
        self.eligible = eligible
        self.screened = screened
        self.included = included
    }

    public var summary: String {
        "\(Self.grouped(screened))/\(Self.grouped(eligible)) screened, \(Self.grouped(included)) included"
    }

    /// 1704 → `1,704`.
    public static func grouped(_ value: Int) -> String {
        let digits = String(value.magnitude)
        var result = ""
        for (index, digit) in digits.enumerated() {
            if index > 0 && (digits.count - index) % 3 == 0 { result.append(",") }
            result.append(digit)
        }
        return (value < 0 ? "-" : "") + result
    }
}

extension ReviewState {
    /// The record `typed` names (FILE#KEY, or a key one record has) with its decisions so far.
    public func details(of typed: String) throws -> RecordDetails {
        let id = try recordID(typed)
        let record = byID[id]!
        var decisions: [RecordDetails.Decision] = []
        for stage in criteria.stages {
            for (reviewer, decision) in (ledger.latest[stage]?[id] ?? [:]).sorted(by: { $0.key < $1.key }) {
                decisions.append(.init(stage: stage, reviewer: reviewer, decision: decision.verdict.rawValue, criterion: decision.criterion,
                                       note: decision.note, resolution: false))
            }
            if let resolution = ledger.resolutions[stage]?[id] {
                decisions.append(.init(stage: stage, reviewer: resolution.resolver, decision: resolution.verdict.rawValue,
                                       criterion: resolution.criterion, note: resolution.note, resolution: true))
            }
        }
        let keywords = (record.fields["keywords"] ?? "").split(whereSeparator: { $0 == "," || $0 == ";" })
            .map { $0.trimmingCharacters(in: .whitespaces) }.filter { !$0.isEmpty }
        let venue = ["journal", "journaltitle", "booktitle", "publisher", "howpublished", "school", "institution"]
            .lazy.compactMap { record.fields[$0] }.first
        return RecordDetails(
            id: id, key: record.key, type: record.type, title: record.title, authors: record.authors, venue: venue, year: record.year,
            abstract: record.fields["abstract"], keywords: keywords, doi: record.doi, url: record.fields["url"],
            status: status(of: id).summary, database: database(of: record), decisions: decisions)
    }

    /// The records `reviewer` has yet to screen at `stage`, best first, leaving out `skipped`:
    /// blind, as `nextRecord` (their own decisions train the order at the first stage; later
    /// stages go by record id).
    public func nextRecords(for reviewer: String, stage: String, seed: UInt64, skipping skipped: Set<String> = []) -> [String] {
        guard let position = criteria.stages.firstIndex(of: stage) else { return [] }
        let own = ledger.latest[stage] ?? [:]
        let eligible = eligibleRecords(at: stage).filter { own[$0]?[reviewer] == nil && !skipped.contains($0) }
        guard position == 0 else { return eligible.sorted() }
        let wanted = Set(eligible)
        var labels: [String: Label] = [:]
        for (id, decisions) in own {
            switch decisions[reviewer]?.verdict {
            case .include: labels[id] = .relevant
            case .exclude: labels[id] = .irrelevant
            default: break
            }
        }
        let documents = screeningSet.map { Document(id: $0.recordID, text: [$0.title, $0.fields["abstract"]].compactMap { $0 }.joined(separator: " ")) }
        return Prioritizer(seed: seed).rank(documents, labels: labels).map(\.id).filter { wanted.contains($0) }
    }

    /// The records that may be screened at `stage`: the screening set at the first, those
    /// included at the stage before at a later one.
    public func eligibleRecords(at stage: String) -> [String] {
        guard let position = criteria.stages.firstIndex(of: stage) else { return [] }
        return screeningSet.map(\.recordID).filter { id in
            guard position > 0 else { return true }
            if case .included = ledger.outcome(of: id, at: criteria.stages[position - 1]) { return true }
            return false
        }
    }

    /// How far `reviewer` is at `stage`.
    public func progress(of reviewer: String, at stage: String) -> ReviewerProgress {
        let eligible = eligibleRecords(at: stage)
        let own = ledger.latest[stage] ?? [:]
        let decided = eligible.compactMap { own[$0]?[reviewer] }
        return ReviewerProgress(eligible: eligible.count, screened: decided.count, included: decided.filter { $0.verdict == .include }.count)
    }

    /// The words of the inclusion criteria at `stage` worth highlighting in a record: four letters
    /// or more, not English stop words, lowercased, a plural's final `s` dropped, sorted.
    public func includeKeywords(at stage: String) -> [String] {
        var words: Set<String> = []
        for criterion in criteria.includeCriteria(at: stage) {
            for word in criterion.text.lowercased().split(whereSeparator: { !$0.isLetter && !$0.isNumber && $0 != "-" }) {
                var text = String(word).trimmingCharacters(in: CharacterSet(charactersIn: "-"))
                guard text.count >= 4 && !EnglishStopWords.set.contains(text) else { continue }
                // A plural's stem, so that `reviews` marks `review` too (words match by prefix).
                if text.count > 4 && text.hasSuffix("s") && !text.hasSuffix("ss") { text.removeLast() }
                words.insert(text)
            }
        }
        return words.sorted()
    }
}

/// Marks words in text for the terminal.
public enum KeywordHighlighter {
    /// `text` with every word that starts with one of `keywords` (case ignored, so `model`
    /// marks `models`) wrapped in `open` and `close`.
    public static func highlight(_ text: String, keywords: [String], open: String = "\u{1B}[1;33m", close: String = "\u{1B}[0m") -> String {
        guard !keywords.isEmpty else { return text }
        var result = ""
        var word = ""
        func flush() {
            guard !word.isEmpty else { return }
            let folded = word.lowercased()
            result += keywords.contains(where: { folded.hasPrefix($0) }) ? open + word + close : word
            word = ""
        }
        for character in text {
            if character.isLetter || character.isNumber || character == "-" { word.append(character) } else {
                flush()
                result.append(character)
            }
        }
        flush()
        return result
    }
}

extension ReviewRecorder {
    /// Takes back `decision`, the last row of its reviewer's screening file (the screening
    /// loop's undo). Refused when the file's last row is another decision: the file is
    /// append-only, and only an answer just given is taken back.
    public func undo(_ decision: ScreeningDecision) throws {
        try Self.checkName(decision.reviewer, what: "reviewer")
        try study.withLock {
            let url = layout.screeningFile(for: decision.reviewer)
            let path = study.relativePath(url)
            let text = try TextFile.read(url, displayPath: path)
            // The row as the file lays its columns out (appends keep the file's own order).
            let header = try CSVText.parse(String(text.prefix { $0 != "\n" && $0 != "\r" }), file: path).first?.fields ?? []
            let line = ScreeningFile.line(decision, columns: header)
            guard text.hasSuffix(line) else {
                throw StudyError.invalid("the last row of \(path) is not the decision on \(decision.record); nothing was undone", at: SourceLocation(file: path))
            }
            try study.apply([FileChange(path: path, text: String(text.dropLast(line.count)))])
        }
    }
}
