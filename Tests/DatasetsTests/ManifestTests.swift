import Core
import Datasets
import Foundation
import TestSupport
import XCTest

final class ManifestTests: XCTestCase {
    func testImportManifestRoundTripsThroughYAMLText() throws {
        let text = """
            # a comment
            name: hf-2022
            description: "Models: with a colon"
            source: Liang et al. 2024
            files:
              - path: corpus/datasets/hf-2022/models.csv
                table: models
                format: csv
                sha256: \(String(repeating: "ab", count: 32))
                rows: 74970
                columns:
                  has_card: integer
                  downloads: real
            query_timeout: 90
            """
        let manifest = try DatasetManifest.parse(text, displayPath: "m.yaml")
        XCTAssertEqual(manifest.name, "hf-2022")
        XCTAssertEqual(manifest.description, "Models: with a colon")
        XCTAssertEqual(manifest.files?.first?.columns, ["has_card": .integer, "downloads": .real])
        XCTAssertEqual(manifest.files?.first?.rows, 74970)
        XCTAssertEqual(manifest.queryTimeout, 90)
        XCTAssertFalse(manifest.isAttached)
        let yaml = manifest.yamlText()
        XCTAssertEqual(try DatasetManifest.parse(yaml, displayPath: "m.yaml"), manifest)
        let keys = yaml.split(separator: "\n").filter { !$0.hasPrefix(" ") && !$0.hasPrefix("-") }.map { $0.split(separator: ":")[0] }
        XCTAssertEqual(keys, ["name", "description", "source", "files", "query_timeout"])
        XCTAssertTrue(yaml.contains("  columns:\n    downloads: real\n    has_card: integer\nquery_timeout: 90\n"), yaml)
    }

    func testAttachManifestAndFormatFromExtension() throws {
        let manifest = try DatasetManifest.parse("name: peatmoss-ancient\ndatabase: data/P.db\n", displayPath: "p.yaml")
        XCTAssertTrue(manifest.isAttached)
        XCTAssertEqual(try DatasetManifest.parse(manifest.yamlText(), displayPath: "p.yaml"), manifest)
        let files = try DatasetManifest.parse("name: x\nfiles:\n  - {path: a.ndjson, table: a}\n  - {path: b.TSV, table: b}\n",
                                              displayPath: "x.yaml")
        XCTAssertEqual(files.files?.map(\.resolvedFormat), [.jsonl, .tsv])
    }

    func testLoadReadsAFile() throws {
        let directory = try TestPaths.temporaryDirectory(for: self)
        let url = directory.appendingPathComponent("d.yaml")
        try "name: d\nfiles:\n  - path: a.csv\n    table: a\n".write(to: url, atomically: true, encoding: .utf8)
        XCTAssertEqual(try DatasetManifest.load(from: url, displayPath: "corpus/datasets/d.yaml").files?.first?.table, "a")
        XCTAssertThrowsDatasetError(try DatasetManifest.load(from: directory.appendingPathComponent("none.yaml"), displayPath: "none.yaml")) {
            XCTAssertEqual($0.location?.file, "none.yaml")
        }
    }

    func testSchemaErrorsNameLineAndColumn() {
        func check(_ yaml: String, _ expected: String, file: StaticString = #filePath, line: UInt = #line) {
            XCTAssertThrowsDatasetError(try DatasetManifest.parse(yaml, displayPath: "d.yaml"), { error in
                XCTAssertEqual(error.description, expected, file: file, line: line)
            }, file: file, line: line)
        }
        check("name: d\n", "d.yaml:1:1: expected either 'files' (data to import) or 'database' (an SQLite file to attach), found neither")
        check("name: d\ndatabase: x.db\nfiles:\n  - {path: a.csv, table: a}\n", "d.yaml:1:1: expected either 'files' or 'database', found both")
        check("name: bad name\ndatabase: x.db\n", "d.yaml:1:7: expected a dataset name of letters, digits, '_', '.' and '-', found 'bad name'")
        check("name: d\nfiles:\n  - path: a.csv\n    table: 1st\n", "d.yaml:4:12: expected a table name that is an SQL identifier (a letter or '_', then letters, digits or '_'), found '1st'")
        check("name: d\nfiles:\n  - path: a.csv\n    tabel: a\n", "d.yaml:4:5: expected one of the keys path, table, format, sha256, rows, columns, outside, add_columns in a file entry, found 'tabel'")
        check("name: d\nfiles:\n  - path: a.dat\n    table: a\n", "d.yaml:3:5: expected a 'format' (csv, tsv, jsonl, json) for 'a.dat', whose extension does not imply one (.csv, .tsv, .jsonl, .json, each optionally followed by .gz)")
        check("name: d\nfiles:\n  - path: a.csv\n    table: a\n    columns: {n: float}\n",
              "d.yaml:5:18: expected the type of column 'n' to be one of integer, real, text, boolean, found 'float'")
        check("name: d\ndatabase: x.db\nquery_timeout: soon\n", "d.yaml:3:16: expected query_timeout as a positive number of seconds, found 'soon'")
        check("name: [d\n", "d.yaml:2:1: invalid YAML: while parsing a flow sequence (at 1:7), did not find expected ',' or ']'")
    }
}
