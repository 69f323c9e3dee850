import Core
import Qualitative
import XCTest

/// The edit-and-recode suite (issue 10.4): a coded transcript is edited — turns inserted,
/// deleted, split, merged, reworded — and every coding must land on its own words or be reported
/// as moved or orphaned; none may land on other words.
final class ReanchoringTests: XCTestCase {
    static let original: [String] = [
        "How do you choose a model?",
        "Well, we look at downloads first. Then the model card.",
        "Anything else?",
        "Yes.",
        "Such as?",
        "Licences matter a lot to our legal team, more than accuracy does.",
        "Okay.",
        "Yes.",
        "Thanks.",
    ]

    static func numbered(_ texts: [String]) -> [Int: String] {
        Dictionary(uniqueKeysWithValues: texts.enumerated().map { ($0.offset + 1, $0.element) })
    }

    /// Codings recorded against the original transcript, each with its fingerprint.
    func codings() -> [Coding] {
        let transcript = TranscriptText(id: "P01", turns: Self.numbered(Self.original))
        func whole(_ turn: Int, _ code: String) -> Coding {
            Coding(transcript: "P01", turn: turn, fingerprint: TurnFingerprint.of(turn: turn, in: transcript), code: code,
                   coder: "ana", location: SourceLocation(file: "ana.jsonl", line: turn))
        }
        func span(_ turn: Int, _ quote: String, _ code: String) -> Coding {
            let start = Anchoring.occurrences(of: quote, in: Self.original[turn - 1])[0]
            return Coding(transcript: "P01", turn: turn, start: start, end: start + quote.unicodeScalars.count, quote: quote,
                          fingerprint: TurnFingerprint.of(turn: turn, in: transcript), code: code, coder: "ana",
                          location: SourceLocation(file: "ana.jsonl", line: 20 + turn))
        }
        return [whole(2, "downloads"), whole(4, "yes-first"), whole(6, "licences"), whole(8, "yes-second"),
                span(2, "downloads first", "popularity"), span(6, "legal team", "legal")]
    }

    /// Re-anchors every coding against the edited turns and checks the one rule that matters:
    /// wherever a coding lands, it lands on its own words.
    func reanchor(_ edited: [String], file: StaticString = #filePath, line: UInt = #line) -> [String: AnchorOutcome] {
        let transcript = TranscriptText(id: "P01", turns: Self.numbered(edited))
        var outcomes: [String: AnchorOutcome] = [:]
        for coding in codings() {
            let outcome = Reanchoring.resolve(coding.target, in: transcript)
            outcomes[coding.code] = outcome
            let places = outcome.places
            if let quote = coding.quote {
                for place in places {
                    let scalars = Array(edited[place.turn - 1].unicodeScalars)
                    XCTAssertEqual(String(String.UnicodeScalarView(scalars[place.start!..<place.end!])), quote,
                                   "\(coding.code) landed on other words", file: file, line: line)
                }
            } else if !places.isEmpty {
                let words = places.map { place -> String in
                    let text = edited[place.turn - 1]
                    guard let start = place.start, let end = place.end else { return text }
                    return String(String.UnicodeScalarView(Array(text.unicodeScalars)[start..<end]))
                }
                XCTAssertEqual(Self.normalised(words.joined(separator: " ")), Self.normalised(Self.original[coding.turn - 1]),
                               "\(coding.code) landed on other words", file: file, line: line)
            }
        }
        return outcomes
    }

    static func normalised(_ text: String) -> String {
        String(String.UnicodeScalarView(TurnFingerprint.normalise(text)))
    }

    func testUnchangedTranscriptLeavesEveryCodingInPlace() {
        for (code, outcome) in reanchor(Self.original) {
            guard case .unchanged = outcome else { return XCTFail("\(code): expected unchanged, got \(outcome)") }
        }
    }

