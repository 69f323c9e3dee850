import Core
import Qualitative
import XCTest

/// Case-level codings as evidence for their participant (matrix, saturation) and as agreement units.
final class CaseLevelCodingTests: XCTestCase {
    func caseCoding(_ participant: String, _ code: String, _ coder: String) -> CaseCoding {
        CaseCoding(participant: participant, code: code, coder: coder, location: SourceLocation(file: "\(coder).jsonl"))
    }

    func testCaseAndTextCodingsAreEvidenceForTheirParticipant() {
        let placed = [
            PlacedCoding(transcript: "P01", turn: 2, code: "selection/popularity", coder: "ana"),
            PlacedCoding(transcript: "P01", turn: 5, start: 0, end: 4, code: "selection/popularity", coder: "ana"),
            PlacedCoding(transcript: "interview-2", turn: 3, code: "trust", coder: "ana"),
        ]
        let cases = [caseCoding("P02", "selection/popularity", "icse23"), caseCoding("P03", "selection", "icse23")]
        let evidence = ParticipantEvidence(placed: placed, caseCodings: cases, participantOfTranscript: ["interview-2": "P02"])
        XCTAssertEqual(evidence.participants(for: "selection"), ["P01", "P02", "P03"], "a code covers its sub-codes")
        XCTAssertEqual(evidence.participants(for: "selection/popularity"), ["P01", "P02"])
        XCTAssertEqual(evidence.codesByParticipant()["P02"], ["selection/popularity", "trust"])
        XCTAssertEqual(evidence.coder("icse23").participants(for: "selection"), ["P02", "P03"])

        let counts = CodeParticipantMatrix(codes: ["selection", "trust"], participants: ["P01", "P02", "P03"], evidence: evidence, presence: false)
        XCTAssertEqual(counts.counts, [[2, 1, 1], [0, 1, 0]], "a case-level coding counts once for its participant")
        let presence = CodeParticipantMatrix(codes: ["selection", "trust"], participants: ["P01", "P02", "P03"], evidence: evidence, presence: true)
        XCTAssertEqual(presence.counts, [[1, 1, 1], [0, 1, 0]])
        XCTAssertEqual(presence.total(row: 0), 3)
    }

    func testAgreementOnCaseLevelCodesComparesParticipants() {
        let evidence = ParticipantEvidence(placed: [PlacedCoding(transcript: "P03", turn: 1, code: "a", coder: "ben")], caseCodings: [
            caseCoding("P01", "a", "ana"), caseCoding("P01", "a/x", "ben"),
            caseCoding("P02", "a", "ana"), caseCoding("P02", "b", "ben"),
            caseCoding("P03", "b", "ana"),
            caseCoding("P04", "a", "ana"),
        ])
        let units = CaseAgreementUnits(evidence: evidence, coders: ["ana", "ben", "ana"])
        XCTAssertEqual(units.coders, ["ana", "ben"])
        XCTAssertEqual(units.participants, ["P01", "P02"], "P03 has only a text coding by ben, P04 only ana's judgement")
        XCTAssertEqual(units.ratings(for: "a"), [["present", "present"], ["present", "absent"]])
        XCTAssertEqual(units.ratings(for: "b"), [["absent", "absent"], ["absent", "present"]])
        XCTAssertEqual(units.disagreements(for: "a").map(\.participant), ["P02"])
        XCTAssertEqual(units.disagreements(for: "a").first?.applied, ["ana"])

        let withText = CaseAgreementUnits(evidence: evidence, coders: ["ana", "ben"], countTextCodings: true)
        XCTAssertEqual(withText.participants, ["P01", "P02", "P03"])
        XCTAssertEqual(withText.ratings(for: "a")[2], ["absent", "present"], "ben's text coding in P03 counts at participant level")

        let three = CaseAgreementUnits(evidence: evidence, coders: ["ana", "ben", "cy"])
        XCTAssertEqual(three.ratings(for: "a")[0], ["present", "present", nil], "a coder who assessed no case is missing, not absent")
    }
}

/// A rename rewrites case-level codings as it does turn and span codings.
final class CaseLevelRenameTests: XCTestCase {
    func testRenamingRewritesCaseLevelLines() throws {
        let text = """
            {"kind":"case","participant":"P01","code":"attribute/popularity","coder":"icse23"}
            {"kind":"case","participant":"P02","code":"challenge/discrepancies","coder":"icse23"}
            {"transcript":"P03","turn":2,"code":"attribute/popularity/downloads","coder":"ana"}

            """
        let renamed = try XCTUnwrap(CodeRenaming.apply(toCodingsText: text, file: "c.jsonl", from: "attribute/popularity", to: "attribute/popularity-signals"))
        XCTAssertEqual(renamed, """
            {"kind":"case","participant":"P01","code":"attribute/popularity-signals","coder":"icse23"}
            {"kind":"case","participant":"P02","code":"challenge/discrepancies","coder":"icse23"}
            {"transcript":"P03","turn":2,"code":"attribute/popularity-signals/downloads","coder":"ana"}

            """)
        XCTAssertNil(try CodeRenaming.apply(toCodingsText: text, file: "c.jsonl", from: "selection", to: "choice"))
    }
}
