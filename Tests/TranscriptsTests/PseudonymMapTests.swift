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
        // Since issue 9, `_` ends a word, so identifiers such as `Zoë_x` are pseudonymised too.
        XCTAssertEqual(accented.replacing(in: "José, Josée, Zoë_x and (Zoë)"), "P3, Josée, P4_x and (P4)")
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

    // MARK: - Issue 9.2: names however they are spelled

    let key = PseudonymMap(entries: [("Alice Meyer", "P1"), ("Alice", "P1a"), ("Bob", "P2"), ("José", "P3"), ("Zoë Ng", "P4")])

    func testCaseVariantsAndUnicodeNormalisation() {
        XCTAssertEqual(key.replacing(in: "ALICE met bob and Bob; BOB too."), "P1a met P2 and P2; P2 too.")
        XCTAssertEqual(key.replacing(in: "Jose\u{301} and JOSÉ and jose\u{301}"), "P3 and P3 and P3")
        XCTAssertEqual(key.replacing(in: "Zoe\u{308} ng said so"), "P4 said so")
        XCTAssertEqual(key.replacing(in: "Josée, Bobby, Alicia, bobsleigh"), "Josée, Bobby, Alicia, bobsleigh")
    }

    func testEmailsIdentifiersCamelCaseAndPossessives() {
        XCTAssertEqual(key.replacing(in: "mail alice.meyer@uni.example or bob@uni.example"), "mail P1@uni.example or P2@uni.example")
        XCTAssertEqual(key.replacing(in: "Alice_Meyer, AliceMeyer, alice-meyer, ALICE_MEYER"), "P1, P1, P1, P1")
        XCTAssertEqual(key.replacing(in: "Alice's and Alice’s and Bob's"), "P1a's and P1a’s and P2's")
        XCTAssertEqual(key.replacing(in: "user_bob2019 and myBob"), "user_P22019 and myP2")
        XCTAssertEqual(key.replacing(in: "Alice\nMeyer"), "P1a\nMeyer", "a line break does not join a name")
    }

    func testNameScanReportsLineColumnAndKeyEntryOfEveryHit() throws {
        let folder = try TestPaths.temporaryDirectory(for: self)
        let url = folder.appendingPathComponent("key.csv")
        try Data("real,pseudonym\nAlice Meyer,P1\nBob,P2\n".utf8).write(to: url)
        let fromFile = try PseudonymMap.read(url)
        let text = "Interviewer: Hi bob.\nP1: I'm ALICE_MEYER (alice.meyer@x.org), Zoë’s friend; Bob’s too."
        let hits = fromFile.occurrences(in: text)
        XCTAssertEqual(hits.map(\.line), [1, 2, 2, 2])
        XCTAssertEqual(hits.map(\.column), [17, 9, 22, 56])
        XCTAssertEqual(hits.map(\.length), [3, 11, 11, 3])
        XCTAssertEqual(hits.map(\.entry.line), [3, 2, 2, 3])
        XCTAssertEqual(hits.map(\.entry.pseudonym), ["P2", "P1", "P1", "P2"])
        XCTAssertEqual(fromFile.leaks(in: text), ["Alice Meyer", "Bob"])
        XCTAssertEqual(fromFile.occurrences(in: "Nothing here, Bobby."), [])
        XCTAssertEqual(fromFile.entries.map(\.line), [2, 3])
    }

    func testMemosArePseudonymisedToo() {
        var transcript = Transcript(id: "P1", preamble: "", turns: [Turn(number: 1, speaker: "Bob", text: "Hi", line: 1, isInterviewer: false)])
        transcript.memos = [Memo(kind: .comment, text: "Bob sounded unsure", author: "Alice", turn: 1, start: 0, end: 2, line: 1)]
        let result = key.apply(to: transcript)
        XCTAssertEqual(result.memos.map(\.text), ["P2 sounded unsure"])
        XCTAssertEqual(result.memos.map(\.author), ["P1a"])
        XCTAssertEqual(result.turns.map(\.speaker), ["P2"])

        // Offsets after a replaced name move with it.
        var long = Transcript(id: "P1", preamble: "", turns: [Turn(number: 1, speaker: "A", text: "Alice Meyer met bob today", line: 1, isInterviewer: false)])
        long.memos = [Memo(kind: .comment, text: "x", turn: 1, start: 16, end: 25, line: 1),
                      Memo(kind: .annotation, number: 1, text: "y", turn: 1, start: 3, end: 3, line: 1)]
        let moved = key.apply(to: long)
        XCTAssertEqual(moved.turns[0].text, "P1 met P2 today")
        XCTAssertEqual(moved.memos.map(\.start), [7, 0], "'P2' starts at 7; an offset inside a name goes to its start")
        XCTAssertEqual(moved.memos.map(\.end), [15, 0])
    }

    func testATranscriptIDIsNeverARealNameFromTheFileName() throws {
        let participants = [Participant(id: "P07", pseudonym: "Robin", line: 2)]
        func message(_ id: String, fromFileName: Bool = true, key: PseudonymMap? = nil) -> String {
            do {
                try TranscriptIdentity.check(id: id, takenFromFileName: fromFileName, file: "in/\(id).txt", participants: participants, key: key)
            } catch { return String(describing: error) }
            return "accepted"
        }
        for id in ["Alice Meyer", "Alice_Meyer", "AliceMeyer", "Jean-Luc Picard"] {
            XCTAssertEqual(message(id), "in/\(id).txt: expected a participant id (or pseudonym) as the transcript's id, found an id that may be a real name (the file name looks like a person's name and is not a participant id in participants.csv); import it with --participant ID", id)
        }
        for id in ["P07", "Robin", "Interview-02-20220704", "p3", "transcript", "P 7"] { XCTAssertEqual(message(id), "accepted", id) }
        XCTAssertEqual(message("Alice Meyer", fromFileName: false), "accepted", "an id the user typed is theirs to choose")
        let withKey = PseudonymMap(entries: [("Bob", "P2")])
        XCTAssertEqual(message("interview_bob", key: withKey),
                       "in/interview_bob.txt: expected a participant id (or pseudonym) as the transcript's id, found an id that may be a real name (it holds the real name of line ? of the pseudonym key); import it with --participant ID")
        XCTAssertEqual(message("bob", fromFileName: false, key: withKey).contains("pseudonym key"), true)
    }
}
