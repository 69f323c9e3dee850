import Core
@testable import Datasets
import Foundation
import TestSupport
import XCTest

/// The first pass over a large CSV file in parallel chunks: the same columns, types and row count
/// as the serial pass, whatever the cuts fall on, and the serial pass's located errors.
final class ParallelScanTests: XCTestCase {
    /// Rows of about 80 bytes (with ``padding``): 130,000 are above ``Importer/parallelScanBytes``.
    private func largeCSV(rows: Int = 130_000, line: (Int) -> String) -> String {
        var text = "id,value,flag,note\n"
        text.reserveCapacity(rows * 90)
        for id in 0..<rows { text += line(id) }
        return text
    }

    private let padding = "padded with words until the file is large enough to be split"

    private func scans(_ study: Study, _ path: String, columns: [String: ColumnType]? = nil)
        throws -> (chunked: (columns: [String], shapes: [ShapeSet], declared: [ColumnType?], rows: Int, cuts: [Int64],
                             dialect: DelimitedSource.Dialect)?, serial: FileScan)
    {
        let file = DatasetManifest.DataFile(path: path, table: "t", columns: columns)
        let url = study.root.appendingPathComponent(path)
        let importer = Importer(progress: nil)
        let chunked = importer.inferInChunks(file: file, url: url, format: .csv, workers: 3)
        // The serial pass alone: one worker never splits.
        XCTAssertNil(importer.inferInChunks(file: file, url: url, format: .csv, workers: 1))
        return (chunked, try importer.scan(file, url: url))
    }

    func testChunksGiveTheSerialColumnsTypesAndRows() throws {
        let study = try Study(self)
        let text = largeCSV { id in "\(id),\(Double(id) / 8),\(id % 3 == 0 ? "true" : "false"),\"note, with a comma \(id) \(padding)\"\n" }
        XCTAssertGreaterThan(text.utf8.count, Int(Importer.parallelScanBytes))
        try study.write(text, to: "big.csv")
        let (chunked, serial) = try scans(study, "big.csv")
        let parallel = try XCTUnwrap(chunked, "a file without line breaks in fields is split")
        XCTAssertEqual(parallel.columns, ["id", "value", "flag", "note"])
        XCTAssertEqual(parallel.rows, 130_000)
        XCTAssertEqual(parallel.shapes.map(\.inferredType), [.integer, .real, .boolean, .text])
        XCTAssertEqual(parallel.shapes.map(\.inferredType), serial.shapes.map(\.inferredType))
        XCTAssertEqual(ShapeSet.encode(parallel.shapes), ShapeSet.encode(serial.shapes))
        XCTAssertEqual(serial.rows, 130_000)
        // A type shows up in one late row only: every chunk's shapes count.
        try study.write(text + "130000,0.5,maybe,last\n", to: "late.csv")
        let late = try XCTUnwrap(try scans(study, "late.csv").chunked)
        XCTAssertEqual(late.shapes.map(\.inferredType), [.integer, .real, .text, .text])
        XCTAssertEqual(late.rows, 130_001)
    }

    func testCutsInsideQuotedFieldsThatLookLikeRecordsAreNotTrusted() throws {
        let study = try Study(self)
        // Every 50th note is a quoted field of 800 lines that each read as a whole record.
        let fake = String(repeating: "1,2,false,x\n", count: 800)
        let text = largeCSV(rows: 40_000) { id in
            id % 50 == 0 ? "\(id),\(id),true,\"\(fake)end\"\n" : "\(id),\(id),false,plain note \(id)\n"
        }
        XCTAssertGreaterThan(text.utf8.count, Int(Importer.parallelScanBytes))
        try study.write(text, to: "quoted.csv")
        let (chunked, serial) = try scans(study, "quoted.csv")
        XCTAssertEqual(serial.rows, 40_000)
        if let chunked { XCTAssertEqual(chunked.rows, 40_000, "a chunk may only be trusted when its cut is a record start") }
        let prepared = try study.store.prepare(DatasetManifest(name: "d", files: [.init(path: "quoted.csv", table: "t")]))
        XCTAssertEqual(prepared.inputs.first?.rows, 40_000)
        let connection = try study.store.open(prepared)
        XCTAssertEqual(try connection.query("SELECT COUNT(*), SUM(flag) FROM t").rows, [[.integer(40_000), .integer(800)]])
    }

    func testErrorsFarIntoALargeFileKeepTheirSerialLocation() throws {
        let study = try Study(self)
        let ragged = largeCSV { id in id == 120_000 ? "\(id),1,true\n" : "\(id),1,true,note \(id) \(self.padding)\n" }
        XCTAssertGreaterThan(ragged.utf8.count, Int(Importer.parallelScanBytes))
        try study.write(ragged, to: "ragged.csv")
        XCTAssertThrowsDatasetError(try study.importFile("ragged.csv")) { error in
            XCTAssertEqual(error.description, "ragged.csv:120002: expected 4 fields as in the header, found 3 fields")
        }
        let misfit = largeCSV { id in id == 100_000 ? "\(id),seven,true,x\n" : "\(id),\(id),true,\(self.padding)\n" }
        try study.write(misfit, to: "misfit.csv")
        XCTAssertThrowsDatasetError(try study.importFile("misfit.csv", columns: ["value": .integer])) { error in
            XCTAssertTrue(error.description.hasPrefix("misfit.csv:100002:8: "), error.description)
        }
        var bytes = Data(largeCSV { id in "\(id),\(id),true,\(self.padding) x\n" }.utf8)
        bytes.replaceSubrange(bytes.count - 3..<bytes.count - 2, with: [0xFF])
        try study.write(bytes, to: "bad.csv")
        XCTAssertThrowsDatasetError(try study.importFile("bad.csv")) { error in
            XCTAssertTrue(error.description.hasPrefix("bad.csv:130001:"), error.description)
            XCTAssertTrue(error.description.contains("UTF-8"), error.description)
        }
    }
}
