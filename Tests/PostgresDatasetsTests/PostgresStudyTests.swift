import Core
import Datasets
import Foundation
import Index
@testable import PostgresDatasets
import Project
import Reports
import Study
import TestSupport
import XCTest

/// PostgreSQL datasets through the study and the command line, against a real server (see
/// ``PostgresTestServer``): the demo's matrix is the SQLite matrix apart from provenance, and
/// `dataset import --into postgres` loads, refuses and records as documented.
final class PostgresStudyTests: XCTestCase {
    /// A copy of the demo study, so the tests never write into the repository.
    private func demoCopy(in directory: URL) throws -> URL {
        let copy = directory.appendingPathComponent("demo")
        try FileManager.default.createDirectory(at: copy, withIntermediateDirectories: true)
        for item in ["triangulate.yaml", "codebooks", "corpus"] {
            try FileManager.default.copyItem(at: TestPaths.repositoryRoot.appendingPathComponent(item), to: copy.appendingPathComponent(item))
        }
        return copy
    }

    private func matrix(_ root: URL) throws -> ClaimMatrix {
        let study = try Study(root: root)
        let (index, _) = try StudyIndex.open(study)
        return try MatrixBuilder(study: study, index: index).build()
    }

    /// The matrix in every data format, without its provenance.
    private func rendered(_ matrix: ClaimMatrix) -> [String] {
        var table = matrix.table()
        table.provenance = []
        return [MarkdownRenderer().render(table), JSONRenderer().render(table), CSVRenderer().render(table)]
    }

    func testDemoMatrixOnPostgreSQLIsTheSQLiteMatrixApartFromProvenance() throws {
        let server = try PostgresTestServer(for: self)
        let root = try demoCopy(in: server.directory)
        let onSQLite = try matrix(root)
        let study = try Study(root: root)
        let turnoverOnSQLite = try TurnoverAnalysis(study: study).rows(dataset: "turnover", k: 1000, orderBy: "downloads DESC NULLS LAST").rows

        // Every dataset of the demo moves to one schema on the server, as a group shares it.
        let catalog = DatasetCatalog(study: study)
        XCTAssertEqual(catalog.names(), ["hf-2022", "hf-descendants", "turnover"])
        for name in catalog.names() {
            guard case .local(let local) = try catalog.definition(named: name) else { return XCTFail("\(name) starts as a local dataset") }
            let manifest = PostgresManifest(name: name, description: local.description, source: local.source, connection: try server.reader(),
                                            schema: server.schema, queryTimeout: local.queryTimeout, files: local.files ?? [])
            let (loaded, _) = try catalog.importIntoPostgres(manifest, loadConnection: server.admin, replacing: true, progress: nil)
            XCTAssertEqual(loaded.files.map(\.sha256), local.files?.map(\.sha256), name)
            guard case .postgres = try catalog.definition(named: name) else { return XCTFail("\(name) is a PostgreSQL dataset now") }
        }

        let onPostgres = try matrix(root)
        XCTAssertGreaterThanOrEqual(onPostgres.rows.filter { $0.result != nil }.count, 6, "the demo's metrics ran")
        XCTAssertEqual(rendered(onPostgres), rendered(onSQLite))
        XCTAssertEqual(onPostgres.warnings, onSQLite.warnings)
        // Provenance: the same files with the same hashes, plus the server and the schema's fingerprint.
        let files = onPostgres.datasetInputs.filter { !$0.path.hasPrefix("PostgreSQL ") }
        XCTAssertEqual(files.map { "\($0.dataset) \($0.path) \($0.sha256)" }, onSQLite.datasetInputs.map { "\($0.dataset) \($0.path) \($0.sha256)" })
        let servers = onPostgres.datasetInputs.filter { $0.path.hasPrefix("PostgreSQL ") }
        XCTAssertEqual(servers.map(\.dataset), ["hf-2022", "hf-descendants", "turnover"])
        for entry in servers {
            XCTAssertTrue(entry.path.contains("schema \(server.schema)"), entry.path)
            XCTAssertEqual(entry.sha256.count, 64)
        }
        let provenance = MarkdownRenderer().render(onPostgres.table())
        XCTAssertTrue(provenance.contains("- dataset turnover: PostgreSQL "), provenance)

        let turnoverOnPostgres = try TurnoverAnalysis(study: try Study(root: root))
            .rows(dataset: "turnover", k: 1000, orderBy: "downloads DESC NULLS LAST").rows
        XCTAssertEqual(turnoverOnPostgres, turnoverOnSQLite)
        XCTAssertFalse(turnoverOnPostgres.isEmpty)
    }

