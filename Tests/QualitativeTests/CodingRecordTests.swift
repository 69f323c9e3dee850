import Core
import Qualitative
import XCTest

/// The codings file's new optional fields (fingerprints, case-level codings) and its old lines.
final class CodingRecordTests: XCTestCase {
    let hash = String(repeating: "ab", count: 32)

    func testFingerprintedLineRoundTrips() throws {
        let line = #"{"transcript":"P01","turn":4,"fingerprint":{"sha256":"\#(hash)","length":4,"prefix":"Anything else?","suffix":"Such as?"},"code":"a","coder":"ana"}"#
        let coding = try CodingFile.parseLine(line, location: SourceLocation(file: "ana.jsonl", line: 1))
        XCTAssertEqual(coding.fingerprint, TurnFingerprint(sha256: hash, length: 4, prefix: "Anything else?", suffix: "Such as?"))
        XCTAssertEqual(coding.jsonLine, line)
        let first = #"{"transcript":"P01","turn":1,"fingerprint":{"sha256":"\#(hash)","length":0,"suffix":"x"},"code":"a","coder":"ana"}"#
        XCTAssertEqual(try CodingFile.parseLine(first, location: SourceLocation(file: "f")).jsonLine, first,
                       "a first turn has no prefix, and none is written")
    }

    func testFingerprintOfARealTurnIsWrittenAndReadBack() throws {
        let transcript = TranscriptText(id: "P01", turns: [1: "Why?", 2: "Because \"quotes\"\nand lines.", 3: "Ok."])
        let coding = Coding(transcript: "P01", turn: 2, fingerprint: TurnFingerprint.of(turn: 2, in: transcript), code: "a", coder: "ana",
                            location: SourceLocation(file: "ana.jsonl", line: 1, column: 1))
        let read = try CodingFile.parse(coding.jsonLine, file: "ana.jsonl")
        XCTAssertEqual(read, [coding])
        XCTAssertEqual(read[0].fingerprint?.length, "Because \"quotes\" and lines.".unicodeScalars.count)
    }

    func testOldLinesReadAsBefore() throws {
        let old = #"{"transcript":"P01","turn":4,"start":0,"end":16,"quote":"Downloads first.","code":"selection/popularity","coder":"ana","memo":"clear case","at":"2026-11-20T10:00:00Z"}"#
        let records = try CodingFile.parseRecords(old, file: "ana.jsonl")
        guard case .text(let coding) = records.first else { return XCTFail("expected a text coding") }
        XCTAssertNil(coding.fingerprint)
        XCTAssertEqual(coding.jsonLine, old, "an old line is written back without new fields")
    }

