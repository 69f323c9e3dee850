import Claims
import Core
import Foundation
import GRDB
import Literature
import Project
import Qualitative
import Transcripts
#if canImport(Glibc)
import Glibc
#endif

/// What a refresh of the index did.
public struct RefreshSummary: Sendable, Equatable {
    public var filesSeen = 0
    public var filesRead = 0
    public var filesRemoved = 0
    public var rebuilt = false
}

/// The derived SQLite index of a study (`.triangulate/index.sqlite`).
///
/// It is a cache of what the text files say, never a source of truth: each command refreshes it
/// first, re-reading only files whose size, modification time or content hash changed, and an
/// index that is missing, corrupt or of another schema is rebuilt from scratch.
public final class StudyIndex: Sendable {
    public let study: Study
    let database: DatabaseQueue

    /// Opens (creating or rebuilding as needed) and refreshes the index of `study`.
    /// - Parameter progress: told how far a long refresh has come (a few times a second at most).
    public static func open(_ study: Study, progress: (@Sendable (String) -> Void)? = nil) throws -> (StudyIndex, RefreshSummary) {
        try study.finishInterruptedChange()
        let index = try StudyIndex(study: study)
        let summary = try index.refresh(progress: progress)
        return (index, summary)
    }

    init(study: Study) throws {
        self.study = study
        let url = study.layout.index
        try FileManager.default.createDirectory(at: url.deletingLastPathComponent(), withIntermediateDirectories: true)
        var configuration = Configuration()
        configuration.foreignKeysEnabled = true
        configuration.label = "index"
        // Two commands may refresh the index at once; the second waits rather than failing.
        configuration.busyMode = .timeout(30)
        // The index is derived and read far more than written: pages come through a memory map
        // and a 64 MB cache rather than a read() copy per page (a full build of a large study
        // spent an eighth of its time copying pages), and temporary b-trees stay in memory.
        configuration.prepareDatabase { db in
            try db.execute(sql: "PRAGMA mmap_size = 1073741824; PRAGMA cache_size = -65536; PRAGMA temp_store = MEMORY")
        }
        do {
            let queue = try DatabaseQueue(path: url.path, configuration: configuration)
            try IndexSchema.migrator.migrate(queue)
            guard try queue.read({ db in try IndexSchema.migrator.hasCompletedMigrations(db) }) else {
                throw StudyError.invalid("index schema differs", at: nil)
            }
            database = queue
        } catch {
            // A derived file that cannot be used is thrown away and rebuilt.
            for suffix in ["", "-wal", "-shm", "-journal"] {
                try? FileManager.default.removeItem(atPath: url.path + suffix)
            }
            let queue = try DatabaseQueue(path: url.path, configuration: configuration)
            try IndexSchema.migrator.migrate(queue)
            database = queue
        }
    }

    // MARK: Refresh

    struct SourceFile {
        var path: String
        var url: URL
        var kind: StudyFileKind
    }

    /// The study's text files that the index mirrors, in a stable order.
    func scan() -> [SourceFile] {
        let layout = study.layout
        var files: [SourceFile] = []
        func add(_ folder: URL, kind: StudyFileKind, extensions: Set<String>) {
            guard let names = try? FileManager.default.contentsOfDirectory(atPath: folder.path) else { return }
            for name in names.sorted() where !name.hasPrefix(".") {
                let url = folder.appendingPathComponent(name)
                guard extensions.contains(url.pathExtension.lowercased()) else { continue }
                // A file reached through a symbolic link is not read: a shared study could point
                // it anywhere on the reader's machine. `status` lists such links.
                guard !study.isLink(url) else { continue }
                files.append(SourceFile(path: study.relativePath(url), url: url, kind: kind))
            }
        }
        add(layout.codebooks, kind: .codebook, extensions: ["yaml", "yml"])
        if FileManager.default.fileExists(atPath: layout.participants.path) {
            files.append(SourceFile(path: study.relativePath(layout.participants), url: layout.participants, kind: .participants))
        }
        add(layout.transcripts, kind: .transcript, extensions: TranscriptReader.fileExtensions)
        add(layout.codings, kind: .codings, extensions: ["jsonl"])
        add(layout.literature, kind: .literature, extensions: ["bib", "ris", "txt", "nbib"])
        add(layout.claims, kind: .claim, extensions: ["yaml", "yml"])
        return files
    }

