import Core
import Datasets
import Foundation
import TestSupport
import XCTest

final class QueryGuardTests: XCTestCase {
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
            XCTAssertTrue(error.message.hasSuffix("metric queries may only read (SELECT, WITH ... SELECT, VALUES)"),
                          file: file, line: line)
        }, file: file, line: line)
    }

    func testReadsAreAllowed() throws {
        let (_, _, connection) = try connection()
        XCTAssertEqual(try connection.query("SELECT SUM(downloads) AS total FROM t"), QueryResult(columns: ["total"], rows: [[.integer(30)]]))
        XCTAssertEqual(try connection.query("WITH x AS (SELECT downloads FROM t) SELECT MAX(downloads) FROM x").rows, [[.integer(20)]])
        XCTAssertEqual(try connection.query("VALUES (1, 'a')").rows, [[.integer(1), .text("a")]])
        var seen: [[DataValue]] = []
        let columns = try connection.forEachRow("SELECT id FROM t ORDER BY id") { seen.append($0) }
        XCTAssertEqual(columns, ["id"])
        XCTAssertEqual(seen, [[.text("a")], [.text("b")]])
        let truncated = try connection.query("SELECT id FROM t ORDER BY id", maxRows: 1)
        XCTAssertEqual(truncated.rows, [[.text("a")]])
        XCTAssertTrue(truncated.isTruncated)
    }

    func testWritesAndSchemaChangesAreRefused() throws {
        let (_, prepared, connection) = try connection()
        let before = try ContentHash.sha256(fileAt: prepared.databaseURL)
        assertRefused("INSERT INTO t VALUES ('c', 3)", connection, mentioning: "inserts into the table 't'")
        assertRefused("UPDATE t SET downloads = 0", connection, mentioning: "updates the table 't'")
        assertRefused("DELETE FROM t", connection, mentioning: "deletes from the table 't'")
        assertRefused("DROP TABLE t", connection, mentioning: "DROP removes 't'")
        assertRefused("CREATE TABLE u (x)", connection, mentioning: "CREATE creates 'u'")
        assertRefused("CREATE TEMP TABLE u (x)", connection, mentioning: "CREATE TEMP")
        assertRefused("CREATE TEMP VIEW v AS SELECT 1", connection, mentioning: "CREATE TEMP")
        assertRefused("WITH x AS (SELECT 1) INSERT INTO t SELECT 'z', 1 FROM x", connection, mentioning: "inserts into")
        XCTAssertEqual(try connection.query("SELECT COUNT(*) FROM t").rows, [[.integer(2)]])
        XCTAssertEqual(try ContentHash.sha256(fileAt: prepared.databaseURL), before)
    }

    func testAttachDetachPragmaTransactionsAndExtensionsAreRefused() throws {
        let (study, _, connection) = try connection()
        let other = study.root.appendingPathComponent("other.db").path
        assertRefused("ATTACH DATABASE '\(other)' AS other", connection, mentioning: "ATTACH")
        assertRefused("DETACH DATABASE main", connection, mentioning: "DETACH")
        assertRefused("PRAGMA query_only = 0", connection, mentioning: "PRAGMA query_only")
        assertRefused("PRAGMA journal_mode = WAL", connection, mentioning: "PRAGMA journal_mode")
        assertRefused("PRAGMA writable_schema = ON", connection, mentioning: "PRAGMA writable_schema")
        assertRefused("PRAGMA cache_size = 1", connection, mentioning: "PRAGMA cache_size")
        assertRefused("BEGIN", connection, mentioning: "BEGIN controls transactions")
        assertRefused("COMMIT", connection, mentioning: "COMMIT controls transactions")
        assertRefused("SAVEPOINT s", connection, mentioning: "controls transactions")
        assertRefused("SELECT load_extension('/tmp/evil.so')", connection, mentioning: "load_extension")
        XCTAssertFalse(FileManager.default.fileExists(atPath: other))
        XCTAssertEqual(try connection.query("PRAGMA table_info(t)").rows.map { $0[1] }, [.text("id"), .text("downloads")])
    }

    func testSeveralStatementsAndSQLiteErrorsComeBackAsDatasetErrors() throws {
        let (_, _, connection) = try connection()
        XCTAssertThrowsDatasetError(try connection.query("SELECT 1; SELECT 2")) { error in
            guard case .sqlite(let message) = error else { return XCTFail("\(error)") }
            XCTAssertTrue(message.contains("Multiple statements"), message)
        }
        assertRefused("SELECT 1; DELETE FROM t", connection, mentioning: "deletes from the table 't'")
        XCTAssertThrowsDatasetError(try connection.query("INSERT INTO sqlite_master VALUES ('table', 'x', 'x', 0, '')")) { error in
            XCTAssertEqual(error, .sqlite("table sqlite_master may not be modified"))
        }
        XCTAssertThrowsDatasetError(try connection.query("SELECT nope FROM t")) { error in
            XCTAssertEqual(error, .sqlite("no such column: nope"))
        }
        XCTAssertEqual(try connection.query("SELECT COUNT(*) FROM t").rows, [[.integer(2)]])
    }

    func testSlowQueryIsInterruptedAfterTheTimeLimit() throws {
        let (study, prepared, _) = try connection()
        let connection = try study.store.open(prepared, timeout: 1)
        let started = Date()
        XCTAssertThrowsDatasetError(try connection.query("""
            WITH RECURSIVE n(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM n) SELECT COUNT(*) FROM n
            """)) { error in
            XCTAssertEqual(error, .queryTimedOut(seconds: 1))
            XCTAssertTrue(error.message.hasPrefix("the query ran longer than 1 s"), error.message)
        }
        XCTAssertLessThan(Date().timeIntervalSince(started), 30)
        XCTAssertEqual(try connection.query("SELECT COUNT(*) FROM t").rows, [[.integer(2)]], "the connection stays usable")
    }

    func testManifestTimeoutIsTheDefault() throws {
        let (study, prepared, _) = try connection()
        var withTimeout = prepared
        withTimeout.manifest.queryTimeout = 7
        XCTAssertEqual(try study.store.open(withTimeout).timeout, 7)
        XCTAssertEqual(try study.store.open(prepared).timeout, 60)
        XCTAssertEqual(try study.store.open(withTimeout, timeout: 2).timeout, 2)
    }

    func testDataValueDoubleValue() {
        XCTAssertEqual(DataValue.integer(3).doubleValue, 3)
        XCTAssertEqual(DataValue.real(2.5).doubleValue, 2.5)
        XCTAssertEqual(DataValue.text(" 1e3 ").doubleValue, 1000)
        XCTAssertNil(DataValue.text("abc").doubleValue)
        XCTAssertNil(DataValue.null.doubleValue)
        XCTAssertNil(DataValue.blob(Data([1])).doubleValue)
    }
}