    func testInsertedTurnMovesEveryCodingToItsRenumberedTurn() {
        let outcomes = reanchor(["(Recording starts.)"] + Self.original)
        XCTAssertEqual(outcomes["downloads"], .moved(from: TextPlace(turn: 2), to: [TextPlace(turn: 3)]))
        XCTAssertEqual(outcomes["yes-first"], .moved(from: TextPlace(turn: 4), to: [TextPlace(turn: 5)]))
        XCTAssertEqual(outcomes["yes-second"], .moved(from: TextPlace(turn: 8), to: [TextPlace(turn: 9)]))
        XCTAssertEqual(outcomes["legal"], .moved(from: TextPlace(turn: 6, start: 29, end: 39), to: [TextPlace(turn: 7, start: 29, end: 39)]))
    }

    func testInsertionRightBeforeAShortTurnKeepsItByItsOtherNeighbour() {
        var edited = Self.original
        edited.insert("Hmm, let me think.", at: 3)  // between "Anything else?" and "Yes."
        let outcomes = reanchor(edited)
        XCTAssertEqual(outcomes["yes-first"], .moved(from: TextPlace(turn: 4), to: [TextPlace(turn: 5)]))
        XCTAssertEqual(outcomes["yes-second"], .moved(from: TextPlace(turn: 8), to: [TextPlace(turn: 9)]))
    }

    func testDeletedTurnOrphansItsCodingsAndMovesTheOthers() {
        var edited = Self.original
        edited.remove(at: 5)
        let outcomes = reanchor(edited)
        XCTAssertEqual(outcomes["licences"], .orphaned(from: TextPlace(turn: 6), reason: .wordsGone))
        XCTAssertEqual(outcomes["legal"], .orphaned(from: TextPlace(turn: 6, start: 29, end: 39), reason: .wordsGone))
        XCTAssertEqual(outcomes["yes-second"], .moved(from: TextPlace(turn: 8), to: [TextPlace(turn: 7)]))
        XCTAssertEqual(outcomes["downloads"], .unchanged(TextPlace(turn: 2)))
    }

    func testDeletingTheOtherYesNeverPutsItsCodingOnTheRemainingOne() {
        var edited = Self.original
        edited.remove(at: 7)  // the second "Yes."
        let outcomes = reanchor(edited)
        guard case .orphaned(_, let reason) = outcomes["yes-second"] else {
            return XCTFail("the deleted Yes must be orphaned, got \(String(describing: outcomes["yes-second"]))")
        }
        XCTAssertEqual(reason, .contextLost(candidate: 4))
        XCTAssertEqual(outcomes["yes-first"], .unchanged(TextPlace(turn: 4)))
    }

    func testSplitTurnMovesAWholeTurnCodingToAllItsParts() {
        var edited = Self.original
        edited.replaceSubrange(5...5, with: ["Licences matter a lot to our legal team,", "more than accuracy does."])
        let outcomes = reanchor(edited)
        XCTAssertEqual(outcomes["licences"], .moved(from: TextPlace(turn: 6), to: [TextPlace(turn: 6), TextPlace(turn: 7)]))
        XCTAssertEqual(outcomes["legal"], .unchanged(TextPlace(turn: 6, start: 29, end: 39)))
        XCTAssertEqual(outcomes["yes-second"], .moved(from: TextPlace(turn: 8), to: [TextPlace(turn: 9)]))
        let coding = codings()[2]
        guard case .orphaned(let reason) = Anchoring.resolve(coding, in: Self.numbered(edited)) else {
            return XCTFail("one turn cannot hold a split coding in the index's shape")
        }
        XCTAssertEqual(reason, "turn 6 was split into turns 6, 7; tag them again to keep the code on all its words")
    }

    func testSplitThatCutsThroughAQuoteOrphansTheSpan() {
        var edited = Self.original
        edited.replaceSubrange(5...5, with: ["Licences matter a lot to our legal", "team, more than accuracy does."])
        XCTAssertEqual(reanchor(edited)["legal"], .orphaned(from: TextPlace(turn: 6, start: 29, end: 39), reason: .quoteStraddles(turns: [6, 7])))
    }

