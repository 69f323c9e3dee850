import Foundation
import Index
import Project
import Study
import TestSupport
import XCTest

/// Memos that come with a real Rev transcript reach `transcript show` and `excerpts` on their
/// turn, and never the spoken text.
final class TranscriptMemoTests: XCTestCase {
    func testTheICSEMemosShowOnTheirTurns() throws {
        let source = try TestPaths.sharedData("interviews/icse2023-ptm-reuse-interviews/transcripts/Interview-02-20220704.docx")
        let fixture = try StudyFixture(self)
        let outcome = try TranscriptImport(study: try fixture.study).importTranscript(source, participant: "P07", key: nil, replacing: false)
        XCTAssertEqual(outcome.path, "corpus/transcripts/P07.docx")
        XCTAssertFalse(outcome.speakers.speakers.isEmpty)
        let (index, _) = try StudyIndex.open(try fixture.study)
        let turns = try index.turns(of: "P07")
        let memos = turns.flatMap(\.memos)
        XCTAssertFalse(memos.isEmpty, "the transcript's numbered annotations are memos on their turns")
        XCTAssertTrue(memos.allSatisfy { $0.hasPrefix("[") })
        // No memo text is part of anyone's words.
        for memo in memos {
            let text = String(memo.drop { $0 != " " }.dropFirst())
            guard text.count > 20 else { continue }
            XCTAssertFalse(turns.contains { $0.text.contains(text) }, "memo text inside a turn: \(text.prefix(40))")
        }
        let show = try CLI.run(["transcript", "show", "P07"], in: fixture.root)
        XCTAssertEqual(show.status, 0, show.stderr)
        XCTAssertTrue(show.stdout.contains("    memo ["), show.stdout.prefix(400).description)
    }

    func testTheInterviewerLabelIsSaidAndKept() throws {
        let source = try TestPaths.sharedData("interviews/icse2023-ptm-reuse-interviews/transcripts/Interview-03-20220710.docx")
        let fixture = try StudyFixture(self)
        let plain = try CLI.run(["transcript", "import", source.path, "--participant", "P08"], in: fixture.root)
        XCTAssertEqual(plain.status, 0, plain.stderr)
        XCTAssertTrue(plain.stdout.contains("Speakers: Speaker 1"), plain.stdout)
        XCTAssertTrue(plain.stderr.contains("Speaker 1"), "the likely interviewer is suggested: \(plain.stderr)")
        let kept = try CLI.run(["transcript", "import", source.path, "--participant", "P08", "--replace", "--interviewer", "Speaker 1"], in: fixture.root)
        XCTAssertEqual(kept.status, 0, kept.stderr)
        XCTAssertTrue(try fixture.read("triangulate.yaml").contains("Speaker 1"))
        let list = try CLI.run(["transcript", "list"], in: fixture.root)
        XCTAssertTrue(list.stdout.contains("interviewer Speaker 1"), list.stdout)
    }
}

/// Captions with no speaker labels: one speaker, named by --speaker, timestamps kept.
final class CaptionSpeakerTests: XCTestCase {
    func testSpeakerlessCaptionsGetTheNamedSpeakerAndKeepTheirTimes() throws {
        let fixture = try StudyFixture(self)
        let srt = try TestPaths.temporaryDirectory(for: self).appendingPathComponent("talk.srt")
        try "1\n00:00:01,000 --> 00:00:03,000\nWe pick models by downloads.\n\n2\n00:00:10,000 --> 00:00:12,000\nThen we read the card.\n"
            .write(to: srt, atomically: true, encoding: .utf8)
        let result = try CLI.run(["transcript", "import", srt.path, "--participant", "P09", "--speaker", "Person Q"], in: fixture.root)
        XCTAssertEqual(result.status, 0, result.stderr)
        let stored = try fixture.read("corpus/transcripts/P09.txt")
        XCTAssertTrue(stored.contains("[00:00:01] Person Q: We pick models by downloads."), stored)
        XCTAssertTrue(stored.contains("[00:00:10] Person Q: Then we read the card."), stored)
        let (index, _) = try StudyIndex.open(try fixture.study)
        let turns = try index.turns(of: "P09")
        XCTAssertEqual(turns.map(\.speaker), ["Person Q", "Person Q"])
        XCTAssertEqual(turns.map(\.text), ["We pick models by downloads.", "Then we read the card."])
    }
}
