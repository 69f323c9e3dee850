import Core
import Foundation
import TestSupport
import XCTest
@testable import Literature

/// Issue 13.1: decisions made in ASReview, Rayyan, Covidence or a spreadsheet, brought in.
final class DecisionImportTests: XCTestCase {
    private let criteria = try! ScreeningCriteria(
        include: [ScreeningCriterion(id: "I1", text: "Uses an LLM for a modelling task")],
        exclude: [ScreeningCriterion(id: "E1", text: "Off topic"), ScreeningCriterion(id: "E2", text: "Not a primary study")])

    private func fixture(_ name: String) throws -> String {
        let url = try XCTUnwrap(Bundle.module.url(forResource: "Fixtures/decisions/\(name)", withExtension: nil))
        return try String(contentsOf: url, encoding: .utf8)
    }

    /// The review's own records: one with the DOI, two found only by title and year.
    private var records: [BibliographicRecord] {
        [
            BibliographicRecord(key: "chen2024", type: "article", fields: [
                "title": "Large Language Models for Model Completion", "year": "2024", "doi": "10.1007/s10270-024-01234-5",
            ], location: SourceLocation(file: "scopus.bib", line: 1)),
            BibliographicRecord(key: "doe2023", type: "article", fields: ["title": "A study of something unrelated", "year": "2023"],
                                location: SourceLocation(file: "scopus.bib", line: 9)),
            BibliographicRecord(key: "ito2024", type: "inproceedings", fields: ["title": "Prompting for {OCL} constraints", "year": "2024"],
                                location: SourceLocation(file: "acm.bib", line: 3)),
        ]
    }

    func testRayyanNotesGiveEachReviewersVerdictAndTheReasons() throws {
        let importer = DecisionImporter(source: .rayyan, criteria: criteria, reviewer: "unused")
        let result = try importer.run(try fixture("rayyan.csv"), file: "rayyan.csv", records: records)
        XCTAssertEqual(result.rows, 4)
        XCTAssertEqual(result.undecidedRows, 1)
        XCTAssertEqual(result.matchedByDOI, 1)
        XCTAssertEqual(result.matchedByKey, 2)
        XCTAssertEqual(result.problems, [])
        let summary = result.decisions.map { "\($0.record) \($0.reviewer) \($0.verdict.rawValue) \($0.criterion ?? "-")" }
        XCTAssertEqual(summary, [
            "scopus.bib#chen2024 Ana Lima include -", "scopus.bib#chen2024 Bo Chen include -",
            "scopus.bib#doe2023 Ana Lima exclude E1", "scopus.bib#doe2023 Bo Chen exclude E1",
            "acm.bib#ito2024 Ana Lima maybe -", "acm.bib#ito2024 Bo Chen exclude E2",
        ])
        XCTAssertEqual(result.decisions[0].note, "imported from rayyan.csv:2 (rayyan)")
        XCTAssertEqual(Set(result.decisions.map(\.stage)), ["title-abstract"])
    }

    func testABadFileImportsNothingAndReportsEveryRow() throws {
        let importer = DecisionImporter(source: .rayyan, criteria: criteria, reviewer: "unused")
        XCTAssertThrowsError(try importer.run(try fixture("rayyan_bad.csv"), file: "rayyan_bad.csv", records: records)) { error in
            guard case .decisionsRejected(_, let rows, let problems)? = error as? LiteratureError else { return XCTFail("\(error)") }
            XCTAssertEqual(rows, 4)
            XCTAssertEqual(problems.map { $0.location?.line }, [3, 4, 5])
            XCTAssertTrue(problems[0].description.contains("exclusion criteria defined in the settings (E1, E2), found 'wrong population'"), problems[0].description)
            XCTAssertTrue(problems[1].description.contains("found none for 'A paper no export holds'"), problems[1].description)
            XCTAssertTrue(problems[2].description.contains("exclusion reasons only on an excluded record"), problems[2].description)
            XCTAssertTrue((error as! LiteratureError).description.contains("3 problem(s) in 4 rows, so no decision was imported"))
        }
        var partial = importer
        partial.partial = true
        let result = try partial.run(try fixture("rayyan_bad.csv"), file: "rayyan_bad.csv", records: records)
        XCTAssertEqual(result.decisions.map(\.record), ["scopus.bib#chen2024"])
        XCTAssertEqual(result.unmatchedLines, [4])
        XCTAssertEqual(result.problems.count, 3)
    }

    func testCovidenceStyleColumnPerStageWithReasonsAndReviewer() throws {
        var columns = DecisionColumns.preset(.covidence)
        columns.stages = ["title-abstract": "Title and abstract", "full-text": "Full text"]
        columns.reason = "Exclusion reason"
        columns.reviewer = "Reviewer"
        let importer = DecisionImporter(source: .covidence, columns: columns, criteria: criteria, reviewer: "unused")
        let result = try importer.run(try fixture("covidence_stages.csv"), file: "covidence.csv", records: records)
        let summary = result.decisions.map { "\($0.record) \($0.stage) \($0.verdict.rawValue) \($0.criterion ?? "-") \($0.reviewer)" }
        XCTAssertEqual(summary, [
            "scopus.bib#chen2024 title-abstract include - Ana Lima", "scopus.bib#chen2024 full-text include - Ana Lima",
            "scopus.bib#doe2023 title-abstract exclude E1 Ana Lima",
            "acm.bib#ito2024 title-abstract include - Ana Lima", "acm.bib#ito2024 full-text exclude E2 Ana Lima",
        ])
        XCTAssertEqual(result.matchedByDOI, 1, "the DOI given as a resolver URL in capitals still matches")
    }

