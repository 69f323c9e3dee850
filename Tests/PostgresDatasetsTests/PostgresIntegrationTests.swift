import Claims
import Datasets
import Foundation
@testable import PostgresDatasets
import Statistics
import TestSupport
import XCTest

/// Against a real server (see ``PostgresTestServer``): the demo's data loaded with COPY gives the
/// same rows and test results as SQLite, and the read-only guard, the time limit and the error
/// messages hold.
final class PostgresIntegrationTests: XCTestCase {
    private func loadDemo(_ server: PostgresTestServer) throws -> PostgresManifest {
        let dataset = PostgresDataset(manifest: try server.manifest(files: DemoFiles.all), studyRoot: DemoFiles.root)
        return try dataset.load(connection: server.admin)
    }

    private func evaluate(_ metric: MetricSpec, on connection: any DatasetConnection) throws -> TestResult {
        var samples: MetricSamples?
        try connection.stream(metric.query, columns: { samples = try MetricSamples(spec: metric, columns: $0) }, row: { values in
            try samples!.add { column in
                switch values[column] {
                case .null, .blob: return .null
                case .integer(let value): return .number(Double(value))
                case .real(let value): return .number(value)
                case .text(let text): return .text(text)
                }
            }
        })
        return try XCTUnwrap(samples).run()
    }

    /// The rows in a canonical order, for queries without ORDER BY.
    private func sortedRows(_ result: QueryResult) -> [String] {
        result.rows.map { "\($0)" }.sorted()
    }

    func testDemoMetricsGiveTheSameRowsAndResultsAsSQLite() throws {
        let server = try PostgresTestServer(for: self)
        let loaded = try loadDemo(server)
        XCTAssertEqual(loaded.files.map(\.rows), [74970, 3471, 10000])
        XCTAssertEqual(loaded.files.first?.sha256, "14ab861aa737e9f04fbed90b59cce920dec7292edd9006a5f81f4f8150232af6")
        let postgres = try PostgresDataset(manifest: loaded, studyRoot: DemoFiles.root).open()
        let sqlite = try DemoFiles.sqlite(in: server.directory)
        let folder = DemoFiles.root.appendingPathComponent("corpus/claims")
        var compared = 0
        for name in try FileManager.default.contentsOfDirectory(atPath: folder.path).sorted() where name.hasSuffix(".yaml") {
            let claim = try Claim.read(folder.appendingPathComponent(name), displayPath: name)
            for metric in claim.metrics {
                let onPostgres = try postgres.query(metric.query)
                let onSQLite = try sqlite.query(metric.query)
                XCTAssertEqual(onPostgres.columns, onSQLite.columns, metric.id)
                XCTAssertEqual(sortedRows(onPostgres), sortedRows(onSQLite), metric.id)
                XCTAssertEqual(try evaluate(metric, on: postgres), try evaluate(metric, on: sqlite), metric.id)
                compared += 1
            }
        }
        XCTAssertGreaterThanOrEqual(compared, 6, "the demo claims' metrics")
    }

    func testTurnoverSQLRunsUnchangedWithNullsLast() throws {
        let server = try PostgresTestServer(for: self)
        let postgres = try PostgresDataset(manifest: try loadDemo(server), studyRoot: DemoFiles.root).open()
        let sqlite = try DemoFiles.sqlite(in: server.directory)
        for orderBy in ["downloads DESC NULLS LAST, name", "rank"] {
            for sql in [TurnoverSQL.everInTopK(table: "snapshots", k: 1000, orderBy: orderBy),
                        TurnoverSQL.retention(table: "snapshots", k: 1000, orderBy: orderBy),
                        TurnoverSQL.topK(table: "snapshots", k: 10, orderBy: orderBy)] {
                let rows = try postgres.query(sql)
                XCTAssertEqual(rows, try sqlite.query(sql), orderBy)
                XCTAssertFalse(rows.rows.isEmpty)
            }
        }
    }

