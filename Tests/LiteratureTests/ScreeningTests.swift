import Core
import Foundation
import Literature
import TestSupport
import XCTest

final class ScreeningTests: XCTestCase {
    static let criteriaYAML = """
        stages: [title-abstract, full-text]
        include:
          - id: I1
            text: Applies an LLM to a modelling task
        exclude:
          - id: E1
            text: "Not about model-driven engineering"
          - id: E2
            text: Not a primary study, it's a 'vision' # a comment after an apostrophe
        """

    private func criteria() throws -> ScreeningCriteria {
        try ScreeningCriteria.parse(Self.criteriaYAML, file: "study.yaml")
    }

    func testCriteriaParse() throws {
        let criteria = try criteria()
        XCTAssertEqual(criteria.stages, ["title-abstract", "full-text"])
        XCTAssertEqual(criteria.include, [ScreeningCriterion(id: "I1", text: "Applies an LLM to a modelling task")])
        XCTAssertEqual(criteria.exclude.map(\.id), ["E1", "E2"])
        XCTAssertEqual(criteria.exclusion("E1")?.text, "Not about model-driven engineering")
        XCTAssertEqual(criteria.exclusion("E2")?.text, "Not a primary study, it's a 'vision'")
        XCTAssertThrowsError(try ScreeningCriteria.parse(Self.criteriaYAML.replacingOccurrences(of: "id: E2", with: "id: E1"), file: "study.yaml")) {
            XCTAssertEqual("\($0)", "study.yaml:1:1: expected unique criterion ids other than 'not-retrieved', each with one text, found 'E1'")
        }
        XCTAssertThrowsError(try ScreeningCriteria.parse("stages: [title-abstract, title-abstract]\n", file: "study.yaml")) {
            XCTAssertEqual("\($0)", "study.yaml:1:1: expected one or more distinct screening stages (e.g. title-abstract, full-text), found [title-abstract, title-abstract]")
        }
        XCTAssertThrowsError(try ScreeningCriteria.parse("include:\n  - id: I1\n    txt: x\n", file: "study.yaml")) {
            XCTAssertEqual("\($0)", "study.yaml:3:5: unknown key 'txt' in a criterion; expected one of: id, text")
        }
    }