    private func importArguments(_ name: String, _ files: [String], table: String, server: PostgresTestServer,
                                 connection: ConnectionString? = nil, extra: [String] = []) throws -> [String] {
        ["dataset", "import", name] + files + ["--table", table, "--into", "postgres", "--connection", try (connection ?? server.reader()).text,
                                               "--load-connection", server.admin.text, "--schema", server.schema, "--replace"] + extra
    }

    /// Matrix output without the provenance lines, which name the engine.
    private func body(_ markdown: String) -> String {
        markdown.split(separator: "\n", omittingEmptySubsequences: false).filter { !$0.hasPrefix("- dataset ") }.joined(separator: "\n")
    }

    func testImportIntoPostgresThenMatrixFromTheCommandLine() throws {
        let server = try PostgresTestServer(for: self)
        let fixture = try StudyFixture(self)
        let before = try CLI.run(["matrix"], in: fixture.root)
        XCTAssertEqual(before.status, 0, before.stderr)
        let manifest = "corpus/datasets/toy.yaml"
        let original = try fixture.read(manifest)

        // Each failure names the dataset and what to check, and leaves the study as it was.
        let wrong = try CLI.run(try importArguments("toy", ["corpus/datasets/toy/toy.csv"], table: "toy", server: server,
                                                    connection: server.connection(role: PostgresTestServer.readerRole, password: "not-it")),
                                in: fixture.root)
        XCTAssertEqual(wrong.status, 1)
        XCTAssertTrue(wrong.stderr.contains("dataset 'toy'") && wrong.stderr.contains("refused the login") && wrong.stderr.contains("PGPASSFILE"), wrong.stderr)
        let unreachable = try CLI.run(try importArguments("toy", ["corpus/datasets/toy/toy.csv"], table: "toy", server: server,
                                                          connection: ConnectionString("host=127.0.0.1 port=1 dbname=research user=reader connect_timeout=2")),
                                      in: fixture.root)
        XCTAssertEqual(unreachable.status, 1)
        XCTAssertTrue(unreachable.stderr.contains("dataset 'toy': cannot connect to PostgreSQL at reader@127.0.0.1:1/research"), unreachable.stderr)
        let sameRole = try CLI.run(try importArguments("toy", ["corpus/datasets/toy/toy.csv"], table: "toy", server: server, connection: server.admin),
                                   in: fixture.root)
        XCTAssertEqual(sameRole.status, 1)
        XCTAssertTrue(sameRole.stderr.contains("the role that loads the tables"), sameRole.stderr)
        let password = try CLI.run(["dataset", "import", "toy", "corpus/datasets/toy/toy.csv", "--into", "postgres",
                                    "--connection", "postgresql://reader:secret@db.example.org/research", "--replace"], in: fixture.root)
        XCTAssertNotEqual(password.status, 0)
        XCTAssertTrue(password.stderr.contains("without a password"), password.stderr)
        XCTAssertFalse(password.stderr.contains("secret"), "the password is never echoed")
        XCTAssertEqual(try fixture.read(manifest), original)
        let tables = try server.run("SELECT count(*) FROM pg_tables WHERE schemaname = '\(server.schema)'")
        XCTAssertEqual(tables.text(0, 0), "0", "nothing was loaded")

        let imported = try CLI.run(try importArguments("toy", ["corpus/datasets/toy/toy.csv"], table: "toy", server: server), in: fixture.root)
        XCTAssertEqual(imported.status, 0, imported.stderr)
        XCTAssertTrue(imported.stdout.contains("Loaded 40 rows into \(server.schema).toy"), imported.stdout)
        let written = try fixture.read(manifest)
        XCTAssertTrue(written.contains("connection: ") && written.contains("schema: \(server.schema)") && written.contains("rows: 40"), written)
        XCTAssertTrue(written.contains("sha256: \(try ContentHash.sha256(fileAt: fixture.root.appendingPathComponent("corpus/datasets/toy/toy.csv")))"))
        XCTAssertFalse(written.contains(PostgresTestServer.readerPassword))

        let after = try CLI.run(["matrix"], in: fixture.root)
        XCTAssertEqual(after.status, 0, after.stderr)
        XCTAssertEqual(body(after.stdout), body(before.stdout))
        XCTAssertTrue(after.stdout.contains("- dataset toy: PostgreSQL "), after.stdout)
        XCTAssertNotEqual(after.stdout, before.stdout)

        let query = try CLI.run(["dataset", "query", "toy", "SELECT COUNT(*) AS n, SUM(flag) AS flagged FROM toy", "--format", "csv"], in: fixture.root)
        XCTAssertEqual(query.stdout, "n,flagged\r\n40,30\r\n", query.stderr)
        let describe = try CLI.run(["dataset", "describe", "toy"], in: fixture.root)
        XCTAssertEqual(describe.status, 0, describe.stderr)
        XCTAssertTrue(describe.stdout.hasPrefix("toy (table, 40 rows)"), describe.stdout)
        let write = try CLI.run(["dataset", "query", "toy", "DELETE FROM toy"], in: fixture.root)
        XCTAssertEqual(write.status, 1)
        XCTAssertTrue(write.stderr.contains("dataset 'toy': query refused"), write.stderr)

        // A missing schema, and a password written into the manifest by hand.
        try fixture.write(manifest, written.replacingOccurrences(of: "schema: \(server.schema)", with: "schema: nowhere"))
        let missing = try CLI.run(["dataset", "query", "toy", "SELECT 1"], in: fixture.root)
        XCTAssertEqual(missing.status, 1)
        XCTAssertTrue(missing.stderr.contains("dataset 'toy': the schema 'nowhere' does not exist"), missing.stderr)
        let broken = try CLI.run(["matrix"], in: fixture.root)
        XCTAssertTrue(broken.stdout.contains("the schema 'nowhere' does not exist"), broken.stdout)
        try fixture.write(manifest, written + "password: hunter2\n")
        let secret = try CLI.run(["dataset", "query", "toy", "SELECT 1"], in: fixture.root)
        XCTAssertEqual(secret.status, 1)
        XCTAssertTrue(secret.stderr.contains("corpus/datasets/toy.yaml:") && secret.stderr.contains("without a password"), secret.stderr)
        XCTAssertFalse(secret.stderr.contains("hunter2"))
    }

