import Foundation
import TestSupport
import Transcripts
import XCTest

final class PlainTextReaderTests: XCTestCase {
    let reader = PlainTextReader(interviewerNames: ["Interviewer"], knownSpeakers: ["Robin"])

    func testTurnsPreambleAndParagraphs() throws {
        let text = """
            Illustrative transcript: not a real interview.

            Interviewer: How do you choose a model?
            Robin: Downloads first.

            Then the model card.
            Note: this line continues Robin's turn, since Note is no speaker.
            Interviewer: Thanks.
            """
        let transcript = try reader.parse(text, id: "P01", file: "P01.txt")
        XCTAssertEqual(transcript.preamble, "Illustrative transcript: not a real interview.")
        XCTAssertEqual(transcript.turns.map(\.speaker), ["Interviewer", "Robin", "Interviewer"])
        XCTAssertEqual(transcript.turns.map(\.number), [1, 2, 3])
        XCTAssertEqual(transcript.turns.map(\.line), [3, 4, 8])
        XCTAssertEqual(transcript.turns[1].text,
                       "Downloads first.\n\nThen the model card.\nNote: this line continues Robin's turn, since Note is no speaker.")
        XCTAssertEqual(transcript.turns.map(\.isInterviewer), [true, false, true])
        XCTAssertEqual(transcript.participantSpeakers, ["Robin"])
    }

    func testUnknownSpeakerCountsWhenItRecurs() throws {
        let text = "Speaker 1: Hello.\nSpeaker 2: Hi.\nSpeaker 1: Start?\nSpeaker 2: Yes.\n"
        let transcript = try PlainTextReader(interviewerNames: ["Speaker 1"]).parse(text, id: "P02", file: "P02.txt")
        XCTAssertEqual(transcript.turns.count, 4)
        XCTAssertEqual(transcript.turns.filter(\.isInterviewer).count, 2)
    }

    func testCRLFAndTimestampsLikeTextStayInTheTurn() throws {
        let text = "Interviewer: When?\r\nRobin: At 10:30: after lunch.\r\n"
        let transcript = try reader.parse(text, id: "P01", file: "P01.txt")
        XCTAssertEqual(transcript.turns[1].text, "At 10:30: after lunch.")
    }

    func testNoTurnsIsAnError() {
        XCTAssertThrowsError(try reader.parse("Just prose without speakers.\n", id: "P09", file: "P09.txt")) { error in
            XCTAssertTrue(String(describing: error).hasPrefix("P09.txt: expected speaker turns"), "\(error)")
        }
    }

    /// An empty turn was refused before issue 10; now it is a warning with its line and the file imports.
    func testEmptyTurnIsAWarningWithItsLine() throws {
        let transcript = try reader.parse("Interviewer: Hi\nRobin:\nInterviewer: Hello?\n", id: "P01", file: "P01.txt")
        XCTAssertEqual(transcript.turns.map(\.text), ["Hi", "Hello?"])
        XCTAssertEqual(transcript.warnings.map(String.init(describing:)), ["P01.txt:2:1: warning: 'Robin' has no words before the next speaker; it makes no turn"])
    }

    func testOtherFormatsAreRefusedClearly() throws {
        let url = try TestPaths.temporaryDirectory(for: self).appendingPathComponent("P01.vtt")
        try "WEBVTT\n".write(to: url, atomically: true, encoding: .utf8)
        XCTAssertThrowsError(try reader.read(url, displayPath: "corpus/transcripts/P01.vtt")) { error in
            XCTAssertEqual(error as? TranscriptError, .unsupportedFormat(file: "corpus/transcripts/P01.vtt", fileExtension: "vtt"))
        }
    }
}

final class ParticipantsFileTests: XCTestCase {
    func testAttributesInColumnOrder() throws {
        let participants = try ParticipantsFile.parse("id,pseudonym,role,years\nP01,Robin,engineer,7\nP02,,researcher,3\n", file: "p.csv")
        XCTAssertEqual(participants.map(\.id), ["P01", "P02"])
        XCTAssertEqual(participants[0].pseudonym, "Robin")
        XCTAssertNil(participants[1].pseudonym)
        XCTAssertEqual(participants[0].attributes.map(\.name), ["role", "years"])
        XCTAssertEqual(participants[1].attributes.map(\.value), ["researcher", "3"])
    }

    func testRaggedRowAndDuplicateIdAreErrors() {
        XCTAssertThrowsError(try ParticipantsFile.parse("id,role\nP01\n", file: "p.csv")) { error in
            XCTAssertEqual(String(describing: error), "p.csv:2:1: cannot read the file: expected 2 fields as in the header, found 1")
        }
        XCTAssertThrowsError(try ParticipantsFile.parse("id\nP01\nP01\n", file: "p.csv")) { error in
            XCTAssertTrue(String(describing: error).contains("listed twice (first at line 2)"), "\(error)")
        }
    }
}