    func testContradictionsAreReported() throws {
        let text = "record,title-abstract,full-text,reason\nscopus.bib#doe2023,exclude,include,E1\nscopus.bib#chen2024,include,,\nscopus.bib#chen2024,exclude,,E1\nacm.bib#ito2024,perhaps,,\n"
        let columns = DecisionColumns(record: "record", stages: ["title-abstract": "title-abstract", "full-text": "full-text"], reason: "reason")
        var importer = DecisionImporter(source: .spreadsheet, columns: columns, criteria: criteria, reviewer: "ann")
        importer.partial = true
        let result = try importer.run(text, file: "flags.csv", records: records)
        XCTAssertEqual(result.problems.map { $0.location?.line }, [2, 4, 5])
        XCTAssertEqual(result.problems.map { $0.location?.column }, [3, 1, 2])
        XCTAssertTrue(result.problems[1].description.contains("exclude here but include at line 3"), result.problems[1].description)
        XCTAssertEqual(result.decisions.map(\.record), ["scopus.bib#chen2024"])
    }

    /// Screen with Triangulate → export decisions → import into a fresh study: the same PRISMA counts.
    func testRoundTripGivesTheSamePRISMACounts() throws {
        let records = self.records
        let decisions = [
            ScreeningDecision(record: "scopus.bib#chen2024", stage: "title-abstract", verdict: .include, reviewer: "ann"),
            ScreeningDecision(record: "scopus.bib#chen2024", stage: "full-text", verdict: .include, reviewer: "ann"),
            ScreeningDecision(record: "scopus.bib#doe2023", stage: "title-abstract", verdict: .exclude, criterion: "E1", reviewer: "ann"),
            ScreeningDecision(record: "scopus.bib#doe2023", stage: "title-abstract", verdict: .exclude, criterion: "E1", reviewer: "bo"),
            ScreeningDecision(record: "acm.bib#ito2024", stage: "title-abstract", verdict: .include, reviewer: "ann"),
            ScreeningDecision(record: "acm.bib#ito2024", stage: "full-text", verdict: .exclude, criterion: "E2", reviewer: "ann"),
        ]
        let ledger = ScreeningLedger(criteria: criteria, decisions: decisions)
        let exported = DecisionExporter.csv(ledger, records: records)
        var columns = DecisionColumns.preset(.spreadsheet)
        columns.stages = ["title-abstract": "title-abstract", "full-text": "full-text"]
        columns.reason = "reason"
        columns.reviewer = "reviewer"
        let imported = try DecisionImporter(source: .spreadsheet, columns: columns, criteria: criteria, reviewer: "x")
            .run(exported, file: "decisions.csv", records: records)
        XCTAssertEqual(imported.matchedByRecordID, 4)
        let log = try SearchLog()
        let dedupe = Deduplicator().run(records)
        let before = PRISMACounts.compute(records: records, searchLog: log, dedupe: dedupe, ledger: ledger)
        let after = PRISMACounts.compute(records: records, searchLog: log, dedupe: dedupe,
                                         ledger: ScreeningLedger(criteria: criteria, decisions: imported.decisions))
        XCTAssertEqual(before, after)
        XCTAssertEqual(after.included, 1)
        assertReconciles(after)
    }

    /// ASReview's labelled Kitchenham dataset (1,704 records, 45 included) imported as decisions
    /// on records that have lost their ASReview ids: every labelled row matched by title and year.
    func testASReviewKitchenhamLabelsMatchByTitleAndYear() throws {
        let url = try TestPaths.sharedData("slr/asreview-systematic-review-datasets/Kitchenham_2010.csv")
        let text = try String(contentsOf: url, encoding: .utf8)
        var mapping = CSVColumnMapping.asreview
        mapping.key = nil
        let parsed = try CSVImporter(mapping: mapping).parse(text, file: "kitchenham.csv")
        let dedupe = Deduplicator().run(parsed.records)
        let importer = DecisionImporter(source: .asreview, criteria: criteria, reviewer: "asreview", unexplainedExclusion: "E1")
        let result = try importer.run(text, file: "Kitchenham_2010.csv", records: parsed.records, dedupe: dedupe)
        XCTAssertEqual(result.rows, 1_704)
        XCTAssertEqual(result.matchedByKey + result.undecidedRows + result.problems.count, 1_704)
        XCTAssertEqual(result.problems, [])
        XCTAssertTrue(result.decisions.allSatisfy { !dedupe.removedRecordIDs.contains($0.record) }, "decisions land on kept records")
        XCTAssertEqual(result.decisions.filter { $0.verdict == .include }.count, 45)
    }
}
