import GRDB

/// The schema of the derived index. Migrations are plain SQL and never change once shipped; since
/// the index is derived, an index written by another schema is simply deleted and rebuilt.
enum IndexSchema {
    static let version = "2"

    static var migrator: DatabaseMigrator {
        var migrator = DatabaseMigrator()
        migrator.registerMigration("v1") { db in
            try db.execute(sql: """
                CREATE TABLE meta (key TEXT PRIMARY KEY, value TEXT NOT NULL);
                CREATE TABLE source (
                    path TEXT PRIMARY KEY,
                    kind TEXT NOT NULL,
                    sha256 TEXT NOT NULL,
                    size INTEGER NOT NULL,
                    mtime INTEGER NOT NULL
                );
                CREATE TABLE problem (
                    id INTEGER PRIMARY KEY,
                    source TEXT NOT NULL REFERENCES source(path) ON DELETE CASCADE,
                    severity TEXT NOT NULL CHECK (severity IN ('error', 'warning')),
                    location TEXT NOT NULL,
                    message TEXT NOT NULL
                );
                CREATE TABLE participant (
                    id TEXT PRIMARY KEY,
                    pseudonym TEXT,
                    attributes TEXT NOT NULL,
                    line INTEGER NOT NULL,
                    source TEXT NOT NULL REFERENCES source(path) ON DELETE CASCADE
                );
                CREATE TABLE transcript (
                    id TEXT PRIMARY KEY,
                    source TEXT NOT NULL UNIQUE REFERENCES source(path) ON DELETE CASCADE,
                    preamble TEXT NOT NULL
                );
                CREATE TABLE turn (
                    transcript TEXT NOT NULL REFERENCES transcript(id) ON DELETE CASCADE,
                    number INTEGER NOT NULL,
                    speaker TEXT NOT NULL,
                    is_interviewer INTEGER NOT NULL,
                    text TEXT NOT NULL,
                    line INTEGER NOT NULL,
                    PRIMARY KEY (transcript, number)
                );
                CREATE TABLE code (
                    id TEXT PRIMARY KEY,
                    parent TEXT,
                    name TEXT NOT NULL,
                    definition TEXT,
                    source TEXT NOT NULL REFERENCES source(path) ON DELETE CASCADE,
                    line INTEGER NOT NULL
                );
                CREATE TABLE coding (
                    source TEXT NOT NULL REFERENCES source(path) ON DELETE CASCADE,
                    line INTEGER NOT NULL,
                    coder TEXT NOT NULL,
                    transcript TEXT NOT NULL,
                    turn INTEGER NOT NULL,
                    start INTEGER,
                    "end" INTEGER,
                    quote TEXT,
                    code TEXT NOT NULL,
                    memo TEXT,
                    at TEXT,
                    anchor TEXT NOT NULL DEFAULT 'pending' CHECK (anchor IN ('pending', 'exact', 'reanchored', 'orphaned')),
                    anchor_turn INTEGER,
                    anchor_start INTEGER,
                    anchor_end INTEGER,
                    anchor_reason TEXT,
                    PRIMARY KEY (source, line)
                );
                CREATE INDEX coding_by_transcript ON coding(transcript);
                CREATE INDEX coding_by_code ON coding(code);
                CREATE TABLE paper (
                    key TEXT NOT NULL,
                    source TEXT NOT NULL REFERENCES source(path) ON DELETE CASCADE,
                    line INTEGER NOT NULL,
                    type TEXT NOT NULL,
                    title TEXT,
                    authors TEXT,
                    year INTEGER,
                    doi TEXT,
                    PRIMARY KEY (source, key)
                );
                CREATE INDEX paper_by_key ON paper(key);
                CREATE TABLE claim (
                    id TEXT PRIMARY KEY,
                    source TEXT NOT NULL UNIQUE REFERENCES source(path) ON DELETE CASCADE,
                    statement TEXT NOT NULL,
                    metrics INTEGER NOT NULL
                );
                """)
        }
        migrator.registerMigration("v2") { db in
            // Full-text search over turns. A standalone FTS5 table (not external content): the
            // refresh deletes a transcript's rows before it reads the transcript again.
            try db.execute(sql: """
                CREATE VIRTUAL TABLE turn_fts USING fts5(transcript UNINDEXED, number UNINDEXED, text, tokenize = 'unicode61 remove_diacritics 2');
                """)
        }
        migrator.registerMigration("v3") { db in
            // Status looks for overlapping spans of one code in one turn.
            try db.execute(sql: "CREATE INDEX coding_by_place ON coding(transcript, anchor_turn, code)")
        }
        migrator.registerMigration("v4") { db in
            // The literature review's statuses per citation key, computed once per change of the
            // review's files (their fingerprint is the meta key 'review'), so status and matrix
            // do not parse every export and run deduplication again.
            try db.execute(sql: "CREATE TABLE review_status (key TEXT PRIMARY KEY, status TEXT NOT NULL)")
        }
        migrator.registerMigration("v5") { db in
            // A whole-turn coding's fingerprint (DESIGN §3), so it re-anchors by its words.
            try db.execute(sql: "ALTER TABLE coding ADD COLUMN fingerprint TEXT")
        }
        migrator.registerMigration("v6") { db in
            // Every refresh asks for the codings still to anchor and status for the moved and
            // orphaned ones: without this index each question reads the whole coding table.
            try db.execute(sql: "CREATE INDEX coding_by_anchor ON coding(anchor)")
        }
        migrator.registerMigration("v7") { db in
            // Memos that came with a transcript (numbered annotations, Word comments), on their turn.
            try db.execute(sql: """
                CREATE TABLE transcript_memo (
                    transcript TEXT NOT NULL REFERENCES transcript(id) ON DELETE CASCADE,
                    position INTEGER NOT NULL,
                    kind TEXT NOT NULL,
                    number INTEGER,
                    text TEXT NOT NULL,
                    turn INTEGER,
                    start INTEGER NOT NULL,
                    "end" INTEGER NOT NULL,
                    PRIMARY KEY (transcript, position)
                );
                """)
        }
        migrator.registerMigration("v8") { db in
            // A claim is kept as parsed (JSON of the Claim), so commands read claims from the
            // index instead of parsing every claim file again. Claim files are indexed afresh.
            try db.execute(sql: """
                ALTER TABLE claim ADD COLUMN document TEXT NOT NULL DEFAULT '';
                DELETE FROM source WHERE kind = 'claim';
                """)
        }
        migrator.registerMigration("v9") { db in
            // Case-level codings: a code applied to a participant as a whole (DESIGN §3), with
            // the number of excerpts that ground it (they are not anchored here). Codings files are read afresh.
            try db.execute(sql: """
                CREATE TABLE case_coding (
                    source TEXT NOT NULL REFERENCES source(path) ON DELETE CASCADE,
                    line INTEGER NOT NULL,
                    coder TEXT NOT NULL,
                    participant TEXT NOT NULL,
                    code TEXT NOT NULL,
                    excerpts INTEGER NOT NULL,
                    memo TEXT,
                    at TEXT,
                    PRIMARY KEY (source, line)
                );
                CREATE INDEX case_coding_by_code ON case_coding(code);
                DELETE FROM source WHERE kind = 'codings';
                """)
        }
        migrator.registerMigration("v10") { db in
            // Notes (a repeated citation key whose record was kept under a new key) are kept
            // apart from warnings, so that status can list them without failing.
            try db.execute(sql: """
                CREATE TABLE problem_v10 (
                    id INTEGER PRIMARY KEY,
                    source TEXT NOT NULL REFERENCES source(path) ON DELETE CASCADE,
                    severity TEXT NOT NULL CHECK (severity IN ('error', 'warning', 'note')),
                    location TEXT NOT NULL,
                    message TEXT NOT NULL
                );
                INSERT INTO problem_v10 SELECT id, source, severity, location, message FROM problem;
                DROP TABLE problem;
                ALTER TABLE problem_v10 RENAME TO problem;
                """)
        }
        migrator.registerMigration("v11") { db in
            // Status counts codings per coder and looks for overlapping spans on every run: an
            // index on the coder, and a partial index holding only span codings (a fraction of
            // all), so neither reads every coding (status on 50,000 codings: about 25 ms less).
            try db.execute(sql: """
                CREATE INDEX coding_by_coder ON coding(coder);
                CREATE INDEX coding_span_by_place ON coding(transcript, anchor_turn, code) WHERE anchor_start IS NOT NULL;
                """)
        }
        migrator.registerMigration("v12") { db in
            // The literature review's exports as parsed (records and problems, in a compact byte
            // form) and its deduplication, so review commands neither parse every export nor
            // deduplicate again when nothing changed. Literature files are read afresh.
            try db.execute(sql: """
                CREATE TABLE review_export (
                    source TEXT PRIMARY KEY REFERENCES source(path) ON DELETE CASCADE,
                    records BLOB NOT NULL,
                    warnings BLOB NOT NULL
                );
                CREATE TABLE review_dedupe (fingerprint TEXT PRIMARY KEY, result BLOB NOT NULL);
                DELETE FROM source WHERE kind = 'literature';
                """)
        }
        return migrator
    }
}