    func testMergedTurnsTurnAWholeTurnCodingIntoASpanOfTheMergedTurn() {
        var edited = Self.original
        edited.replaceSubrange(1...3, with: ["Well, we look at downloads first. Then the model card. Anything else? Yes."])
        let outcomes = reanchor(edited)
        let length = Self.original[1].unicodeScalars.count
        XCTAssertEqual(outcomes["downloads"], .moved(from: TextPlace(turn: 2), to: [TextPlace(turn: 2, start: 0, end: length)]))
        XCTAssertEqual(outcomes["popularity"], .unchanged(TextPlace(turn: 2, start: 17, end: 32)))
        // "Yes." is now inside the merged turn, and another "Yes." stands alone elsewhere with
        // other neighbours: the coding must not jump to that one.
        guard case .orphaned = outcomes["yes-first"] else {
            return XCTFail("expected the merged short turn to be reported, got \(String(describing: outcomes["yes-first"]))")
        }
        XCTAssertEqual(outcomes["yes-second"], .moved(from: TextPlace(turn: 8), to: [TextPlace(turn: 6)]))
    }

    func testRewordedTurnIsOrphanedButAQuoteThatSurvivesFollowsItsWords() {
        var edited = Self.original
        edited[5] = "Licences matter to our legal team more than accuracy."
        let outcomes = reanchor(edited)
        XCTAssertEqual(outcomes["licences"], .orphaned(from: TextPlace(turn: 6), reason: .reworded(candidate: 6)))
        XCTAssertEqual(outcomes["legal"], .moved(from: TextPlace(turn: 6, start: 29, end: 39), to: [TextPlace(turn: 6, start: 23, end: 33)]))
    }

    func testRewordingOneYesLeavesTheOtherAlone() {
        var edited = Self.original
        edited[3] = "Yes, definitely."
        let outcomes = reanchor(edited)
        XCTAssertEqual(outcomes["yes-first"], .orphaned(from: TextPlace(turn: 4), reason: .reworded(candidate: 4)))
        XCTAssertEqual(outcomes["yes-second"], .unchanged(TextPlace(turn: 8)))
    }

    func testRewrappedWhitespaceIsNotAnEdit() {
        var edited = Self.original
        edited[5] = "Licences matter a lot\nto our legal team,   more than accuracy does.  "
        let outcomes = reanchor(edited)
        XCTAssertEqual(outcomes["licences"], .unchanged(TextPlace(turn: 6)))
        XCTAssertEqual(outcomes["legal"], .unchanged(TextPlace(turn: 6, start: 29, end: 39)))
    }

    func testEveryEditIsReported() {
        // Several edits at once: nothing is silently placed, every outcome is one of the three.
        var edited = Self.original
        edited.remove(at: 7)
        edited[5] = "Licences, mostly."
        edited.insert("Sorry, go on.", at: 0)
        let results = Reanchoring.resolve(codings(), in: ["P01": TranscriptText(id: "P01", turns: Self.numbered(edited))])
        let summary = results.map { result -> String in
            switch result.outcome {
            case .unchanged: return "\(result.coding.code): unchanged"
            case .unverified: return "\(result.coding.code): unverified"
            case .moved(let from, let to): return "\(result.coding.code): \(from) → \(to.map(\.description).joined(separator: ","))"
            case .orphaned(_, let reason): return "\(result.coding.code): orphaned: \(reason.message(for: result.coding.target))"
            }
        }
        XCTAssertEqual(summary, [
            "downloads: #2 → #3",
            "yes-first: #4 → #5",
            "licences: orphaned: turn 6 was reworded: turn 7 stands where it stood but says other words; tag turn 7 again if the code still applies",
            "yes-second: orphaned: the words of turn 8 occur in turn 5, but its neighbours changed and the turn is too short to be sure it is the same; tag it again to confirm",
            "popularity: #2[17..<32] → #3[17..<32]",
            "legal: orphaned: turn 6 was reworded: turn 7 stands where it stood but says other words; tag turn 7 again if the code still applies",
        ])
    }