    /// The issue's "55-snapshot style import from one command": files of one schema appended to
    /// one table with a column from each file's name, the same rows on both engines.
    func testFiftyFiveSnapshotsFromOneCommandOnBothEngines() throws {
        let server = try PostgresTestServer(for: self)
        let fixture = try StudyFixture(self)
        var files: [String] = []
        for month in 0..<55 {
            let stem = String(format: "%04d-%02d", 2020 + month / 12, month % 12 + 1)
            var text = "name,downloads,rank,verified\n"
            for row in 0..<20 {
                // One snapshot has fractional downloads: the whole column is real on both engines.
                let downloads = month == 7 && row == 3 ? "12.5" : String((month + 1) * (20 - row) * 37)
                let name = String(format: "%016x", UInt64(month * 7919 + row * 104_729))
                text += "\(name),\(row == 5 ? "" : downloads),\(row + 1),\(row % 3 == 0 ? "true" : "false")\n"
            }
            try fixture.write("corpus/datasets/snaps/\(stem).csv", text)
            files.append("corpus/datasets/snaps/\(stem).csv")
        }
        let local = try CLI.run(["dataset", "import", "snaps"] + files + ["--table", "snapshots", "--add-column", "snapshot=FILENAME_STEM"],
                                in: fixture.root)
        XCTAssertEqual(local.status, 0, local.stderr)
        XCTAssertTrue(local.stdout.contains("Imported 1100 rows into snaps.snapshots"), local.stdout)
        let queries = [
            "SELECT snapshot, COUNT(*) AS n, SUM(downloads) AS total, MIN(name) AS first, SUM(verified) AS verified FROM snapshots GROUP BY snapshot ORDER BY snapshot",
            "SELECT * FROM snapshots ORDER BY snapshot, rank",
        ]
        func run(_ sql: String) throws -> String {
            let output = try CLI.run(["dataset", "query", "snaps", sql, "--format", "csv", "--limit", "0"], in: fixture.root)
            XCTAssertEqual(output.status, 0, output.stderr)
            return output.stdout
        }
        let onSQLite = try queries.map(run)
        XCTAssertEqual(onSQLite[0].split(separator: "\r\n").count, 56, "a header and one line per snapshot")
        XCTAssertTrue(onSQLite[1].hasPrefix("name,downloads,rank,verified,snapshot\r\n"), onSQLite[1])
        XCTAssertTrue(onSQLite[1].contains(",12.5,"), "the fractional snapshot")

        let remote = try CLI.run(try importArguments("snaps", files, table: "snapshots", server: server,
                                                     extra: ["--add-column", "snapshot=FILENAME_STEM"]), in: fixture.root)
        XCTAssertEqual(remote.status, 0, remote.stderr)
        XCTAssertTrue(remote.stdout.contains("Loaded 1100 rows into \(server.schema).snapshots"), remote.stdout)
        let manifest = try fixture.read("corpus/datasets/snaps.yaml")
        XCTAssertEqual(manifest.components(separatedBy: "sha256: ").count - 1, 55, manifest)
        XCTAssertEqual(manifest.components(separatedBy: "snapshot: '").count - 1, 55, manifest)
        XCTAssertEqual(try queries.map(run), onSQLite)
        let types = try CLI.run(["dataset", "query", "snaps", """
            SELECT column_name, data_type FROM information_schema.columns WHERE table_name = 'snapshots' AND table_schema = current_schema() ORDER BY ordinal_position
            """, "--format", "csv"], in: fixture.root)
        XCTAssertEqual(types.stdout, "column_name,data_type\r\nname,text\r\ndownloads,double precision\r\nrank,bigint\r\nverified,smallint\r\nsnapshot,text\r\n",
                       types.stderr)
    }

