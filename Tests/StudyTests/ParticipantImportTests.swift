import Core
import Foundation
import Index
import Project
import Qualitative
import Study
import TestSupport
import Transcripts
import XCTest

/// `participant import` and `framework import|edit` on a small study: merges that never
/// overwrite silently, and sheets that do not fit reported cell by cell with nothing written.
final class ParticipantImportTests: XCTestCase {
    func testMergesNewColumnsAndParticipantsWithoutOverwriting() throws {
        let fixture = try StudyFixture(self)
        try fixture.write("demo.csv", "Participant,Company type,role,,\n1,Startup,engineer,,\n3,Big tech,,,\n4, Student ,,,\n")
        let importer = ParticipantImport(study: try fixture.study)
        let outcome = try importer.run(fixture.root.appendingPathComponent("demo.csv"), displayPath: "demo.csv", idColumn: "Participant")
        XCTAssertEqual(outcome.newColumns, ["Company type"])
        XCTAssertEqual(outcome.added, ["4"], "4 matches no id of P01..P03, so it is a new participant")
        XCTAssertEqual(outcome.filled, 3)
        XCTAssertEqual(outcome.unchanged, 1, "P01's role is already 'engineer'")
        XCTAssertEqual(try fixture.read("corpus/participants.csv"), """
            id,pseudonym,role,Company type
            P01,Robin,engineer,Startup
            P02,Sam,researcher,
            P03,Kim,engineer,Big tech
            4,,,Student

            """)
        // Running it again changes nothing and writes nothing.
        let before = try fixture.read("corpus/participants.csv")
        XCTAssertFalse(try importer.run(fixture.root.appendingPathComponent("demo.csv"), displayPath: "demo.csv", idColumn: "Participant").wrote)
        XCTAssertEqual(try fixture.read("corpus/participants.csv"), before)
    }

    func testConflictsAreListedAndOnlyReplacedWhenAsked() throws {
        let fixture = try StudyFixture(self)
        try fixture.write("roles.csv", "id,role\nP01,lead\nP02,researcher\nP03,manager\n")
        let importer = ParticipantImport(study: try fixture.study)
        let before = try fixture.read("corpus/participants.csv")
        XCTAssertThrowsError(try importer.run(fixture.root.appendingPathComponent("roles.csv"), displayPath: "roles.csv", idColumn: "id")) { error in
            XCTAssertEqual(String(describing: error), """
                2 values would overwrite what participants.csv holds; nothing was written (pass --replace to overwrite them):
                  roles.csv:2:2: participant P01's role is 'engineer' in participants.csv, the file says 'lead'
                  roles.csv:4:2: participant P03's role is 'engineer' in participants.csv, the file says 'manager'
                """)
        }
        XCTAssertEqual(try fixture.read("corpus/participants.csv"), before)
        let outcome = try importer.run(fixture.root.appendingPathComponent("roles.csv"), displayPath: "roles.csv", idColumn: "id", replacing: true)
        XCTAssertEqual(outcome.replaced, 2)
        XCTAssertEqual(try ParticipantsFile.read(try fixture.study.layout.participants, displayPath: "p").map { $0.attributes[0].value },
                       ["lead", "researcher", "manager"])
    }

    func testBadSheetsAreReportedByCell() throws {
        let fixture = try StudyFixture(self)
        let importer = ParticipantImport(study: try fixture.study)
        let before = try fixture.read("corpus/participants.csv")
        try fixture.write("stray.csv", "Participant,Team\n1,5,extra\n,3\n1,6\n")
        XCTAssertThrowsError(try importer.run(fixture.root.appendingPathComponent("stray.csv"), displayPath: "stray.csv", idColumn: "Participant")) { error in
            XCTAssertEqual(String(describing: error), """
                3 problems in stray.csv; nothing was written:
                  stray.csv:2:3: expected a column name at the top of this column, found an empty header above 'extra'
                  stray.csv:3:1: expected a participant id in column 'Participant' of a row with values, found nothing
                  stray.csv:4:1: participant P01 is also on row 2; expected each participant on one row
                """)
        }
        XCTAssertThrowsError(try importer.run(fixture.root.appendingPathComponent("stray.csv"), displayPath: "stray.csv", idColumn: "participant")) { error in
            XCTAssertEqual(String(describing: error), "stray.csv:1:1: expected a column 'participant' in the header row, found 'Participant', 'Team'; did you mean 'Participant'?")
        }
        try fixture.write("fake.xlsx", "id,role\n")
        XCTAssertThrowsError(try importer.run(fixture.root.appendingPathComponent("fake.xlsx"), displayPath: "fake.xlsx", idColumn: "id")) { error in
            XCTAssertTrue(String(describing: error).contains("expected an Excel workbook"), String(describing: error))
        }
        XCTAssertEqual(try fixture.read("corpus/participants.csv"), before)
    }

