import Core
import Foundation
import GRDB
import Project
import Qualitative

/// A study file kind the index mirrors.
public enum StudyFileKind: String, Sendable {
    case codebook, transcript, participants, codings, literature, claim
}

/// A participant turn with its length, for agreement on character units.
public struct ParticipantTurn: Sendable, Equatable {
    public var transcript: String
    public var number: Int
    /// Unicode scalars in the turn's text.
    public var length: Int
}

/// A row of participants.csv as the index holds it.
public struct ParticipantEntry: Sendable, Equatable {
    public var id: String
    public var pseudonym: String?
    public var attributes: [String: String]
}

/// The study's size, as `status` reports it.
public struct IndexCounts: Sendable, Equatable {
    public var participants: Int
    public var transcripts: Int
    public var turns: Int
    public var codes: Int
    public var papers: Int
    public var claims: Int
    public var metrics: Int
    /// Codings per coder, by coder.
    public var codingsByCoder: [(coder: String, codings: Int)]

    public static func == (a: IndexCounts, b: IndexCounts) -> Bool {
        a.participants == b.participants && a.transcripts == b.transcripts && a.turns == b.turns && a.codes == b.codes
            && a.papers == b.papers && a.claims == b.claims && a.metrics == b.metrics
            && a.codingsByCoder.elementsEqual(b.codingsByCoder) { $0 == $1 }
    }
}

/// Two spans of one code by one coder that overlap in a turn.
public struct OverlappingSpans: Sendable, Equatable {
    public var coding: IndexedCoding
    /// The line of the other coding in the same file.
    public var otherLine: Int
}

extension StudyIndex {
    /// The files every reading of codings depends on.
    public static let codingInputs: Set<StudyFileKind> = [.codebook, .codings, .participants, .transcript]

    // MARK: Files

    /// The study paths of the indexed files of one kind, sorted.
    public func paths(of kind: StudyFileKind) throws -> [String] {
        try read { db in
            try String.fetchAll(db, SourceRecord.select(SourceRecord.Columns.path)
                .filter(SourceRecord.Columns.kind == kind.rawValue).order(SourceRecord.Columns.path))
        }
    }

    // MARK: Codes

    /// Code ids in codebook order (each codebook's file order, codebooks by path).
    public func codeIDs() throws -> [String] {
        try read { db in try String.fetchAll(db, CodeRecord.inCodebookOrder().select(CodeRecord.Columns.id)) }
    }

    /// Code ids sorted, for "did you mean" suggestions.
    public func sortedCodeIDs() throws -> [String] {
        try read { db in try String.fetchAll(db, CodeRecord.select(CodeRecord.Columns.id).order(CodeRecord.Columns.id)) }
    }

    /// The codebook file that defines `id`, or an error that suggests a known code.
    public func codebookPath(ofCode id: String) throws -> String {
        try read { db in
            guard let path = try String.fetchOne(db, CodeRecord.select(CodeRecord.Columns.source).filter(key: id)) else {
                throw StudyError.unknown(kind: "code", name: id,
                                         known: try String.fetchAll(db, CodeRecord.select(CodeRecord.Columns.id).order(CodeRecord.Columns.id)))
            }
            return path
        }
    }

    /// Codes defined outside the codebook at `path`, with their codebooks.
    public func codes(definedOutside path: String) throws -> [(id: String, codebook: String)] {
        try read { db in
            try CodeRecord.filter(CodeRecord.Columns.source != path).fetchAll(db).map { ($0.id, $0.source) }
        }
    }

    // MARK: Codings

    /// Every coding, in file and line order.
    public func allCodings() throws -> [IndexedCoding] {
        try read { db in try IndexedCoding.all().inFileOrder().fetchAll(db) }
    }

    /// The codings found in their transcripts, optionally of one coder.
    public func anchoredCodings(coder: String? = nil) throws -> [IndexedCoding] {
        try read { db in
            var request = IndexedCoding.all().anchored()
            if let coder { request = request.by(coder: coder) }
            return try request.inFileOrder().fetchAll(db)
        }
    }