    /// Brings the index up to date with the text files.
    @discardableResult
    public func refresh(progress: (@Sendable (String) -> Void)? = nil) throws -> RefreshSummary {
        var summary = RefreshSummary()
        let files = scan()
        summary.filesSeen = files.count
        // Transcripts are read with the interviewer names and participants' pseudonyms; when those
        // change, or another version of triangulate reads the study, every transcript is read again.
        let participantsHash = (try? ContentHash.sha256(fileAt: study.layout.participants)) ?? "none"
        let context = IndexSchema.version + "|" + TriangulateVersion.current + "|" + study.settings.interviewer.sorted().joined(separator: "\u{1F}") + "|" + participantsHash

        try database.write { db in
            let previous = try String.fetchOne(db, sql: "SELECT value FROM meta WHERE key = 'context'")
            if previous != context {
                // A new version of triangulate may read files differently: read them all again.
                let sameTool = previous?.hasPrefix(IndexSchema.version + "|" + TriangulateVersion.current + "|") ?? false
                try db.execute(sql: sameTool ? "DELETE FROM source WHERE kind = 'transcript'" : "DELETE FROM source")
                try db.execute(sql: "DELETE FROM turn_fts")
                try db.execute(sql: "INSERT OR REPLACE INTO meta(key, value) VALUES ('context', ?)", arguments: [context])
                summary.rebuilt = true
            }
            var known: [String: (sha: String, size: Int64, mtime: Int64)] = [:]
            for row in try Row.fetchAll(db, sql: "SELECT path, sha256, size, mtime FROM source") {
                known[row["path"]] = (row["sha256"], row["size"], row["mtime"])
            }
            var changedTranscripts: Set<String> = []
            // Transcripts that were indexed before and are now changed or gone: their full-text
            // rows are removed in one pass below (a DELETE by an unindexed FTS column scans the
            // whole table, so once per transcript would make a full build quadratic).
            var staleText: Set<String> = []
            let present = Set(files.map(\.path))
            for path in known.keys.sorted() where !present.contains(path) {
                staleText.formUnion(try String.fetchAll(db, sql: "SELECT id FROM transcript WHERE source = ?", arguments: [path]))
                try db.execute(sql: "DELETE FROM source WHERE path = ?", arguments: [path])
                summary.filesRemoved += 1
            }
            let readers = try self.readers(db)
            var lastReport = Date()
            for (position, file) in files.enumerated() {
                if let progress, Date().timeIntervalSince(lastReport) > 0.25 {
                    progress("indexing the study: \(position) of \(files.count) files")
                    lastReport = Date()
                }
                guard let stamp = Self.stamp(file.url) else { continue }
                if let old = known[file.path], old.size == stamp.size, old.mtime == stamp.mtime { continue }
                let sha = try ContentHash.sha256(fileAt: file.url)
                if let old = known[file.path], old.sha == sha {
                    try db.execute(sql: "UPDATE source SET size = ?, mtime = ? WHERE path = ?",
                                   arguments: [stamp.size, stamp.mtime, file.path])
                    continue
                }
                staleText.formUnion(try String.fetchAll(db, sql: "SELECT id FROM transcript WHERE source = ?", arguments: [file.path]))
                try db.execute(sql: "DELETE FROM source WHERE path = ?", arguments: [file.path])
                try db.execute(sql: "INSERT INTO source(path, kind, sha256, size, mtime) VALUES (?, ?, ?, ?, ?)",
                               arguments: [file.path, file.kind.rawValue, sha, stamp.size, stamp.mtime])
                summary.filesRead += 1
                if let id = try load(file, into: db, readers: readers) { changedTranscripts.insert(id) }
            }
            changedTranscripts.formUnion(staleText)
            try anchorCodings(db, transcripts: changedTranscripts)
            if !staleText.isEmpty {
                let ids = String(decoding: try JSONEncoder().encode(staleText.sorted()), as: UTF8.self)
                try db.execute(sql: "DELETE FROM turn_fts WHERE transcript IN (SELECT value FROM json_each(?))", arguments: [ids])
            }
            let insertText = try db.makeStatement(sql: "INSERT INTO turn_fts(transcript, number, text) SELECT transcript, number, text FROM turn WHERE transcript = ?")
            for id in changedTranscripts.sorted() {
                try insertText.execute(arguments: [id])
            }
        }
        return summary
    }

    struct Readers {
        var interviewerNames: Set<String>
        var knownSpeakers: Set<String>
    }