    func testValuesConvertAsTheSQLitePathYieldsThem() throws {
        let server = try PostgresTestServer(for: self)
        let connection = try PostgresDataset(manifest: try server.manifest(), studyRoot: server.directory).open()
        let result = try connection.query("""
            SELECT 42::smallint, 7::bigint, true, false, 2.5::float8, 1.5::numeric, SUM(x), AVG(x), NULL::text, 'héllo',
                   '\\x00ff'::bytea, DATE '2024-03-01', '{"a": 1}'::jsonb ->> 'a', 5 / 2, 5.0 / 2
            FROM (VALUES (1), (2), (4)) AS v(x)
            """)
        XCTAssertEqual(result.rows, [[.integer(42), .integer(7), .integer(1), .integer(0), .real(2.5), .real(1.5), .integer(7),
                                      .real(7.0 / 3.0), .null, .text("héllo"), .blob(Data([0, 255])), .text("2024-03-01"),
                                      .text("1"), .integer(2), .real(2.5)]])
        // More rows than one FETCH batch arrive in order, and maxRows truncates.
        var count = 0
        var last: DataValue = .null
        try connection.stream("SELECT g FROM generate_series(1, 10000) AS g", columns: { XCTAssertEqual($0, ["g"]) }) { row in
            count += 1
            last = row[0]
        }
        XCTAssertEqual(count, 10000)
        XCTAssertEqual(last, .integer(10000))
        let truncated = try connection.query("SELECT g FROM generate_series(1, 10) AS g", maxRows: 3)
        XCTAssertEqual(truncated.rows.count, 3)
        XCTAssertTrue(truncated.isTruncated)
        var columns: [String] = []
        try connection.stream("SELECT 1 AS a WHERE false", columns: { columns = $0 }, row: { _ in XCTFail("no rows") })
        XCTAssertEqual(columns, ["a"])
    }

    func testDescribeAndProfileMatchSQLite() throws {
        let server = try PostgresTestServer(for: self)
        let postgres = try PostgresDataset(manifest: try loadDemo(server), studyRoot: DemoFiles.root).open()
        let sqlite = try DemoFiles.sqlite(in: server.directory)
        let tables = try postgres.describe()
        XCTAssertEqual(tables.map(\.name), ["base_models", "models", "snapshots"])
        XCTAssertEqual(tables.map(\.rowCount), try sqlite.describe().map(\.rowCount))
        XCTAssertEqual(tables[1].columns.map(\.declaredType), ["bigint", "bigint", "bigint"])
        for table in ["models", "base_models", "snapshots"] {
            var onPostgres = try postgres.profile(table: table)
            var onSQLite = try sqlite.profile(table: table)
            for index in onPostgres.columns.indices {
                onPostgres.columns[index].declaredType = ""
                onSQLite.columns[index].declaredType = ""
            }
            XCTAssertEqual(onPostgres, onSQLite, table)
        }
        XCTAssertThrowsError(try postgres.profile(table: "nope")) { error in
            XCTAssertEqual(error as? PostgresDatasetError, .missingTable(dataset: "demo", schema: server.schema,
                reason: "no table or view named 'nope'", known: ["base_models", "models", "snapshots"]))
        }
    }

    func testProvenanceRecordsTheServerAndASchemaFingerprint() throws {
        let server = try PostgresTestServer(for: self)
        let loaded = try loadDemo(server)
        let connection = try PostgresDataset(manifest: loaded, studyRoot: DemoFiles.root).open()
        let provenance = try connection.provenance()
        XCTAssertFalse(provenance.serverVersion.isEmpty)
        XCTAssertEqual(provenance.schemaFingerprint.count, 64)
        XCTAssertEqual(try connection.provenance(), provenance, "the fingerprint is deterministic")
        XCTAssertEqual(provenance.inputs.map(\.path), DemoFiles.all.map(\.path).sorted())
        XCTAssertEqual(provenance.inputs.map(\.sha256).sorted(), loaded.files.compactMap(\.sha256).sorted())
        try server.run("ALTER TABLE \(server.schema).models ADD COLUMN extra integer")
        XCTAssertNotEqual(try connection.provenance().schemaFingerprint, provenance.schemaFingerprint)
    }

