import Core
import Foundation
import XCTest
@testable import Literature

/// Inputs built to crash, hang or exhaust memory (issue 9): each must give a located warning and
/// leave the rest of the file readable.
final class HostileInputTests: XCTestCase {
    func testTwentyDigitYearIsNoYearAndDoesNotOverflow() {
        let text = "@article{big, title = {T}, year = {99999999999999999999999}}\n@article{ok, title = {U}, year = 2024}\n"
        let result = BibTeXParser().parse(text, file: "years.bib")
        XCTAssertEqual(result.records.count, 2)
        XCTAssertNil(result.records[0].year)
        XCTAssertEqual(result.records[1].year, 2024)
        XCTAssertNil(BibliographicRecord.firstYear(in: String(repeating: "9", count: 400)))
        XCTAssertEqual(BibliographicRecord.firstYear(in: String(repeating: "9", count: 40) + " 1999"), 1999)
    }

    /// A 0.9 KB file that doubles a macro on each of 60 lines would expand to 2^60 bytes.
    func testDoublingStringMacrosStopAtTheCapWithALocatedWarning() {
        var text = "@string{m0 = \"xxxxxxxxxxxxxxxx\"}\n"
        for line in 1...60 { text += "@string{m\(line) = m\(line - 1) # m\(line - 1)}\n" }
        text += "@article{victim, title = m60, year = 2020}\n@article{after, title = {Still read}}\n"
        XCTAssertLessThan(text.utf8.count, 2_000)
        let result = BibTeXParser().parse(text, file: "bomb.bib")
        let limits = result.warnings.filter { if case .limitExceeded = $0 { return true } else { return false } }
        // 16 bytes · 2^16 = 1 MiB is the largest macro allowed; m17 is the first refused.
        XCTAssertEqual(limits.first?.location?.line, 18)
        XCTAssertEqual(limits.first?.location?.column, 21)
        XCTAssertEqual(result.records.map(\.key), ["victim", "after"])
        XCTAssertLessThanOrEqual(result.records[0].title?.utf8.count ?? 0, 1 << 20)
        XCTAssertEqual(result.records[1].title, "Still read")
        // Refused macros are undefined, so later lines keep their names as text and warn.
        XCTAssertTrue(result.warnings.contains(.unknownMacro(SourceLocation(file: "bomb.bib", line: 19, column: 15), name: "m17")))
    }

    func testTotalExpansionBudgetBoundsManyUsesOfOneLargeMacro() {
        let parser = BibTeXParser(maxValueBytes: 1_000, maxExpansionBytes: 5_000)
        var text = "@string{big = \"\(String(repeating: "y", count: 900))\"}\n"
        for index in 0..<10 { text += "@misc{r\(index), title = big}\n" }
        let result = parser.parse(text, file: "many.bib")
        XCTAssertEqual(result.records.count, 5)
        guard case .limitExceeded(let location, _, let limit)? = result.warnings.first else {
            return XCTFail("expected a limit warning, got \(result.warnings)")
        }
        XCTAssertEqual(location.line, 7)
        XCTAssertEqual(limit, 5_000)
        XCTAssertTrue(result.warnings[0].description.contains("many.bib:7:"), result.warnings[0].description)
    }

    /// 4,000 copies of one record: one group of 4,000, with one edge per copy (this ran for
    /// minutes and took gigabytes when every pair was kept).
    func testFourThousandIdenticalRecordsFormOneGroupWithoutPairs() {
        let records = (0..<4_000).map { index in
            BibliographicRecord(
                key: "k\(index)", type: "article",
                fields: ["title": "Model driven engineering with large language models", "author": "Doe, Jane", "year": "2024"],
                location: SourceLocation(file: "copies.bib", line: index + 1))
        }
        let result = Deduplicator().run(records)
        XCTAssertEqual(result.groups.count, 1)
        XCTAssertEqual(result.duplicateCount, 3_999)
        XCTAssertTrue(result.groups[0].duplicates.allSatisfy { $0.reason.hasPrefix("title 1.00 similar, same year, same first author") })
    }

    /// A not-duplicate decision on the first record with a DOI must not cut the others apart.
    func testDetachingTheFirstRecordOfADOIKeepsTheOthersTogether() {
        let records = ["a", "b", "c"].map { key in
            BibliographicRecord(key: key, type: "article", fields: ["title": "Title \(key)", "doi": "10.1/x"],
                                location: SourceLocation(file: "f.bib", line: 1))
        }
        let decision = DedupeDecision(group: "f.bib#a", record: "f.bib#a", kind: .notDuplicate, reviewer: "ann")
        let result = Deduplicator().run(records, decisions: [decision])
        XCTAssertEqual(result.groups.map(\.kept), ["f.bib#b"])
        XCTAssertEqual(result.groups.first?.duplicates.map(\.recordID), ["f.bib#c"])
    }
}
