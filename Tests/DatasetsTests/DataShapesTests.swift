import Core
import Datasets
import Foundation
import TestSupport
import XCTest

/// The shapes real data comes in (issue 16.3): pandas' CSV index, other delimiters, JSON objects
/// that hold records.
final class DataShapesTests: XCTestCase {
    private func columns(_ connection: QueryConnection) throws -> [String] {
        try XCTUnwrap(connection.describe().first).columns.map(\.name)
    }

    func testPandasIndexColumnIsNamedAsPandasReadsIt() throws {
        let study = try Study(self)
        // What DataFrame.to_csv writes by default: the index under an empty header.
        try study.write(",model,downloads\n0,bert,10\n1,gpt2,20\n", to: "p.csv")
        let (_, connection) = try study.importFile("p.csv")
        XCTAssertEqual(try columns(connection), ["Unnamed: 0", "model", "downloads"])
        XCTAssertEqual(try connection.query("SELECT \"Unnamed: 0\", model FROM t ORDER BY 1").rows,
                       [[.integer(0), .text("bert")], [.integer(1), .text("gpt2")]])
        try study.write("a,,b,\n1,2,3,4\n", to: "q.csv")
        XCTAssertEqual(try columns(study.importFile("q.csv").1), ["a", "Unnamed: 1", "b", "Unnamed: 3"])
    }

    func testSemicolonAndTabSeparatedCSVAreDetected() throws {
        let study = try Study(self)
        try study.write("id;score;note\nm1;2,5;\"a;b\"\nm2;3;x\n", to: "semi.csv")
        let (_, semi) = try study.importFile("semi.csv")
        XCTAssertEqual(try columns(semi), ["id", "score", "note"])
        XCTAssertEqual(try semi.query("SELECT id, score, note FROM t ORDER BY id").rows,
                       [[.text("m1"), .text("2,5"), .text("a;b")], [.text("m2"), .text("3"), .text("x")]])
        try study.write("id\tdownloads\nm1\t10\nm2\t\"20\"\n", to: "tabs.csv")
        XCTAssertEqual(try study.importFile("tabs.csv").1.query("SELECT SUM(downloads) FROM t").rows, [[.integer(30)]])
        try study.write("name\n\"a, b\"\nc\n", to: "one.csv")
        XCTAssertEqual(try columns(study.importFile("one.csv").1), ["name"], "one column with commas only inside quotes")
        try study.write("a;b\n1;2\n3\n", to: "ragged.csv")
        XCTAssertThrowsDatasetError(try study.importFile("ragged.csv")) { error in
            XCTAssertEqual(error.description, "ragged.csv:3: expected 2 fields as in the header, found 1 field")
        }
        try study.write("a;b\n\"1\"x;2\n", to: "quote.csv")
        XCTAssertThrowsDatasetError(try study.importFile("quote.csv")) { error in
            XCTAssertEqual(error.message, "expected ';' or the end of the line after a closing quote, found 'x'")
        }
    }

    func testJSONObjectHoldingOneArrayOfRecords() throws {
        let study = try Study(self)
        try study.write("""
            {"models": [
              {"id": "bert", "downloads": 10},
              {"id": "gpt2", "downloads": 20, "tags": ["nlp"]}
            ]}
            """, to: "wrapped.json")
        let (prepared, connection) = try study.importFile("wrapped.json")
        XCTAssertEqual(prepared.inputs.first?.rows, 2)
        XCTAssertEqual(try columns(connection), ["id", "downloads", "tags"])
        XCTAssertEqual(try connection.query("SELECT SUM(downloads) FROM t").rows, [[.integer(30)]])
        try study.write("{\"models\": []}", to: "none.json")
        XCTAssertThrowsDatasetError(try study.importFile("none.json")) { error in
            XCTAssertEqual(error.message, "expected at least one object with a key, found no columns")
        }
        try study.write("{\"models\": [{\"a\": 1}], \"total\": 1}", to: "more.json")
        XCTAssertThrowsDatasetError(try study.importFile("more.json")) { error in
            XCTAssertEqual(error.description, "more.json:1:22: expected '}' closing the object after its array 'models' (an object holding records must hold only that array), found ','")
        }
    }

    func testJSONObjectOfRecordsKeyedByID() throws {
        let study = try Study(self)
        try study.write("""
            {
              "bert-base": {"downloads": 10, "library": "transformers"},
              "caf\\u00e9": {"downloads": 2.5},
              "resnet": {"downloads": 7, "gated": true}
            }
            """, to: "keyed.json")
        let (prepared, connection) = try study.importFile("keyed.json")
        XCTAssertEqual(prepared.inputs.first?.rows, 3)
        XCTAssertEqual(try columns(connection), ["key", "downloads", "library", "gated"])
        XCTAssertEqual(try connection.query("SELECT key, downloads, library, gated FROM t ORDER BY key").rows, [
            [.text("bert-base"), .real(10), .text("transformers"), .null],
            [.text("café"), .real(2.5), .null, .null],
            [.text("resnet"), .real(7), .null, .integer(1)],
        ])
        try study.write("{\"a\": {\"key\": 1}}", to: "clash.json")
        XCTAssertThrowsDatasetError(try study.importFile("clash.json")) { error in
            XCTAssertEqual(error.description, "clash.json:1:2: expected records without a member named 'key' (the column that holds each record's key), found one in the record 'a'")
        }
        try study.write("{\"a\": {\"x\": 1},\n \"b\": 2}", to: "mixed.json")
        XCTAssertThrowsDatasetError(try study.importFile("mixed.json")) { error in
            XCTAssertEqual(error.description, "mixed.json:2:7: expected a record (an object) for the key 'b', as for the keys before it, found '2'")
        }
    }

    func testJSONShapesThatAreNotTablesAreClearErrors() throws {
        let study = try Study(self)
        let cases = [
            ("{\"count\": 3}", "scalar.json:1:2: expected a JSON array of objects, an object whose one member holds such an array, or an object of objects keyed by id, found an object whose member 'count' holds a number"),
            ("{\"name\": \"x\"}", "string.json:1:2: expected a JSON array of objects, an object whose one member holds such an array, or an object of objects keyed by id, found an object whose member 'name' holds a string"),
            ("{}", "empty.json:1:2: expected a member holding an array of records, or records keyed by id, in the object, found '}'"),
            ("\"text\"", "text.json:1:1: expected a JSON array of objects starting with '[', found '\"'"),
        ]
        for (index, (text, description)) in cases.enumerated() {
            let name = description.split(separator: ":")[0]
            try study.write(text, to: String(name))
            XCTAssertThrowsDatasetError(try study.importFile(String(name)), { error in
                XCTAssertEqual(error.description, description, "case \(index)")
            })
        }
    }
}
