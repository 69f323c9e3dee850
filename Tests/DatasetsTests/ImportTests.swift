import Core
import Datasets
import Foundation
import TestSupport
import XCTest

/// A temporary study with data files written by the test.
struct Study {
    let root: URL
    let store: DatasetStore

    init(_ testCase: XCTestCase) throws {
        root = try TestPaths.temporaryDirectory(for: testCase)
        store = DatasetStore(studyRoot: root)
    }

    func write(_ text: String, to path: String) throws {
        try write(Data(text.utf8), to: path)
    }

    func write(_ data: Data, to path: String) throws {
        let url = root.appendingPathComponent(path)
        try FileManager.default.createDirectory(at: url.deletingLastPathComponent(), withIntermediateDirectories: true)
        try data.write(to: url)
    }

    /// Imports one file into table `t` and opens the result.
    func importFile(_ path: String, format: DataFormat? = nil, columns: [String: ColumnType]? = nil)
        throws -> (PreparedDataset, QueryConnection)
    {
        let manifest = DatasetManifest(name: "d", files: [.init(path: path, table: "t", format: format, columns: columns)])
        let prepared = try store.prepare(manifest)
        return (prepared, try store.open(prepared))
    }
}

func XCTAssertThrowsDatasetError(_ expression: @autoclosure () throws -> Any, _ check: (DatasetError) -> Void,
                                 file: StaticString = #filePath, line: UInt = #line) {
    XCTAssertThrowsError(try expression(), file: file, line: line) { error in
        guard let error = error as? DatasetError else {
            return XCTFail("expected a DatasetError, got \(error)", file: file, line: line)
        }
        check(error)
    }
}

final class ImportTests: XCTestCase {
    func testInfersIntegerRealBooleanTextAndEmptyAsNull() throws {
        let study = try Study(self)
        try study.write("""
            id,score,flag,label,mixed,blank,zip
            1,2.5,True,a,1,,007
            -2,3,false,b,x,,010
            3,1e3,False,,2.0,,123

            """, to: "x.csv")
        let (prepared, connection) = try study.importFile("x.csv")
        XCTAssertTrue(prepared.didImport)
        XCTAssertEqual(prepared.manifest.files?.first?.rows, 3)
        let table = try XCTUnwrap(connection.describe().first)
        XCTAssertEqual(table.name, "t")
        XCTAssertEqual(table.rowCount, 3)
        XCTAssertEqual(table.columns.map(\.declaredType), ["INTEGER", "REAL", "BOOLEAN", "TEXT", "TEXT", "TEXT", "TEXT"])
        let result = try connection.query("SELECT id, score, flag, label, mixed, blank, zip FROM t ORDER BY rowid")
        XCTAssertEqual(result.columns, ["id", "score", "flag", "label", "mixed", "blank", "zip"])
        XCTAssertEqual(result.rows[0], [.integer(1), .real(2.5), .integer(1), .text("a"), .text("1"), .null, .text("007")])
        XCTAssertEqual(result.rows[1], [.integer(-2), .real(3), .integer(0), .text("b"), .text("x"), .null, .text("010")])
        XCTAssertEqual(result.rows[2], [.integer(3), .real(1000), .integer(0), .null, .text("2.0"), .null, .text("123")])
        XCTAssertEqual(try connection.query("PRAGMA page_size").rows, [[.integer(32_768)]],
                       "the derived database is written with 32 KiB pages, for bulk writes and whole-table scans")
    }

    func testOverridesWinAndMisfitsNameFileLineColumnAndValue() throws {
        let study = try Study(self)
        try study.write("name,has_card,n\nm1,True,1\nm2,False,2\n", to: "m.csv")
        let (_, connection) = try study.importFile("m.csv", columns: ["has_card": .integer, "n": .text])
        XCTAssertEqual(try connection.describe().first?.columns.map(\.declaredType), ["TEXT", "INTEGER", "TEXT"])
        XCTAssertEqual(try connection.query("SELECT has_card, n FROM t ORDER BY rowid").rows,
                       [[.integer(1), .text("1")], [.integer(0), .text("2")]])

        try study.write("name,n\nm1,1\nm2,many\n", to: "bad.csv")
        XCTAssertThrowsDatasetError(try study.importFile("bad.csv", columns: ["n": .integer])) { error in
            XCTAssertEqual(error.location, SourceLocation(file: "bad.csv", line: 3, column: 4))
            XCTAssertEqual(error.message, "column 'n' is declared integer in the manifest, found 'many'")
        }
        XCTAssertThrowsDatasetError(try study.importFile("bad.csv", columns: ["nope": .integer])) { error in
            XCTAssertTrue(error.message.contains("a column named 'nope'"), error.message)
        }
    }

