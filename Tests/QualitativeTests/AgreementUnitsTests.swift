import XCTest

@testable import Qualitative

/// SplitMix64's steps, so the generated corpora are the same on every run.
private struct UnitsRandom {
    var state: UInt64

    mutating func next(below bound: Int) -> Int {
        state &+= 0x9E37_79B9_7F4A_7C15
        var z = state
        z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
        z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
        z ^= z >> 31
        return Int(z % UInt64(bound))
    }
}

final class AgreementUnitsTests: XCTestCase {
    private let p = UnitRatings.present, a = UnitRatings.absent

    private func coding(
        _ transcript: String, _ turn: Int, _ range: Range<Int>? = nil, _ code: String, _ coder: String
    ) -> PlacedCoding {
        PlacedCoding(
            transcript: transcript, turn: turn, start: range?.lowerBound, end: range?.upperBound, code: code, coder: coder)
    }

    func testTurnUnitsComeFromTranscriptsThatTwoCodersCoded() {
        let turns = [
            CodedTurn(transcript: "P02", turn: 2, length: 30), CodedTurn(transcript: "P02", turn: 4, length: 12),
            CodedTurn(transcript: "P01", turn: 4, length: 40), CodedTurn(transcript: "P01", turn: 2, length: 25),
            CodedTurn(transcript: "P03", turn: 2, length: 50),
        ]
        let codings = [
            coding("P01", 2, 3..<9, "selection/popularity", "ana"),
            coding("P01", 2, nil, "selection", "ben"),
            coding("P01", 4, nil, "risk", "ben"),
            coding("P02", 4, 0..<5, "selection", "ana"),
            coding("P02", 2, nil, "risk", "ben"),
            coding("P03", 2, nil, "selection", "ana"),  // only one coder: P03 gives no units
            coding("P01", 1, nil, "selection", "ben"),  // an interviewer turn: not a unit
            coding("P01", 2, nil, "selection", "zoe"),  // not a compared coder
            coding("P01", 4, nil, "selectionism", "ana"),  // not a sub-code of selection
        ]
        let units = AgreementUnits.ratings(
            for: "selection", codings: codings, turns: turns, coders: ["ana", "ben"], unit: .turn)
        XCTAssertEqual(units.coders, ["ana", "ben"])
        XCTAssertEqual(units.ratings, [[p, p], [a, a], [a, a], [p, a]], "P01 turns 2, 4, then P02 turns 2, 4")
        XCTAssertEqual(units.weights, [1, 1, 1, 1])
        XCTAssertEqual(units.unitCount, 4)
        XCTAssertEqual(AgreementUnits(codings: codings, turns: turns, coders: ["ana", "ben"]).transcripts, ["P01", "P02"])
    }

    func testACoderWhoDidNotCodeATranscriptIsMissingNotAbsent() {
        let turns = [CodedTurn(transcript: "T1", turn: 1, length: 10), CodedTurn(transcript: "T2", turn: 1, length: 10)]
        let codings = [
            coding("T1", 1, nil, "x", "ana"), coding("T1", 1, nil, "y", "ben"),
            coding("T2", 1, nil, "x", "ana"), coding("T2", 1, nil, "x", "cho"),
        ]
        let units = AgreementUnits.ratings(
            for: "x", codings: codings, turns: turns, coders: ["ana", "ben", "cho", "ana"], unit: .turn)
        XCTAssertEqual(units.coders, ["ana", "ben", "cho"], "a repeated coder is compared once")
        XCTAssertEqual(units.ratings, [[p, a, nil], [p, nil, p]])
    }

    func testCharacterUnitsAreRunsOfConstantRatings() {
        let turns = [CodedTurn(transcript: "T", turn: 3, length: 20), CodedTurn(transcript: "T", turn: 5, length: 8)]
        let codings = [
            coding("T", 3, 0..<6, "c", "ana"), coding("T", 3, 4..<10, "c/sub", "ana"),  // overlap: one run 0..<10
            coding("T", 3, 5..<15, "c", "ben"),
            coding("T", 5, nil, "c", "ben"), coding("T", 5, 2..<4, "c", "ana"), coding("T", 5, 4..<6, "c", "ana"),
        ]
        let units = AgreementUnits.ratings(for: "c", codings: codings, turns: turns, coders: ["ana", "ben"], unit: .character)
        XCTAssertEqual(units.ratings, [[p, a], [p, p], [a, p], [a, a], [a, p], [p, p], [a, p]])
        XCTAssertEqual(units.weights, [5, 5, 5, 5, 2, 4, 2], "adjacent spans 2..<4 and 4..<6 merge into one run")
        XCTAssertEqual(units.unitCount, 28, "every character of both turns is one unit")
    }

    func testSpansBeyondTheTurnAreClippedAndEmptyTurnsHaveNoCharacters() {
        let turns = [CodedTurn(transcript: "T", turn: 1, length: 10), CodedTurn(transcript: "T", turn: 2, length: 0)]
        let codings = [coding("T", 1, 7..<30, "c", "ana"), coding("T", 2, nil, "c", "ben"), coding("T", 1, 12..<14, "c", "ben")]
        let units = AgreementUnits.ratings(for: "c", codings: codings, turns: turns, coders: ["ana", "ben"], unit: .character)
        XCTAssertEqual(units.ratings, [[a, a], [p, a]])
        XCTAssertEqual(units.weights, [7, 3])
    }

