import Core
import Foundation
import TestSupport
import XCTest
@testable import Literature

/// Checks that every arrow of a diagram adds up and that no line of text leaves its box; every
/// PRISMA test calls it on each diagram it builds.
func assertReconciles(_ counts: PRISMACounts, file: StaticString = #filePath, line: UInt = #line) {
    XCTAssertEqual(counts.reconciliation(), [], "the diagram does not add up", file: file, line: line)
    let layout = counts.layout()
    for box in layout.boxes {
        XCTAssertGreaterThanOrEqual(box.height, box.lines.count * PRISMACounts.lineHeight, file: file, line: line)
        for text in box.lines {
            let width = PRISMACounts.textWidth(text)
            XCTAssertLessThanOrEqual(width, Double(box.width - 2 * PRISMACounts.padding), "'\(text)' overflows its box", file: file, line: line)
        }
        XCTAssertLessThanOrEqual(box.x + box.width, layout.width, file: file, line: line)
        XCTAssertLessThanOrEqual(box.y + box.height, layout.height, file: file, line: line)
    }
}

final class PRISMAReconciliationTests: XCTestCase {
    private let criteria = try! ScreeningCriteria(
        include: [ScreeningCriterion(id: "I1", text: "Uses an LLM")],
        exclude: [ScreeningCriterion(id: "E1", text: "Off topic"), ScreeningCriterion(id: "E2", text: "Not a primary study")])

    private func record(_ file: String, _ key: String, _ title: String) -> BibliographicRecord {
        BibliographicRecord(key: key, type: "article", fields: ["title": title, "author": "Doe, Jane", "year": "2024"],
                            location: SourceLocation(file: file, line: 1))
    }

    func testTheExistingReviewReconciles() throws {
        assertReconciles(try PRISMATests.review())
    }

    /// The bug of issue 13: identified came from the search log (472) while screened came from the
    /// records (524 = 632 − 108). Identified is now what was imported, the log's hits beside it.
    func testIdentifiedIsWhatWasImportedAndTheLoggedHitsStandBeside() throws {
        let records = (0..<10).map { record("scopus.bib", "s\($0)", "Distinct study \($0) about something") }
        let log = try SearchLog(entries: [
            SearchLogEntry(id: "s", database: "Scopus", query: "q", date: "2025-01-02", file: "scopus.bib", hits: 8),
            SearchLogEntry(id: "w", database: "Web of Science", query: "q", date: "2025-01-02", file: "wos.bib", hits: 3),
        ])
        let counts = PRISMACounts.compute(
            records: records, searchLog: log, dedupe: Deduplicator().run(records), ledger: ScreeningLedger(criteria: criteria, decisions: []))
        XCTAssertEqual(counts.identified, [
            PRISMACounts.Source(database: "Scopus", count: 10, reported: 8),
            PRISMACounts.Source(database: "Web of Science", count: 0, reported: 3),
        ])
        XCTAssertEqual(counts.warnings, [
            "Scopus: the search log reports 8 hits, but 10 records were imported from its exports",
            "Web of Science: the search log reports 3 hits, but 0 records were imported from its exports",
        ])
        XCTAssertEqual(counts.screened, 10)
        XCTAssertEqual(counts.awaitingScreening, 10)
        assertReconciles(counts)
        XCTAssertTrue(counts.markdown().contains("Scopus (search reported 8) | 10 |"))
    }

    func testReconciliationNamesTheArrowThatDoesNotAddUp() throws {
        var counts = try PRISMATests.review()
        counts.screened += 52
        XCTAssertEqual(counts.reconciliation().first,
                       "identified − duplicates − removed by automation − removed for other reasons = screened: 12 ≠ 64")
    }

    func testOtherMethodsFormTheSecondColumnAndJoinTheIncluded() throws {
        var records = (0..<4).map { record("scopus.bib", "s\($0)", "Database study number \($0) on models") }
        records += (0..<3).map { record("snowballing.bib", "c\($0)", "Found by citation searching, paper \($0)") }
        records.append(record("web.bib", "w0", "A grey literature report from a website"))
        var decisions: [ScreeningDecision] = []
        func decide(_ id: String, _ stage: String, _ verdict: ScreeningVerdict, _ criterion: String? = nil) {
            decisions.append(ScreeningDecision(record: id, stage: stage, verdict: verdict, criterion: criterion, reviewer: "ann"))
        }
        decide("scopus.bib#s0", "title-abstract", .include)
        decide("scopus.bib#s0", "full-text", .include)
        decide("scopus.bib#s1", "title-abstract", .exclude, "E1")
        decide("snowballing.bib#c0", "full-text", .include)
        decide("snowballing.bib#c1", "full-text", .exclude, "E2")
        decide("snowballing.bib#c2", "full-text", .exclude, ScreeningCriteria.notRetrieved)
        let methods = ["snowballing.bib#c0": "Citation searching", "snowballing.bib#c1": "Citation searching",
                       "snowballing.bib#c2": "Citation searching", "web.bib#w0": "Websites"]
        let counts = PRISMACounts.compute(
            records: records, searchLog: try SearchLog(), dedupe: Deduplicator().run(records),
            ledger: ScreeningLedger(criteria: criteria, decisions: decisions), otherMethods: methods,
            removedByAutomation: ["scopus.bib#s3"])
        XCTAssertEqual(counts.identified.map(\.count), [4])
        XCTAssertEqual(counts.removedByAutomation, 1)
        XCTAssertEqual(counts.screened, 3)
        let other = try XCTUnwrap(counts.otherMethods)
        XCTAssertEqual(other.identified.map(\.database), ["Citation searching", "Websites"])
        XCTAssertEqual(other.identified.map(\.count), [3, 1])
        XCTAssertEqual(other.reportsSought, 4)
        XCTAssertEqual(other.notRetrieved, 1)
        XCTAssertEqual(other.assessed, 2)
        XCTAssertEqual(other.awaitingAssessment, 1)
        XCTAssertEqual(other.excludedWithReasons.map(\.count), [1])
        XCTAssertEqual(counts.includedTotal, 2)
        assertReconciles(counts)
        let svg = counts.svg()
        XCTAssertTrue(svg.contains("Identification of studies via other methods"))
        XCTAssertTrue(svg.contains("automation tools (n = 1)"), svg)
        XCTAssertTrue(counts.markdown().contains("| Records marked as ineligible by automation tools | 1 |"))
        XCTAssertTrue(counts.json().contains("\"otherMethods\": {"))
        XCTAssertNoThrow(try JSONSerialization.jsonObject(with: Data(counts.json().utf8)))
    }