    func testQuotedFieldsCRLFAndByteOrderMark() throws {
        let study = try Study(self)
        var data = Data([0xEF, 0xBB, 0xBF])
        data.append(Data("a,\"b c\"\r\n\"x, y\",\"say \"\"hi\"\"\"\r\n\"two\r\nlines\",\"\"\r\nplain,é\r\n".utf8))
        try study.write(data, to: "q.csv")
        let (prepared, connection) = try study.importFile("q.csv")
        XCTAssertEqual(prepared.inputs.first?.sha256, ContentHash.sha256(data))
        let result = try connection.query("SELECT * FROM t ORDER BY rowid")
        XCTAssertEqual(result.columns, ["a", "b c"])
        XCTAssertEqual(result.rows, [[.text("x, y"), .text("say \"hi\"")], [.text("two\r\nlines"), .null], [.text("plain"), .text("é")]])
    }

    func testTabSeparatedValues() throws {
        let study = try Study(self)
        try study.write("a\tb\n1\tx,\"y\"\n2\t\n", to: "v.tsv")
        let (_, connection) = try study.importFile("v.tsv")
        XCTAssertEqual(try connection.query("SELECT a, b FROM t ORDER BY a").rows, [[.integer(1), .text("x,\"y\"")], [.integer(2), .null]])
    }

    func testRaggedRowsAreErrorsWithLocation() throws {
        let study = try Study(self)
        try study.write("a,b\n1,2\n3,4,5\n", to: "r.csv")
        XCTAssertThrowsDatasetError(try study.importFile("r.csv")) { error in
            XCTAssertEqual(error.description, "r.csv:3:5: expected 2 fields as in the header, found 3 fields")
        }
        try study.write("a,b\n1\n", to: "s.csv")
        XCTAssertThrowsDatasetError(try study.importFile("s.csv")) { error in
            XCTAssertEqual(error.description, "s.csv:2: expected 2 fields as in the header, found 1 field")
        }
    }

    func testMalformedQuotingIsAnError() throws {
        let study = try Study(self)
        try study.write("a,b\n\"x\"y,2\n", to: "m.csv")
        XCTAssertThrowsDatasetError(try study.importFile("m.csv")) { error in
            XCTAssertEqual(error.description, "m.csv:2:4: expected a comma or the end of the line after a closing quote, found 'y'")
        }
        try study.write("a,b\n1,\"open\n", to: "u.csv")
        XCTAssertThrowsDatasetError(try study.importFile("u.csv")) { error in
            XCTAssertEqual(error.description, "u.csv:2:3: expected a closing quote for the field that starts here, found the end of the file")
        }
    }

    func testInvalidUTF8IsAnErrorWithLocation() throws {
        let study = try Study(self)
        var data = Data("a,b\nok,fine\nxé,".utf8)
        data.append(contentsOf: [0x61, 0xFF, 0x62])
        data.append(Data("\n".utf8))
        try study.write(data, to: "bad.csv")
        XCTAssertThrowsDatasetError(try study.importFile("bad.csv")) { error in
            XCTAssertEqual(error.description, "bad.csv:3:5: expected UTF-8 text, found the byte 0xFF")
        }
    }

    func testDuplicateOrEmptyHeaderNamesAreErrors() throws {
        let study = try Study(self)
        try study.write("id,name,ID\n1,2,3\n", to: "d.csv")
        XCTAssertThrowsDatasetError(try study.importFile("d.csv")) { error in
            XCTAssertEqual(error.description, "d.csv:1:9: expected distinct column names in the header, found 'ID' again (first as column 1)")
        }
        try study.write("id, ,x\n1,2,3\n", to: "e.csv")
        XCTAssertThrowsDatasetError(try study.importFile("e.csv")) { error in
            XCTAssertEqual(error.description, "e.csv:1:4: expected a column name in the header, found an empty name (column 2)")
        }
        try study.write("", to: "empty.csv")
        XCTAssertThrowsDatasetError(try study.importFile("empty.csv")) { error in
            XCTAssertEqual(error.message, "expected a header row naming the columns, found an empty file")
        }
    }

