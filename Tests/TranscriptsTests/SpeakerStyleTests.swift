import Foundation
import TestSupport
import Transcripts
import XCTest

/// The speaker-label styles of plain-text and Markdown transcripts.
final class SpeakerStyleTests: XCTestCase {
    let reader = PlainTextReader(interviewerNames: ["Interviewer"], knownSpeakers: ["Robin"])

    func testMarkdownBoldLabels() throws {
        let text = "# Interview 3\n\n**Interviewer:** Which hub?\n\n**Robin**: Hugging Face, mostly.\n**Interviewer:** Why?\n"
        let transcript = try reader.parse(text, id: "P03", file: "P03.md")
        XCTAssertEqual(transcript.preamble, "# Interview 3")
        XCTAssertEqual(transcript.turns.map(\.speaker), ["Interviewer", "Robin", "Interviewer"])
        XCTAssertEqual(transcript.turns.map(\.text), ["Which hub?", "Hugging Face, mostly.", "Why?"])
        XCTAssertEqual(transcript.turns.map(\.line), [3, 5, 6])
    }

    func testBracketedAndParenthesisedTimestampsBecomeStarts() throws {
        let text = """
            [00:00:05] Interviewer: Ready?
            [00:01:02.5] Robin: Yes.
            Interviewer (01:10): Good.
            Robin (1:02:03): Done.
            """
        let transcript = try reader.parse(text, id: "P04", file: "P04.txt")
        XCTAssertEqual(transcript.turns.map(\.speaker), ["Interviewer", "Robin", "Interviewer", "Robin"])
        XCTAssertEqual(transcript.turns.map(\.text), ["Ready?", "Yes.", "Good.", "Done."])
        let starts = transcript.turns.map { $0.start ?? -1 }
        for (start, expected) in zip(starts, [5, 62.5, 70, 3723]) { XCTAssertEqual(start, expected, accuracy: 1e-9) }
        XCTAssertTrue(transcript.turns.allSatisfy { $0.end == nil })
    }

    func testOtterStyleNameAndTimeOnTheirOwnLineWithMultiParagraphTurns() throws {
        let text = """
            Otter export, 2026-03-02

            Anna Smith  0:03
            So tell me about the last model you picked.

            Ben Okafor  0:09
            We needed a sentiment model.

            I looked at downloads first [inaudible 00:02:29] and then the card.

            Anna Smith  1:02:10
            Thanks.

            Ben Okafor  1:02:12
            Bye.
            """
        let transcript = try PlainTextReader(interviewerNames: ["Anna Smith"]).parse(text, id: "P05", file: "P05.txt")
        XCTAssertEqual(transcript.preamble, "Otter export, 2026-03-02")
        XCTAssertEqual(transcript.turns.map(\.speaker), ["Anna Smith", "Ben Okafor", "Anna Smith", "Ben Okafor"])
        XCTAssertEqual(transcript.turns[1].text,
                       "We needed a sentiment model.\n\nI looked at downloads first [inaudible 00:02:29] and then the card.")
        XCTAssertEqual(transcript.turns.map { $0.start ?? -1 }, [3, 9, 3730, 3732])
        XCTAssertEqual(transcript.participantSpeakers, ["Ben Okafor"])
    }

    func testRevSpeakerLabelsWithTimesAndMemoNumbers() throws {
        let text = """
            Speaker 1 (00:00:00):
            First, your role?
            Speaker 2 (00:00:04):
            Engineer.1
            Speaker 1:13
            And the hub?
            Speaker 2: Hugging Face.
            """
        let transcript = try PlainTextReader(interviewerNames: ["Speaker 1"]).parse(text, id: "P06", file: "P06.txt")
        XCTAssertEqual(transcript.turns.map(\.speaker), ["Speaker 1", "Speaker 2", "Speaker 1", "Speaker 2"])
        XCTAssertEqual(transcript.turns.map(\.text), ["First, your role?", "Engineer.1", "13\nAnd the hub?", "Hugging Face."])
        XCTAssertEqual(transcript.turns[1].start, 4)
        XCTAssertNil(transcript.turns[2].start, "'Speaker 1:13' is Speaker 1 with memo 13, not 'Speaker' at 1:13")
    }

    func testLabelsOfOneOffNamesStayProse() throws {
        let text = "Interviewer: Anything else?\nRobin: One thing.\nWarning: the model card was wrong.\n[00:01:00] Plain note\n"
        let transcript = try reader.parse(text, id: "P07", file: "P07.txt")
        XCTAssertEqual(transcript.turns.count, 2)
        XCTAssertEqual(transcript.turns[1].text, "One thing.\nWarning: the model card was wrong.\n[00:01:00] Plain note")
    }

    func testNoTurnsShowsTheFirstNonEmptyLine() {
        XCTAssertThrowsError(try reader.parse("\n\n  \nMeeting notes, 3 March\nWe talked.\n", id: "P08", file: "corpus/transcripts/P08.txt")) { error in
            XCTAssertEqual(error as? TranscriptError, .noTurns(file: "corpus/transcripts/P08.txt", firstLine: "Meeting notes, 3 March"))
            XCTAssertEqual(String(describing: error),
                           "corpus/transcripts/P08.txt: expected speaker turns, one per line as 'Name: what they said' (for example 'Interviewer: How do you pick a model?'), found none: no line starts with a speaker label that recurs or is known")
        }
    }

    func testReadingAFileRecordsItsHashAndReportsBadUTF8() throws {
        let folder = try TestPaths.temporaryDirectory(for: self)
        let url = folder.appendingPathComponent("P01.txt")
        try Data("Interviewer: Hi\nRobin: Hello\n".utf8).write(to: url)
        let transcript = try reader.read(url, displayPath: "P01.txt")
        // sha256 of the bytes above, computed with `printf 'Interviewer: Hi\nRobin: Hello\n' | sha256sum`.
        XCTAssertEqual(transcript.sourceSHA256, "59f10fdbb8fd68f983bdc9b57ca7cda574bef26797c808e2a849b7c324eb6ca2")
        let bad = folder.appendingPathComponent("P02.txt")
        try Data([0x52, 0x6F, 0x62, 0x69, 0x6E, 0x3A, 0x20, 0xFF, 0x0A]).write(to: bad)
        XCTAssertThrowsError(try reader.read(bad, displayPath: "P02.txt")) { error in
            XCTAssertEqual(String(describing: error),
                           "P02.txt:1:8: cannot read the file: expected UTF-8 text, found the byte 0xFF at byte offset 7; if the file was saved in an 8-bit encoding, pass --encoding windows-1252 (or --encoding latin-1)")
        }
    }
}