    /// A second import of unchanged files leaves the server's tables as they are, `dataset add`
    /// loads only the new table, and a changed file reloads its table.
    func testAddAndReimportLoadOnlyWhatChanged() throws {
        let server = try PostgresTestServer(for: self)
        let fixture = try StudyFixture(self)
        let toy = ["corpus/datasets/toy/toy.csv"]
        func oid(_ table: String) throws -> String? {
            try server.run("SELECT to_regclass('\(server.schema).\(table)')::oid::text").text(0, 0)
        }
        let first = try CLI.run(try importArguments("toy", toy, table: "toy", server: server), in: fixture.root)
        XCTAssertEqual(first.status, 0, first.stderr)
        let loaded = try XCTUnwrap(try oid("toy"))
        let again = try CLI.run(try importArguments("toy", toy, table: "toy", server: server), in: fixture.root)
        XCTAssertEqual(again.status, 0, again.stderr)
        XCTAssertEqual(try oid("toy"), loaded, "an unchanged file is not loaded again")

        try fixture.write("corpus/datasets/extra/authors.csv", "author,models\nana,3\nben,5\n")
        let add = try CLI.run(["dataset", "add", "toy", "corpus/datasets/extra/authors.csv", "--table", "authors",
                               "--load-connection", server.admin.text], in: fixture.root)
        XCTAssertEqual(add.status, 0, add.stderr)
        XCTAssertTrue(add.stdout.contains("Added 2 rows from 1 file to toy"), add.stdout)
        XCTAssertEqual(try oid("toy"), loaded, "adding a table leaves the others")
        let manifest = try fixture.read("corpus/datasets/toy.yaml")
        XCTAssertEqual(manifest.components(separatedBy: "sha256: ").count - 1, 2, manifest)
        let query = try CLI.run(["dataset", "query", "toy", "SELECT SUM(models) AS n FROM authors", "--format", "csv"], in: fixture.root)
        XCTAssertEqual(query.stdout, "n\r\n8\r\n", query.stderr)
        let noLoader = try CLI.run(["dataset", "add", "toy", "corpus/datasets/extra/authors.csv", "--table", "more"], in: fixture.root)
        XCTAssertNotEqual(noLoader.status, 0)
        XCTAssertTrue(noLoader.stderr.contains("--load-connection"), noLoader.stderr)

        try fixture.write("corpus/datasets/toy/toy.csv", try fixture.read("corpus/datasets/toy/toy.csv") + "40,80,1\n")
        let stale = try CLI.run(["dataset", "query", "toy", "SELECT COUNT(*) FROM toy"], in: fixture.root)
        XCTAssertEqual(stale.status, 0, "the server still holds what the manifest records")
        let changed = try CLI.run(try importArguments("toy", toy, table: "toy", server: server), in: fixture.root)
        XCTAssertEqual(changed.status, 0, changed.stderr)
        XCTAssertNotEqual(try oid("toy"), loaded, "a changed file is loaded again")
        XCTAssertTrue(changed.stdout.contains("Loaded 41 rows into \(server.schema).toy"), changed.stdout)
    }