    func testCriteriaInOtherYAMLStyles() throws {
        let text = "stages:\n- screening\n- eligibility\ninclude:\n- id: 'I1'\n  text: \"Quoted \\\"text\\\" with \\\\ and # no comment\"\nexclude: []\n"
        let criteria = try ScreeningCriteria.parse(text, file: "s.yaml")
        XCTAssertEqual(criteria.stages, ["screening", "eligibility"])
        XCTAssertEqual(criteria.include, [ScreeningCriterion(id: "I1", text: #"Quoted "text" with \ and # no comment"#)])
        XCTAssertEqual(criteria.exclude, [])
        XCTAssertThrowsError(try ScreeningCriteria.parse("stages:\n\t- a\n", file: "s.yaml")) {
            XCTAssertEqual("\($0)", "s.yaml:2:1: expected indentation with spaces, found a tab")
        }
        XCTAssertThrowsError(try ScreeningCriteria.parse("include:\n  - id: I1\n    text: a\n   oops: b\n", file: "s.yaml")) {
            XCTAssertEqual("\($0)", "s.yaml:4:4: this is not valid YAML: did not find expected '-' indicator (while parsing a block collection at line 2)")
        }
        XCTAssertThrowsError(try ScreeningCriteria.parse("include: |\n  text\n", file: "s.yaml")) {
            XCTAssertEqual("\($0)", "s.yaml:1:10: expected 'include' as a list (lines starting with '- '), found 'text\n'")
        }
    }

    func testReaderValidatesEveryCell() throws {
        let criteria = try criteria()
        let header = "record,stage,decision,criterion,note\n"
        let cases: [(String, String)] = [
            ("a#1,abstract,include,,\n", "ana.csv:2:2: expected one of the stages title-abstract, full-text, found 'abstract'"),
            ("a#1,title-abstract,yes,,\n", "ana.csv:2:3: expected include, exclude or maybe, found 'yes'"),
            ("a#1,title-abstract,exclude,,\n", "ana.csv:2:4: expected an exclusion criterion id (E1, E2) for an exclude decision, found an empty cell"),
            ("a#1,title-abstract,exclude,E9,\n", "ana.csv:2:4: expected a criterion id defined for exclude (E1, E2), found 'E9'"),
            ("a#1,title-abstract,exclude,not-retrieved,\n", "ana.csv:2:4: expected a criterion id defined for exclude (E1, E2), found 'not-retrieved'"),
            ("a#1,title-abstract,include,E1,\n", "ana.csv:2:4: expected a criterion id defined for include (I1), found 'E1'"),
            (",title-abstract,include,,\n", "ana.csv:2:1: expected a record id, found an empty cell"),
            ("a#1,title-abstract,include\n", "ana.csv:2:1: expected 5 fields as in the header, found 3"),
        ]
        for (row, message) in cases {
            XCTAssertThrowsError(try ScreeningFile.parse(header + row, file: "ana.csv", context: .init(reviewer: "ana", criteria: criteria)), row) {
                XCTAssertEqual("\($0)", message)
            }
        }
        let good = header + "a#1,title-abstract,include,I1,\"LLM, UML\"\na#1,full-text,exclude,not-retrieved,paywall\n"
        let decisions = try ScreeningFile.parse(good, file: "ana.csv", context: .init(reviewer: "ana", criteria: criteria))
        XCTAssertEqual(decisions.map(\.note), ["LLM, UML", "paywall"])
        XCTAssertEqual(decisions[1].location, SourceLocation(file: "ana.csv", line: 3, column: 1))
    }

    func testAppendingWriterRoundTrips() throws {
        let criteria = try criteria()
        let url = try TestPaths.temporaryDirectory(for: self).appendingPathComponent("screening/ana.csv")
        let first = ScreeningDecision(record: "acm.bib#x", stage: "title-abstract", verdict: .exclude, criterion: "E2",
                                      note: "a \"vision\" paper", reviewer: "ana")
        let second = ScreeningDecision(record: "acm.bib#y", stage: "title-abstract", verdict: .maybe, reviewer: "ana")
        try ScreeningFile.append([first], to: url, displayPath: "screening/ana.csv", context: .init(reviewer: "ana", criteria: criteria))
        try ScreeningFile.append([second], to: url, displayPath: "screening/ana.csv", context: .init(reviewer: "ana", criteria: criteria))
        XCTAssertEqual(try String(contentsOf: url, encoding: .utf8),
                       "record,stage,decision,criterion,note\nacm.bib#x,title-abstract,exclude,E2,\"a \"\"vision\"\" paper\"\nacm.bib#y,title-abstract,maybe,,\n")
        let read = try ScreeningFile.read(url, displayPath: "screening/ana.csv", context: .init(reviewer: "ana", criteria: criteria))
        XCTAssertEqual(read.map { ScreeningDecision(record: $0.record, stage: $0.stage, verdict: $0.verdict, criterion: $0.criterion,
                                                    note: $0.note, reviewer: $0.reviewer) }, [first, second])
    }

    private func decision(_ record: String, _ reviewer: String, _ verdict: ScreeningVerdict, _ criterion: String? = nil,
                          stage: String = "title-abstract") -> ScreeningDecision {
        ScreeningDecision(record: record, stage: stage, verdict: verdict, criterion: criterion, reviewer: reviewer)
    }

    func testConflictsResolutionsOutcomesAndPairs() throws {
        let criteria = try criteria()
        let decisions = [
            decision("r1", "ana", .include), decision("r1", "bo", .include),
            decision("r2", "ana", .include), decision("r2", "bo", .exclude, "E1"),
            decision("r3", "ana", .exclude, "E2"), decision("r3", "bo", .exclude, "E1"),
            decision("r4", "ana", .maybe), decision("r4", "ana", .exclude, "E1"),
            decision("r5", "bo", .maybe), decision("r6", "ana", .exclude, "E1"), decision("r6", "bo", .maybe),
        ]
        let resolution = ScreeningResolution(record: "r6", stage: "title-abstract", verdict: .exclude, criterion: "E1", resolver: "cy")
        let ledger = ScreeningLedger(criteria: criteria, decisions: decisions, resolutions: [resolution])
        XCTAssertEqual(ledger.conflicts(at: "title-abstract").map(\.record), ["r2"])
        XCTAssertEqual(ledger.conflicts(at: "title-abstract", includingResolved: true).map(\.record), ["r2", "r6"])
        XCTAssertEqual(ledger.conflicts(at: "title-abstract", includingResolved: true)[1].resolution, resolution)
        XCTAssertEqual(ledger.outcome(of: "r1", at: "title-abstract"), .included(criterion: nil))
        XCTAssertEqual(ledger.outcome(of: "r2", at: "title-abstract"), .conflict)
        XCTAssertEqual(ledger.outcome(of: "r3", at: "title-abstract"), .excluded(criterion: "E1"))
        XCTAssertEqual(ledger.outcome(of: "r4", at: "title-abstract"), .excluded(criterion: "E1"))
        XCTAssertEqual(ledger.outcome(of: "r5", at: "title-abstract"), .maybe)
        XCTAssertEqual(ledger.outcome(of: "r6", at: "title-abstract"), .excluded(criterion: "E1"))
        XCTAssertEqual(ledger.outcome(of: "r7", at: "title-abstract"), .undecided)
        XCTAssertEqual(ledger.outcome(of: "r1", at: "full-text"), .undecided)

        let pairs = ledger.agreementPairs(at: "title-abstract")
        XCTAssertEqual(pairs.map(\.record), ["r1", "r2", "r3", "r6"])
        XCTAssertEqual(pairs[1].verdicts, ["ana": .include, "bo": .exclude])

        let resolutions = ResolutionFile.line(resolution, context: criteria)
        XCTAssertEqual(resolutions, "r6,title-abstract,exclude,E1,,cy\n")
        let parsed = try ResolutionFile.parse("record,stage,decision,criterion,note,resolver\n" + resolutions, file: "resolutions.csv", context: criteria)
        XCTAssertEqual(parsed, [resolution])
        XCTAssertThrowsError(try ResolutionFile.parse("record,stage,decision,criterion,note,resolver\nr6,full-text,include,,,\n",
                                                      file: "resolutions.csv", context: criteria)) {
            XCTAssertEqual("\($0)", "resolutions.csv:2:6: expected the resolver's name, found an empty cell")
        }
    }

    func testBlindModeHidesOthersUntilEveryAssignedReviewerDecided() throws {
        let ledger = ScreeningLedger(criteria: try criteria(), decisions: [
            decision("r1", "ana", .include), decision("r1", "bo", .exclude, "E1"),
            decision("r2", "bo", .include), decision("r3", "ana", .maybe),
            decision("r1", "bo", .include, stage: "full-text"),
        ])
        let seen = ledger.visibleDecisions(for: "ana", assignedReviewers: ["ana", "bo"])
        XCTAssertEqual(seen.map { "\($0.stage) \($0.record) \($0.reviewer)" }, [
            "title-abstract r1 ana", "title-abstract r1 bo", "title-abstract r3 ana",
        ])
        let outsider = ledger.visibleDecisions(for: "cy", assignedReviewers: ["ana", "bo"])
        XCTAssertTrue(outsider.isEmpty)
    }
}
