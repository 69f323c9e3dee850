import Core
import Datasets
import Foundation
import GRDB
import TestSupport
import XCTest

/// The allow-list guard against hostile SQL in a shared study (issue 9.1): the fts3_tokenizer
/// exploit, functions outside the list, memory attacks, and what must keep working (FTS5).
final class QueryHardeningTests: XCTestCase {
    private func connection() throws -> (Study, PreparedDataset, QueryConnection) {
        let study = try Study(self)
        try study.write("id,downloads\na,10\nb,20\n", to: "m.csv")
        let (prepared, connection) = try study.importFile("m.csv")
        return (study, prepared, connection)
    }

    private func assertRefused(_ sql: String, _ connection: QueryConnection, mentioning fragment: String,
                               file: StaticString = #filePath, line: UInt = #line) {
        XCTAssertThrowsDatasetError(try connection.query(sql), { error in
            guard case .queryRefused(let reason) = error else {
                return XCTFail("expected a refusal for \(sql), got \(error)", file: file, line: line)
            }
            XCTAssertTrue(reason.contains(fragment), "\(sql): \(reason)", file: file, line: line)
        }, file: file, line: line)
    }

    /// Creates an attached database at `path` with GRDB, outside the guard, and prepares it.
    private func attached(_ study: Study, _ path: String, _ sql: String) throws -> PreparedDataset {
        let url = study.root.appendingPathComponent(path)
        let queue = try DatabaseQueue(path: url.path)
        try queue.write { try $0.execute(sql: sql) }
        try queue.close()
        return try study.store.prepare(DatasetManifest(name: "db", database: path))
    }

    func testFTS3TokenizerExploitIsRefusedInBothForms() throws {
        let (_, _, connection) = try connection()
        assertRefused("SELECT hex(fts3_tokenizer('simple'))", connection, mentioning: "fts3_tokenizer")
        assertRefused("SELECT fts3_tokenizer('simple', x'4141414141414141')", connection, mentioning: "fts3_tokenizer")
        assertRefused("SELECT id FROM t WHERE fts3_tokenizer('porter') IS NOT NULL", connection, mentioning: "fts3_tokenizer")
        XCTAssertThrowsDatasetError(try connection.query("SELECT FTS3_Tokenizer('simple', x'00')")) { error in
            XCTAssertEqual(error.message, "query refused: the function fts3_tokenizer can read or replace the code address of a full-text tokenizer; metric queries may only read (SELECT, WITH ... SELECT, VALUES)")
        }
        XCTAssertEqual(try connection.query("SELECT COUNT(*) FROM t").rows, [[.integer(2)]], "the connection stays usable")
    }

    func testUnknownAndDangerousFunctionsAreRefusedKnownOnesAllowed() throws {
        let (_, _, connection) = try connection()
        XCTAssertThrowsDatasetError(try connection.query("SELECT readfile('/etc/passwd')")) { error in
            XCTAssertEqual(error, .sqlite("no such function: readfile"), "the system SQLite has none; an extension's would be refused")
        }
        assertRefused("SELECT sqlite_compileoption_get(0)", connection,
                      mentioning: "the function sqlite_compileoption_get is not one metric queries may call")
        assertRefused("SELECT printf('%.*c', 1000000000, 'x')", connection, mentioning: "out of reach of the time limit")
        assertRefused("SELECT format('%d', 1)", connection, mentioning: "the function format")
        assertRefused("SELECT rtreenode(2, x'00')", connection, mentioning: "rtreenode")
        assertRefused("SELECT load_extension('/tmp/evil.so', 'init')", connection, mentioning: "load_extension loads code")
        let result = try connection.query("""
            SELECT upper(id), abs(-downloads), round(sqrt(downloads), 3), json_extract('{"a": [5]}', '$.a[0]'),
                   '{"b": 2}' ->> '$.b', date('2024-01-31', '+1 day'), substr('0000' || downloads, -5),
                   ROW_NUMBER() OVER (ORDER BY id), COALESCE(NULL, 'x'), typeof(downloads)
            FROM t ORDER BY id
            """)
        XCTAssertEqual(result.rows.first, [.text("A"), .integer(10), .real(3.162), .integer(5), .integer(2),
                                           .text("2024-02-01"), .text("00010"), .integer(1), .text("x"), .text("integer")])
        XCTAssertEqual(try connection.query("SELECT COUNT(*), SUM(value) FROM json_each('[1, 2, 3]')").rows, [[.integer(3), .integer(6)]])
    }

    func testMemoryAttacksAreStopped() throws {
        let (_, _, connection) = try connection()
        for sql in ["SELECT length(zeroblob(1000000000))",
                    "SELECT length(randomblob(500000000))",
                    "WITH RECURSIVE n(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM n LIMIT 200000) SELECT length(group_concat(hex(zeroblob(1000)))) FROM n"] {
            XCTAssertThrowsDatasetError(try connection.query(sql)) { error in
                guard case .queryResourceLimit(let reason) = error else { return XCTFail("\(sql): \(error)") }
                XCTAssertTrue(reason.contains("larger than 128 MiB"), "\(sql): \(reason)")
            }
        }
        // Each value stays under the length limit; together they would need 1.2 GB of SQLite's heap.
        let wide = "SELECT " + (0..<12).map { "zeroblob(100000000) AS b\($0)" }.joined(separator: ", ")
        XCTAssertThrowsDatasetError(try connection.query(wide)) { error in
            guard case .queryResourceLimit(let reason) = error else { return XCTFail("\(error)") }
            XCTAssertTrue(reason.contains("512 MiB of memory"), reason)
        }
        XCTAssertEqual(try connection.query("SELECT COUNT(*) FROM t").rows, [[.integer(2)]], "the connection stays usable")
    }

