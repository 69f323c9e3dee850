import Core
import Datasets
import Foundation
import TestSupport
import XCTest

/// Checks against the ESEM 2024 replication data in ../shared/data (skipped when it is absent).
final class RealDataTests: XCTestCase {
    func testAttachPeaTMOSSAncientReadOnlyWithoutCopying() throws {
        let database = try TestPaths.sharedData("hf/esem2024-ptm-quantify/PeaTMOSS_ANCIENT.db")
        let before = try FileManager.default.attributesOfItem(atPath: database.path)
        let hashBefore = try ContentHash.sha256(fileAt: database)
        let study = try Study(self)
        let manifest = DatasetManifest(name: "peatmoss-ancient", database: database.path, outside: true)
        let prepared = try study.store.prepare(manifest)
        XCTAssertTrue(prepared.isAttached)
        XCTAssertEqual(prepared.databaseURL.path, database.path)
        XCTAssertEqual(prepared.manifest.sha256, hashBefore)
        let connection = try study.store.open(prepared)
        let result = try connection.query("SELECT COUNT(*), COUNT(DISTINCT modelId), SUM(downloads_last_month) FROM PeaTMOSS_ANCIENT")
        XCTAssertEqual(result.rows.first?[0], .integer(10_406))
        XCTAssertEqual(result.rows.first?[1], .integer(10_406))
        XCTAssertEqual(try XCTUnwrap(result.rows.first?[2].doubleValue), 52_032_998, accuracy: 0.5)
        let table = try XCTUnwrap(connection.describe().first)
        XCTAssertEqual(table.name, "PeaTMOSS_ANCIENT")
        XCTAssertEqual(table.columns.map(\.declaredType), ["TEXT", "FLOAT"])
        XCTAssertEqual(table.rowCount, 10_406)
        XCTAssertThrowsError(try connection.query("DELETE FROM PeaTMOSS_ANCIENT"))
        try connection.close()

        let again = try study.store.prepare(prepared.manifest)
        XCTAssertEqual(again.manifest, prepared.manifest, "the cached hash is reused")
        let copies = try FileManager.default.subpathsOfDirectory(atPath: study.root.path).filter { $0.hasSuffix(".db") || $0.hasSuffix(".sqlite") }
        XCTAssertEqual(copies, [], "an attached database is never copied")
        let after = try FileManager.default.attributesOfItem(atPath: database.path)
        XCTAssertEqual(after[.modificationDate] as? Date, before[.modificationDate] as? Date)
        XCTAssertEqual(try ContentHash.sha256(fileAt: database), hashBefore)
    }

    func testImportBaseModelDescendantsCSV() throws {
        let csv = try TestPaths.sharedData("hf/esem2024-ptm-quantify/base_model_descendants_downloads.csv")
        var expectedCount = 0
        var expectedRows = 0
        for line in try String(contentsOf: csv, encoding: .utf8).split(separator: "\n").dropFirst() where !line.isEmpty {
            let fields = line.split(separator: ",", omittingEmptySubsequences: false)
            expectedCount += try XCTUnwrap(Int(fields[fields.count - 2]))
            expectedRows += 1
        }
        XCTAssertEqual(expectedRows, 3_471)
        let study = try Study(self)
        let manifest = DatasetManifest(name: "descendants", files: [.init(path: csv.path, table: "descendants", outside: true)])
        let prepared = try study.store.prepare(manifest)
        XCTAssertEqual(prepared.manifest.files?.first?.rows, 3_471)
        XCTAssertEqual(prepared.manifest.files?.first?.sha256, try ContentHash.sha256(fileAt: csv))
        let connection = try study.store.open(prepared)
        XCTAssertEqual(try connection.query("SELECT COUNT(*), SUM(count) FROM descendants").rows,
                       [[.integer(3_471), .integer(Int64(expectedCount))]])
        XCTAssertEqual(try connection.describe().first?.columns.map(\.declaredType), ["TEXT", "INTEGER", "INTEGER"])
    }
}
