import Core
import Foundation
import TestSupport
@testable import Transcripts
import XCTest

/// Issue 10.1: the formats real transcripts arrive in, each read with nothing lost.
final class FormatsInTheWildTests: XCTestCase {
    /// The words of `text` (white-space separated), for "every word of the source is in some turn, in order".
    static func words(_ text: String) -> [Substring] {
        text.split(whereSeparator: { $0.isWhitespace })
    }

    static func words(of transcript: Transcript) -> [Substring] {
        words(([transcript.preamble] + transcript.turns.map(\.text)).joined(separator: " "))
    }

    // MARK: - Captions without speakers

    func testSubRipWithoutSpeakersIsOneSpeakersTurnsSplitAtSentencesAndPauses() throws {
        let text = """
            1
            00:00:01,000 --> 00:00:03,000
            so we looked at the model card

            2
            00:00:03,200 --> 00:00:05,000
            and then the downloads.

            3
            00:00:05,100 --> 00:00:07,000
            After that we

            4
            00:00:10,000 --> 00:00:12,500
            <i>tried</i> three models

            5
            00:00:12,600 --> 00:00:14,000
            in a notebook
            """
        let reader = CaptionReader(format: .subRip, interviewerNames: ["Interviewer"])
        let transcript = try reader.parse(text, id: "P07", file: "P07.srt")
        XCTAssertEqual(transcript.turns.map(\.speaker), ["P07", "P07", "P07"], "the participant, by default")
        XCTAssertEqual(transcript.turns.map(\.text), [
            "so we looked at the model card and then the downloads.",  // a sentence end
            "After that we",  // a 3-second pause
            "tried three models in a notebook",
        ])
        XCTAssertEqual(transcript.turns.map { $0.start ?? -1 }, [1, 5.1, 10])
        XCTAssertEqual(transcript.turns.map { $0.end ?? -1 }, [5, 7, 14])
        XCTAssertEqual(transcript.turns.map(\.line), [3, 11, 15])
        XCTAssertEqual(transcript.turns.map(\.isInterviewer), [false, false, false])
        let named = try CaptionReader(format: .subRip, interviewerNames: [], speaker: "Robin").parse(text, id: "P07", file: "P07.srt")
        XCTAssertEqual(Set(named.turns.map(\.speaker)), ["Robin"])
    }

    func testWebVTTWithoutVoicesAndYouTubeSBV() throws {
        let vtt = """
            WEBVTT
            Kind: captions
            Language: en

            00:00:00.000 --> 00:00:02.000 align:start position:0%
            hello and welcome<00:00:01.000><c> to</c>

            00:00:02.000 --> 00:00:04.000
            the course &amp; its labs

            00:00:04.100 --> 00:00:06.000
            today we start
            """
        let fromVTT = try CaptionReader(format: .webVTT, interviewerNames: []).parse(vtt, id: "L01", file: "L01.vtt")
        XCTAssertEqual(fromVTT.turns.map(\.text), ["hello and welcome to the course & its labs today we start"])
        XCTAssertEqual(fromVTT.turns.first?.speaker, "L01")

        let sbv = """
            0:00:00.599,0:00:04.160
            >> Okay, let's get started.

            0:00:04.160,0:00:07.000
            Today we talk about
            model hubs

            0:00:09.500,0:00:11.000
            and licences?
            """
        let reader = CaptionReader(format: .youTube, interviewerNames: [], speaker: "Lecturer")
        let fromSBV = try reader.parse(sbv, id: "L02", file: "L02.sbv")
        XCTAssertEqual(fromSBV.turns.map(\.text), [">> Okay, let's get started.", "Today we talk about model hubs", "and licences?"])
        XCTAssertEqual(fromSBV.turns.map { $0.start ?? -1 }, [0.599, 4.16, 9.5])
        XCTAssertEqual(fromSBV.turns.map { $0.end ?? -1 }, [4.16, 7, 11])
        XCTAssertEqual(Self.words(of: fromSBV), Self.words(sbv).filter { !$0.contains(":") })
        XCTAssertThrowsError(try reader.parse("0:00:01.000;0:00:02.000\nHi\n", id: "L03", file: "L03.sbv")) { error in
            XCTAssertEqual(String(describing: error), "L03.sbv:1:1: expected a timing line such as 0:00:01.000,0:00:04.000, found '0:00:01.000;0:00:02.000'")
        }
    }

