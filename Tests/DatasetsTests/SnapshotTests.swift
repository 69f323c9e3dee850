import Core
import Datasets
import Foundation
import TestSupport
import XCTest

/// Many files of one schema in one table, with a column from each file's name (issue 16.2).
final class SnapshotTests: XCTestCase {
    private func snapshot(_ path: String, _ day: String) -> DatasetManifest.DataFile {
        .init(path: path, table: "snapshots", addColumns: ["snapshot": day])
    }

    func testSnapshotsAppendIntoOneTableWithTheirAddedColumn() throws {
        let study = try Study(self)
        try study.write("name,downloads\na,10\nb,20\n", to: "s/2023-08-01.csv")
        try study.write("name,downloads\na,\nc,5\n", to: "s/2023-09-01.csv")
        try study.write("NAME,Downloads\nd,1\n", to: "s/2023-10-01.csv")
        let manifest = DatasetManifest(name: "top", files: [
            snapshot("s/2023-08-01.csv", "2023-08-01"), snapshot("s/2023-09-01.csv", "2023-09-01"),
            snapshot("s/2023-10-01.csv", "2023-10-01"),
        ])
        let prepared = try study.store.prepare(manifest)
        XCTAssertEqual(prepared.inputs.map(\.rows), [2, 2, 1])
        XCTAssertEqual(prepared.manifest.files?.compactMap(\.sha256).count, 3, "every file with its hash")
        let connection = try study.store.open(prepared)
        let table = try XCTUnwrap(connection.describe().first)
        XCTAssertEqual(table.columns.map(\.name), ["name", "downloads", "snapshot"])
        XCTAssertEqual(table.columns.map(\.declaredType), ["TEXT", "INTEGER", "TEXT"], "an empty value in one file keeps the column numeric")
        XCTAssertEqual(try connection.query("SELECT snapshot, name, downloads FROM snapshots ORDER BY rowid").rows, [
            [.text("2023-08-01"), .text("a"), .integer(10)], [.text("2023-08-01"), .text("b"), .integer(20)],
            [.text("2023-09-01"), .text("a"), .null], [.text("2023-09-01"), .text("c"), .integer(5)],
            [.text("2023-10-01"), .text("d"), .integer(1)],
        ])
        XCTAssertEqual(try study.store.prepare(prepared.manifest).didImport, false)
    }

    func testAChangedSnapshotIsTheOnlyFileParsedAgain() throws {
        let study = try Study(self)
        for month in 1...3 { try study.write("name,downloads\na\(month),\(month)\nb\(month),\(month * 10)\n", to: "s/\(month).csv") }
        try study.write("id\nx\n", to: "other.csv")
        let files = (1...3).map { snapshot("s/\($0).csv", "2023-0\($0)") } + [.init(path: "other.csv", table: "other")]
        let manifest = DatasetManifest(name: "top", files: files)
        XCTAssertEqual(try study.store.prepare(manifest).parsedInputs, ["s/1.csv", "s/2.csv", "s/3.csv", "other.csv"])

        try study.write("name,downloads\na2,7\nb2,8\nc2,9\n", to: "s/2.csv")
        let changed = try study.store.prepare(manifest)
        XCTAssertEqual(changed.parsedInputs, ["s/2.csv"], "the other files' rows are copied")
        XCTAssertEqual(changed.inputs.map(\.rows), [2, 3, 2, 1])
        let all = "SELECT rowid, snapshot, name, downloads FROM snapshots ORDER BY rowid"
        let incremental = try study.store.open(changed).query(all)
        let fresh = DatasetStore(studyRoot: study.root)
        try FileManager.default.removeItem(at: fresh.databaseURL(forDataset: "top"))
        let rebuilt = try fresh.prepare(manifest)
        XCTAssertEqual(rebuilt.parsedInputs.count, 4)
        XCTAssertEqual(try fresh.open(rebuilt).query(all), incremental, "the same database a full import builds")
        XCTAssertEqual(incremental.rows.map { $0[2] }, ["a1", "b1", "a2", "b2", "c2", "a3", "b3"].map(DataValue.text))

        try study.write("name,downloads\na2,n/a\n", to: "s/2.csv")
        let retyped = try study.store.prepare(manifest)
        XCTAssertEqual(retyped.parsedInputs, ["s/1.csv", "s/2.csv", "s/3.csv"], "a column that turns to text needs the whole table")
        XCTAssertEqual(try study.store.open(retyped).query("SELECT typeof(downloads) FROM snapshots WHERE name = 'a1'").rows, [[.text("text")]])

        var more = manifest
        try study.write("name,downloads\na4,4\n", to: "s/4.csv")
        more.files?.append(snapshot("s/4.csv", "2023-04"))
        XCTAssertEqual(try study.store.prepare(more).parsedInputs, ["s/4.csv"])
    }

