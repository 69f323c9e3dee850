import Claims
import Core
import Foundation
import GRDB
import Project
import Qualitative

extension StudyIndex {
    /// The problems the last refresh found in the study's files, by file.
    public func problems() throws -> [Diagnostic] {
        try read { db in
            try ProblemRecord.order(ProblemRecord.Columns.source, ProblemRecord.Columns.id).fetchAll(db).map(\.diagnostic)
        }
    }

    /// Throws when any study file has an error: a matrix built on a study that did not read
    /// cleanly would silently leave things out.
    public func requireNoErrors() throws {
        try requireNoErrors(in: nil)
    }

    /// Throws when a file of one of `kinds` has an error: the one policy for broken study files.
    /// A command that reads codings, participants or transcripts refuses to work on a study whose
    /// files of that kind did not read cleanly, rather than silently leaving a coder's lines out.
    public func requireNoErrors(in kinds: Set<StudyFileKind>?) throws {
        let errors: [Diagnostic]
        if let kinds {
            errors = try read { db in
                try ProblemRecord.fetchAll(db, sql: """
                    SELECT p.* FROM problem p JOIN source s ON s.path = p.source
                    WHERE p.severity = 'error' AND s.kind IN (\(kinds.map { "'\($0.rawValue)'" }.sorted().joined(separator: ",")))
                    ORDER BY p.source, p.id
                    """).map(\.diagnostic)
            }
        } else {
            errors = try problems().filter { $0.severity == .error }
        }
        guard !errors.isEmpty else { return }
        let sources = Set(errors.map { $0.location.split(separator: ":").first.map(String.init) ?? $0.location })
        throw StudyError.invalidFiles(count: sources.count,
                                      summary: errors.map { "  \($0.location): \($0.message)" }.joined(separator: "\n"))
    }

    /// The claims as indexed (parsed once per change of their file), in natural order of their
    /// ids (C2 before C10).
    public func claims() throws -> [Claim] {
        let documents: [String] = try read { db in try ClaimRecord.select(ClaimRecord.Columns.document, as: String.self).fetchAll(db) }
        let claims = try documents.map(ClaimRecord.decode)
        return claims.sorted { $0.id.localizedStandardCompare($1.id) == .orderedAscending || ($0.id.localizedStandardCompare($1.id) == .orderedSame && $0.id < $1.id) }
    }

    /// All participants of the study: the rows of participants.csv, or the transcripts when it lists none.
    public func participantCount() throws -> Int {
        try read { db in
            let listed = try ParticipantRecord.fetchCount(db)
            return listed > 0 ? listed : try TranscriptRecord.fetchCount(db)
        }
    }

    /// Which of `keys` are records of the study's literature, in the order given.
    public func knownPapers(_ keys: [String]) throws -> [String] {
        try read { db in
            try keys.filter { try PaperRecord.filter(PaperRecord.Columns.key == $0).fetchCount(db) > 0 }
        }
    }

    /// Participants with at least one anchored coding in their transcript, or one case-level
    /// coding, whose code is one of `codes` or a descendant of one, sorted.
    public func participants(withCodes codes: [String]) throws -> [String] {
        guard !codes.isEmpty else { return [] }
        return try read { db in
            var found = Set<String>()
            for code in codes {
                found.formUnion(try String.fetchAll(
                    db, IndexedCoding.all().anchored().covering(code: code).select(IndexedCoding.Columns.transcript).distinct()))
                let prefix = Code.coverPrefix(code)
                found.formUnion(try String.fetchAll(db, sql: """
                    SELECT DISTINCT participant FROM case_coding WHERE code = ? OR substr(code, 1, ?) = ?
                    """, arguments: [code, prefix.count, prefix]))
            }
            return found.sorted { $0.localizedStandardCompare($1) == .orderedAscending }
        }
    }
}

extension StudyIndex {
    /// A turn's text; an error naming the transcript's turns when it has no such turn.
    public func turnText(_ transcript: String, _ turn: Int) throws -> String {
        try read { db in
            guard try Bool.fetchOne(db, sql: "SELECT 1 FROM transcript WHERE id = ?", arguments: [transcript]) ?? false else {
                throw StudyError.unknown(kind: "transcript", name: transcript,
                                         known: try String.fetchAll(db, sql: "SELECT id FROM transcript ORDER BY id"))
            }
            guard let text = try String.fetchOne(db, sql: "SELECT text FROM turn WHERE transcript = ? AND number = ?",
                                                 arguments: [transcript, turn]) else {
                let count = try Int.fetchOne(db, sql: "SELECT COUNT(*) FROM turn WHERE transcript = ?", arguments: [transcript]) ?? 0
                throw StudyError.invalid("transcript \(transcript) has turns 1 to \(count); there is no turn \(turn)", at: nil)
            }
            return text
        }
    }
}

/// A case-level coding as the index holds it: a code applied to a participant as a whole.
public struct IndexedCaseCoding: Sendable, Equatable {
    /// The codings file and line that hold it.
    public var source: String
    public var line: Int
    public var coder: String
    public var participant: String
    public var code: String
    /// How many excerpts ground it.
    public var excerpts: Int
    public var memo: String?
}

extension StudyIndex {
    /// The case-level codings, of one coder or all, in file order.
    public func caseCodings(coder: String? = nil) throws -> [IndexedCaseCoding] {
        try read { db in
            let rows = try Row.fetchAll(db, sql: """
                SELECT source, line, coder, participant, code, excerpts, memo FROM case_coding
                WHERE ?1 IS NULL OR coder = ?1 ORDER BY source, line
                """, arguments: [coder])
            return rows.map {
                IndexedCaseCoding(source: $0["source"], line: $0["line"], coder: $0["coder"], participant: $0["participant"],
                                  code: $0["code"], excerpts: $0["excerpts"], memo: $0["memo"])
            }
        }
    }
}