    func testSentenceEnds() {
        for ending in ["done.", "really?", "yes!", "well…", "he said \"stop.\"", "(as usual.)", "ok. "] {
            XCTAssertTrue(CaptionReader.endsSentence(ending), ending)
        }
        for open in ["and then", "e.g", "3,", ""] { XCTAssertFalse(CaptionReader.endsSentence(open), open) }
    }

    func testReadingCaptionFilesByExtension() throws {
        let folder = try TestPaths.temporaryDirectory(for: self)
        let url = folder.appendingPathComponent("P09.sbv")
        try Data("0:00:00.000,0:00:01.000\nHi there.\n".utf8).write(to: url)
        let transcript = try TranscriptReader.read(url, displayPath: "P09.sbv", options: TranscriptReadOptions(interviewerNames: [], speaker: "Ana"))
        XCTAssertEqual(transcript.turns.map(\.speaker), ["Ana"])
        XCTAssertEqual(transcript.sourceSHA256?.count, 64)
        XCTAssertTrue(TranscriptReader.fileExtensions.isSuperset(of: ["sbv", "json", "vtt", "srt", "txt", "md", "docx"]))
    }

    // MARK: - Markdown

    func testMarkdownHeadingsThenParagraphs() throws {
        let text = """
            # Interview with P04

            ### Interviewer
            How did you pick the model?

            ### P04 (00:01:10)
            We compared three.

            Then we read their cards.

            ## Interviewer ##
            Thanks.

            ### P04
            Bye.
            """
        let transcript = try PlainTextReader(interviewerNames: ["Interviewer"]).parse(text, id: "P04", file: "P04.md")
        XCTAssertEqual(transcript.preamble, "# Interview with P04")
        XCTAssertEqual(transcript.turns.map(\.speaker), ["Interviewer", "P04", "Interviewer", "P04"])
        XCTAssertEqual(transcript.turns.map(\.text), ["How did you pick the model?", "We compared three.\n\nThen we read their cards.", "Thanks.", "Bye."])
        XCTAssertEqual(transcript.turns.map(\.line), [3, 6, 11, 14])
        XCTAssertEqual(transcript.turns[1].start, 70)
        XCTAssertEqual(transcript.warnings, [])
    }

    func testMarkdownBoldNamesWithoutColonAndEveryBoldStyle() throws {
        let text = """
            **Interviewer** Which hub do you use?
            **Robin** Hugging Face.
            **Interviewer:** Why?
            **Robin**: The cards.
            **Break:**
            **Interviewer** Back again.
            """
        let transcript = try PlainTextReader(interviewerNames: ["Interviewer"], knownSpeakers: ["Robin", "Break"]).parse(text, id: "P05", file: "P05.md")
        XCTAssertEqual(transcript.turns.map(\.speaker), ["Interviewer", "Robin", "Interviewer", "Robin", "Interviewer"])
        XCTAssertEqual(transcript.turns.map(\.text), ["Which hub do you use?", "Hugging Face.", "Why?", "The cards.", "Back again."])
        XCTAssertEqual(transcript.warnings.map(String.init(describing:)),
                       ["P05.md:5:1: warning: 'Break' has no words before the next speaker; it makes no turn"])
    }

