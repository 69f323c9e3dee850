import Datasets
@testable import PostgresDatasets
import XCTest

/// Connection strings and manifests, checked without a server.
final class ConnectionStringTests: XCTestCase {
    func testAcceptsKeywordsAndURIs() throws {
        let keywords = try ConnectionString("host=db.example.org port=5433 dbname=research user=reader")
        XCTAssertEqual(keywords.target, "reader@db.example.org:5433/research")
        let uri = try ConnectionString("postgresql://reader@db.example.org/research?connect_timeout=5")
        XCTAssertEqual(uri.parameters["connect_timeout"], "5")
        XCTAssertEqual(uri.target, "reader@db.example.org/research")
    }

    func testRefusesAPasswordInAnyForm() {
        for text in ["host=db dbname=x password=secret", "postgresql://reader:secret@db/research",
                     "host=db sslpassword=secret", "postgresql://db/research?password=secret"] {
            XCTAssertThrowsError(try ConnectionString(text), text) { error in
                guard case ConnectionStringError.embedsPassword = error else { return XCTFail("\(text): \(error)") }
                XCTAssertFalse(String(describing: error).contains("secret"), "the message must not echo the password")
            }
        }
    }

    func testRefusesAnUnboundedConnectTimeoutAndGarbage() {
        XCTAssertThrowsError(try ConnectionString("host=db connect_timeout=0")) { error in
            XCTAssertEqual(error as? ConnectionStringError, .unboundedTimeout("0"))
        }
        XCTAssertThrowsError(try ConnectionString("host db")) { error in
            guard case ConnectionStringError.unparsable = error else { return XCTFail("\(error)") }
        }
    }

    func testManifestRoundTripsAndLocatesAPassword() throws {
        let text = """
            name: hf-pg
            connection: host=db.example.org dbname=research user=reader
            schema: hf2022
            query_timeout: 30
            max_rows: 1000000
            files:
            - path: corpus/datasets/hf-2022/models.csv
              table: models
              sha256: 14ab861aa737e9f04fbed90b59cce920dec7292edd9006a5f81f4f8150232af6
              rows: 74970

            """
        let manifest = try PostgresManifest.parse(text, displayPath: "corpus/datasets/hf-pg.yaml")
        XCTAssertEqual(manifest.schema, "hf2022")
        XCTAssertEqual(manifest.queryTimeout, 30)
        XCTAssertEqual(manifest.maxRows, 1_000_000)
        XCTAssertEqual(manifest.files.first?.rows, 74970)
        XCTAssertEqual(manifest.yamlText(), text)
        XCTAssertTrue(PostgresManifest.namesServer(text))
        XCTAssertFalse(PostgresManifest.namesServer("name: x\nfiles: []\n"))

        let leaking = "name: hf-pg\nconnection: host=db user=reader password=hunter2\nschema: s\n"
        XCTAssertThrowsError(try PostgresManifest.parse(leaking, displayPath: "m.yaml")) { error in
            let description = String(describing: error)
            XCTAssertTrue(description.hasPrefix("m.yaml:2:13: expected a connection string without a password"), description)
            XCTAssertFalse(description.contains("hunter2"))
        }
        XCTAssertThrowsError(try PostgresManifest.parse("name: x\nconnection: host=db\n", displayPath: "m.yaml")) { error in
            XCTAssertTrue(String(describing: error).contains("expected a 'schema' key"), "\(error)")
        }
        XCTAssertThrowsError(try PostgresManifest.parse("name: x\nconnection: host=db\nschema: s\nquery_timeout: 1e300\n", displayPath: "m.yaml")) { error in
            XCTAssertTrue(String(describing: error).hasPrefix("m.yaml:4:16: expected query_timeout"), "\(error)")
        }
        XCTAssertThrowsError(try PostgresManifest.parse("name: x\nconnection: host=db\nschema: s\nmax_rows: 0\n", displayPath: "m.yaml")) { error in
            XCTAssertEqual(String(describing: error), "m.yaml:4:11: expected max_rows as a whole number of at least 1, found '0'")
        }
    }

    func testOnlyReadingStatementsAreSent() {
        for sql in ["SELECT 1", "  (SELECT 1)", "-- why\nWITH a AS (SELECT 1) SELECT * FROM a", "/* a /* nested */ note */ VALUES (1)",
                    "table models"] {
            XCTAssertNil(PostgresQueryConnection.refusal(of: sql), sql)
        }
        for (sql, word) in [("INSERT INTO t VALUES (1)", "INSERT"), ("set role postgres", "SET"),
                            ("COPY (SELECT 1) TO PROGRAM 'id'", "COPY"), ("/* x */ SET SESSION AUTHORIZATION postgres", "SET")] {
            XCTAssertEqual(PostgresQueryConnection.refusal(of: sql), "the statement starts with \(word), not SELECT", sql)
        }
        XCTAssertNotNil(PostgresQueryConnection.refusal(of: "  -- nothing"))
    }
}