    func testReadOnlyGuaranteesHold() throws {
        let server = try PostgresTestServer(for: self)
        let loaded = try loadDemo(server)
        let connection = try PostgresDataset(manifest: loaded, studyRoot: DemoFiles.root).open()
        let superuser = try XCTUnwrap(try server.run("SELECT current_user::text").text(0, 0))
        let attacks = [
            "INSERT INTO models VALUES (1, 1, 2020)",
            "WITH gone AS (DELETE FROM models RETURNING 1) SELECT COUNT(*) FROM gone",
            "COPY (SELECT 1) TO PROGRAM 'touch /tmp/triangulate-pwned'",
            "SET ROLE \(superuser)",
            "SET SESSION AUTHORIZATION \(superuser)",
            "SELECT set_config('role', '\(superuser)', false)",
            "SELECT set_config('session_authorization', '\(superuser)', false)",
            "SELECT set_config('transaction_read_only', 'off', false)",
            "SELECT 1; DROP TABLE models",
            "SELECT pg_read_file('/etc/passwd')",
            "SELECT lo_import('/etc/passwd')",
            "SELECT * FROM pg_authid",
        ]
        for sql in attacks {
            XCTAssertThrowsError(try connection.query(sql), sql) { error in
                guard case PostgresDatasetError.queryRefused(let dataset, _) = error else {
                    return XCTFail("\(sql): expected a refusal, got \(error)")
                }
                XCTAssertEqual(dataset, "demo")
            }
        }
        XCTAssertEqual(try connection.query("SELECT COUNT(*) FROM models").rows, [[.integer(74970)]], "still usable, nothing changed")
        XCTAssertEqual(try connection.query("SELECT current_user").rows, [[.text(PostgresTestServer.readerRole)]])
        XCTAssertFalse(FileManager.default.fileExists(atPath: "/tmp/triangulate-pwned"))

        // The transaction alone stops writes even for a role that owns the tables.
        let owner = try PostgresQueryConnection(dataset: "demo", connection: server.admin, schema: server.schema, timeout: 10, checksRole: false)
        for sql in ["WITH gone AS (DELETE FROM models RETURNING 1) SELECT COUNT(*) FROM gone",
                    "SELECT set_config('transaction_read_only', 'off', false)"] {
            XCTAssertThrowsError(try owner.query(sql), sql) { error in
                guard case PostgresDatasetError.queryRefused = error else { return XCTFail("\(sql): \(error)") }
            }
        }
        XCTAssertEqual(try owner.query("SELECT COUNT(*) FROM models").rows, [[.integer(74970)]])
    }

    func testARoleThatCanDoMoreThanReadIsRefused() throws {
        let server = try PostgresTestServer(for: self)
        let loaded = try loadDemo(server)
        var asAdmin = loaded
        asAdmin.connection = server.admin
        XCTAssertThrowsError(try PostgresDataset(manifest: asAdmin, studyRoot: DemoFiles.root).open()) { error in
            guard case PostgresDatasetError.unsafeRole(let dataset, _, let reason) = error else { return XCTFail("\(error)") }
            XCTAssertEqual(dataset, "demo")
            XCTAssertEqual(reason, "is a superuser or may become one")
        }
        try server.run("GRANT INSERT ON \(server.schema).models TO \(PostgresTestServer.readerRole)")
        XCTAssertThrowsError(try PostgresDataset(manifest: loaded, studyRoot: DemoFiles.root).open()) { error in
            XCTAssertEqual(error as? PostgresDatasetError, .unsafeRole(dataset: "demo", role: PostgresTestServer.readerRole,
                reason: "may change the tables models of the schema '\(server.schema)'"))
        }
    }

    func testASlowQueryIsCancelledAtItsTimeLimit() throws {
        let server = try PostgresTestServer(for: self)
        let connection = try PostgresDataset(manifest: try server.manifest(timeout: 1), studyRoot: server.directory).open()
        let started = Date()
        XCTAssertThrowsError(try connection.query("SELECT pg_sleep(30)")) { error in
            XCTAssertEqual(error as? PostgresDatasetError, .queryTimedOut(dataset: "demo", seconds: 1))
            XCTAssertEqual(String(describing: error),
                           "dataset 'demo': the query ran longer than 1 s and was cancelled; simplify it or raise query_timeout in the dataset manifest")
        }
        XCTAssertLessThan(Date().timeIntervalSince(started), 10)
        XCTAssertEqual(try connection.query("SELECT 1").rows, [[.integer(1)]], "the connection stays usable")
    }

    func testALostConnectionIsAClearError() throws {
        let server = try PostgresTestServer(for: self)
        let connection = try PostgresDataset(manifest: try server.manifest(), studyRoot: server.directory).open()
        try server.run("SELECT pg_terminate_backend(\(connection.backendPID))")
        XCTAssertThrowsError(try connection.query("SELECT 1")) { error in
            guard case PostgresDatasetError.connectionLost(let dataset, _) = error else { return XCTFail("\(error)") }
            XCTAssertEqual(dataset, "demo")
            XCTAssertTrue(String(describing: error).hasPrefix("dataset 'demo': the connection to PostgreSQL was lost ("), "\(error)")
        }
        XCTAssertThrowsError(try connection.query("SELECT 1")) { error in
            XCTAssertEqual(error as? PostgresDatasetError, .connectionLost(dataset: "demo", reason: "the connection is closed"))
        }

        // In the middle of a query.
        let second = try PostgresDataset(manifest: try server.manifest(), studyRoot: server.directory).open()
        let pid = second.backendPID
        let adminConnection = server.admin
        let terminated = expectation(description: "the backend was terminated")
        DispatchQueue.global().asyncAfter(deadline: .now() + 0.5) {
            let admin = try? PostgresSession(adminConnection, dataset: "admin")
            _ = try? admin?.execute("SELECT pg_terminate_backend(\(pid))", deadline: Date().addingTimeInterval(10))
            admin?.close()
            terminated.fulfill()
        }
        XCTAssertThrowsError(try second.query("SELECT pg_sleep(20)")) { error in
            guard case PostgresDatasetError.connectionLost(let dataset, _) = error else { return XCTFail("\(error)") }
            XCTAssertEqual(dataset, "demo")
        }
        wait(for: [terminated], timeout: 20)
    }

