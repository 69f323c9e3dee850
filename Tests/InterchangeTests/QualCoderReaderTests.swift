import Foundation
import Interchange
import TestSupport
import XCTest

final class QualCoderReaderTests: XCTestCase {
    /// Builds the fixture database from the committed SQL with the sqlite3 tool.
    func fixture() throws -> URL {
        guard FileManager.default.isExecutableFile(atPath: "/usr/bin/sqlite3") else {
            throw XCTSkip("the sqlite3 tool is not installed (apt-get install sqlite3); the QualCoder fixture was not built")
        }
        let sql = try XCTUnwrap(Bundle.module.url(forResource: "qualcoder", withExtension: "sql", subdirectory: "Fixtures"))
        let folder = try TestPaths.temporaryDirectory(for: self).appendingPathComponent("kim.qda")
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        let database = folder.appendingPathComponent("data.qda")
        let process = Process()
        process.executableURL = URL(fileURLWithPath: "/usr/bin/sqlite3")
        process.arguments = [database.path]
        process.standardInput = try FileHandle(forReadingFrom: sql)
        try process.run()
        process.waitUntilExit()
        XCTAssertEqual(process.terminationStatus, 0)
        return database
    }

    func testQualCoderProjectImportsWithEachCodingChecked() throws {
        let database = try fixture()
        let before = try Data(contentsOf: database)
        let loaded = try QualCoderReader.read(database, displayPath: "data.qda")
        let plan = try ProjectImporter.plan(loaded, context: ImportContext(interviewerNames: ["Interviewer"]), sourceName: "data.qda")
        XCTAssertEqual(try Data(contentsOf: database), before, "the project is opened read-only")
        XCTAssertEqual(plan.codebook?.codes.map(\.id), ["barriers", "barriers/money", "barriers/money/cost", "barriers/time", "trust"])
        XCTAssertEqual(plan.codebook?.codes.map(\.codable), [false, false, true, true, true], "categories are grouping codes")
        XCTAssertEqual(plan.codebook?.codes[2].color, "#FF8000")
        XCTAssertEqual(plan.transcripts.map(\.id), ["Kim", "notes"])
        let codings = plan.codings.flatMap(\.codings)
        XCTAssertEqual(codings.map(\.quote), ["It cost too much", "took too long", nil, "about trust"], "a whole turn needs no quote")
        XCTAssertEqual(codings.map(\.coder), ["anna", "anna", "bo", "bo"])
        XCTAssertEqual(codings.map(\.turn), [2, 2, 4, 2])
        XCTAssertEqual(codings[0].memo, "clear")
        XCTAssertEqual(codings[0].at, "2024-03-02T09:00:00Z")
        XCTAssertEqual(plan.report["codings"]?.found, 5)
        XCTAssertEqual(plan.report["codings"]?.imported, 4)
        XCTAssertTrue(plan.report.text.contains("coding(s) whose stored text does not match the source"), plan.report.text)
        XCTAssertEqual(plan.report["audio sources"]?.omissions.first?.name, "recording.mp3")
        XCTAssertEqual(plan.participants.first { $0.id == "Kim" }?.attributes.map(\.value), ["34", "north"])
        XCTAssertTrue(plan.memos.contains { $0.text.contains("Cost comes up first") }, "the journal is a memo")
    }

    func testNotAQualCoderDatabaseIsAClearError() throws {
        let folder = try TestPaths.temporaryDirectory(for: self)
        let file = folder.appendingPathComponent("data.qda")
        try Data("hello".utf8).write(to: file)
        XCTAssertThrowsError(try QualCoderReader.read(file, displayPath: "data.qda")) { error in
            XCTAssertTrue(String(describing: error).hasPrefix("data.qda: expected a QualCoder project"), "\(error)")
        }
    }
}