    /// The anchored codings on participant turns (the interviewer's words are never rated).
    public func anchoredCodingsOnParticipantTurns() throws -> [IndexedCoding] {
        try read { db in
            try IndexedCoding.fetchAll(db, sql: """
                SELECT c.* FROM coding c
                JOIN turn t ON t.transcript = c.transcript AND t.number = c.anchor_turn
                WHERE c.anchor IN ('exact', 'reanchored') AND t.is_interviewer = 0
                ORDER BY c.source, c.line
                """)
        }
    }

    /// How many codings of `code` (or of a sub-code) the study has.
    public func codingCount(covering code: String) throws -> Int {
        try read { db in
            let prefix = Code.coverPrefix(code)
            let cases = try Int.fetchOne(db, sql: "SELECT COUNT(*) FROM case_coding WHERE code = ? OR substr(code, 1, ?) = ?",
                                         arguments: [code, prefix.count, prefix]) ?? 0
            return try IndexedCoding.all().covering(code: code).fetchCount(db) + cases
        }
    }

    /// Codes a coder applied at one place: a whole turn (`start` nil) or a span.
    public func codesApplied(by coder: String, transcript: String, turn: Int, start: Int?, end: Int?) throws -> [String] {
        try read { db in
            try IndexedCoding.all().by(coder: coder).in(transcript: transcript)
                .filter(IndexedCoding.Columns.anchorTurn == turn && IndexedCoding.Columns.anchorStart == start && IndexedCoding.Columns.anchorEnd == end)
                .fetchAll(db).map(\.code)
        }
    }

    /// The lines of a codings file holding `codes` at one place.
    public func codingLines(in file: String, transcript: String, turn: Int, start: Int?, end: Int?, codes: [String]) throws -> [Int] {
        try read { db in
            try IndexedCoding.filter(IndexedCoding.Columns.source == file).in(transcript: transcript)
                .filter(IndexedCoding.Columns.anchorTurn == turn && IndexedCoding.Columns.anchorStart == start && IndexedCoding.Columns.anchorEnd == end)
                .filter(codes.contains(IndexedCoding.Columns.code))
                .fetchAll(db).map(\.line)
        }
    }

    /// Coders with at least one coding, sorted.
    public func coders() throws -> [String] {
        try read { db in
            try String.fetchAll(db, IndexedCoding.select(IndexedCoding.Columns.coder).distinct().order(IndexedCoding.Columns.coder))
        }
    }

    /// Codings in a given anchor state (`reanchored`, `orphaned`), in file order.
    public func codings(anchoredAs state: String) throws -> [IndexedCoding] {
        try read { db in try IndexedCoding.filter(IndexedCoding.Columns.anchor == state).inFileOrder().fetchAll(db) }
    }

    /// Codings whose code no codebook defines, in file order.
    public func codingsOfUnknownCodes() throws -> [IndexedCoding] {
        try read { db in
            try IndexedCoding.fetchAll(db, sql: "SELECT * FROM coding WHERE code NOT IN (SELECT id FROM code) ORDER BY source, line")
        }
    }

    /// Spans of one code by one coder that overlap in a turn.
    public func overlappingSpans() throws -> [OverlappingSpans] {
        try read { db in
            try Row.fetchAll(db, sql: """
                SELECT a.*, b.line AS other_line FROM coding a INDEXED BY coding_span_by_place CROSS
                JOIN coding b INDEXED BY coding_span_by_place ON a.source = b.source AND a.line < b.line AND a.transcript = b.transcript
                    AND a.anchor_turn = b.anchor_turn AND a.code = b.code
                    AND a.anchor_start IS NOT NULL AND b.anchor_start IS NOT NULL
                    AND a.anchor_start < b.anchor_end AND b.anchor_start < a.anchor_end
                ORDER BY a.source, a.line, b.line
                """).map { OverlappingSpans(coding: try IndexedCoding(row: $0), otherLine: $0["other_line"]) }
        }
    }

    // MARK: Participants and transcripts

    /// The rows of participants.csv in file order.
    public func participantEntries() throws -> [ParticipantEntry] {
        try read { db in
            try ParticipantRecord.order(ParticipantRecord.Columns.line).fetchAll(db).map { record in
                let attributes = (try? JSONSerialization.jsonObject(with: Data(record.attributes.utf8)) as? [String: String]) ?? [:]
                return ParticipantEntry(id: record.id, pseudonym: record.pseudonym, attributes: attributes)
            }
        }
    }