    func testHeaderNamesNeedingQuotesAreKept() throws {
        let study = try Study(self)
        try study.write("\"select\",\"a \"\"b\"\"\",x-y\n1,2,3\n", to: "h.csv")
        let (_, connection) = try study.importFile("h.csv")
        let result = try connection.query("SELECT \"select\", \"a \"\"b\"\"\", \"x-y\" FROM t")
        XCTAssertEqual(result.columns, ["select", "a \"b\"", "x-y"])
        XCTAssertEqual(result.rows, [[.integer(1), .integer(2), .integer(3)]])
    }

    func testJSONLinesUnionOfKeysAndNestedValuesAsJSON() throws {
        let study = try Study(self)
        try study.write("""
            {"id": "m1", "downloads": 10, "tags": ["nlp", "bert"], "card": {"lang": "en"}}

            {"id": "m2", "downloads": 2.5, "private": false, "note": "caf\\u00e9 \\"x\\"", "tags": []}
            {"id": "m3", "downloads": null, "private": true}
            """, to: "m.jsonl")
        let (prepared, connection) = try study.importFile("m.jsonl")
        XCTAssertEqual(prepared.inputs.first?.rows, 3)
        let table = try XCTUnwrap(connection.describe().first)
        XCTAssertEqual(table.columns.map(\.name), ["id", "downloads", "tags", "card", "private", "note"])
        XCTAssertEqual(table.columns.map(\.declaredType), ["TEXT", "REAL", "TEXT", "TEXT", "BOOLEAN", "TEXT"])
        let result = try connection.query("""
            SELECT id, downloads, json_extract(tags, '$[1]'), json_extract(card, '$.lang'), private, note
            FROM t ORDER BY id
            """)
        XCTAssertEqual(result.rows, [
            [.text("m1"), .real(10), .text("bert"), .text("en"), .null, .null],
            [.text("m2"), .real(2.5), .null, .null, .integer(0), .text("café \"x\"")],
            [.text("m3"), .null, .null, .null, .integer(1), .null],
        ])
    }

    func testJSONArrayOfObjects() throws {
        let study = try Study(self)
        try study.write("""
            [
              {"a": 1, "b": "x"},
              {"a": 2, "b": "[1,2]", "c": {"d": [true, null]}}
            ]
            """, to: "a.json")
        let (_, connection) = try study.importFile("a.json")
        XCTAssertEqual(try connection.query("SELECT a, b, json_extract(c, '$.d[0]') FROM t ORDER BY a").rows,
                       [[.integer(1), .text("x"), .null], [.integer(2), .text("[1,2]"), .integer(1)]])
    }

    func testJSONSyntaxErrorsHaveLocations() throws {
        let study = try Study(self)
        try study.write("{\"a\": 1}\n{\"a\": 2,, \"b\": 3}\n", to: "bad.jsonl")
        XCTAssertThrowsDatasetError(try study.importFile("bad.jsonl")) { error in
            XCTAssertEqual(error.description, "bad.jsonl:2:9: expected a key in double quotes, found ','")
        }
        try study.write("[\n  {\"a\": 1},\n  {\"a\": tru}\n]\n", to: "bad.json")
        XCTAssertThrowsDatasetError(try study.importFile("bad.json")) { error in
            XCTAssertEqual(error.location, SourceLocation(file: "bad.json", line: 3, column: 9))
            XCTAssertTrue(error.message.hasPrefix("expected a JSON value"), error.message)
        }
        try study.write("[{\"a\": 1},]", to: "comma.json")
        XCTAssertThrowsDatasetError(try study.importFile("comma.json")) { error in
            XCTAssertEqual(error.description, "comma.json:1:11: expected an object after ',', found ']'")
        }
        try study.write("[{\"a\": 1}", to: "open.json")
        XCTAssertThrowsDatasetError(try study.importFile("open.json")) { error in
            XCTAssertEqual(error.description, "open.json:1:10: expected ',' or ']', found the end of the file")
        }
        try study.write("{\"a\": \"x\u{01}\"}\n", to: "control.jsonl")
        XCTAssertThrowsDatasetError(try study.importFile("control.jsonl")) { error in
            XCTAssertEqual(error.location, SourceLocation(file: "control.jsonl", line: 1, column: 9))
        }
    }