    private func readers(_ db: Database) throws -> Readers {
        var pseudonyms = Set<String>()
        if let participants = try? ParticipantsFile.read(study.layout.participants, displayPath: "participants.csv") {
            pseudonyms = Set(participants.compactMap(\.pseudonym))
        }
        return Readers(interviewerNames: Set(study.settings.interviewer), knownSpeakers: pseudonyms)
    }

    private static func stamp(_ url: URL) -> (size: Int64, mtime: Int64)? {
        var info = stat()
        guard stat(url.path, &info) == 0 else { return nil }
        return (Int64(info.st_size), Int64(info.st_mtim.tv_sec) * 1_000_000_000 + Int64(info.st_mtim.tv_nsec))
    }

    /// Reads one changed file into the index. Problems are recorded against the file rather than
    /// thrown, so one broken file never hides the state of the others. Returns the id of a
    /// transcript that was read.
    private func load(_ file: SourceFile, into db: Database, readers: Readers) throws -> String? {
        func problem(_ error: Error, severity: Diagnostic.Severity = .error) throws {
            let diagnostic = Diagnostic(severity, from: error, file: file.path)
            try ProblemRecord(id: nil, source: file.path, severity: diagnostic.severity.rawValue,
                              location: diagnostic.location, message: diagnostic.message).insert(db)
        }
        do {
            switch file.kind {
            case .codebook:
                let codebook = try Codebook.read(file.url, displayPath: file.path)
                for code in codebook.codes {
                    if let other = try String.fetchOne(db, sql: "SELECT source FROM code WHERE id = ?", arguments: [code.id]) {
                        try problem(StudyError.invalid("code '\(code.id)' is also defined in \(other); each code is defined once", at: code.location))
                        continue
                    }
                    try db.execute(sql: "INSERT INTO code(id, parent, name, definition, source, line) VALUES (?, ?, ?, ?, ?, ?)",
                                   arguments: [code.id, code.parent, code.name, code.definition, file.path, code.location.line ?? 0])
                }
            case .participants:
                for participant in try ParticipantsFile.read(file.url, displayPath: file.path) {
                    let attributes = "{" + participant.attributes.map { "\(JSONText.string($0.name)):\(JSONText.string($0.value))" }.joined(separator: ",") + "}"
                    try db.execute(sql: "INSERT INTO participant(id, pseudonym, attributes, line, source) VALUES (?, ?, ?, ?, ?)",
                                   arguments: [participant.id, participant.pseudonym, attributes, participant.line, file.path])
                }
            case .transcript:
                let transcript = try TranscriptReader.read(file.url, displayPath: file.path, interviewerNames: readers.interviewerNames,
                                                           knownSpeakers: readers.knownSpeakers)
                if let other = try String.fetchOne(db, sql: "SELECT source FROM transcript WHERE id = ?", arguments: [transcript.id]) {
                    try problem(StudyError.invalid("transcript id '\(transcript.id)' is also used by \(other); rename one of the files", at: SourceLocation(file: file.path)))
                    return nil
                }
                try db.execute(sql: "INSERT INTO transcript(id, source, preamble) VALUES (?, ?, ?)",
                               arguments: [transcript.id, file.path, transcript.preamble])
                let insert = try db.makeStatement(sql: "INSERT INTO turn(transcript, number, speaker, is_interviewer, text, line) VALUES (?, ?, ?, ?, ?, ?)")
                for turn in transcript.turns {
                    try insert.execute(arguments: [transcript.id, turn.number, turn.speaker, turn.isInterviewer, turn.text, turn.line])
                }
                let memo = try db.makeStatement(sql: """
                    INSERT INTO transcript_memo(transcript, position, kind, number, text, turn, start, "end") VALUES (?, ?, ?, ?, ?, ?, ?, ?)
                    """)
                for (position, note) in transcript.memos.enumerated() {
                    try memo.execute(arguments: [transcript.id, position, note.kind.rawValue, note.number, note.text, note.turn, note.start, note.end])
                }
                return transcript.id
            case .codings:
                let coder = file.url.deletingPathExtension().lastPathComponent
                let insert = try db.makeStatement(sql: """
                    INSERT INTO coding(source, line, coder, transcript, turn, start, "end", quote, code, memo, at, fingerprint)
                    VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)
                    """)
                let insertCase = try db.makeStatement(sql: """
                    INSERT INTO case_coding(source, line, coder, participant, code, excerpts, memo, at) VALUES (?, ?, ?, ?, ?, ?, ?, ?)
                    """)
                for record in try CodingFile.readRecords(file.url, displayPath: file.path) {
                    if record.coder != coder {
                        try problem(CodingError("this file holds \(coder)'s codings, but the line says coder '\(record.coder)'", at: record.location), severity: .warning)
                    }
                    let coding: Coding
                    switch record {
                    case .text(let text): coding = text
                    case .participant(let byCase):
                        try insertCase.execute(arguments: [file.path, byCase.location.line ?? 0, byCase.coder, byCase.participant, byCase.code,
                                                           byCase.excerpts.count, byCase.memo, byCase.at])
                        continue
                    }
                    try insert.execute(arguments: [file.path, coding.location.line ?? 0, coding.coder, coding.transcript, coding.turn,
                                                   coding.start, coding.end, coding.quote, coding.code, coding.memo, coding.at,
                                                   coding.fingerprint?.jsonText])
                }
            case .literature:
                try Self.indexExport(file.url, path: file.path, into: db) { error, severity in try problem(error, severity: severity) }
            case .claim:
                let claim = try Claim.read(file.url, displayPath: file.path)
                if let other = try String.fetchOne(db, sql: "SELECT source FROM claim WHERE id = ?", arguments: [claim.id]) {
                    try problem(StudyError.invalid("claim id '\(claim.id)' is also used by \(other)", at: claim.location))
                    return nil
                }
                try ClaimRecord(id: claim.id, source: file.path, statement: claim.statement, metrics: claim.metrics.count,
                                document: try ClaimRecord.encode(claim)).insert(db)
            }
        } catch let error as DatabaseError {
            throw error
        } catch {
            try problem(error)
        }
        return nil
    }

