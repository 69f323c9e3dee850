import Core
import Foundation
import Qualitative
import TestSupport
import XCTest

final class FrameworkMatrixTests: XCTestCase {
    static let participants = (1...12).map { String(format: "P%02d", $0) }

    func small() -> FrameworkMatrix {
        FrameworkMatrix(
            name: "Reuse", themes: [.init(id: "role", name: "Role"), .init(id: "decision", name: "Decision: how", codes: ["selection"])],
            participants: ["P01", "P02"],
            cells: ["P01": ["decision": .init(summary: "Cost first\nthen latency", excerpts: [
                        TextTarget(transcript: "P01", turn: 4, start: 3, end: 9, quote: "costly"), TextTarget(transcript: "P01", turn: 6)])],
                    "P02": ["role": .init(summary: "ML engineer")]])
    }

    func testWritesAStableReadableFileAndReadsItBack() throws {
        let text = FrameworkFile.yaml(small())
        XCTAssertEqual(text, """
            name: Reuse
            themes:
              - id: role
                name: Role
              - id: decision
                name: "Decision: how"
                codes: [selection]
            participants: [P01, P02]
            cells:
              P01:
                decision:
                  summary: |-
                    Cost first
                    then latency
                  excerpts:
                    - transcript: P01
                      turn: 4
                      start: 3
                      end: 9
                      quote: costly
                    - transcript: P01
                      turn: 6
              P02:
                role:
                  summary: ML engineer

            """)
        XCTAssertEqual(try FrameworkFile.parse(text, file: "f.yaml").matrix, small())
        XCTAssertEqual(small().headers, ["Participant", "Role", "Decision: how"])
        XCTAssertEqual(small().rows, [["P01", "", "Cost first\nthen latency"], ["P02", "ML engineer", ""]])
    }

    func testEditingACellChangesOnlyItsLinesAndWritesAtomically() throws {
        let directory = try TestPaths.temporaryDirectory(for: self)
        let url = directory.appendingPathComponent("reuse.yaml")
        try FrameworkFile.yaml(small()).write(to: url, atomically: false, encoding: .utf8)
        let before = try String(contentsOf: url, encoding: .utf8)
        let edited = try FrameworkFile.editCell(at: url, displayPath: "reuse.yaml", participant: "P02", theme: "decision", .init(summary: "Leaderboards"))
        XCTAssertEqual(edited.cell(participant: "P02", theme: "decision")?.summary, "Leaderboards")
        let after = try String(contentsOf: url, encoding: .utf8)
        XCTAssertEqual(after, before + "    decision:\n      summary: Leaderboards\n", "the new cell's two lines, nothing else")
        XCTAssertThrowsError(try FrameworkFile.editCell(at: url, displayPath: "reuse.yaml", participant: "P03", theme: "role", .init(summary: "x"))) { error in
            XCTAssertEqual(String(describing: error), "expected a participant of the framework (P01, P02), found 'P03'")
        }
        XCTAssertThrowsError(try FrameworkFile.editCell(at: url, displayPath: "reuse.yaml", participant: "P01", theme: "rol", .init(summary: "x"))) { error in
            XCTAssertEqual(String(describing: error), "expected a theme id of the framework (role, decision), found 'rol'; did you mean 'role'?")
        }
        XCTAssertEqual(try String(contentsOf: url, encoding: .utf8), after, "a refused edit writes nothing")
        _ = try FrameworkFile.editCell(at: url, displayPath: "reuse.yaml", participant: "P02", theme: "role", .init(summary: ""))
        XCTAssertNil(try FrameworkFile.read(url, displayPath: "reuse.yaml").matrix.cell(participant: "P02", theme: "role"), "an empty cell is removed")
    }

    func testCellsOutsideTheMatrixAreReportedWithTheirPlace() {
        let base = "name: R\nthemes:\n  - id: role\nparticipants: [P01]\ncells:\n"
        let cases: [(String, String)] = [
            (base + "  P1:\n    role:\n      summary: x\n", "f.yaml:6:3: row P1: expected a participant listed under 'participants' (P01), found 'P1'; did you mean 'P01'?"),
            (base + "  P01:\n    roles:\n      summary: x\n", "f.yaml:7:5: row P01, column roles: expected a theme id listed under 'themes' (role), found 'roles'; did you mean 'role'?"),
            (base + "  P01:\n    role:\n      sumary: x\n", "f.yaml:8:7: unknown key 'sumary' in the cell P01 × role; expected one of: summary, excerpts"),
        ]
        for (text, message) in cases {
            XCTAssertThrowsError(try FrameworkFile.parse(text, file: "f.yaml")) { error in
                XCTAssertEqual(String(describing: error), message)
            }
        }
    }

