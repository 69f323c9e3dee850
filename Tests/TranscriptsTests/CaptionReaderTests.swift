import Core
import Foundation
import TestSupport
import Transcripts
import XCTest

final class CaptionReaderTests: XCTestCase {
    let vtt = CaptionReader(format: .webVTT, interviewerNames: ["Interviewer"], knownSpeakers: ["Robin"])
    let srt = CaptionReader(format: .subRip, interviewerNames: ["Interviewer"], knownSpeakers: ["Robin"])

    func testWebVTTVoicesCuesAndMerging() throws {
        let text = """
            WEBVTT - Zoom export

            NOTE exported by Zoom
            with two lines

            STYLE
            ::cue { color: yellow }

            1
            00:00:01.000 --> 00:00:04.000 align:start
            <v Interviewer>How do you <i>choose</i> a model?</v>

            2
            00:00:04.500 --> 00:00:07.000
            <v.loud Robin>Downloads first,

            00:07.000 --> 00:09.250
            then <c.yellow>the</c> model card &amp; <00:00:08.000>the licence.

            NOTE a note between cues

            00:00:10.000 --> 00:00:11.000
            <v Interviewer>Thanks.</v>
            <v Robin>You&apos;re welcome.</v>
            """
        let transcript = try vtt.parse(text, id: "P01", file: "P01.vtt")
        XCTAssertEqual(transcript.turns.map(\.speaker), ["Interviewer", "Robin", "Interviewer", "Robin"])
        XCTAssertEqual(transcript.turns.map(\.text), [
            "How do you choose a model?", "Downloads first, then the model card & the licence.", "Thanks.", "You're welcome.",
        ])
        XCTAssertEqual(transcript.turns.map { $0.start ?? -1 }, [1, 4.5, 10, 10])
        XCTAssertEqual(transcript.turns.map { $0.end ?? -1 }, [4, 9.25, 11, 11])
        XCTAssertEqual(transcript.turns.map(\.line), [11, 15, 23, 24])
        XCTAssertEqual(transcript.turns.map(\.isInterviewer), [true, false, true, false])
        XCTAssertEqual(transcript.preamble, "")
    }

    func testWebVTTNamePrefixesAndLeadingUnattributedCues() throws {
        let text = """
            WEBVTT

            00:00.000 --> 00:02.000
            Recording started.

            00:02.000 --> 00:04.000
            Sam: Shall we start?

            00:04.000 --> 00:06.000
            Robin: Sure.

            00:06.000 --> 00:08.000
            Sam: Great.
            """
        let transcript = try vtt.parse(text, id: "P02", file: "P02.vtt")
        XCTAssertEqual(transcript.preamble, "Recording started.")
        XCTAssertEqual(transcript.turns.map(\.speaker), ["Sam", "Robin", "Sam"])
        XCTAssertEqual(transcript.turns.map(\.text), ["Shall we start?", "Sure.", "Great."])
    }

    func testBrokenTimingLineIsLocated() {
        let text = "WEBVTT\n\n1\n00:00:01.000 -> 00:00:04.000\n<v Robin>Hi\n"
        XCTAssertThrowsError(try vtt.parse(text, id: "P01", file: "P01.vtt")) { error in
            XCTAssertEqual(String(describing: error),
                           "P01.vtt:4:14: expected a timing line such as 00:00:01.000 --> 00:00:04.000, found '00:00:01.000 -> 00:00:04.000'")
        }
        XCTAssertThrowsError(try vtt.parse("WEBVTT\n\n00:00:01.000 --> 00:0x:04.000\nHi\n", id: "P01", file: "P01.vtt")) { error in
            XCTAssertEqual((error as? TranscriptError)?.location, SourceLocation(file: "P01.vtt", line: 3, column: 18))
        }
        XCTAssertThrowsError(try vtt.parse("WEBVTT\n\nintro\nHello there\n", id: "P01", file: "P01.vtt")) { error in
            XCTAssertEqual(String(describing: error),
                           "P01.vtt:4:1: expected a timing line such as 00:00:01.000 --> 00:00:04.000, found 'Hello there'")
        }
    }

    /// Speaker-less captions were refused before issue 10; now they are the participant's words.
    func testMissingHeaderAndSpeakerlessCaptions() throws {
        XCTAssertThrowsError(try vtt.parse("1\n00:00:01.000 --> 00:00:02.000\nHi\n", id: "P01", file: "P01.vtt")) { error in
            XCTAssertEqual(String(describing: error), "P01.vtt:1:1: expected 'WEBVTT' on the first line of a .vtt file, found '1'")
        }
        let transcript = try vtt.parse("WEBVTT\n\n00:01.000 --> 00:02.000\njust words\n", id: "P01", file: "P01.vtt")
        XCTAssertEqual(transcript.turns.map(\.speaker), ["P01"])
        XCTAssertEqual(transcript.turns.map(\.text), ["just words"])
        XCTAssertEqual(transcript.turns.map(\.line), [4])
    }

    func testSubRipBlocksWithSpeakerPrefixes() throws {
        let text = """
            1
            00:00:01,000 --> 00:00:03,000
            Interviewer: Which hub
            do you use?

            2
            00:00:03,500 --> 00:00:05,000
            Robin: <i>Hugging Face.</i>

            3
            00:00:05,000 --> 00:00:06,000
            Mostly.

            4
            00:00:06,000 --> 00:00:07,000
            Interviewer: Thanks.
            """
        let transcript = try srt.parse(text, id: "P03", file: "P03.srt")
        XCTAssertEqual(transcript.turns.map(\.speaker), ["Interviewer", "Robin", "Interviewer"])
        XCTAssertEqual(transcript.turns.map(\.text), ["Which hub do you use?", "Hugging Face. Mostly.", "Thanks."])
        XCTAssertEqual(transcript.turns[1].start, 3.5)
        XCTAssertEqual(transcript.turns[1].end, 6)
    }

    func testSubRipErrors() {
        XCTAssertThrowsError(try srt.parse("1\n00:00:01.000 --> 00:00:03,000\nHi\n\n2\n00:00:03 --> x\nHo\n", id: "P03", file: "P03.srt")) { error in
            XCTAssertEqual(String(describing: error),
                           "P03.srt:6:14: expected a timing line such as 00:00:01,000 --> 00:00:04,000, found '00:00:03 --> x'")
        }
        XCTAssertThrowsError(try srt.parse("1\n00:00:05,000 --> 00:00:04,000\nHi\n", id: "P03", file: "P03.srt")) { error in
            XCTAssertEqual(String(describing: error),
                           "P03.srt:2:18: expected an end time no earlier than the start time, found '00:00:05,000 --> 00:00:04,000'")
        }
        XCTAssertThrowsError(try srt.parse("Robin: hi\n", id: "P03", file: "P03.srt")) { error in
            XCTAssertEqual(String(describing: error), "P03.srt:1:1: expected a cue number such as 12 starting a SubRip block, found 'Robin: hi'")
        }
    }
}
