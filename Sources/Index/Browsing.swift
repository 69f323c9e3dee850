import Core
import Foundation
import GRDB
import Project

/// A transcript as listed by `transcript list`.
public struct TranscriptSummary: Sendable, Codable, Equatable {
    public var id: String
    public var file: String
    public var turns: Int
    public var codings: Int
    /// The speaker labels, in order of first turn.
    public var speakers: [String] = []
    /// The labels taken as the interviewer's; empty when none matched the study's `interviewer:`.
    public var interviewers: [String] = []
}

/// A turn as shown by `transcript show`, with the codes applied to it.
public struct TurnView: Sendable, Codable, Equatable {
    public var number: Int
    public var speaker: String
    public var interviewer: Bool
    public var text: String
    public var codes: [String]
    /// Memos that came with the transcript on this turn: `[3] text` for annotation 3.
    public var memos: [String] = []
}

/// A coded excerpt with its address (`excerpts`).
public struct Excerpt: Sendable, Codable, Equatable {
    public var transcript: String
    public var turn: Int
    public var start: Int?
    public var end: Int?
    public var code: String
    public var coder: String
    public var speaker: String
    public var text: String
    public var memo: String?
    /// Memos that came with the transcript on the excerpt's turn (`[3] text`).
    public var notes: [String] = []

    public var address: String {
        start.map { "\(transcript)#\(turn):\($0)-\(end!)" } ?? "\(transcript)#\(turn)"
    }
}

/// A code as listed by `codebook show`, with how often it is used.
public struct CodeSummary: Sendable, Codable, Equatable {
    public var id: String
    public var name: String
    public var definition: String?
    public var codings: Int
}

/// A paper record as listed by `paper list`.
public struct PaperSummary: Sendable, Codable, Equatable {
    public var key: String
    public var type: String
    public var year: Int?
    public var authors: String?
    public var title: String?
    public var doi: String?
    public var file: String
}

extension StudyIndex {
    public func transcripts() throws -> [TranscriptSummary] {
        try read { db in
            try Row.fetchAll(db, sql: """
                SELECT t.id, t.source,
                       (SELECT COUNT(*) FROM turn WHERE transcript = t.id) AS turns,
                       (SELECT COUNT(*) FROM coding WHERE transcript = t.id) AS codings
                FROM transcript t
                """).map { row -> TranscriptSummary in
                    let id: String = row["id"]
                    let speakers = try Row.fetchAll(db, sql: """
                        SELECT speaker, MAX(is_interviewer) AS interviewer FROM turn WHERE transcript = ? GROUP BY speaker ORDER BY MIN(number)
                        """, arguments: [id])
                    return TranscriptSummary(id: id, file: row["source"], turns: row["turns"], codings: row["codings"],
                                             speakers: speakers.map { $0["speaker"] },
                                             interviewers: speakers.filter { ($0["interviewer"] as Int) == 1 }.map { $0["speaker"] })
                }
                .sorted { $0.id.localizedStandardCompare($1.id) == .orderedAscending }
        }
    }

    public func turns(of transcript: String) throws -> [TurnView] {
        try read { db in
            guard try Bool.fetchOne(db, sql: "SELECT 1 FROM transcript WHERE id = ?", arguments: [transcript]) ?? false else {
                throw StudyError.unknown(kind: "transcript", name: transcript,
                                         known: try String.fetchAll(db, sql: "SELECT id FROM transcript ORDER BY id"))
            }
            var codes: [Int: [String]] = [:]
            for row in try Row.fetchAll(db, sql: """
                SELECT DISTINCT anchor_turn, code FROM coding WHERE transcript = ? AND anchor_turn IS NOT NULL ORDER BY code
                """, arguments: [transcript]) {
                codes[row["anchor_turn"], default: []].append(row["code"])
            }
            var memos: [Int: [String]] = [:]
            for row in try Row.fetchAll(db, sql: """
                SELECT turn, number, text FROM transcript_memo WHERE transcript = ? AND turn IS NOT NULL ORDER BY position
                """, arguments: [transcript]) {
                let number: Int? = row["number"]
                memos[row["turn"], default: []].append((number.map { "[\($0)] " } ?? "") + (row["text"] as String))
            }
            return try Row.fetchAll(db, sql: "SELECT number, speaker, is_interviewer, text FROM turn WHERE transcript = ? ORDER BY number",
                                    arguments: [transcript]).map {
                TurnView(number: $0["number"], speaker: $0["speaker"], interviewer: $0["is_interviewer"], text: $0["text"],
                         codes: codes[$0["number"]] ?? [], memos: memos[$0["number"]] ?? [])
            }
        }
    }