    func testTwoLabelStylesAreReportedNotSilentlyGuessed() throws {
        let text = """
            ### Interviewer
            Ready?
            ### Robin
            Yes.
            Interviewer: Which hub?
            Robin: Hugging Face.
            """
        let transcript = try PlainTextReader(interviewerNames: []).parse(text, id: "P06", file: "P06.md")
        XCTAssertEqual(transcript.turns.map(\.text), ["Ready?", "Yes.", "Which hub?", "Hugging Face."])
        XCTAssertEqual(transcript.warnings.map(String.init(describing:)), [
            "P06.md:5:1: warning: speaker labels in 2 styles: '### Name' headings (first at line 1, 2 times), 'Name:' (first at line 5, 2 times); all were taken as speakers, check that the turns are right",
        ])
    }

    func testEncodingsOfTextTranscripts() throws {
        let folder = try TestPaths.temporaryDirectory(for: self)
        let latin = folder.appendingPathComponent("P10.txt")
        try Data("Interviewer: Ça va?\nJosé: Très bien.\n".unicodeScalars.map { UInt8($0.value) }).write(to: latin)
        let options = TranscriptReadOptions(interviewerNames: ["Interviewer"], knownSpeakers: ["José"])
        XCTAssertThrowsError(try TranscriptReader.read(latin, displayPath: "P10.txt", options: options)) { error in
            XCTAssertEqual(String(describing: error), "P10.txt:1:14: cannot read the file: expected UTF-8 text, found the byte 0xC7 at byte offset 13; if the file was saved in an 8-bit encoding, pass --encoding windows-1252 (or --encoding latin-1)")
        }
        var latinOptions = options
        latinOptions.encoding = .latin1
        XCTAssertEqual(try TranscriptReader.read(latin, displayPath: "P10.txt", options: latinOptions).turns.map(\.text), ["Ça va?", "Très bien."])

        let utf16 = folder.appendingPathComponent("P11.md")
        let text = "**Interviewer:** Ça va?\n**José:** Très bien 😀\n"
        try (Data([0xFF, 0xFE]) + Data(text.utf16.flatMap { [UInt8($0 & 0xFF), UInt8($0 >> 8)] })).write(to: utf16)
        XCTAssertEqual(try TranscriptReader.read(utf16, displayPath: "P11.md", options: options).turns.map(\.text), ["Ça va?", "Très bien 😀"])
    }

    // MARK: - JSON

    let json = JSONTranscriptReader(interviewerNames: ["Interviewer"])

    func testJSONTurnList() throws {
        let text = """
            [
              {"speaker": "Interviewer", "text": "Which hub?", "start": 0, "end": 2.5},
              {"speaker": "P12", "content": "Hugging Face,\\nmostly \\u00e9t\\u00e9.", "start": "00:00:03", "end": 6},
              {"speaker": "P12", "text": ""},
              {"speaker": 7, "text": "A number as a name."}
            ]
            """
        let transcript = try json.parse(text, id: "P12", file: "P12.json")
        XCTAssertEqual(transcript.turns.map(\.speaker), ["Interviewer", "P12", "7"])
        XCTAssertEqual(transcript.turns.map(\.text), ["Which hub?", "Hugging Face,\nmostly été.", "A number as a name."])
        XCTAssertEqual(transcript.turns.map(\.line), [2, 3, 5])
        XCTAssertEqual(transcript.turns.map(\.start), [0, 3, nil])
        XCTAssertEqual(transcript.turns.map(\.end), [2.5, 6, nil])
        XCTAssertEqual(transcript.turns.map(\.isInterviewer), [true, false, false])
        XCTAssertEqual(transcript.warnings.map(String.init(describing:)), ["P12.json:4:1: warning: item 3 has no words; it makes no turn"])
    }