    func testValidationAgainstTheStudyNamesEachMismatch() throws {
        let text = "name: R\nthemes:\n  - id: decision\n    codes: [selection, selecton/popularity]\nparticipants: [P01, P13]\n"
        let (matrix, locations) = try FrameworkFile.parse(text, file: "f.yaml")
        let problems = matrix.validate(participants: Self.participants, codes: ["selection", "selection/popularity"], locations: locations)
        XCTAssertEqual(problems.map(\.description), [
            "f.yaml:5:21: row P13: expected a participant of the study (P01, P02 … P12), found 'P13'",
            "f.yaml:3:5: column decision: expected a code of the codebooks, found 'selecton/popularity'; did you mean 'selection/popularity'?",
        ])
    }

    func testImportReportsEveryCellItCannotBringIn() throws {
        let sheet = Spreadsheet(name: "S", rows: [
            [.text("Participant"), .text("Role"), .empty, .text("Role")],
            [.number(1), .text("Lead"), .text("stray"), .text("again")],
            [.text("13"), .text("Nobody")],
            [.empty, .text("orphan text")],
            [.text("P01"), .text("twice")],
            [],
            [.text("P02")],
        ])
        let (matrix, problems) = FrameworkFile.importSheet(sheet, name: "memos", participants: ["P01", "P02"], file: "m.xlsx")
        XCTAssertEqual(matrix.themes, [.init(id: "role", name: "Role"), .init(id: "role-2", name: "Role")])
        XCTAssertEqual(matrix.participants, ["P01", "P02"])
        XCTAssertEqual(matrix.cell(participant: "P01", theme: "role-2")?.summary, "again")
        XCTAssertEqual(problems.map(\.description), [
            "m.xlsx!C2: row P01, column C: expected a theme name at the top of this column, found 'an empty header above 'stray''",
            "m.xlsx!A3: row 3: expected a participant of the study (P01, P02), found '13'",
            "m.xlsx!A4: row 4: expected a participant in column A of a row with cells, found ''",
            "m.xlsx!A5: row P01: expected each participant on one row, found 'P01 again'",
        ])
    }

    func testImportsTheICSEFrameworkMatrix() throws {
        // The demo study ships the sheet as received (corpus/sources/icse23); the shared copy is the same file.
        let shipped = TestPaths.repositoryRoot.appendingPathComponent("corpus/sources/icse23/Memos.xlsx")
        let url = FileManager.default.fileExists(atPath: shipped.path) ? shipped
            : try TestPaths.sharedData("interviews/icse2023-ptm-reuse-interviews/transcripts/Memos.xlsx")
        let sheet = try SpreadsheetReader.read(url, displayPath: "Memos.xlsx")
        let (matrix, problems) = FrameworkFile.importSheet(sheet, name: "ICSE 2023 framework", participants: Self.participants, file: "Memos.xlsx")
        XCTAssertEqual(problems, [])
        XCTAssertEqual(matrix.participants, Self.participants)
        XCTAssertEqual(matrix.themes.count, 29, "30 columns: the participants, then 29 themes")
        XCTAssertEqual(matrix.themes.prefix(3).map(\.id), ["role", "reuse-case", "retrain-finetune"])
        XCTAssertEqual(matrix.cell(participant: "P01", theme: "reuse-case")?.summary, "NLP, use a PTNN as a base")
        XCTAssertNil(matrix.cell(participant: "P01", theme: "role"), "P01's role is empty in the sheet")
        let filled = sheet.rows.dropFirst().map { row in row.dropFirst().filter { !$0.text.trimmingCharacters(in: .whitespacesAndNewlines).isEmpty }.count }
        XCTAssertEqual(matrix.participants.map { matrix.cells[$0]?.count ?? 0 }, filled, "every filled cell is brought in")
        let text = FrameworkFile.yaml(matrix)
        XCTAssertEqual(try FrameworkFile.parse(text, file: "icse.yaml").matrix, matrix, "the file reads back as imported")
        XCTAssertEqual(FrameworkFile.yaml(try FrameworkFile.parse(text, file: "icse.yaml").matrix), text, "and writes back byte for byte")
    }
}