    /// Anchored excerpts whose code is `code` or one of its sub-codes, optionally for one
    /// participant or coder, in transcript and turn order.
    public func excerpts(code: String?, participant: String?, coder: String?) throws -> [Excerpt] {
        // A typo gets a suggestion, as in `tag`, rather than an empty list.
        if let code, try codingCount(covering: code) == 0, !(try codeIDs().contains(code)) {
            throw StudyError.unknown(kind: "code", name: code, known: try sortedCodeIDs())
        }
        if let participant, !(try transcriptIDs().contains(participant)) {
            throw StudyError.unknown(kind: "transcript", name: participant, known: try transcriptIDs())
        }
        return try read { db in
            var conditions = ["c.anchor IN ('exact', 'reanchored')"]
            var arguments: StatementArguments = []
            if let code {
                conditions.append("(c.code = ? OR substr(c.code, 1, ?) = ?)")
                arguments += [code, code.count + 1, code + "/"]
            }
            if let participant { conditions.append("c.transcript = ?"); arguments += [participant] }
            if let coder { conditions.append("c.coder = ?"); arguments += [coder] }
            var notes: [String: [String]] = [:]
            for row in try Row.fetchAll(db, sql: "SELECT transcript, turn, number, text FROM transcript_memo WHERE turn IS NOT NULL ORDER BY transcript, position") {
                let number: Int? = row["number"]
                notes["\(row["transcript"] as String)#\(row["turn"] as Int)", default: []].append((number.map { "[\($0)] " } ?? "") + (row["text"] as String))
            }
            let rows = try Row.fetchAll(db, sql: """
                SELECT c.transcript, c.anchor_turn, c.anchor_start, c.anchor_end, c.code, c.coder, c.memo, t.speaker, t.text
                FROM coding c JOIN turn t ON t.transcript = c.transcript AND t.number = c.anchor_turn
                WHERE \(conditions.joined(separator: " AND "))
                ORDER BY c.transcript, c.anchor_turn, c.anchor_start, c.code, c.coder
                """, arguments: arguments)
            return rows.map { row in
                let text: String = row["text"]
                let start: Int? = row["anchor_start"], end: Int? = row["anchor_end"]
                var excerpt = text
                if let start, let end {
                    let scalars = Array(text.unicodeScalars)
                    excerpt = String(String.UnicodeScalarView(scalars[min(start, scalars.count)..<min(end, scalars.count)]))
                }
                return Excerpt(transcript: row["transcript"], turn: row["anchor_turn"], start: start, end: end, code: row["code"],
                               coder: row["coder"], speaker: row["speaker"], text: excerpt, memo: row["memo"],
                               notes: notes["\(row["transcript"] as String)#\(row["anchor_turn"] as Int)"] ?? [])
            }
            .sorted { ($0.transcript.localizedStandardCompare($1.transcript) == .orderedAscending)
                || ($0.transcript == $1.transcript && ($0.turn, $0.start ?? -1, $0.code, $0.coder) < ($1.turn, $1.start ?? -1, $1.code, $1.coder)) }
        }
    }

    public func codes() throws -> [CodeSummary] {
        try read { db in
            try Row.fetchAll(db, sql: """
                SELECT k.id, k.name, k.definition,
                       (SELECT COUNT(*) FROM coding c WHERE c.code = k.id OR substr(c.code, 1, length(k.id) + 1) = k.id || '/')
                       + (SELECT COUNT(*) FROM case_coding c WHERE c.code = k.id OR substr(c.code, 1, length(k.id) + 1) = k.id || '/') AS n
                FROM code k ORDER BY k.source, k.line
                """).map { CodeSummary(id: $0["id"], name: $0["name"], definition: $0["definition"], codings: $0["n"]) }
        }
    }

    public func papers() throws -> [PaperSummary] {
        try read { db in
            try Row.fetchAll(db, sql: "SELECT key, type, year, authors, title, doi, source FROM paper ORDER BY key, source").map {
                PaperSummary(key: $0["key"], type: $0["type"], year: $0["year"], authors: $0["authors"], title: $0["title"],
                             doi: $0["doi"], file: $0["source"])
            }
        }
    }
}

extension StudyIndex {
    /// Turns whose text matches a full-text query (SQLite FTS5 syntax: words, "phrases",
    /// prefix*, AND/OR/NOT), best match first, with a snippet around the match.
    public func search(_ query: String, limit: Int = 200) throws -> [(transcript: String, turn: Int, snippet: String)] {
        do {
            return try read { db in
                try Row.fetchAll(db, sql: """
                    SELECT transcript, number, snippet(turn_fts, 2, '[', ']', '…', 12) AS snippet
                    FROM turn_fts WHERE turn_fts MATCH ? ORDER BY rank, transcript, number LIMIT ?
                    """, arguments: [query, limit]).map { ($0["transcript"], $0["number"], $0["snippet"]) }
            }
        } catch let error as DatabaseError {
            throw StudyError.invalid("the search '\(query)' is not a valid full-text query (\(error.message ?? "syntax error")); use words, \"phrases\", prefix* and AND, OR, NOT", at: nil)
        }
    }
}
