import Core
import Datasets
import Foundation
import TestSupport
import XCTest

final class ProfileTests: XCTestCase {
    func testProfileCountsNullsDistinctValuesAndRanges() throws {
        let study = try Study(self)
        try study.write("""
            name,downloads,score,card,mixed,empty
            b,10,0.5,True,3,
            a,,2.5,False,x,
            c,10,,True,-1.5,
            a,7,-1,,abc,

            """, to: "m.csv")
        let (_, connection) = try study.importFile("m.csv")
        let profile = try connection.profile(table: "t")
        XCTAssertEqual(profile.name, "t")
        XCTAssertEqual(profile.rowCount, 4)
        XCTAssertEqual(profile.columns.map(\.name), ["name", "downloads", "score", "card", "mixed", "empty"])
        XCTAssertEqual(profile.columns.map(\.declaredType), ["TEXT", "INTEGER", "REAL", "BOOLEAN", "TEXT", "TEXT"])
        XCTAssertEqual(profile.columns.map(\.nullCount), [0, 1, 1, 1, 0, 4])
        XCTAssertEqual(profile.columns.map(\.nullShare), [0, 0.25, 0.25, 0.25, 0, 1])
        XCTAssertEqual(profile.columns.map(\.distinctCount), [3, 2, 3, 2, 4, 0])

        let name = profile.columns[0]
        XCTAssertEqual([name.minimumText, name.maximumText], ["a", "c"])
        XCTAssertEqual([name.minimumNumber, name.maximumNumber], [.null, .null])
        let downloads = profile.columns[1]
        XCTAssertEqual([downloads.minimumNumber, downloads.maximumNumber], [.integer(7), .integer(10)])
        XCTAssertNil(downloads.minimumText)
        XCTAssertEqual([profile.columns[2].minimumNumber, profile.columns[2].maximumNumber], [.real(-1), .real(2.5)])
        XCTAssertEqual([profile.columns[3].minimumNumber, profile.columns[3].maximumNumber], [.integer(0), .integer(1)])
        // The text column 'mixed' holds only text (CSV text stays text in a TEXT column).
        let mixed = profile.columns[4]
        XCTAssertEqual([mixed.minimumText, mixed.maximumText], ["-1.5", "x"])
        let empty = profile.columns[5]
        XCTAssertEqual([empty.minimumNumber, empty.maximumNumber], [.null, .null])
        XCTAssertNil(empty.maximumText)
    }

    /// JSON numbers in a column declared text are stored, and so ranged, as text.
    func testTextColumnsRangeByteOrderAndTableNamesMatchWithoutCase() throws {
        let study = try Study(self)
        try study.write("""
            {"v": 5}
            {"v": "zeta"}
            {"v": 2.5}
            {"v": "alpha"}
            {"v": null}
            """, to: "m.jsonl")
        let (_, connection) = try study.importFile("m.jsonl", columns: ["v": .text])
        let profile = try connection.profile(table: "T")
        XCTAssertEqual(profile.name, "t")
        let column = try XCTUnwrap(profile.columns.first)
        XCTAssertEqual(column.distinctCount, 4)
        XCTAssertEqual(column.nullCount, 1)
        XCTAssertEqual(column.nullShare, 0.2, accuracy: 1e-12)
        XCTAssertEqual([column.minimumText, column.maximumText], ["2.5", "zeta"])
        XCTAssertEqual([column.minimumNumber, column.maximumNumber], [.null, .null])

        XCTAssertThrowsDatasetError(try connection.profile(table: "nope")) { error in
            XCTAssertEqual(error.message, "SQLite: no table or view named 'nope' in this dataset; it has t")
        }
    }

    func testProfileOfAnEmptyTable() throws {
        let study = try Study(self)
        try study.write("a,b\n", to: "e.csv")
        let (_, connection) = try study.importFile("e.csv")
        let profile = try connection.profile(table: "t")
        XCTAssertEqual(profile.rowCount, 0)
        XCTAssertEqual(profile.columns.map(\.nullShare), [0, 0])
        XCTAssertEqual(profile.columns.map(\.distinctCount), [0, 0])
    }

    func testProfileOfRealPeaTMOSSAncient() throws {
        let database = try TestPaths.sharedData("hf/esem2024-ptm-quantify/PeaTMOSS_ANCIENT.db")
        let study = try Study(self)
        let prepared = try study.store.prepare(DatasetManifest(name: "ancient", database: database.path, outside: true))
        let connection = try study.store.open(prepared)
        let profile = try connection.profile(table: "PeaTMOSS_ANCIENT")
        XCTAssertEqual(profile.rowCount, 10_406)
        XCTAssertEqual(profile.columns.map(\.declaredType), ["TEXT", "FLOAT"])
        XCTAssertEqual(profile.columns[0].distinctCount, 10_406)
        XCTAssertEqual(profile.columns[0].nullCount, 0)
        let reference = try connection.query(
            "SELECT MIN(downloads_last_month), MAX(downloads_last_month), COUNT(DISTINCT downloads_last_month) FROM PeaTMOSS_ANCIENT")
        let downloads = profile.columns[1]
        XCTAssertEqual(downloads.minimumNumber, reference.rows[0][0])
        XCTAssertEqual(downloads.maximumNumber, reference.rows[0][1])
        XCTAssertEqual(.integer(Int64(downloads.distinctCount)), reference.rows[0][2])
    }
}
