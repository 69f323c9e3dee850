import Foundation
import Index
import Project
import Qualitative
import Study
import TestSupport
import XCTest

/// Edit a coded transcript — insert, delete, reword turns — and no coding moves to other words:
/// a whole-turn coding carries its turn's fingerprint from `tag` on, and `status` reports every
/// coding that moved or could not be placed.
final class RecodeAfterEditTests: XCTestCase {
    func testWholeTurnCodingsFollowTheirWordsThroughEdits() throws {
        let fixture = try StudyFixture(self)
        try fixture.write("corpus/codings/ana.jsonl", "")
        let recorder = Recorder(study: try fixture.study)
        _ = try recorder.tag(TurnAddress("P01#4")!, codes: ["trust"], coder: "ana", quote: nil, memo: nil)
        _ = try recorder.tag(TurnAddress("P01#2")!, codes: ["selection"], coder: "ana", quote: nil, memo: nil)
        XCTAssertTrue(try fixture.read("corpus/codings/ana.jsonl").contains("\"sha256\""), "tag writes the fingerprint")

        // Insert a question and an answer before turn 2: the old turn 4 is now turn 6.
        let original = try fixture.read("corpus/transcripts/P01.txt")
        let inserted = original.replacingOccurrences(of: "Interviewer: How do you choose?\n",
                                                     with: "Interviewer: Hello.\nRobin: Hello, nice to meet you.\nInterviewer: How do you choose?\n")
        XCTAssertNotEqual(inserted, original)
        try fixture.write("corpus/transcripts/P01.txt", inserted)
        var (index, _) = try StudyIndex.open(try fixture.study)
        var codings = try index.allCodings()
        XCTAssertEqual(codings.first { $0.code == "trust" }?.anchorTurn, 6)
        XCTAssertEqual(codings.first { $0.code == "selection" }?.anchorTurn, 4)
        XCTAssertEqual(try index.status().reanchored.count, 2, "every move is reported")

        // Reword the coded turn: the coding is orphaned and reported, never put on another turn.
        try fixture.write("corpus/transcripts/P01.txt", inserted.replacingOccurrences(of: "Trust matters: we check who published it.",
                                                                                     with: "Licences matter most to us."))
        (index, _) = try StudyIndex.open(try fixture.study)
        codings = try index.allCodings()
        let trust = try XCTUnwrap(codings.first { $0.code == "trust" })
        XCTAssertEqual(trust.anchor, "orphaned")
        XCTAssertNil(trust.anchorTurn)
        XCTAssertEqual(try index.status().orphaned.map(\.coding), ["P01#4 trust by ana"])

        // Delete the inserted turns again and restore the words: back on the original turn.
        try fixture.write("corpus/transcripts/P01.txt", original)
        (index, _) = try StudyIndex.open(try fixture.study)
        XCTAssertEqual(try index.allCodings().first { $0.code == "trust" }?.anchorTurn, 4)
        XCTAssertEqual(try index.status().orphaned, [])
    }
}