    /// Re-anchors the codings that are new or whose transcript changed (DESIGN §3).
    private func anchorCodings(_ db: Database, transcripts: Set<String>) throws {
        var targets = Set(try String.fetchAll(db, sql: "SELECT DISTINCT transcript FROM coding WHERE anchor = 'pending'"))
        targets.formUnion(transcripts)
        let update = try db.makeStatement(sql: """
            UPDATE coding SET anchor = ?, anchor_turn = ?, anchor_start = ?, anchor_end = ?, anchor_reason = ?
            WHERE source = ? AND line = ?
            """)
        for transcript in targets.sorted() {
            let exists = try Bool.fetchOne(db, sql: "SELECT 1 FROM transcript WHERE id = ?", arguments: [transcript]) ?? false
            var turns: [Int: String]? = nil
            if exists {
                turns = [:]
                for row in try Row.fetchAll(db, sql: "SELECT number, text FROM turn WHERE transcript = ?", arguments: [transcript]) {
                    turns![row["number"]] = row["text"]
                }
            }
            // The transcript's text, normalised and hashed once for all its codings.
            let text = turns.map { TranscriptText(id: transcript, turns: $0) }
            let rows = try Row.fetchAll(db, sql: """
                SELECT source, line, coder, turn, start, "end", quote, code, fingerprint FROM coding WHERE transcript = ?
                """, arguments: [transcript])
            for row in rows {
                let fingerprint = (row["fingerprint"] as String?).flatMap(TurnFingerprint.init(jsonText:))
                let coding = Coding(transcript: transcript, turn: row["turn"], start: row["start"], end: row["end"],
                                    quote: row["quote"], fingerprint: fingerprint, code: row["code"], coder: row["coder"],
                                    location: SourceLocation(file: row["source"], line: row["line"]))
                let anchor = Anchoring.resolve(coding, against: text)
                let arguments: StatementArguments
                switch anchor {
                case .exact(let turn, let start, let end):
                    arguments = ["exact", turn, start, end, nil, row["source"], row["line"]]
                case .reanchored(let turn, let start, let end):
                    arguments = ["reanchored", turn, start, end, nil, row["source"], row["line"]]
                case .orphaned(let reason):
                    arguments = ["orphaned", nil, nil, nil, reason, row["source"], row["line"]]
                }
                try update.execute(arguments: arguments)
            }
        }
    }

    /// Runs a read-only block on the index: for this module's typed queries only.
    func read<T>(_ block: (Database) throws -> T) throws -> T {
        try database.read(block)
    }

    /// Runs a writing block on the derived index (the review's cached state).
    func write<T>(_ block: (Database) throws -> T) throws -> T {
        try database.write(block)
    }
}