    /// Long database names and criteria wrap inside their boxes, whatever the characters.
    func testLongTextWrapsInsideItsBox() throws {
        let long = try ScreeningCriteria(include: [], exclude: [
            ScreeningCriterion(id: "E1", text: String(repeating: "WWWWWWWWWW MMMMMMM ", count: 8)),
            ScreeningCriterion(id: "E2", text: "Ünïcödé crïtérïön with a very-long-hyphenated-compound-word-that-cannot-break-anywhere-at-all"),
        ])
        let records = [record("ACM Digital Library with an extraordinarily long export name that no box can hold.bib", "a", "T")]
        var counts = PRISMACounts.compute(
            records: records, searchLog: try SearchLog(), dedupe: Deduplicator().run(records),
            ledger: ScreeningLedger(criteria: long, decisions: [
                ScreeningDecision(record: records[0].recordID, stage: "title-abstract", verdict: .include, reviewer: "ann"),
                ScreeningDecision(record: records[0].recordID, stage: "full-text", verdict: .exclude, criterion: "E1", reviewer: "ann"),
            ]))
        assertReconciles(counts)
        counts.excludedWithReasons.append(PRISMACounts.Exclusion(criterion: "E2", text: long.exclude[1].text, count: 0))
        let layout = counts.layout()
        for box in layout.boxes {
            for text in box.lines { XCTAssertLessThanOrEqual(PRISMACounts.textWidth(text), Double(box.width - 2 * PRISMACounts.padding), text) }
        }
    }

    func testLaTeXMatchesGoldenAndEscapes() throws {
        let latex = try PRISMATests.review().latex()
        XCTAssertTrue(latex.contains("\\textless{}vision\\textgreater{} \\& position papers"), latex)
        XCTAssertTrue(latex.hasPrefix("\\documentclass[tikz, border=10pt]{standalone}"))
        let url = URL(fileURLWithPath: #filePath).deletingLastPathComponent().appendingPathComponent("Fixtures/golden/prisma.tex")
        if ProcessInfo.processInfo.environment["TRIANGULATE_UPDATE_GOLDEN"] == "1" {
            try AtomicFile.write(latex, to: url)
            throw XCTSkip("rewrote \(url.path); read it before committing")
        }
        XCTAssertEqual(latex, try String(contentsOf: url, encoding: .utf8), "prisma.tex differs from the golden file")
    }

    /// The five database exports of a real SLR: identified per database is what each export
    /// holds, and the diagram adds up.
    func testTheFiveDatabaseExportsGiveADiagramThatReconciles() throws {
        let folder = try TestPaths.sharedData("bib/llm-in-mde-2025-slr-exports")
        var records: [BibliographicRecord] = []
        let files = ["acm.bib": "ACM Digital Library", "IEEE_Xplore.bib": "IEEE Xplore", "scopus.bib": "Scopus",
                     "ScienceDirect.bib": "ScienceDirect", "web_of_science.bib": "Web of Science"]
        for name in files.keys.sorted() {
            records += try LiteratureReader.read(folder.appendingPathComponent(name), displayPath: name).records
        }
        // Hits as a reviewer might log them from the databases' result pages, one of them off.
        let log = try SearchLog(entries: files.keys.sorted().enumerated().map { index, name in
            let imported = records.filter { $0.location.file == name }.count
            return SearchLogEntry(id: "s\(index)", database: files[name]!, query: "LLM AND MDE", date: "2025-09-01", file: name,
                                  hits: name == "scopus.bib" ? imported - 3 : imported)
        })
        let dedupe = Deduplicator().run(records)
        let counts = PRISMACounts.compute(records: records, searchLog: log, dedupe: dedupe, ledger: ScreeningLedger(criteria: criteria, decisions: []))
        XCTAssertEqual(counts.identified.map(\.count), [353, 452, 238, 390, 242])
        XCTAssertEqual(counts.identifiedTotal, 1_675)
        XCTAssertEqual(counts.identifiedTotal - counts.duplicatesRemoved, counts.screened)
        XCTAssertEqual(counts.warnings, ["Scopus: the search log reports 387 hits, but 390 records were imported from its exports"])
        assertReconciles(counts)
    }
}
