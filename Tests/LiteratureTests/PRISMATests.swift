import Core
import Foundation
import Literature
import TestSupport
import XCTest

/// PRISMA counts on a small review, and the Markdown, JSON and SVG renderings against
/// `Fixtures/golden/prisma.*`. After a deliberate change, run with `TRIANGULATE_UPDATE_GOLDEN=1`
/// to rewrite the golden files in the source tree (found through `#filePath`), then read them.
final class PRISMATests: XCTestCase {
    static func review() throws -> PRISMACounts {
        let criteria = try ScreeningCriteria(
            include: [ScreeningCriterion(id: "I1", text: "Uses an LLM for a modelling task")],
            exclude: [
                ScreeningCriterion(id: "E1", text: "Not about model-driven engineering"),
                ScreeningCriterion(id: "E2", text: "Not a primary study (surveys, <vision> & position papers)"),
                ScreeningCriterion(id: "E3", text: "Not in English"),
            ])
        func record(_ file: String, _ key: String, _ title: String, doi: String? = nil, abstract: String? = nil) -> BibliographicRecord {
            var fields = ["title": title, "author": "Doe, Jane", "year": "2024"]
            fields["doi"] = doi
            fields["abstract"] = abstract
            return BibliographicRecord(key: key, type: "article", fields: fields, location: SourceLocation(file: file, line: 1))
        }
        let titles = (1...10).map { "Study number \($0) of language models for model driven engineering" }
        var records = titles.enumerated().map { record("corpus/literature/scopus.bib", "s\($0.offset)", $0.element, abstract: "Scopus has abstracts.") }
        records += (0..<4).map { record("corpus/literature/acm.bib", "a\($0)", titles[$0]) }
        records.append(record("corpus/literature/acm.bib", "a9", "An unrelated paper on compilers and their testing"))
        records.append(record("corpus/literature/snowball.bib", "x1", "A paper found by hand in a reference list", doi: "10.1/x"))
        let log = try SearchLog(entries: [
            SearchLogEntry(id: "scopus-1", database: "Scopus", query: "llm AND mde", date: "2025-03-01", file: "scopus.bib", hits: 10),
            SearchLogEntry(id: "acm-1", database: "ACM Digital Library", query: "llm AND mde", date: "2025-03-01", file: "acm.bib", hits: 5),
        ])
        let dedupe = Deduplicator().run(records)
        let id = { (key: String) in "corpus/literature/scopus.bib#\(key)" }
        var decisions: [ScreeningDecision] = []
        func decide(_ record: String, _ stage: String, _ verdict: ScreeningVerdict, _ criterion: String? = nil) {
            decisions.append(ScreeningDecision(record: record, stage: stage, verdict: verdict, criterion: criterion, reviewer: "ana"))
        }
        for key in ["s0", "s1", "s2", "s3", "s4", "s5", "s6"] { decide(id(key), "title-abstract", .include) }
        decide(id("s7"), "title-abstract", .exclude, "E1")
        decide(id("s8"), "title-abstract", .exclude, "E2")
        decide("corpus/literature/acm.bib#a9", "title-abstract", .exclude, "E1")
        decide(id("s9"), "title-abstract", .maybe)
        decide(id("s0"), "full-text", .include)
        decide(id("s1"), "full-text", .include)
        decide(id("s2"), "full-text", .exclude, "E2")
        decide(id("s3"), "full-text", .exclude, "E2")
        decide(id("s4"), "full-text", .exclude, "E1")
        decide(id("s5"), "full-text", .exclude, ScreeningCriteria.notRetrieved)
        let ledger = ScreeningLedger(criteria: criteria, decisions: decisions)
        return PRISMACounts.compute(records: records, searchLog: log, dedupe: dedupe, ledger: ledger)
    }

    func testCounts() throws {
        let counts = try Self.review()
        XCTAssertEqual(counts.identified.map(\.database), ["ACM Digital Library", "Scopus", "snowball.bib"])
        XCTAssertEqual(counts.identified.map(\.count), [5, 10, 1])
        XCTAssertEqual(counts.identifiedTotal, 16)
        XCTAssertEqual(counts.duplicatesRemoved, 4)
        XCTAssertEqual(counts.screened, 12)
        XCTAssertEqual(counts.excludedAtScreening, 3)
        XCTAssertEqual(counts.awaitingScreening, 2)
        XCTAssertEqual(counts.reportsSought, 7)
        XCTAssertEqual(counts.notRetrieved, 1)
        XCTAssertEqual(counts.assessed, 5)
        XCTAssertEqual(counts.excludedWithReasons.map(\.criterion), ["E1", "E2"])
        XCTAssertEqual(counts.excludedWithReasons.map(\.count), [1, 2])
        XCTAssertEqual(counts.awaitingAssessment, 1)
        XCTAssertEqual(counts.included, 2)
        assertReconciles(counts)
    }

    func testMarkdownMatchesGolden() throws {
        try assertGolden(try Self.review().markdown(), "prisma.md")
    }

    func testJSONMatchesGolden() throws {
        let json = try Self.review().json()
        XCTAssertNoThrow(try JSONSerialization.jsonObject(with: Data(json.utf8)))
        try assertGolden(json, "prisma.json")
    }

    func testSVGMatchesGolden() throws {
        let svg = try Self.review().svg()
        XCTAssertTrue(svg.contains("&lt;vision&gt; &amp; position papers"), svg)
        XCTAssertFalse(svg.contains("<vision>"))
        try assertGolden(svg, "prisma.svg")
    }

    private func assertGolden(_ output: String, _ name: String, file: StaticString = #filePath, line: UInt = #line) throws {
        let url = URL(fileURLWithPath: #filePath).deletingLastPathComponent().appendingPathComponent("Fixtures/golden/\(name)")
        if ProcessInfo.processInfo.environment["TRIANGULATE_UPDATE_GOLDEN"] == "1" {
            try AtomicFile.write(output, to: url)
            throw XCTSkip("rewrote \(url.path); read it before committing")
        }
        let expected = try String(contentsOf: url, encoding: .utf8)
        XCTAssertEqual(output, expected, "\(name) differs from the golden file", file: file, line: line)
    }
}