    /// The server goes away while rows stream through the cursor (between FETCHes, the metric's
    /// consumer still busy): a clear error naming the dataset, not a hang.
    func testALostConnectionWhileRowsStreamIsAClearError() throws {
        let server = try PostgresTestServer(for: self)
        let connection = try PostgresDataset(manifest: try server.manifest(timeout: 60), studyRoot: server.directory).open()
        let pid = connection.backendPID
        var rows = 0
        let started = Date()
        XCTAssertThrowsError(try connection.stream("SELECT n, md5(n::text) FROM generate_series(1, 50000000) AS n", columns: { _ in }, row: { _ in
            rows += 1
            if rows == 10_000 { try server.run("SELECT pg_terminate_backend(\(pid))") }
        })) { error in
            guard case PostgresDatasetError.connectionLost(let dataset, _) = error else { return XCTFail("\(error)") }
            XCTAssertEqual(dataset, "demo")
            XCTAssertTrue(String(describing: error).contains("check the server and run the command again"), "\(error)")
        }
        XCTAssertGreaterThanOrEqual(rows, 10_000)
        XCTAssertLessThan(rows, 50_000_000)
        XCTAssertLessThan(Date().timeIntervalSince(started), 30)
    }

    /// A host that accepts the TCP connection but never answers (a stalled server or a firewall
    /// that swallows packets): the default connect timeout ends the wait, with a clear error.
    func testAServerThatNeverAnswersTimesOut() throws {
        let server = try PostgresTestServer(for: self)
        let listener = socket(AF_INET, Int32(SOCK_STREAM.rawValue), 0)
        XCTAssertGreaterThanOrEqual(listener, 0)
        defer { Glibc.close(listener) }
        var address = sockaddr_in()
        address.sin_family = sa_family_t(AF_INET)
        address.sin_addr.s_addr = inet_addr("127.0.0.1")
        address.sin_port = 0
        var length = socklen_t(MemoryLayout<sockaddr_in>.size)
        let bound = withUnsafeMutablePointer(to: &address) { pointer in
            pointer.withMemoryRebound(to: sockaddr.self, capacity: 1) { bind(listener, $0, length) == 0 && getsockname(listener, $0, &length) == 0 }
        }
        XCTAssertTrue(bound)
        XCTAssertEqual(listen(listener, 4), 0)
        let port = UInt16(bigEndian: address.sin_port)
        let silent = try PostgresManifest(name: "stalled", connection: ConnectionString("host=127.0.0.1 port=\(port) user=x dbname=x"), schema: "s")
        let started = Date()
        XCTAssertThrowsError(try PostgresDataset(manifest: silent, studyRoot: server.directory).open()) { error in
            guard case PostgresDatasetError.cannotConnect(let dataset, let target, _) = error else { return XCTFail("\(error)") }
            XCTAssertEqual(dataset, "stalled")
            XCTAssertEqual(target, "x@127.0.0.1:\(port)/x")
            XCTAssertTrue(String(describing: error).contains("check that the server runs"), "\(error)")
        }
        let waited = Date().timeIntervalSince(started)
        XCTAssertGreaterThanOrEqual(waited, Double(ConnectionString.defaultConnectTimeout) - 1)
        XCTAssertLessThan(waited, Double(ConnectionString.defaultConnectTimeout) + 10)
    }

    /// `max_rows` stops a metric query that hands over more rows, naming the dataset and the limit.
    func testMaxRowsStopsAQueryThatHandsOverMoreRows() throws {
        let server = try PostgresTestServer(for: self)
        var manifest = try server.manifest()
        manifest.maxRows = 5000
        let connection = try PostgresDataset(manifest: manifest, studyRoot: server.directory).open()
        XCTAssertEqual(connection.maxRows, 5000)
        var rows = 0
        XCTAssertThrowsError(try connection.stream("SELECT n FROM generate_series(1, 100000) AS n", columns: { _ in }, row: { _ in rows += 1 })) { error in
            XCTAssertEqual(error as? PostgresDatasetError, .tooManyRows(dataset: "demo", limit: 5000))
            XCTAssertEqual(String(describing: error), "dataset 'demo': the query returned more than 5000 rows, the most a metric may take in; "
                           + "aggregate in SQL, or raise max_rows in the dataset manifest")
        }
        XCTAssertEqual(rows, 5000)
        XCTAssertEqual(try connection.query("SELECT n FROM generate_series(1, 5000) AS n").rows.count, 5000)
        XCTAssertEqual(try connection.query("SELECT n FROM generate_series(1, 100000) AS n", maxRows: 10).rows.count, 10)
        let unlimited = try PostgresDataset(manifest: try server.manifest(), studyRoot: server.directory).open()
        XCTAssertEqual(unlimited.maxRows, QueryLimits.defaultMaxRows)
    }