    func testFrameworkImportShowAndEdit() throws {
        let fixture = try StudyFixture(self)
        try fixture.write("grid.csv", "Participant,Role,Reuse case\n1,Lead,Fine-tunes BERT\n2,,Feature extraction\n")
        let frameworks = Frameworks(study: try fixture.study)
        let outcome = try frameworks.importSheet(fixture.root.appendingPathComponent("grid.csv"), displayPath: "grid.csv", name: "Reuse grid")
        XCTAssertEqual(outcome.path, "corpus/frameworks/reuse-grid.yaml")
        XCTAssertEqual(try frameworks.resolve(nil), "reuse-grid")
        XCTAssertEqual(try frameworks.resolve("Reuse grid"), "reuse-grid")
        XCTAssertEqual(outcome.matrix.rows, [["P01", "Lead", "Fine-tunes BERT"], ["P02", "", "Feature extraction"]])
        XCTAssertThrowsError(try frameworks.importSheet(fixture.root.appendingPathComponent("grid.csv"), displayPath: "grid.csv", name: "Reuse grid")) { error in
            XCTAssertTrue(String(describing: error).contains("pass --replace"), String(describing: error))
        }
        let edited = try frameworks.edit("reuse-grid", participant: "P02", theme: "Role", summary: "Researcher")
        XCTAssertEqual(edited.cell(participant: "P02", theme: "role")?.summary, "Researcher")
        XCTAssertEqual(try frameworks.read("reuse-grid").matrix, edited)
        XCTAssertThrowsError(try frameworks.edit("reuse-grid", participant: "P09", theme: "role", summary: "x"))
        XCTAssertEqual(Frameworks.text(edited), """
            Reuse grid: 2 participants × 2 themes

            P01
              Role:
                Lead
              Reuse case:
                Fine-tunes BERT

            P02
              Role:
                Researcher
              Reuse case:
                Feature extraction

            """)
        let table = Frameworks.table(edited)
        XCTAssertEqual(table.columns.map(\.key), ["participant", "role", "reuse_case"])
    }

    func testAFrameworkSheetThatDoesNotFitWritesNothing() throws {
        let fixture = try StudyFixture(self)
        try fixture.write("grid.csv", "Participant,Role\n1,Lead\n7,Ghost\nP02,x,stray\n")
        let frameworks = Frameworks(study: try fixture.study)
        XCTAssertThrowsError(try frameworks.importSheet(fixture.root.appendingPathComponent("grid.csv"), displayPath: "grid.csv", name: nil)) { error in
            XCTAssertEqual(String(describing: error), """
                2 cells of grid.csv do not fit the study; nothing was written:
                  grid.csv!A3: row 3: expected a participant of the study (P01, P02, P03), found '7'
                  grid.csv!C4: row P02, column C: expected a theme name at the top of this column, found 'an empty header above 'stray''
                """)
        }
        XCTAssertFalse(FileManager.default.fileExists(atPath: frameworks.folder.path))
        try fixture.write("locked.xlsx", "")
        var ole = Data([0xD0, 0xCF, 0x11, 0xE0, 0xA1, 0xB1, 0x1A, 0xE1])
        ole.append(Data("EncryptedPackage".utf16.flatMap { [UInt8($0 & 0xFF), UInt8($0 >> 8)] }))
        try ole.write(to: fixture.root.appendingPathComponent("locked.xlsx"))
        XCTAssertThrowsError(try frameworks.importSheet(fixture.root.appendingPathComponent("locked.xlsx"), displayPath: "locked.xlsx", name: nil)) { error in
            XCTAssertTrue(String(describing: error).contains("password-protected"), String(describing: error))
        }
        XCTAssertEqual(frameworks.ids(), [])
    }
}