    /// `dataset refresh` on a PostgreSQL dataset: reads warn about a changed file and use the
    /// server's table (refused with --frozen), the manifest is left as it is, and refresh loads the
    /// changed table again with a warning and records the new SHA-256.
    func testRefreshLoadsAChangedFileAgainAndRecordsIt() throws {
        let server = try PostgresTestServer(for: self)
        let fixture = try StudyFixture(self)
        let manifest = "corpus/datasets/toy.yaml"
        let imported = try CLI.run(try importArguments("toy", ["corpus/datasets/toy/toy.csv"], table: "toy", server: server), in: fixture.root)
        XCTAssertEqual(imported.status, 0, imported.stderr)
        let refresh = ["dataset", "refresh", "toy", "--load-connection", server.admin.text]
        let current = try CLI.run(refresh, in: fixture.root)
        XCTAssertEqual(current.status, 0, current.stderr)
        XCTAssertTrue(current.stdout.contains("toy: the manifest already records every input as it is"), current.stdout)
        let noLoader = try CLI.run(["dataset", "refresh", "toy"], in: fixture.root)
        XCTAssertNotEqual(noLoader.status, 0)
        XCTAssertTrue(noLoader.stderr.contains("dataset 'toy' is on PostgreSQL: pass --load-connection"), noLoader.stderr)

        let recorded = try fixture.read(manifest)
        let oldSHA256 = try ContentHash.sha256(fileAt: fixture.root.appendingPathComponent("corpus/datasets/toy/toy.csv"))
        XCTAssertTrue(recorded.contains("sha256: \(oldSHA256)") && recorded.contains("rows: 40"), recorded)
        try fixture.write("corpus/datasets/toy/toy.csv", try fixture.read("corpus/datasets/toy/toy.csv") + "40,80,1\n")
        let count = ["dataset", "query", "toy", "SELECT COUNT(*) AS n FROM toy", "--format", "csv"]
        let stale = try CLI.run(count, in: fixture.root)
        XCTAssertEqual(stale.status, 0, stale.stderr)
        XCTAssertEqual(stale.stdout, "n\r\n40\r\n", "the server's table, loaded from the recorded file")
        XCTAssertTrue(stale.stderr.contains("dataset 'toy': corpus/datasets/toy/toy.csv changed since its manifest recorded it")
                      && stale.stderr.contains("dataset refresh toy --load-connection"), stale.stderr)
        let matrix = try CLI.run(["matrix"], in: fixture.root)
        XCTAssertEqual(matrix.status, 0, matrix.stderr)
        XCTAssertTrue(matrix.stderr.contains("toy.csv changed since its manifest recorded it"), matrix.stderr)
        let frozen = try CLI.run(count + ["--frozen"], in: fixture.root)
        XCTAssertEqual(frozen.status, 1)
        XCTAssertTrue(frozen.stderr.contains("frozen mode uses only recorded data"), frozen.stderr)
        XCTAssertEqual(try fixture.read(manifest), recorded, "reading never writes the manifest")

        let refreshed = try CLI.run(refresh, in: fixture.root)
        XCTAssertEqual(refreshed.status, 0, refreshed.stderr)
        XCTAssertTrue(refreshed.stderr.contains("dataset 'toy': corpus/datasets/toy/toy.csv changed (SHA-256 ")
                      && refreshed.stderr.contains("loading table 'toy' again into schema '\(server.schema)'"), refreshed.stderr)
        let sha256 = try ContentHash.sha256(fileAt: fixture.root.appendingPathComponent("corpus/datasets/toy/toy.csv"))
        XCTAssertTrue(refreshed.stdout.contains("→ \(sha256.prefix(12))… (41 rows) loaded into \(server.schema).toy and recorded in \(manifest)"),
                      refreshed.stdout)
        let written = try fixture.read(manifest)
        XCTAssertEqual(written, recorded.replacingOccurrences(of: oldSHA256, with: sha256).replacingOccurrences(of: "rows: 40", with: "rows: 41"),
                       "only the hash and the rows change")
        let fresh = try CLI.run(count + ["--frozen"], in: fixture.root)
        XCTAssertEqual(fresh.stdout, "n\r\n41\r\n", fresh.stderr)
        XCTAssertFalse(fresh.stderr.contains("changed"), fresh.stderr)
    }