    func testNumericAddedColumnsAndJSONSnapshotsUniteTheirKeys() throws {
        let study = try Study(self)
        try study.write("{\"id\": \"a\", \"likes\": 3}\n", to: "m/1.jsonl")
        try study.write("{\"id\": \"b\", \"gated\": true}\n", to: "m/2.jsonl")
        let manifest = DatasetManifest(name: "m", files: [
            .init(path: "m/1.jsonl", table: "models", addColumns: ["month": "1"]),
            .init(path: "m/2.jsonl", table: "models", addColumns: ["month": "2"]),
        ])
        let connection = try study.store.open(try study.store.prepare(manifest))
        let table = try XCTUnwrap(connection.describe().first)
        XCTAssertEqual(table.columns.map(\.name), ["id", "likes", "gated", "month"])
        XCTAssertEqual(table.columns.map(\.declaredType), ["TEXT", "INTEGER", "BOOLEAN", "INTEGER"])
        XCTAssertEqual(try connection.query("SELECT id, likes, gated, month FROM models ORDER BY month").rows,
                       [[.text("a"), .integer(3), .null, .integer(1)], [.text("b"), .null, .integer(1), .integer(2)]])
    }

    func testASnapshotWithOtherColumnsNamesTheFileAndColumn() throws {
        let study = try Study(self)
        try study.write("name,downloads,likes\na,1,2\n", to: "a.csv")
        try study.write("name,downloads_total,likes\nb,1,2\n", to: "b.csv")
        try study.write("name,downloads\nc,1\n", to: "c.csv")
        let base = DatasetManifest.DataFile(path: "a.csv", table: "t")
        XCTAssertThrowsDatasetError(try study.store.prepare(DatasetManifest(name: "d", files: [base, .init(path: "b.csv", table: "t")]))) { error in
            XCTAssertEqual(error.description, "b.csv:1: expected the columns of 'a.csv', the first file of table 't' (name, downloads, likes), found column 2 'downloads_total' where it has 'downloads'")
        }
        XCTAssertThrowsDatasetError(try study.store.prepare(DatasetManifest(name: "d", files: [base, .init(path: "c.csv", table: "t")]))) { error in
            XCTAssertEqual(error.description, "c.csv:1: expected the columns of 'a.csv', the first file of table 't' (name, downloads, likes), found no column 3 where it has 'likes'")
        }
        XCTAssertFalse(FileManager.default.fileExists(atPath: study.store.databaseURL(forDataset: "d").path), "nothing half-written")
    }

    func testSeveralTablesInOneDataset() throws {
        let study = try Study(self)
        try study.write("id,downloads\nm1,5\n", to: "models.csv")
        try study.write("model,author\nm1,x\n", to: "authors.csv")
        let manifest = DatasetManifest(name: "d", files: [.init(path: "models.csv", table: "models"),
                                                          .init(path: "authors.csv", table: "authors")])
        let connection = try study.store.open(try study.store.prepare(manifest))
        XCTAssertEqual(try connection.describe().map(\.name), ["authors", "models"])
        XCTAssertEqual(try connection.query("SELECT author, downloads FROM models JOIN authors ON model = id").rows, [[.text("x"), .integer(5)]])
    }

    func testManifestListsEveryFileAndChecksTheirAddedColumns() throws {
        let manifest = DatasetManifest(name: "top", files: [snapshot("s/1.csv", "2023-08-01"), snapshot("s/2.csv", "007")])
        let yaml = manifest.yamlText()
        XCTAssertTrue(yaml.contains("  add_columns:\n    snapshot: '007'\n"), yaml)
        XCTAssertEqual(try DatasetManifest.parse(yaml, displayPath: "top.yaml"), manifest)
        XCTAssertThrowsDatasetError(try DatasetManifest.parse("""
            name: d
            files:
              - path: a.csv
                table: t
                add_columns: {snapshot: '1'}
              - path: b.csv
                table: t
            """, displayPath: "d.yaml")) { error in
            XCTAssertEqual(error.description, "d.yaml:6:5: expected the same add_columns as 'a.csv' (file 1), which goes into table 't' too, found none")
        }
        XCTAssertThrowsDatasetError(try DatasetManifest.parse("""
            name: d
            files:
              - {path: a.csv, table: t}
              - {path: a.csv, table: u}
            """, displayPath: "d.yaml")) { error in
            XCTAssertEqual(error.description, "d.yaml:4:5: expected each file once in a manifest, found 'a.csv' again (first as file 1)")
        }
    }
}
