import Core
import Foundation
import XCTest
@testable import Literature

/// Issue 13.4: a review of one stage, or of any number, each stage with its own criteria.
final class ScreeningStagesTests: XCTestCase {
    private func decision(_ record: String, _ stage: String, _ verdict: ScreeningVerdict, _ criterion: String? = nil) -> ScreeningDecision {
        ScreeningDecision(record: record, stage: stage, verdict: verdict, criterion: criterion, reviewer: "ann")
    }

    private func records(_ count: Int) -> [BibliographicRecord] {
        (0..<count).map { BibliographicRecord(key: "r\($0)", type: "article", fields: ["title": "Unrelated title number \($0) here"],
                                              location: SourceLocation(file: "db.bib", line: $0 + 1)) }
    }

    func testASingleStageReviewScreensAndIncludesDirectly() throws {
        let criteria = try ScreeningCriteria.parse(
            "stages: [title-abstract]\ninclude: []\nexclude:\n  - id: E1\n    text: Off topic\n", file: "rapid.yaml")
        XCTAssertEqual(criteria.stages, ["title-abstract"])
        let records = records(4)
        let ledger = ScreeningLedger(criteria: criteria, decisions: [
            decision("db.bib#r0", "title-abstract", .include), decision("db.bib#r1", "title-abstract", .include),
            decision("db.bib#r2", "title-abstract", .exclude, "E1"),
        ])
        let counts = PRISMACounts.compute(records: records, searchLog: try SearchLog(), dedupe: Deduplicator().run(records), ledger: ledger)
        XCTAssertEqual(counts.screened, 4)
        XCTAssertEqual(counts.excludedAtScreening, 1)
        XCTAssertEqual(counts.awaitingScreening, 1)
        XCTAssertEqual(counts.included, 2)
        XCTAssertEqual(counts.notRetrieved, 0)
        assertReconciles(counts)
        XCTAssertFalse(criteria.accepts(criterion: ScreeningCriteria.notRetrieved, for: .exclude, stage: "title-abstract"),
                       "a review without full text has nothing to retrieve")
    }

    func testThreeStagesEachWithItsOwnCriteria() throws {
        let yaml = """
            stages:
              - title
              - name: abstract
                exclude:
                  - id: A1
                    text: No evaluation described
              - name: full-text
                exclude:
                  - id: F1
                    text: Evaluation not reproducible
            include: []
            exclude:
              - id: E1
                text: Off topic

            """
        let criteria = try ScreeningCriteria.parse(yaml, file: "study.yaml")
        XCTAssertEqual(criteria.stages, ["title", "abstract", "full-text"])
        XCTAssertEqual(criteria.exclusionCriteria(at: "title").map(\.id), ["E1"])
        XCTAssertEqual(criteria.exclusionCriteria(at: "abstract").map(\.id), ["A1"])
        XCTAssertEqual(criteria.allExclusions.map(\.id), ["E1", "A1", "F1"])
        XCTAssertThrowsError(try ScreeningFile.parse(
            "record,stage,decision,criterion,note\ndb.bib#r0,abstract,exclude,E1,\n", file: "ann.csv", context: .init(reviewer: "ann", criteria: criteria))) {
            XCTAssertEqual("\($0)", "ann.csv:2:4: expected a criterion id defined for exclude (A1), found 'E1'")
        }
        let records = records(5)
        let ledger = ScreeningLedger(criteria: criteria, decisions: [
            decision("db.bib#r0", "title", .exclude, "E1"),
            decision("db.bib#r1", "title", .include), decision("db.bib#r1", "abstract", .exclude, "A1"),
            decision("db.bib#r2", "title", .include), decision("db.bib#r2", "abstract", .include), decision("db.bib#r2", "full-text", .include),
            decision("db.bib#r3", "title", .include), decision("db.bib#r3", "abstract", .include),
            decision("db.bib#r3", "full-text", .exclude, "F1"),
            decision("db.bib#r4", "title", .include),
        ])
        let counts = PRISMACounts.compute(records: records, searchLog: try SearchLog(), dedupe: Deduplicator().run(records), ledger: ledger)
        XCTAssertEqual(counts.excludedAtScreening, 2, "excluded at the title or the abstract stage")
        XCTAssertEqual(counts.awaitingScreening, 1, "r4 still waits at the abstract stage")
        XCTAssertEqual(counts.reportsSought, 2)
        XCTAssertEqual(counts.excludedWithReasons.map(\.criterion), ["F1"])
        XCTAssertEqual(counts.excludedWithReasons.map(\.text), ["Evaluation not reproducible"])
        XCTAssertEqual(counts.included, 1)
        assertReconciles(counts)
    }

    func testCriteriaForAnUnknownStageOrAReusedIdAreRefused() {
        XCTAssertThrowsError(try ScreeningCriteria(
            stages: ["a"], include: [], exclude: [], stageCriteria: ["b": .init(exclude: [ScreeningCriterion(id: "X", text: "x")])]))
        XCTAssertThrowsError(try ScreeningCriteria(
            stages: ["a", "b"], include: [], exclude: [ScreeningCriterion(id: "E1", text: "Off topic")],
            stageCriteria: ["b": .init(exclude: [ScreeningCriterion(id: "E1", text: "Something else")])]))
    }
}