    func testWrongPasswordMissingSchemaMissingTableAndNoServer() throws {
        let server = try PostgresTestServer(for: self)
        var wrong = try server.manifest()
        wrong.connection = try server.connection(role: PostgresTestServer.readerRole, password: "not-the-password")
        XCTAssertThrowsError(try PostgresDataset(manifest: wrong, studyRoot: server.directory).open()) { error in
            guard case PostgresDatasetError.authenticationFailed(let dataset, _, _) = error else { return XCTFail("\(error)") }
            XCTAssertEqual(dataset, "demo")
            XCTAssertTrue(String(describing: error).contains("check the password in PGPASSWORD, PGPASSFILE or ~/.pgpass"))
        }

        var noSchema = try server.manifest()
        noSchema.schema = "no_such_schema"
        XCTAssertThrowsError(try PostgresDataset(manifest: noSchema, studyRoot: server.directory).open()) { error in
            guard case PostgresDatasetError.missingSchema(let dataset, let schema, let known) = error else { return XCTFail("\(error)") }
            XCTAssertEqual(dataset, "demo")
            XCTAssertEqual(schema, "no_such_schema")
            XCTAssertTrue(known.contains(server.schema), "\(known)")
        }

        let connection = try PostgresDataset(manifest: try server.manifest(), studyRoot: server.directory).open()
        try server.run("CREATE TABLE \(server.schema).present (x integer)")
        XCTAssertThrowsError(try connection.query("SELECT * FROM absent")) { error in
            XCTAssertEqual(error as? PostgresDatasetError, .missingTable(dataset: "demo", schema: server.schema,
                reason: "relation \"absent\" does not exist", known: ["present"]))
        }

        let unreachable = try PostgresManifest(name: "far", connection: ConnectionString("host=127.0.0.1 port=1 user=x dbname=x connect_timeout=2"),
                                               schema: "s")
        let started = Date()
        XCTAssertThrowsError(try PostgresDataset(manifest: unreachable, studyRoot: server.directory).open()) { error in
            guard case PostgresDatasetError.cannotConnect(let dataset, let target, _) = error else { return XCTFail("\(error)") }
            XCTAssertEqual(dataset, "far")
            XCTAssertEqual(target, "x@127.0.0.1:1/x")
        }
        XCTAssertLessThan(Date().timeIntervalSince(started), 10)
    }

    func testAFailedLoadChangesNothingAndAStaleManifestIsRefused() throws {
        let server = try PostgresTestServer(for: self)
        let loaded = try loadDemo(server)
        let bad = server.directory.appendingPathComponent("models.csv")
        try Data("has_card,downloads,created_year\n1,5,2020\n0,\u{0}7,2021\n".utf8).write(to: bad)
        var replacing = try server.manifest(files: [.init(path: bad.path, table: "models")])
        replacing.files[0].table = "models"
        XCTAssertThrowsError(try PostgresDataset(manifest: replacing, studyRoot: server.directory).load(connection: server.admin)) { error in
            guard case PostgresDatasetError.server(let dataset, _, _) = error else { return XCTFail("\(error)") }
            XCTAssertEqual(dataset, "demo")
        }
        let connection = try PostgresDataset(manifest: loaded, studyRoot: DemoFiles.root).open()
        XCTAssertEqual(try connection.query("SELECT COUNT(*) FROM models").rows, [[.integer(74970)]], "the old table is intact")

        var stale = loaded
        stale.files[0].sha256 = String(repeating: "0", count: 64)
        XCTAssertThrowsError(try PostgresDataset(manifest: stale, studyRoot: DemoFiles.root).open()) { error in
            guard case PostgresDatasetError.stale(let dataset, let reason) = error else { return XCTFail("\(error)") }
            XCTAssertEqual(dataset, "demo")
            XCTAssertTrue(reason.contains("table 'models' on the server was loaded from a version of corpus/datasets/hf-2022/models.csv"), reason)
        }
    }
}
