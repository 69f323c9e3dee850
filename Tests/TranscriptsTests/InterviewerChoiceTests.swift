import Foundation
import TestSupport
import Transcripts
import XCTest

/// Issue 10.3: which speakers an import found and who is taken as the interviewer.
final class InterviewerChoiceTests: XCTestCase {
    let transcript = Transcript(id: "P02", preamble: "", turns: [
        Turn(number: 1, speaker: "Speaker 1", text: "Which hub do you use?", line: 1, isInterviewer: false),
        Turn(number: 2, speaker: "Speaker 2", text: "Hugging Face.", line: 2, isInterviewer: false),
        Turn(number: 3, speaker: "Speaker 1", text: "Why? And how often?", line: 3, isInterviewer: false),
        Turn(number: 4, speaker: "Speaker 2", text: "Its cards. Weekly.", line: 4, isInterviewer: false),
        Turn(number: 5, speaker: "Speaker 1", text: "Anything else?", line: 5, isInterviewer: false),
    ])

    func testTheStudysInterviewerListOrTheOverrideMarksTurns() {
        let (marked, report) = InterviewerChoice.apply(to: transcript, configured: ["Interviewer", "Speaker 1"], file: "P02.docx")
        XCTAssertEqual(marked.turns.map(\.isInterviewer), [true, false, true, false, true])
        XCTAssertEqual(report.interviewers, ["Speaker 1"])
        XCTAssertEqual(report.speakers.map(\.name), ["Speaker 1", "Speaker 2"])
        XCTAssertEqual(report.speakers.map(\.turns), [3, 2])
        XCTAssertEqual(report.speakers.map(\.questions), [3, 0])
        XCTAssertEqual(report.speakers.map(\.words), [11, 5])
        XCTAssertEqual(report.warnings, [])

        let (overridden, second) = InterviewerChoice.apply(to: transcript, configured: ["Speaker 1"], override: "speaker 2", file: "P02.docx")
        XCTAssertEqual(overridden.turns.map(\.isInterviewer), [false, true, false, true, false], "letter case aside")
        XCTAssertEqual(second.interviewers, ["Speaker 2"])
    }

    func testAConfiguredInterviewerMatchingNoSpeakerIsAWarningWithASuggestion() {
        let (marked, report) = InterviewerChoice.apply(to: transcript, configured: ["Interviewer"], file: "P02.docx")
        XCTAssertEqual(marked.turns.map(\.isInterviewer), [false, false, false, false, false])
        XCTAssertEqual(report.likelyInterviewer, "Speaker 1")
        XCTAssertEqual(report.warnings.map(String.init(describing:)), [
            "P02.docx: warning: no configured interviewer ('Interviewer') matches a speaker; speakers found: 'Speaker 1', 'Speaker 2'; every turn is taken as a participant's; 'Speaker 1' asks the most questions for the words spoken: pass --interviewer 'Speaker 1' if that is the interviewer",
        ])
        let (_, override) = InterviewerChoice.apply(to: transcript, configured: [], override: "Ana", file: "P02.docx")
        XCTAssertTrue(override.warnings.first?.message.hasPrefix("--interviewer 'Ana' matches no speaker; speakers found") == true)
    }
}
