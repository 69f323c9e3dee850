import Foundation
import TestSupport
import Transcripts
import XCTest

final class TranscriptReaderTests: XCTestCase {
    func testDispatchesByExtension() throws {
        let folder = try TestPaths.temporaryDirectory(for: self)
        let inputs = [
            "P1.txt": "Interviewer: Hi\nRobin: Hello\n",
            "P2.MD": "**Interviewer:** Hi\n**Robin:** Hello\n",
            "P3.vtt": "WEBVTT\n\n00:01.000 --> 00:02.000\n<v Interviewer>Hi\n\n00:02.000 --> 00:03.000\n<v Robin>Hello\n",
            "P4.srt": "1\n00:00:01,000 --> 00:00:02,000\nInterviewer: Hi\n\n2\n00:00:02,000 --> 00:00:03,000\nRobin: Hello\n",
            "P5.sbv": "0:00:01.000,0:00:02.000\nInterviewer: Hi\n\n0:00:02.000,0:00:03.000\nRobin: Hello\n",
            "P6.json": #"[{"speaker": "Interviewer", "text": "Hi"}, {"speaker": "Robin", "content": "Hello"}]"#,
        ]
        for (name, text) in inputs.sorted(by: { $0.key < $1.key }) {
            let url = folder.appendingPathComponent(name)
            try Data(text.utf8).write(to: url)
            let transcript = try TranscriptReader.read(url, displayPath: name, interviewerNames: ["Interviewer"], knownSpeakers: ["Robin"])
            XCTAssertEqual(transcript.turns.map(\.text), ["Hi", "Hello"], name)
            XCTAssertEqual(transcript.turns.map(\.isInterviewer), [true, false], name)
            XCTAssertNotNil(transcript.sourceSHA256, name)
        }
        XCTAssertEqual(TranscriptReader.fileExtensions, ["txt", "md", "vtt", "srt", "sbv", "json", "docx"])
    }

    func testUnsupportedAndMissingFiles() throws {
        let folder = try TestPaths.temporaryDirectory(for: self)
        let pdf = folder.appendingPathComponent("P1.pdf")
        try Data("%PDF".utf8).write(to: pdf)
        XCTAssertThrowsError(try TranscriptReader.read(pdf, displayPath: "P1.pdf", interviewerNames: [], knownSpeakers: [])) { error in
            XCTAssertEqual(String(describing: error), "P1.pdf: expected a transcript in one of .docx, .json, .md, .sbv, .srt, .txt, .vtt, found a '.pdf' file")
        }
        let missing = folder.appendingPathComponent("P2.vtt")
        XCTAssertThrowsError(try TranscriptReader.read(missing, displayPath: "P2.vtt", interviewerNames: [], knownSpeakers: [])) { error in
            XCTAssertEqual(String(describing: error), "P2.vtt: cannot read the file: no such file, or no permission to read it")
        }
    }

    /// Parses a generated 10,000-word transcript (200 turns of 50 words) and checks every word
    /// arrives; `measure` reports the time (the figure is recorded in the report, not asserted).
    func testParsingTenThousandWords() throws {
        var text = "Generated transcript\n\n"
        let words = ["model", "hub", "download", "card", "licence", "we", "look", "at", "the", "first"]
        for turn in 0..<200 {
            text += turn.isMultiple(of: 2) ? "Interviewer: " : "Robin (00:\(String(format: "%02d", turn % 60)):00): "
            for word in 0..<50 { text += words[(turn + word) % words.count] + (word == 24 ? "\n" : " ") }
            text += "\n\n"
        }
        let reader = PlainTextReader(interviewerNames: ["Interviewer"], knownSpeakers: ["Robin"])
        var transcript = Transcript(id: "", preamble: "", turns: [])
        measure {
            transcript = (try? reader.parse(text, id: "P1", file: "P1.txt")) ?? transcript
        }
        XCTAssertEqual(transcript.turns.count, 200)
        XCTAssertEqual(transcript.turns.reduce(0) { $0 + $1.text.split(whereSeparator: \.isWhitespace).count }, 10_000)
    }
}
