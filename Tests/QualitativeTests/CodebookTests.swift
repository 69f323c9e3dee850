import Qualitative
import XCTest

final class CodebookTests: XCTestCase {
    func testHierarchyGivesFullIds() throws {
        let codebook = try Codebook.parse("""
            name: Reuse
            codes:
              - id: selection
                name: Model selection
                definition: How engineers pick a model.
                codes:
                  - id: popularity
                    name: Popularity
                    include: Downloads, likes, stars.
                    examples: ["we look at downloads first"]
              - id: trust
            """, file: "codebooks/reuse.yaml")
        XCTAssertEqual(codebook.name, "Reuse")
        XCTAssertEqual(codebook.codes.map(\.id), ["selection", "selection/popularity", "trust"])
        XCTAssertEqual(codebook.codes[1].parent, "selection")
        XCTAssertEqual(codebook.codes[1].examples, ["we look at downloads first"])
        XCTAssertEqual(codebook.codes[2].name, "trust")
        XCTAssertTrue(codebook.codes[0].covers("selection/popularity"))
        XCTAssertFalse(codebook.codes[0].covers("selections"))
    }

    func testDuplicateCodeNamesBothLines() {
        let text = "codes:\n  - id: a\n  - id: b\n  - id: a\n"
        XCTAssertThrowsError(try Codebook.parse(text, file: "cb.yaml")) { error in
            XCTAssertEqual(String(describing: error), "cb.yaml:4:9: code 'a' is defined twice (first at line 2)")
        }
    }

    func testInvalidIdAndUnknownKey() {
        XCTAssertThrowsError(try Codebook.parse("codes:\n  - id: Selection Bias\n", file: "cb.yaml")) { error in
            XCTAssertTrue(String(describing: error).hasPrefix("cb.yaml:2:9: expected a code id of lowercase letters"), "\(error)")
        }
        XCTAssertThrowsError(try Codebook.parse("codes:\n  - id: a\n    defintion: x\n", file: "cb.yaml")) { error in
            XCTAssertTrue(String(describing: error).hasPrefix("cb.yaml:3:5: unknown key 'defintion'"), "\(error)")
        }
    }
}

final class CodingFileTests: XCTestCase {
    func testReadsLinesAndWritesThemBackIdentically() throws {
        let line = #"{"transcript":"P01","turn":4,"start":0,"end":16,"quote":"Downloads first.","code":"selection/popularity","coder":"ana","memo":"clear case","at":"2026-11-20T10:00:00Z"}"#
        let codings = try CodingFile.parse(line + "\n\n" + #"{"transcript":"P02","turn":2,"code":"trust","coder":"ana"}"#, file: "ana.jsonl")
        XCTAssertEqual(codings.count, 2)
        XCTAssertEqual(codings[0].jsonLine, line)
        XCTAssertEqual(codings[1].location.line, 3)
        XCTAssertNil(codings[1].start)
    }

    func testErrorsNameTheLine() {
        let cases: [(String, String)] = [
            (#"{"transcript":"P01","turn":1,"code":"a"}"#, "ana.jsonl:1:1: expected a \"coder\" field, found none"),
            (#"{"transcript":"P01","turn":"one","code":"a","coder":"ana"}"#, "ana.jsonl:1:1: expected \"turn\" to be a whole number, found \"one\""),
            (#"{"transcript":"P01","turn":1,"start":5,"code":"a","coder":"ana"}"#, "ana.jsonl:1:1: expected both \"start\" and \"end\" for a span, or neither for a whole turn"),
            (#"{"transcript":"P01","turn":1,"start":5,"end":2,"code":"a","coder":"ana"}"#, "ana.jsonl:1:1: expected 0 ≤ start < end, found start 5 and end 2"),
            (#"{"transcript": "P01", "turn": 1,"#, "ana.jsonl:1:1: expected one JSON object per line, found text that is not valid JSON"),
        ]
        for (line, message) in cases {
            XCTAssertThrowsError(try CodingFile.parse(line, file: "ana.jsonl")) { error in
                XCTAssertEqual(String(describing: error), message)
            }
        }
    }
}

final class AnchoringTests: XCTestCase {
    let location = Coding(transcript: "P01", turn: 2, code: "a", coder: "ana", location: .init(file: "f")).location

    func coding(turn: Int, start: Int?, end: Int?, quote: String?) -> Coding {
        Coding(transcript: "P01", turn: turn, start: start, end: end, quote: quote, code: "a", coder: "ana", location: location)
    }

    func testExactWholeTurnAndSpan() {
        let turns = [1: "Hello.", 2: "We look at downloads first — always."]
        XCTAssertEqual(Anchoring.resolve(coding(turn: 2, start: nil, end: nil, quote: nil), in: turns), .exact(turn: 2, start: nil, end: nil))
        XCTAssertEqual(Anchoring.resolve(coding(turn: 2, start: 11, end: 26, quote: "downloads first"), in: turns),
                       .exact(turn: 2, start: 11, end: 26))
    }

    func testOffsetsCountUnicodeScalars() {
        // "é" written as e + combining accent is two scalars; the quote after it starts at 6.
        let turns = [1: "Cafe\u{301}: downloads"]
        XCTAssertEqual(Anchoring.occurrences(of: "downloads", in: turns[1]!), [7])
        XCTAssertEqual(Anchoring.resolve(coding(turn: 1, start: 7, end: 16, quote: "downloads"), in: turns), .exact(turn: 1, start: 7, end: 16))
    }

    func testEditedTranscriptReanchorsByQuote() {
        let turns = [1: "Hello.", 2: "Well, we look at downloads first."]
        XCTAssertEqual(Anchoring.resolve(coding(turn: 2, start: 11, end: 26, quote: "downloads first"), in: turns),
                       .reanchored(turn: 2, start: 17, end: 32))
        let moved = [1: "Hello.", 2: "Something else.", 3: "We look at downloads first."]
        XCTAssertEqual(Anchoring.resolve(coding(turn: 2, start: 11, end: 26, quote: "downloads first"), in: moved),
                       .reanchored(turn: 3, start: 11, end: 26))
    }

    func testLostOrAmbiguousQuoteIsOrphanedNotDropped() {
        let gone = Anchoring.resolve(coding(turn: 2, start: 0, end: 5, quote: "stars"), in: [1: "a", 2: "b"])
        guard case .orphaned(let reason) = gone else { return XCTFail("expected orphaned, got \(gone)") }
        XCTAssertEqual(reason, "the quoted words are no longer in the transcript")
        let twice = Anchoring.resolve(coding(turn: 5, start: 0, end: 2, quote: "ok"), in: [1: "ok", 2: "ok"])
        XCTAssertEqual(twice.turn, nil)
        XCTAssertEqual(Anchoring.resolve(coding(turn: 1, start: 0, end: 2, quote: "ok"), in: nil).turn, nil)
    }
}
