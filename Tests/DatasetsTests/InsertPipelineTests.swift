import Core
@testable import Datasets
import Foundation
import TestSupport
import XCTest

/// The second pass as a pipeline: producers convert rows into batches, one thread inserts them
/// with multi-row statements, in file order whatever the threads do.
final class InsertPipelineTests: XCTestCase {
    func testPiecesOfALargeFileGoInInFileOrderWithTheirAddedColumn() throws {
        let study = try Study(self)
        var text = "id,value,flag,note\n"
        let rows = 130_001  // not a multiple of the rows a statement takes
        for id in 0..<rows {
            text += "\(id),\(id % 7 == 0 ? "" : String(Double(id) / 4)),\(id % 3 == 0),\"note \(id), padded with words to make the file large\"\n"
        }
        try study.write(text, to: "big.csv")
        let file = DatasetManifest.DataFile(path: "big.csv", table: "t", addColumns: ["snapshot": "2024-01"])
        let scan = try Importer(progress: nil).scan(file, url: study.root.appendingPathComponent("big.csv"))
        XCTAssertGreaterThan(try XCTUnwrap(scan.cuts, "a large plain CSV file is cut into pieces").count, 2)

        let prepared = try study.store.prepare(DatasetManifest(name: "d", files: [file]))
        XCTAssertEqual(prepared.inputs.first?.rows, rows)
        let connection = try study.store.open(prepared)
        let all = try connection.query("SELECT rowid, id, value, flag, note, snapshot FROM t ORDER BY rowid").rows
        XCTAssertEqual(all.count, rows)
        for (index, row) in all.enumerated() where index % 9_973 == 0 || index == rows - 1 {
            XCTAssertEqual(row, [.integer(Int64(index + 1)), .integer(Int64(index)),
                                 index % 7 == 0 ? .null : .real(Double(index) / 4), .integer(index % 3 == 0 ? 1 : 0),
                                 .text("note \(index), padded with words to make the file large"), .text("2024-01")], "row \(index)")
        }
        XCTAssertEqual(all.map { $0[1] }, (0..<rows).map { DataValue.integer(Int64($0)) }, "every row once, in the file's order")
    }

    func testAWideTableTakesFewerRowsAStatement() throws {
        let study = try Study(self)
        let columns = 400, rows = 301  // SQLite's 32,766 parameters hold 81 rows of 400 columns
        var text = (0..<columns).map { "c\($0)" }.joined(separator: ",") + "\n"
        for row in 0..<rows { text += (0..<columns).map { String(row * columns + $0) }.joined(separator: ",") + "\n" }
        try study.write(text, to: "wide.csv")
        let (prepared, connection) = try study.importFile("wide.csv")
        XCTAssertEqual(prepared.inputs.first?.rows, rows)
        XCTAssertEqual(try connection.query("SELECT COUNT(*), SUM(c0), SUM(c399), MIN(c123) FROM t").rows,
                       [[.integer(Int64(rows)), .integer(Int64((0..<rows).reduce(0) { $0 + $1 * columns })),
                         .integer(Int64((0..<rows).reduce(0) { $0 + $1 * columns + 399 })), .integer(123)]])
        XCTAssertEqual(try connection.query("SELECT c5 FROM t ORDER BY rowid LIMIT 3").rows, [[.integer(5)], [.integer(405)], [.integer(805)]])
    }

    private static func batch(_ tag: Int) -> RowBatch {
        let batch = RowBatch(capacity: 1, columns: 1)
        batch.values = [.integer(Int64(tag))]
        batch.rows = 1
        return batch
    }

    private static func tag(_ batch: RowBatch) -> Int {
        guard case .integer(let tag) = batch.values[0] else { return -1 }
        return Int(tag)
    }

    func testBatchesArriveInPieceOrderWhateverTheThreads() throws {
        var seen: [Int] = []
        try InsertPipeline(workers: 3, capacity: 1).run(pieces: 5, produce: { piece, channel in
            for index in 0..<20 {
                if (piece + index) % 4 == 0 { usleep(200) }
                guard channel.put(Self.batch(piece * 100 + index)) else { throw PipelineStopped() }
            }
        }, consume: { seen.append(Self.tag($0)) })
        XCTAssertEqual(seen, (0..<5).flatMap { piece in (0..<20).map { piece * 100 + $0 } })
    }

    struct Refused: Error, Equatable { var at: Int }

    func testAnErrorOnEitherSideStopsBothWithoutHanging() {
        // The inserter fails: the producers, blocked on full channels, stop too.
        XCTAssertThrowsError(try InsertPipeline(workers: 2, capacity: 1).run(pieces: 4, produce: { piece, channel in
            for index in 0..<1_000 { guard channel.put(Self.batch(piece * 1_000 + index)) else { throw PipelineStopped() } }
        }, consume: { batch in
            if Self.tag(batch) == 3 { throw Refused(at: 3) }
        })) { XCTAssertEqual($0 as? Refused, Refused(at: 3)) }

        // A producer fails: what it made before the error is inserted, then its error is thrown.
        var seen: [Int] = []
        XCTAssertThrowsError(try InsertPipeline(workers: 2, capacity: 2).run(pieces: 3, produce: { piece, channel in
            for index in 0..<5 {
                if piece == 1 && index == 2 { throw Refused(at: 102) }
                guard channel.put(Self.batch(piece * 100 + index)) else { throw PipelineStopped() }
            }
        }, consume: { seen.append(Self.tag($0)) })) { XCTAssertEqual($0 as? Refused, Refused(at: 102)) }
        XCTAssertEqual(seen, [0, 1, 2, 3, 4, 100, 101])
    }
}