    func testStatusLinesNamePlacesNotWords() {
        let target = TextTarget(transcript: "P01", turn: 6)
        XCTAssertEqual(AnchorOutcome.moved(from: TextPlace(turn: 6), to: [TextPlace(turn: 6), TextPlace(turn: 7)]).summary(for: target),
                       "moved from #6 to #6 and #7")
        XCTAssertEqual(AnchorOutcome.moved(from: TextPlace(turn: 2), to: [TextPlace(turn: 2, start: 0, end: 54)]).summary(for: target),
                       "moved from #2 to #2[0..<54]")
        XCTAssertEqual(AnchorOutcome.orphaned(from: TextPlace(turn: 6), reason: .ambiguous(candidates: [3, 9])).summary(for: target),
                       "orphaned at #6: the words of turn 6 now occur in turns 3, 9, none between its old neighbours; tag the right one again")
        XCTAssertEqual(AnchorOutcome.unverified(TextPlace(turn: 6)).summary(for: target), "at #6 by its turn number only (no fingerprint yet)")
    }

    func testMissingTranscriptOrphansEverything() {
        let results = Reanchoring.resolve(codings(), in: [:])
        XCTAssertTrue(results.allSatisfy { $0.outcome == .orphaned(from: $0.coding.target.place, reason: .transcriptMissing) })
    }

    // MARK: Old codings, without fingerprints

    func testOldCodingsResolveByNumberAndAreMigratedAgainstTheCurrentText() {
        let old = Coding(transcript: "P01", turn: 4, code: "yes-first", coder: "ana", location: SourceLocation(file: "ana.jsonl", line: 1))
        let transcript = TranscriptText(id: "P01", turns: Self.numbered(Self.original))
        XCTAssertEqual(Reanchoring.resolve(old.target, in: transcript), .unverified(TextPlace(turn: 4)),
                       "without a fingerprint only the number is known, and the outcome says so")
        let migrated = Reanchoring.migrate(old, in: transcript)
        XCTAssertEqual(migrated.fingerprint, TurnFingerprint.of(turn: 4, in: transcript))
        XCTAssertEqual(Reanchoring.migrate(migrated, in: transcript), migrated, "migration happens once")
        // From now on an edit is caught instead of the coding drifting to the new turn 4.
        let edited = TranscriptText(id: "P01", turns: Self.numbered(["(Recording starts.)"] + Self.original))
        XCTAssertEqual(Reanchoring.resolve(migrated.target, in: edited), .moved(from: TextPlace(turn: 4), to: [TextPlace(turn: 5)]))
        XCTAssertEqual(Reanchoring.resolve(old.target, in: edited), .unverified(TextPlace(turn: 4)))
    }

    func testMigrationSkipsASpanWhoseQuoteNoLongerMatches() {
        let old = Coding(transcript: "P01", turn: 2, start: 0, end: 4, quote: "Nope", code: "x", coder: "ana", location: SourceLocation(file: "f"))
        let transcript = TranscriptText(id: "P01", turns: Self.numbered(Self.original))
        XCTAssertNil(Reanchoring.migrate(old, in: transcript).fingerprint, "a coding already off its words is not fingerprinted where it stands")
        XCTAssertNil(Reanchoring.migrate(Coding(transcript: "P01", turn: 99, code: "x", coder: "ana", location: SourceLocation(file: "f")),
                                         in: transcript).fingerprint)
    }

    func testFingerprintNormalisesWhitespaceOnly() {
        XCTAssertEqual(String(String.UnicodeScalarView(TurnFingerprint.normalise("  Yes,\n\tof  course. "))), "Yes, of course.")
        let a = TranscriptText(id: "a", turns: [1: "Yes."]), b = TranscriptText(id: "b", turns: [1: "yes."])
        XCTAssertNotEqual(TurnFingerprint.of(turn: 1, in: a)?.sha256, TurnFingerprint.of(turn: 1, in: b)?.sha256)
        let first = TurnFingerprint.of(turn: 1, in: TranscriptText(id: "c", turns: [1: "A", 2: String(repeating: "b", count: 50)]))
        XCTAssertNil(first?.prefix)
        XCTAssertEqual(first?.suffix, String(repeating: "b", count: TurnFingerprint.contextLength))
    }
}