    func testCaseLevelCodingRoundTripsWithItsExcerpts() throws {
        let line = #"{"kind":"case","participant":"P03","code":"selection/popularity","coder":"icse23","excerpts":[{"transcript":"P03","turn":12,"start":3,"end":12,"quote":"downloads"},{"transcript":"P03","turn":14}],"memo":"from the paper's table"}"#
        let records = try CodingFile.parseRecords(line + "\n" + #"{"transcript":"P03","turn":2,"code":"a","coder":"icse23"}"#, file: "icse23.jsonl")
        XCTAssertEqual(records.count, 2)
        guard case .participant(let coding) = records[0] else { return XCTFail("expected a case-level coding") }
        XCTAssertEqual(coding.participant, "P03")
        XCTAssertEqual(coding.excerpts, [TextTarget(transcript: "P03", turn: 12, start: 3, end: 12, quote: "downloads"),
                                         TextTarget(transcript: "P03", turn: 14)])
        XCTAssertEqual(coding.location, SourceLocation(file: "icse23.jsonl", line: 1, column: 1))
        XCTAssertEqual(records[0].jsonLine, line)
        XCTAssertEqual(records.map(\.code), ["selection/popularity", "a"])
        let bare = CaseCoding(participant: "P01", code: "challenge/discrepancies", coder: "icse23", location: SourceLocation(file: "f"))
        XCTAssertEqual(bare.jsonLine, #"{"kind":"case","participant":"P01","code":"challenge/discrepancies","coder":"icse23"}"#)
    }

    func testReadersOfTextCodingsRefuseCaseLinesInsteadOfDroppingThem() {
        let text = #"{"transcript":"P03","turn":2,"code":"a","coder":"x"}"# + "\n" + #"{"kind":"case","participant":"P03","code":"a","coder":"x"}"#
        XCTAssertThrowsError(try CodingFile.parse(text, file: "x.jsonl")) { error in
            XCTAssertTrue(String(describing: error).hasPrefix("x.jsonl:2:1: this line is a case-level coding"), "\(error)")
        }
    }

    func testNewFieldsGetLocatedErrors() {
        let cases: [(String, String)] = [
            (#"{"kind":"turn","transcript":"P01","turn":1,"code":"a","coder":"x"}"#,
             #"f:1:1: expected "kind" to be "case" (or no kind, for a turn or span coding), found "turn""#),
            (#"{"kind":"case","code":"a","coder":"x"}"#, #"f:1:1: expected a "participant" field, found none"#),
            (#"{"kind":"case","participant":"P1","code":"a","coder":"x","turn":3}"#,
             "f:1:1: unknown key 'turn' in a case-level coding; expected at, code, coder, excerpts, kind, memo, participant"),
            (#"{"kind":"case","participant":"P1","code":"a","coder":"x","excerpts":[{"transcript":"P1"}]}"#,
             #"f:1:1: expected a "turn" field in excerpt 1, found none"#),
            (#"{"kind":"case","participant":"P1","code":"a","coder":"x","excerpts":[{"transcript":"P1","turn":2,"page":3}]}"#,
             "f:1:1: unknown key 'page' in an excerpt; expected end, fingerprint, quote, start, transcript, turn"),
            (#"{"kind":"case","participant":"P1","code":"a","coder":"x","excerpts":"P1#2"}"#,
             #"f:1:1: expected "excerpts" to be a list, found "P1#2""#),
            (#"{"transcript":"P01","turn":1,"fingerprint":{"sha256":"abc","length":3},"code":"a","coder":"x"}"#,
             #"f:1:1: expected "sha256" in "fingerprint" to be 64 lowercase hex digits, found "abc""#),
            (#"{"transcript":"P01","turn":1,"fingerprint":{"sha256":"\#(hash)","length":"long"},"code":"a","coder":"x"}"#,
             #"f:1:1: expected "length" in "fingerprint" to be a whole number, found "long""#),
            (#"{"transcript":"P01","turn":1,"fingerprint":{"sha256":"\#(hash)"},"code":"a","coder":"x"}"#,
             #"f:1:1: expected a "length" field in "fingerprint", found none"#),
            (#"["not", "an", "object"]"#, "f:1:1: expected one JSON object per line, found a list"),
        ]
        for (line, message) in cases {
            XCTAssertThrowsError(try CodingFile.parseRecords(line, file: "f")) { error in
                XCTAssertEqual(String(describing: error), message)
            }
        }
    }
}

final class CodingMigrationTests: XCTestCase {
    func testMigrationFingerprintsOnlyOldLinesThatStillFitAndKeepsTheRest() throws {
        let transcript = TranscriptText(id: "P01", turns: [1: "How?", 2: "By downloads.", 3: "Thanks."])
        let fingerprinted = Coding(transcript: "P01", turn: 3, fingerprint: TurnFingerprint.of(turn: 3, in: transcript), code: "c", coder: "ana",
                                   location: SourceLocation(file: "f")).jsonLine
        let text = [
            #"{"transcript":"P01","turn":2,"code":"a","coder":"ana"}"#,
            "",
            #"{"transcript": "P01", "turn": 2, "start": 3, "end": 12, "quote": "downloads", "code": "b", "coder": "ana"}"#,
            #"{"transcript":"P01","turn":9,"code":"gone","coder":"ana"}"#,
            #"{"transcript":"P02","turn":1,"code":"elsewhere","coder":"ana"}"#,
            #"{"kind":"case","participant":"P01","code":"d","coder":"ana"}"#,
            fingerprinted,
        ].joined(separator: "\n") + "\n"
        let (rewritten, migrated) = try CodingFile.migrated(text, file: "ana.jsonl", transcripts: ["P01": transcript])
        XCTAssertEqual(migrated.map(\.line), [1, 3])
        let lines = rewritten.components(separatedBy: "\n")
        let original = text.components(separatedBy: "\n")
        XCTAssertEqual(lines.count, original.count)
        for index in [1, 3, 4, 5, 6] { XCTAssertEqual(lines[index], original[index], "line \(index + 1) is kept byte for byte") }
        let records = try CodingFile.parseRecords(rewritten, file: "ana.jsonl").compactMap { record -> Coding? in
            if case .text(let coding) = record { return coding }
            return nil
        }
        XCTAssertEqual(records.first?.fingerprint, TurnFingerprint.of(turn: 2, in: transcript))
        XCTAssertEqual(records[1].quote, "downloads")
        XCTAssertNotNil(records[1].fingerprint)
        XCTAssertEqual(try CodingFile.migrated(rewritten, file: "ana.jsonl", transcripts: ["P01": transcript]).migrated, [], "once is enough")
    }
}

final class CodingFileRobustnessTests: XCTestCase {
    /// Every prefix of valid lines, and every line with one byte changed, either reads or is
    /// refused with a located CodingError; nothing crashes.
    func testDamagedLinesAreRefusedNeverCrash() {
        let lines = [
            #"{"transcript":"P01","turn":4,"start":0,"end":16,"quote":"Downloads first.","fingerprint":{"sha256":"\#(String(repeating: "0f", count: 32))","length":16,"prefix":"How?"},"code":"a","coder":"ana"}"#,
            #"{"kind":"case","participant":"P03","code":"a","coder":"x","excerpts":[{"transcript":"P03","turn":12,"start":3,"end":12,"quote":"downloads"}],"memo":"m"}"#,
        ]
        let replacements: [Character] = ["\"", "{", "}", "[", "]", ",", ":", "-", "9", "x", " ", "\\"]
        for line in lines {
            let characters = Array(line)
            var variants = (0..<characters.count).map { String(characters[..<$0]) }
            for index in stride(from: 0, to: characters.count, by: 3) {
                for replacement in replacements {
                    var changed = characters
                    changed[index] = replacement
                    variants.append(String(changed))
                }
            }
            for variant in variants {
                do {
                    _ = try CodingFile.parseRecords(variant, file: "f.jsonl")
                } catch let error as CodingError {
                    XCTAssertEqual(error.location?.line, 1, variant)
                } catch {
                    XCTFail("unexpected \(error) for \(variant)")
                }
            }
        }
    }
}