    func testRowsAMetricTakesInAreCapped() throws {
        let (study, prepared, _) = try connection()
        var capped = prepared
        capped.manifest.maxRows = 1000
        let crossJoin = "WITH RECURSIVE n(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM n LIMIT 5000) SELECT a.i FROM n AS a, n AS b"
        var seen = 0
        XCTAssertThrowsDatasetError(try study.store.streamMetric(capped, sql: crossJoin, columns: { _ in }, row: { _ in seen += 1 })) { error in
            XCTAssertEqual(error, .tooManyRows(limit: 1000))
            XCTAssertTrue(error.message.contains("raise max_rows in the dataset manifest"), error.message)
        }
        XCTAssertEqual(seen, 1000)
        let connection = try study.store.open(capped)
        XCTAssertThrowsDatasetError(try connection.query(crossJoin)) { XCTAssertEqual($0, .tooManyRows(limit: 1000)) }
        XCTAssertEqual(try connection.query(crossJoin, maxRows: 10).rows.count, 10, "a display limit below the cap truncates")
        var total = 0
        try study.store.streamMetric(capped, sql: "SELECT downloads FROM t", columns: { XCTAssertEqual($0, ["downloads"]) },
                                     row: { total += Int($0[0].doubleValue ?? 0) })
        XCTAssertEqual(total, 30)
    }

    func testEachMetricGetsAFreshConnection() throws {
        let (study, prepared, _) = try connection()
        var names: [String] = []
        for _ in 0..<3 {
            try study.store.streamMetric(prepared, sql: "SELECT id FROM t ORDER BY id", columns: { _ in }, row: {
                if case .text(let name) = $0[0] { names.append(name) }
            })
        }
        XCTAssertEqual(names, ["a", "b", "a", "b", "a", "b"])
    }

    func testDatabaseWithFTS5AndFTS4TablesIsQueryable() throws {
        let study = try Study(self)
        let prepared = try attached(study, "fts.db", """
            CREATE TABLE cards (id INTEGER PRIMARY KEY, text TEXT);
            INSERT INTO cards (text) VALUES ('bert fine-tuned for sentiment'), ('vision transformer'), ('bert base uncased');
            CREATE VIRTUAL TABLE cards_fts USING fts5(text, content='cards', content_rowid='id');
            INSERT INTO cards_fts (cards_fts) VALUES ('rebuild');
            CREATE VIRTUAL TABLE notes_fts USING fts4(body);
            INSERT INTO notes_fts (body) VALUES ('bert again'), ('nothing');
            """)
        let connection = try study.store.open(prepared)
        XCTAssertEqual(try connection.query("SELECT rowid FROM cards_fts WHERE cards_fts MATCH 'bert' ORDER BY rowid").rows,
                       [[.integer(1)], [.integer(3)]])
        XCTAssertEqual(try connection.query("SELECT highlight(cards_fts, 0, '[', ']') FROM cards_fts WHERE cards_fts MATCH 'vision'").rows,
                       [[.text("[vision] transformer")]])
        XCTAssertEqual(try connection.query("SELECT COUNT(*) FROM cards_fts WHERE cards_fts MATCH 'bert' ORDER BY bm25(cards_fts)").rows,
                       [[.integer(2)]])
        XCTAssertEqual(try connection.query("SELECT COUNT(*) FROM notes_fts WHERE notes_fts MATCH 'bert'").rows, [[.integer(1)]])
        assertRefused("INSERT INTO cards_fts (cards_fts) VALUES ('delete-all')", connection, mentioning: "inserts into")
        XCTAssertTrue(try connection.describe().map(\.name).contains("cards_fts"))
    }

    func testViewsCallingUnknownFunctionsAreRefused() throws {
        let study = try Study(self)
        let prepared = try attached(study, "v.db", """
            CREATE TABLE t (x);
            INSERT INTO t VALUES (1);
            CREATE VIEW leak AS SELECT sqlite_compileoption_get(0) AS option FROM t;
            """)
        let connection = try study.store.open(prepared)
        assertRefused("SELECT * FROM leak", connection, mentioning: "sqlite_compileoption_get")
        XCTAssertEqual(try connection.query("SELECT x FROM t").rows, [[.integer(1)]])
    }

    func testOutOfRangeTimeLimitsAreClearErrors() throws {
        XCTAssertThrowsDatasetError(try QueryLimits(timeout: 1e300)) { error in
            XCTAssertEqual(error.message, "expected a query time limit above 0 and at most 86400 seconds, found 1e+300")
        }
        XCTAssertThrowsDatasetError(try QueryLimits(timeout: .infinity)) { _ in }
        XCTAssertThrowsDatasetError(try QueryLimits(timeout: 0)) { _ in }
        XCTAssertThrowsDatasetError(try QueryLimits(maxRows: 0)) { _ in }
        let (study, prepared, _) = try connection()
        XCTAssertThrowsDatasetError(try study.store.open(prepared, timeout: 1e300)) { error in
            guard case .invalidLimit = error else { return XCTFail("\(error)") }
        }
    }
}
