import Foundation
import TestSupport
import Transcripts
import XCTest

final class PseudonymMapTests: XCTestCase {
    let map = PseudonymMap(entries: [("Anna", "P1"), ("Anna Smith", "Participant 1"), ("Ann", "P2"), ("Smith", "P9")])

    func testReplacesSpeakersTextsAndPreambleConsistently() {
        let transcript = Transcript(id: "I01", preamble: "Interview with Anna Smith, 3 March", turns: [
            Turn(number: 1, speaker: "Interviewer", text: "Anna, how did Ann's team choose?", line: 2, isInterviewer: true),
            Turn(number: 2, speaker: "Anna", text: "Ann and I looked at downloads.\nAnna Smith signs off.", line: 3, isInterviewer: false, start: 4),
            Turn(number: 3, speaker: "Anna Smith", text: "Annual reviews, Annabel, Smithson.", line: 4, isInterviewer: false),
        ], sourceSHA256: "abc")
        let result = map.apply(to: transcript)
        XCTAssertEqual(result.preamble, "Interview with Participant 1, 3 March")
        XCTAssertEqual(result.turns.map(\.speaker), ["Interviewer", "P1", "Participant 1"])
        XCTAssertEqual(result.turns.map(\.text), [
            "P1, how did P2's team choose?",
            "P2 and I looked at downloads.\nParticipant 1 signs off.",
            "Annual reviews, Annabel, Smithson.",
        ])
        XCTAssertEqual(result.turns[1].start, 4)
        XCTAssertEqual(result.sourceSHA256, "abc")
        for turn in result.turns { XCTAssertEqual(map.leaks(in: turn.text), []) }
        XCTAssertEqual(map.leaks(in: transcript.turns[1].text), ["Anna Smith", "Ann"], "in the order of the key")
    }

    func testPseudonymsAreNotRewrittenAndBoundariesAreUnicodeAware() {
        let chain = PseudonymMap(entries: [("Bob", "Carl"), ("Carl", "Dan")])
        XCTAssertEqual(chain.replacing(in: "Bob met Carl."), "Carl met Dan.")
        let accented = PseudonymMap(entries: [("José", "P3"), ("Zoë", "P4")])
        XCTAssertEqual(accented.replacing(in: "José, Josée, Zoë_x and (Zoë)"), "P3, Josée, Zoë_x and (P4)")
        XCTAssertEqual(accented.replacing(in: ""), "")
    }

    func testReadsTheKeyFile() throws {
        let folder = try TestPaths.temporaryDirectory(for: self)
        let url = folder.appendingPathComponent("key.csv")
        try Data("real,pseudonym\nAnna Smith,P1\n\"Smith, Anna\",P1\n".utf8).write(to: url)
        let key = try PseudonymMap.read(url)
        XCTAssertEqual(key.replacing(in: "Anna Smith or Smith, Anna"), "P1 or P1")

        try Data("Anna,P1\nBen\n".utf8).write(to: url)
        XCTAssertThrowsError(try PseudonymMap.read(url)) { error in
            XCTAssertEqual(String(describing: error), "\(url.path):2:1: expected 2 fields, a real name and its pseudonym, found 1 field")
        }
        try Data("Anna,P1\nAnna,P2\n".utf8).write(to: url)
        XCTAssertThrowsError(try PseudonymMap.read(url)) { error in
            XCTAssertEqual(String(describing: error), "\(url.path):2:1: expected each real name once, found the real name of line 1 again")
            XCTAssertFalse(String(describing: error).contains("Anna"), "the key's names never reach error output")
        }
    }
}
