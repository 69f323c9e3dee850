import Claims
import Core
import Foundation
import GRDB
import Qualitative

/// The index's tables as record types (GRDB's records): one type per table, the columns named
/// once in `Columns`, the SQL column names in snake case.
protocol IndexRecord: Codable, FetchableRecord, PersistableRecord {}

extension IndexRecord {
    static var databaseColumnDecodingStrategy: DatabaseColumnDecodingStrategy { .convertFromSnakeCase }
    static var databaseColumnEncodingStrategy: DatabaseColumnEncodingStrategy { .convertToSnakeCase }
}

/// A study file the index mirrors, with what tells whether it changed.
struct SourceRecord: IndexRecord {
    static let databaseTableName = "source"
    var path: String
    var kind: String
    var sha256: String
    var size: Int64
    var mtime: Int64

    enum Columns {
        static let path = Column(CodingKeys.path)
        static let kind = Column(CodingKeys.kind)
    }
}

/// A problem found while reading a study file.
struct ProblemRecord: IndexRecord {
    static let databaseTableName = "problem"
    var id: Int64?
    var source: String
    var severity: String
    var location: String
    var message: String

    enum Columns {
        static let id = Column(CodingKeys.id)
        static let source = Column(CodingKeys.source)
        static let severity = Column(CodingKeys.severity)
    }

    var diagnostic: Diagnostic {
        Diagnostic(Diagnostic.Severity(rawValue: severity) ?? .error, at: location, message)
    }
}

/// A row of participants.csv; `attributes` is a JSON object of the other columns.
struct ParticipantRecord: IndexRecord {
    static let databaseTableName = "participant"
    var id: String
    var pseudonym: String?
    var attributes: String
    var line: Int
    var source: String

    enum Columns {
        static let line = Column(CodingKeys.line)
    }
}

struct TranscriptRecord: IndexRecord {
    static let databaseTableName = "transcript"
    var id: String
    var source: String
    var preamble: String

    enum Columns {
        static let id = Column(CodingKeys.id)
        static let source = Column(CodingKeys.source)
    }
}

struct TurnRecord: IndexRecord {
    static let databaseTableName = "turn"
    var transcript: String
    var number: Int
    var speaker: String
    var isInterviewer: Bool
    var text: String
    var line: Int

    enum Columns {
        static let transcript = Column(CodingKeys.transcript)
        static let number = Column(CodingKeys.number)
        static let isInterviewer = Column("is_interviewer")
    }
}

struct CodeRecord: IndexRecord {
    static let databaseTableName = "code"
    var id: String
    var parent: String?
    var name: String
    var definition: String?
    var source: String
    var line: Int

    enum Columns {
        static let id = Column(CodingKeys.id)
        static let source = Column(CodingKeys.source)
        static let line = Column(CodingKeys.line)
    }

    /// Codes in the order the codebooks define them.
    static func inCodebookOrder() -> QueryInterfaceRequest<CodeRecord> {
        order(Columns.source, Columns.line)
    }
}

/// A coding as its coder wrote it, and where it is anchored in the transcript as it is now.
public struct IndexedCoding: IndexRecord, Sendable, Equatable {
    public static let databaseTableName = "coding"
    /// The codings file and line that hold it.
    public var source: String
    public var line: Int
    public var coder: String
    public var transcript: String
    public var turn: Int
    public var start: Int?
    public var end: Int?
    public var quote: String?
    public var code: String
    public var memo: String?
    public var at: String?
    /// `pending` until anchored, then `exact`, `reanchored` or `orphaned`.
    public var anchor: String
    public var anchorTurn: Int?
    public var anchorStart: Int?
    public var anchorEnd: Int?
    public var anchorReason: String?
    /// The turn's fingerprint when the coding was recorded, as JSON.
    public var fingerprint: String?

    public static var databaseColumnDecodingStrategy: DatabaseColumnDecodingStrategy { .convertFromSnakeCase }
    public static var databaseColumnEncodingStrategy: DatabaseColumnEncodingStrategy { .convertToSnakeCase }

    public enum Columns {
        static let source = Column(CodingKeys.source)
        static let line = Column(CodingKeys.line)
        static let coder = Column(CodingKeys.coder)
        static let transcript = Column(CodingKeys.transcript)
        static let code = Column(CodingKeys.code)
        static let anchor = Column(CodingKeys.anchor)
        static let anchorTurn = Column("anchor_turn")
        static let anchorStart = Column("anchor_start")
        static let anchorEnd = Column("anchor_end")
    }

    /// Decodes by column position order of the table's definition, without Codable: a study's
    /// tens of thousands of codings are read by every analysis.
    public init(row: Row) throws {
        source = row["source"]
        line = row["line"]
        coder = row["coder"]
        transcript = row["transcript"]
        turn = row["turn"]
        start = row["start"]
        end = row["end"]
        quote = row["quote"]
        code = row["code"]
        memo = row["memo"]
        at = row["at"]
        anchor = row["anchor"]
        anchorTurn = row["anchor_turn"]
        anchorStart = row["anchor_start"]
        anchorEnd = row["anchor_end"]
        anchorReason = row["anchor_reason"]
        fingerprint = row["fingerprint"]
    }

    /// Whether the coding was found in its transcript (orphaned and pending ones count nowhere).
    public var isAnchored: Bool { anchor == "exact" || anchor == "reanchored" }
}

extension DerivableRequest<IndexedCoding> {
    /// Codings found in their transcript.
    func anchored() -> Self {
        filter(["exact", "reanchored"].contains(IndexedCoding.Columns.anchor))
    }

    /// Codings of `code` or of one of its sub-codes: `Code.covers` in SQL.
    func covering(code: String) -> Self {
        let prefix = Code.coverPrefix(code)
        return filter(IndexedCoding.Columns.code == code
            || SQL("substr(\(IndexedCoding.Columns.code), 1, \(prefix.count)) = \(prefix)"))
    }

    func by(coder: String) -> Self { filter(IndexedCoding.Columns.coder == coder) }

    func `in`(transcript: String) -> Self { filter(IndexedCoding.Columns.transcript == transcript) }

    func inFileOrder() -> Self { order(IndexedCoding.Columns.source, IndexedCoding.Columns.line) }
}

struct PaperRecord: IndexRecord {
    static let databaseTableName = "paper"
    var key: String
    var source: String
    var line: Int
    var type: String
    var title: String?
    var authors: String?
    var year: Int?
    var doi: String?

    enum Columns {
        static let key = Column(CodingKeys.key)
        static let source = Column(CodingKeys.source)
    }
}

struct ClaimRecord: IndexRecord {
    static let databaseTableName = "claim"
    var id: String
    var source: String
    var statement: String
    var metrics: Int
    /// The parsed claim as JSON (`ClaimRecord.encode`/`decode`).
    var document: String

    enum Columns {
        static let id = Column(CodingKeys.id)
        static let source = Column(CodingKeys.source)
        static let document = Column(CodingKeys.document)
    }
}

/// Where the records with one citation key stand in the literature review, as last computed from
/// the review's files (a JSON value the Study module reads), and what those files were then.
struct ReviewStatusRecord: IndexRecord {
    static let databaseTableName = "review_status"
    var key: String
    var status: String
}

extension ClaimRecord {
    static func encode(_ claim: Claim) throws -> String {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys]
        return String(decoding: try encoder.encode(claim), as: UTF8.self)
    }

    static func decode(_ document: String) throws -> Claim {
        try JSONDecoder().decode(Claim.self, from: Data(document.utf8))
    }
}