    /// Transcript ids, sorted.
    public func transcriptIDs() throws -> [String] {
        try read { db in try String.fetchAll(db, TranscriptRecord.select(TranscriptRecord.Columns.id).order(TranscriptRecord.Columns.id)) }
    }

    /// The study path of a transcript, when the study has it.
    public func transcriptPath(_ id: String) throws -> String? {
        try read { db in try String.fetchOne(db, TranscriptRecord.select(TranscriptRecord.Columns.source).filter(key: id)) }
    }

    /// Participant turns with their lengths, in transcript and turn order.
    public func participantTurns() throws -> [ParticipantTurn] {
        try read { db in
            // SQLite's length() of TEXT counts Unicode scalars, as offsets do; the turns' text is
            // never loaded for this.
            try Row.fetchAll(db, sql: """
                SELECT transcript, number, length(text) FROM turn WHERE is_interviewer = 0 ORDER BY transcript, number
                """).map { ParticipantTurn(transcript: $0[0], number: $0[1], length: $0[2]) }
        }
    }

    /// Every text the study holds about its participants, with its place: each turn and
    /// preamble of a transcript and each coding's quote and memo — for the real-name check.
    public func textsToScan() throws -> [(place: String, text: String)] {
        try read { db in
            try Row.fetchAll(db, sql: """
                SELECT t.source AS place, u.text AS text FROM turn u JOIN transcript t ON t.id = u.transcript
                UNION ALL SELECT t.source, t.preamble FROM transcript t
                UNION ALL SELECT source || ':' || line, quote FROM coding WHERE quote IS NOT NULL
                UNION ALL SELECT source || ':' || line, memo FROM coding WHERE memo IS NOT NULL
                """).map { ($0["place"], $0["text"]) }
        }
    }

    // MARK: Claims and papers

    /// The claim file that defines `id`, when one does.
    public func claimPath(_ id: String) throws -> String? {
        try read { db in try String.fetchOne(db, ClaimRecord.select(ClaimRecord.Columns.source).filter(key: id)) }
    }

    // MARK: Status

    public func counts() throws -> IndexCounts {
        try read { db in
            IndexCounts(
                participants: try ParticipantRecord.fetchCount(db),
                transcripts: try TranscriptRecord.fetchCount(db),
                turns: try TurnRecord.fetchCount(db),
                codes: try CodeRecord.fetchCount(db),
                papers: try PaperRecord.select(PaperRecord.Columns.key).distinct().fetchCount(db),
                claims: try ClaimRecord.fetchCount(db),
                metrics: try Int.fetchOne(db, sql: "SELECT COALESCE(SUM(metrics), 0) FROM claim") ?? 0,
                codingsByCoder: try Row.fetchAll(db, sql: """
                    SELECT coder, SUM(n) AS n FROM (SELECT coder, COUNT(*) AS n FROM coding GROUP BY coder
                                                    UNION ALL SELECT coder, COUNT(*) FROM case_coding GROUP BY coder)
                    GROUP BY coder ORDER BY coder
                    """)
                    .map { ($0["coder"], $0["n"]) })
        }
    }
}

extension StudyIndex {
    // MARK: The literature review's cached statuses

    /// The review statuses stored for `fingerprint` (key → status as JSON), or nil when the
    /// review's files changed since they were stored.
    public func reviewStatuses(fingerprint: String, keys: Set<String>? = nil) throws -> [String: String]? {
        try read { db in
            guard try String.fetchOne(db, sql: "SELECT value FROM meta WHERE key = 'review'") == fingerprint else { return nil }
            var request = ReviewStatusRecord.all()
            if let keys { request = request.filter(keys.sorted().contains(Column("key"))) }
            return Dictionary(try request.fetchAll(db).map { ($0.key, $0.status) }, uniquingKeysWith: { first, _ in first })
        }
    }

    /// Replaces the stored review statuses with those computed from the files of `fingerprint`.
    public func storeReviewStatuses(_ statuses: [String: String], fingerprint: String) throws {
        try write { db in
            try ReviewStatusRecord.deleteAll(db)
            for (key, status) in statuses.sorted(by: { $0.key < $1.key }) {
                try ReviewStatusRecord(key: key, status: status).insert(db)
            }
            try db.execute(sql: "INSERT OR REPLACE INTO meta(key, value) VALUES ('review', ?)", arguments: [fingerprint])
        }
    }
}