    func testJSONWhisperSegmentsAndMeetingWrapper() throws {
        let whisper = """
            {"text": " So we picked BERT. It was the most downloaded", "language": "en",
             "segments": [
              {"id": 0, "seek": 0, "start": 0.0, "end": 2.0, "text": " So we picked BERT.", "tokens": [1, 2]},
              {"id": 1, "seek": 0, "start": 2.1, "end": 4.0, "text": " It was the most"},
              {"id": 2, "seek": 0, "start": 4.1, "end": 5.0, "text": " downloaded"}
             ]}
            """
        let fromWhisper = try json.parse(whisper, id: "P13", file: "P13.json")
        XCTAssertEqual(fromWhisper.turns.map(\.speaker), ["P13", "P13"])
        XCTAssertEqual(fromWhisper.turns.map(\.text), ["So we picked BERT.", "It was the most downloaded"])
        XCTAssertEqual(fromWhisper.turns.map(\.end), [2, 5])

        let whisperX = """
            {"segments": [
              {"start": 0.0, "end": 1.0, "text": "Hi.", "speaker": "SPEAKER_00"},
              {"start": 1.0, "end": 2.0, "text": "How are you?", "speaker": "SPEAKER_00"},
              {"start": 2.0, "end": 3.0, "text": "Fine.", "speaker": "SPEAKER_01"}
            ]}
            """
        let diarised = try JSONTranscriptReader(interviewerNames: ["SPEAKER_00"]).parse(whisperX, id: "P14", file: "P14.json")
        XCTAssertEqual(diarised.turns.map(\.speaker), ["SPEAKER_00", "SPEAKER_01"])
        XCTAssertEqual(diarised.turns.map(\.text), ["Hi. How are you?", "Fine."])

        let meeting = """
            {"topic_list": [{"topic": "Design", "relevant_text_span": [["0", "1"]]}],
             "meeting_transcripts": [
               {"speaker": "Project Manager", "content": "Let's begin."},
               {"speaker": "Marketing", "content": "Sure."}
             ]}
            """
        XCTAssertEqual(try json.parse(meeting, id: "M1", file: "M1.json").turns.map(\.speaker), ["Project Manager", "Marketing"])
        let single = #"{"meta": {"n": 2}, "items": [{"speaker": "A", "text": "one"}, {"speaker": "B", "text": "two"}]}"#
        XCTAssertEqual(try json.parse(single, id: "M2", file: "M2.json").turns.map(\.text), ["one", "two"])
    }

    func testJSONErrorsAreLocated() {
        func message(_ text: String) -> String {
            do { _ = try json.parse(text, id: "X", file: "X.json") } catch { return String(describing: error) }
            return "no error"
        }
        XCTAssertEqual(message("[\n  {\"speaker\": \"A\", \"text\": \"hi\"},\n  {\"speaker\": \"B\" \"text\": \"yo\"}\n]"),
                       "X.json:3:19: expected ',' or '}', found '\"'")
        XCTAssertEqual(message("[{\"speaker\": \"A\", \"words\": \"hi\"}]"),
                       "X.json:1:1: expected item 1 to hold its words in 'text' or 'content', found the keys 'speaker', 'words'")
        XCTAssertEqual(message("[{\"speaker\": \"A\", \"text\": \"hi\", \"start\": \"soon\"}]"),
                       "X.json:1:1: expected 'start' of item 1 in seconds (a number, or a time such as 00:01:02.5), found a string")
        XCTAssertEqual(message("{\"a\": [{\"text\": \"x\"}], \"b\": [{\"text\": \"y\"}]}"),
                       "X.json:1:1: expected a list of turns: a top-level array, or an object with 'segments', 'meeting_transcripts', 'transcript', 'turns', 'utterances', 'dialogue', 'conversation' or a single list of turn objects, found an object with 2 lists ('a', 'b')")
        XCTAssertEqual(message("\"just a string\""), "X.json:1:1: expected a list of turns (a JSON array or object), found a string")
        XCTAssertEqual(message("[{\"text\": \"\"}]"), "X.json:1:1: expected at least one turn with words, found 1 item without words")
        XCTAssertEqual(message(String(repeating: "[", count: 5000)), "X.json:1:1001: expected JSON nested at most 1,000 deep, found '['")
        XCTAssertEqual(message("[{\"text\": \"a\"}] x"), "X.json:1:17: expected the end of the JSON document, found 'x'")
    }
}