    func testDisagreementsNameTheCodersAndTheirRanges() {
        let turns = [CodedTurn(transcript: "T", turn: 1, length: 20), CodedTurn(transcript: "T", turn: 2, length: 9)]
        let codings = [
            coding("T", 1, 0..<10, "c", "ana"), coding("T", 1, 5..<15, "c", "ben"), coding("T", 1, 0..<15, "c", "cho"),
            coding("T", 2, nil, "c", "ana"), coding("T", 2, nil, "c", "ben"), coding("T", 2, nil, "other", "cho"),
        ]
        let build = AgreementUnits(codings: codings, turns: turns, coders: ["ana", "ben", "cho"])
        XCTAssertEqual(build.disagreements(for: "c", unit: .character), [
            Disagreement(transcript: "T", turn: 1, start: 0, end: 5, applied: ["ana", "cho"], notApplied: ["ben"]),
            Disagreement(transcript: "T", turn: 1, start: 10, end: 15, applied: ["ben", "cho"], notApplied: ["ana"]),
            Disagreement(transcript: "T", turn: 2, start: 0, end: 9, applied: ["ana", "ben"], notApplied: ["cho"]),
        ])
        XCTAssertEqual(
            AgreementUnits.disagreements(for: "c", codings: codings, turns: turns, coders: ["ana", "ben", "cho"], unit: .turn),
            [Disagreement(transcript: "T", turn: 2, start: nil, end: nil, applied: ["ana", "ben"], notApplied: ["cho"])])
    }

    /// The runs, each repeated by its weight, must be exactly the ratings of every character one
    /// by one, computed the slow and obvious way.
    func testRunsExpandToTheCharacterByCharacterRatings() {
        var random = UnitsRandom(state: 42)
        let coders = ["ana", "ben", "cho"]
        var turns: [CodedTurn] = [], codings: [PlacedCoding] = []
        for t in 0..<6 {
            for number in 1...5 {
                turns.append(CodedTurn(transcript: "T\(t)", turn: 2 * number, length: random.next(below: 60)))
            }
        }
        for _ in 0..<200 {
            let turn = turns[random.next(below: turns.count)]
            let coder = coders[random.next(below: t(turns: turn) ? 2 : 3)]
            let code = ["c", "c/a", "c/b", "d"][random.next(below: 4)]
            if random.next(below: 5) == 0 || turn.length == 0 {
                codings.append(PlacedCoding(transcript: turn.transcript, turn: turn.turn, code: code, coder: coder))
            } else {
                let start = random.next(below: turn.length), end = start + 1 + random.next(below: turn.length - start)
                codings.append(PlacedCoding(
                    transcript: turn.transcript, turn: turn.turn, start: start, end: end, code: code, coder: coder))
            }
        }
        let units = AgreementUnits.ratings(for: "c", codings: codings, turns: turns, coders: coders, unit: .character)
        var expanded: [[String?]] = []
        for (row, weight) in zip(units.ratings, units.weights) {
            XCTAssertGreaterThan(weight, 0)
            expanded.append(contentsOf: repeatElement(row, count: weight))
        }

        var slow: [[String?]] = []
        for turn in turns.sorted(by: { ($0.transcript, $0.turn) < ($1.transcript, $1.turn) }) {
            let inTranscript = codings.filter { $0.transcript == turn.transcript }
            guard Set(inTranscript.map(\.coder)).count >= 2 else { continue }
            for offset in 0..<turn.length {
                slow.append(coders.map { coder -> String? in
                    guard inTranscript.contains(where: { $0.coder == coder }) else { return nil }
                    let covers = inTranscript.contains {
                        $0.coder == coder && $0.turn == turn.turn && ($0.code == "c" || $0.code.hasPrefix("c/"))
                            && ($0.start ?? 0) <= offset && offset < ($0.end ?? turn.length)
                    }
                    return covers ? p : a
                })
            }
        }
        XCTAssertGreaterThan(slow.count, 500)
        XCTAssertTrue(slow.contains { $0.contains(nil) }, "the corpus should exercise missing coders")
        XCTAssertEqual(expanded, slow)
        XCTAssertLessThan(units.ratings.count, slow.count / 4, "runs should be far fewer than characters")
    }

    /// Transcripts T0 and T1 are coded by two coders only, so that some units have a missing coder.
    private func t(turns turn: CodedTurn) -> Bool { turn.transcript == "T0" || turn.transcript == "T1" }

    /// Print-only: building units for 50,000 codings in 500 transcripts. Timings belong in
    /// benchmarks, so nothing is asserted; run `swift run -c release` on a benchmark for release
    /// numbers.
    func testLargeCorpusPerformancePrintOnly() {
        var random = UnitsRandom(state: 5)
        let coders = ["ana", "ben", "cho"]
        let codes = (0..<40).map { "group\($0 % 8)/code\($0)" }
        var turns: [CodedTurn] = [], codings: [PlacedCoding] = []
        for t in 0..<500 {
            for number in 1...100 {
                turns.append(CodedTurn(transcript: "P\(t)", turn: 2 * number, length: 100 + random.next(below: 1000)))
            }
        }
        for _ in 0..<50_000 {
            let turn = turns[random.next(below: turns.count)]
            let start = random.next(below: turn.length - 20)
            codings.append(PlacedCoding(
                transcript: turn.transcript, turn: turn.turn, start: start,
                end: start + 10 + random.next(below: turn.length - start - 10),
                code: codes[random.next(below: codes.count)], coder: coders[random.next(below: 3)]))
        }
        let clock = ContinuousClock()
        var built: AgreementUnits!
        let build = clock.measure { built = AgreementUnits(codings: codings, turns: turns, coders: coders) }
        for unit in AgreementUnit.allCases {
            var rows = 0
            let one = clock.measure { rows = built.ratings(for: "group3", unit: unit).ratings.count }
            let all = clock.measure { for code in codes { _ = built.ratings(for: code, unit: unit) } }
            print("agreement units (\(unit)): build \(build), one code \(one) (\(rows) rows), all \(codes.count) codes \(all)")
        }
    }
}