    /// `max_rows` caps the rows a metric takes in from the server, as on SQLite; the limit
    /// survives moving the dataset with `import --replace`.
    func testMaxRowsCapsWhatAMetricTakesIn() throws {
        let server = try PostgresTestServer(for: self)
        let fixture = try StudyFixture(self)
        let manifest = "corpus/datasets/toy.yaml"
        try fixture.write(manifest, try fixture.read(manifest) + "max_rows: 10\n")
        let local = try CLI.run(["dataset", "query", "toy", "SELECT * FROM toy", "--limit", "0"], in: fixture.root)
        XCTAssertEqual(local.status, 1)
        let imported = try CLI.run(try importArguments("toy", ["corpus/datasets/toy/toy.csv"], table: "toy", server: server), in: fixture.root)
        XCTAssertEqual(imported.status, 0, imported.stderr)
        let moved = try fixture.read(manifest)
        XCTAssertTrue(moved.contains("max_rows: 10") && moved.contains("connection: "), moved)

        let all = try CLI.run(["dataset", "query", "toy", "SELECT * FROM toy", "--limit", "0"], in: fixture.root)
        XCTAssertEqual(all.status, 1)
        XCTAssertTrue(all.stderr.contains("dataset 'toy': the query returned more than 10 rows, the most a metric may take in")
                      && all.stderr.contains("raise max_rows in the dataset manifest"), all.stderr)
        XCTAssertTrue(local.stderr.contains("more than 10 rows"), "the same limit on SQLite: \(local.stderr)")
        let shown = try CLI.run(["dataset", "query", "toy", "SELECT * FROM toy", "--limit", "5", "--format", "csv"], in: fixture.root)
        XCTAssertEqual(shown.status, 0, shown.stderr)
        XCTAssertEqual(shown.stdout.split(separator: "\r\n").count, 6)
        let ten = try CLI.run(["dataset", "query", "toy", "SELECT * FROM toy WHERE x < 10", "--limit", "0", "--format", "csv"], in: fixture.root)
        XCTAssertEqual(ten.status, 0, ten.stderr)
        let matrix = try CLI.run(["matrix"], in: fixture.root)
        XCTAssertTrue(matrix.stdout.contains("more than 10 rows"), matrix.stdout)

        try fixture.write(manifest, try fixture.read(manifest).replacingOccurrences(of: "max_rows: 10", with: "max_rows: 0"))
        let invalid = try CLI.run(["dataset", "query", "toy", "SELECT 1"], in: fixture.root)
        XCTAssertEqual(invalid.status, 1)
        XCTAssertTrue(invalid.stderr.contains("corpus/datasets/toy.yaml:") && invalid.stderr.contains("expected max_rows as a whole number of at least 1"),
                      invalid.stderr)
    }

    /// A table dropped on the server after the load: the metric's error names the dataset, the
    /// table and what to check, and the rest of the matrix is computed.
    func testATableMissingOnTheServerIsAClearError() throws {
        let server = try PostgresTestServer(for: self)
        let fixture = try StudyFixture(self)
        let imported = try CLI.run(try importArguments("toy", ["corpus/datasets/toy/toy.csv"], table: "toy", server: server), in: fixture.root)
        XCTAssertEqual(imported.status, 0, imported.stderr)
        try server.run("DROP TABLE \(server.schema).toy")
        let query = try CLI.run(["dataset", "query", "toy", "SELECT * FROM toy"], in: fixture.root)
        XCTAssertEqual(query.status, 1)
        XCTAssertTrue(query.stderr.contains("dataset 'toy': relation \"toy\" does not exist in schema '\(server.schema)' (it has none); check the query's table names"),
                      query.stderr)
        let matrix = try CLI.run(["matrix"], in: fixture.root)
        XCTAssertTrue(matrix.stdout.contains("relation \"toy\" does not exist"), matrix.stdout)
    }
}