    /// Records that straddle the 1 MiB read chunks, including quoted fields with line breaks.
    func testLargeFileAcrossChunkBoundaries() throws {
        let study = try Study(self)
        var text = "id,value,note\n"
        var expectedSum = 0
        for id in 0..<60_000 {
            let value = (id * 7919) % 1000
            expectedSum += value
            text += id % 97 == 0 ? "\(id),\(value),\"multi\nline, \"\"quoted\"\"\"\n" : "\(id),\(value),a longer note for row \(id) to fill the chunks\n"
        }
        try study.write(text, to: "big.csv")
        XCTAssertGreaterThan(text.utf8.count, 3 << 20)
        let (_, connection) = try study.importFile("big.csv")
        let result = try connection.query("SELECT COUNT(*), SUM(value), SUM(note = 'multi\nline, \"quoted\"') FROM t")
        XCTAssertEqual(result.rows, [[.integer(60_000), .integer(Int64(expectedSum)), .integer(Int64((60_000 + 96) / 97))]])
    }

    func testReimportsOnlyWhenAnInputChanges() throws {
        let study = try Study(self)
        try study.write("a\n1\n2\n", to: "x.csv")
        let manifest = DatasetManifest(name: "d", files: [.init(path: "x.csv", table: "t")])
        let first = try study.store.prepare(manifest)
        XCTAssertTrue(first.didImport)
        let second = try study.store.prepare(first.manifest)
        XCTAssertFalse(second.didImport)
        XCTAssertEqual(second.manifest, first.manifest)

        try study.write("a\n1\n2\n3\n", to: "x.csv")
        let third = try study.store.prepare(second.manifest)
        XCTAssertTrue(third.didImport)
        XCTAssertEqual(third.manifest.files?.first?.rows, 3)
        XCTAssertNotEqual(third.manifest.files?.first?.sha256, first.manifest.files?.first?.sha256)
        XCTAssertEqual(try study.store.open(third).query("SELECT SUM(a) FROM t").rows, [[.integer(6)]])

        var overridden = manifest
        overridden.files?[0].columns = ["a": .real]
        XCTAssertTrue(try study.store.prepare(overridden).didImport, "a changed column type rebuilds the table")

        try FileManager.default.removeItem(at: study.root.appendingPathComponent(".triangulate"))
        XCTAssertTrue(try study.store.prepare(manifest).didImport, "a deleted .triangulate is rebuilt")
    }

    func testFailedImportKeepsThePreviousVersion() throws {
        let study = try Study(self)
        try study.write("a\n1\n2\n", to: "x.csv")
        let manifest = DatasetManifest(name: "d", files: [.init(path: "x.csv", table: "t")])
        let good = try study.store.prepare(manifest)
        try study.write("a\n1\n\"broken\n", to: "x.csv")
        XCTAssertThrowsError(try study.store.prepare(manifest))
        XCTAssertEqual(try study.store.open(good).query("SELECT COUNT(*) FROM t").rows, [[.integer(2)]])
        let leftovers = try FileManager.default.contentsOfDirectory(atPath: study.store.directory.path).filter { $0.hasSuffix(".tmp") }
        XCTAssertEqual(leftovers, [])
    }

    func testMissingFileAndNonObjectElementsAreErrors() throws {
        let study = try Study(self)
        XCTAssertThrowsDatasetError(try study.importFile("absent.csv")) { error in
            XCTAssertEqual(error.location?.file, "absent.csv")
            XCTAssertTrue(error.message.hasPrefix("cannot read"), error.message)
        }
        try study.write("[{\"a\": 1}, 2]", to: "n.json")
        XCTAssertThrowsDatasetError(try study.importFile("n.json")) { error in
            XCTAssertEqual(error.description, "n.json:1:12: expected an object ('{') as an array element, found '2'")
        }
    }

    func testProgressIsReported() throws {
        let study = try Study(self)
        try study.write("a\n" + (1...40_000).map(String.init).joined(separator: "\n"), to: "p.csv")
        let log = ProgressLog()
        _ = try study.store.prepare(DatasetManifest(name: "p", files: [.init(path: "p.csv", table: "t")]), progress: log.record)
        let last = try XCTUnwrap(log.events.last)
        XCTAssertEqual(last.phase, .inserting)
        XCTAssertEqual(last.rows, 40_000)
        XCTAssertEqual(last.bytesRead, last.totalBytes)
        XCTAssertTrue(log.events.contains { $0.phase == .scanning && $0.rows == 16_384 })
    }
}

final class ProgressLog: @unchecked Sendable {
    private let lock = NSLock()
    private var stored: [ImportProgress] = []
    var events: [ImportProgress] { lock.withLock { stored } }
    var record: @Sendable (ImportProgress) -> Void { { event in self.lock.withLock { self.stored.append(event) } } }
}
