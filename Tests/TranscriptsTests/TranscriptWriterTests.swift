import Foundation
import TestSupport
import Transcripts
import XCTest

/// The plain text a pseudonymised import writes keeps the turns and the memos.
final class TranscriptWriterTests: XCTestCase {
    func testMemosTravelAsFootnotesAndReadBack() throws {
        let original = Transcript(id: "P01", preamble: "Interview 1", turns: [
            Turn(number: 1, speaker: "Speaker 1", text: "Which hub?", line: 2, isInterviewer: true, start: 3),
            Turn(number: 2, speaker: "Speaker 2", text: "Hugging Face, mostly.\nIts cards.", line: 3, isInterviewer: false),
        ], memos: [
            Memo(kind: .annotation, number: 4, text: "Prefers the hub\n-and its cards", turn: 2, start: 21, end: 21, line: 9),
            Memo(kind: .comment, text: "Hub question", author: "Ana", turn: 1, start: 0, end: 10, line: 2),
            Memo(kind: .annotation, number: 5, text: "Ends on cards", turn: 2, start: 32, end: 32, line: 10),
            Memo(kind: .annotation, number: 6, text: "On no turn", turn: nil, start: 0, end: 0, line: 11),
        ])
        let text = TranscriptWriter.text(of: original)
        XCTAssertEqual(text, """
            Interview 1

            [00:00:03] Speaker 1: [^2]Which hub?
            Speaker 2: Hugging Face, mostly.[^1]
            Its cards.[^3]

            [^1]: Prefers the hub
                -and its cards
            [^2]: Hub question
            [^3]: Ends on cards
            [^4]: On no turn

            """)
        let back = try PlainTextReader(interviewerNames: ["Speaker 1"], knownSpeakers: ["Speaker 2"]).parse(text, id: "P01", file: "P01.txt")
        XCTAssertEqual(back.preamble, original.preamble)
        XCTAssertEqual(back.turns.map(\.text), original.turns.map(\.text))
        XCTAssertEqual(back.turns.map(\.speaker), original.turns.map(\.speaker))
        XCTAssertEqual(back.memos.map(\.text), original.memos.map(\.text))
        XCTAssertEqual(back.memos.map(\.turn), original.memos.map(\.turn))
        XCTAssertEqual(back.memos.map(\.start), original.memos.map(\.start))
        XCTAssertEqual(back.memos.map(\.number), [1, 2, 3, 4], "footnote labels")
        XCTAssertEqual(back.warnings, [])
    }

    func testUndefinedMarkersStayInTheText() throws {
        let text = "A: see [^x] here\nB: and [^1] there\nA: ok\nB: ok\n\n[^1]: Defined\n"
        let back = try PlainTextReader(interviewerNames: ["A"]).parse(text, id: "P02", file: "P02.md")
        XCTAssertEqual(back.turns.map(\.text), ["see [^x] here", "and  there", "ok", "ok"])
        XCTAssertEqual(back.memos.map(\.start), [4])
        XCTAssertEqual(back.memos.map(\.turn), [2])
    }

    func testHostileTimesDoNotTrap() {
        let transcript = Transcript(id: "P1", preamble: "", turns: [Turn(number: 1, speaker: "A", text: "x", line: 1, isInterviewer: false, start: 1e300)])
        XCTAssertEqual(TranscriptWriter.text(of: transcript), "[00:00:00] A: x\n")
    }
}
