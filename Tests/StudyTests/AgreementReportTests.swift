import Foundation
import Index
import Project
import Qualitative
import Statistics
import Study
import TestSupport
import XCTest

final class AgreementReportTests: XCTestCase {
    func testTurnUnitsAndDisagreements() throws {
        let fixture = try StudyFixture(self)
        // ben agrees with ana on P01 turn 2 and P02 turn 2, but also codes trust on P02 turn 2.
        try fixture.write("corpus/codings/ben.jsonl", """
            {"transcript":"P01","turn":2,"code":"selection/popularity","coder":"ben"}
            {"transcript":"P02","turn":2,"code":"selection/popularity","coder":"ben"}
            {"transcript":"P02","turn":2,"code":"trust","coder":"ben"}
            """)
        let (index, _) = try StudyIndex.open(try fixture.study)
        let report = try AgreementReport.compute(index: index, coders: nil, unit: .turn, code: nil)
        XCTAssertEqual(report.coders, ["ana", "ben"])
        // Participant turns of P01 (2, 4) and P02 (2): P03 was coded by nobody, so it takes no part.
        let trust = try XCTUnwrap(report.rows.first { $0.code == "trust" })
        XCTAssertEqual(trust.units, 3)
        let expected = RatingTable(coders: ["ana", "ben"], ratings: [["absent", "absent"], ["present", "absent"], ["absent", "present"]])
        XCTAssertEqual(trust.kappa?.value ?? .nan, try Agreement.cohensKappa(expected).value, accuracy: 1e-12)
        XCTAssertEqual(trust.percent ?? .nan, 1.0 / 3.0, accuracy: 1e-12)
        let popularity = try XCTUnwrap(report.rows.first { $0.code == "selection/popularity" })
        XCTAssertEqual(popularity.percent, 1)
        XCTAssertEqual(report.rows.last?.code, "overall")
        // 'overall' pools the leaf codes (selection/popularity, trust: 3 units each); the parent
        // 'selection' is no longer counted again (issue 15: it counted sub-code decisions twice).
        XCTAssertEqual(report.rows.last?.units, 6)
        XCTAssertNotNil(trust.kappa?.interval)
        XCTAssertNotNil(trust.ac1)
        XCTAssertNotNil(trust.pabak)
        XCTAssertEqual(report.disagreements.filter { $0.code == "trust" }.map { "\($0.disagreement.transcript)#\($0.disagreement.turn)" },
                       ["P01#4", "P02#2"])
        XCTAssertThrowsError(try AgreementReport.compute(index: index, coders: ["ana"], unit: .turn, code: nil))
        XCTAssertThrowsError(try AgreementReport.compute(index: index, coders: ["ana", "zoe"], unit: .turn, code: nil))
    }

    func testParticipantUnitsCompareCaseLevelCodes() throws {
        let fixture = try StudyFixture(self)
        // ana coded turns (P01: popularity, trust; P02: popularity); ben coded participants as a
        // whole: P01 popularity, P02 trust, P03 popularity.
        try fixture.write("corpus/codings/ben.jsonl", """
            {"kind":"case","participant":"P01","code":"selection/popularity","coder":"ben"}
            {"kind":"case","participant":"P02","code":"trust","coder":"ben"}
            {"kind":"case","participant":"P03","code":"selection/popularity","coder":"ben"}
            """)
        let (index, _) = try StudyIndex.open(try fixture.study)
        let report = try AgreementReport.compute(index: index, coders: nil, unit: .participant, code: nil)
        // P03 was assessed by ben only, so the units are P01 and P02.
        let popularity = try XCTUnwrap(report.rows.first { $0.code == "selection/popularity" })
        XCTAssertEqual(popularity.units, 2)
        XCTAssertEqual(popularity.percent ?? .nan, 0.5, accuracy: 1e-12)
        let trust = try XCTUnwrap(report.rows.first { $0.code == "trust" })
        XCTAssertEqual(trust.percent ?? .nan, 0, accuracy: 1e-12)
        let expected = RatingTable(coders: ["ana", "ben"], ratings: [["present", "absent"], ["absent", "present"]])
        XCTAssertEqual(trust.alpha ?? .nan, try Agreement.krippendorffAlpha(expected).value, accuracy: 1e-12)
        XCTAssertEqual(report.disagreements.map { "\($0.code) \($0.disagreement.transcript)" }.sorted(),
                       ["selection P02", "selection/popularity P02", "trust P01", "trust P02"])
        XCTAssertTrue(report.table.title?.contains("unit: participant") ?? false)
        XCTAssertEqual(report.disagreementTable.rows.first?[1].text, "P02")
    }

    func testCharacterUnitsCountCharacters() throws {
        let fixture = try StudyFixture(self)
        try fixture.write("corpus/codings/ben.jsonl", #"{"transcript":"P01","turn":2,"start":11,"end":26,"quote":"downloads first","code":"selection/popularity","coder":"ben"}"#)
        let (index, _) = try StudyIndex.open(try fixture.study)
        let report = try AgreementReport.compute(index: index, coders: nil, unit: .character, code: "selection/popularity")
        let turnLengths = try ["P01#2", "P01#4"].map { address -> Int in
            let parts = address.split(separator: "#")
            return try index.turnText(String(parts[0]), Int(parts[1])!).unicodeScalars.count
        }
        XCTAssertEqual(report.rows[0].units, turnLengths.reduce(0, +), "only P01 was coded by both")
        XCTAssertEqual(report.rows[0].percent, 1, "both coded exactly the same characters")
    }
}
