import Core
import Foundation
import Literature
import TestSupport
import XCTest

final class SearchLogTests: XCTestCase {
    private let text = """
        # Searches of the LLM-in-MDE review
        searches:
          - id: scopus-1
            database: Scopus
            query: "TITLE-ABS-KEY(\\"large language model\\" AND (\\"model-driven\\" OR uml))"
            date: 2025-03-01
            file: scopus.bib
            hits: 390
          - id: acm-1
            database: ACM Digital Library
            query: '[[All: "large language model"]] AND [[All: "model-driven"]]'
            date: 2025-03-02   # the day after
            file: acm.bib
            hits: 353

        """

    func testReadsEntriesAndWritesThemBackByteStable() throws {
        let log = try SearchLog.parse(text, file: "searches.yaml")
        XCTAssertEqual(log.entries.map(\.id), ["scopus-1", "acm-1"])
        XCTAssertEqual(log.entries[0].query, #"TITLE-ABS-KEY("large language model" AND ("model-driven" OR uml))"#)
        XCTAssertEqual(log.entries[1].query, #"[[All: "large language model"]] AND [[All: "model-driven"]]"#)
        XCTAssertEqual(log.entries[1].date, "2025-03-02")
        XCTAssertEqual(log.entries[1].hits, 353)
        let written = log.yaml()
        XCTAssertEqual(try SearchLog.parse(written, file: "searches.yaml"), log)
        XCTAssertEqual(try SearchLog.parse(written, file: "searches.yaml").yaml(), written)
        // YAMLWriter leaves a value plain where YAML reads it back unchanged, inner quotes included.
        XCTAssertTrue(written.hasPrefix("searches:\n  - id: scopus-1\n    database: Scopus\n    query: TITLE-ABS-KEY(\"large"), written)
        XCTAssertTrue(written.contains("    query: \"[[All: \\\"large language model\\\"]]"), written)
    }

    func testAddValidatesAndTheFileRoundTrips() throws {
        var log = try SearchLog()
        let entry = SearchLogEntry(id: "ieee-1", database: "IEEE Xplore", query: "llm AND mde", date: "2025-02-29", file: "ieee.bib", hits: 1)
        XCTAssertThrowsError(try log.add(entry)) {
            XCTAssertEqual("\($0)", "searches.yaml: expected a date as YYYY-MM-DD in search 'ieee-1', found '2025-02-29'")
        }
        var negative = entry
        negative.date = "2024-02-29"
        negative.hits = -3
        XCTAssertThrowsError(try log.add(negative)) {
            XCTAssertEqual("\($0)", "searches.yaml: expected a hit count of 0 or more in search 'ieee-1', found -3")
        }
        negative.hits = 452
        try log.add(negative)
        XCTAssertThrowsError(try log.add(negative)) {
            XCTAssertEqual("\($0)", "searches.yaml: expected a new search id, found 'ieee-1', which is already logged")
        }
        let url = try TestPaths.temporaryDirectory(for: self).appendingPathComponent("searches.yaml")
        XCTAssertEqual(try SearchLog.read(url, displayPath: "searches.yaml"), try SearchLog())
        try log.write(to: url)
        XCTAssertEqual(try SearchLog.read(url, displayPath: "searches.yaml"), log)
    }

    func testErrorsPointAtTheOffendingValue() {
        let badDate = text.replacingOccurrences(of: "2025-03-02", with: "2025-3-2")
        XCTAssertThrowsError(try SearchLog.parse(badDate, file: "searches.yaml")) {
            XCTAssertEqual("\($0)", "searches.yaml:12:11: expected a date as YYYY-MM-DD in search 'acm-1', found '2025-3-2'")
        }
        let badHits = text.replacingOccurrences(of: "hits: 390", with: "hits: many")
        XCTAssertThrowsError(try SearchLog.parse(badHits, file: "searches.yaml")) {
            XCTAssertEqual("\($0)", "searches.yaml:8:11: expected 'hits' as a whole number, found 'many'")
        }
        let unknownKey = text.replacingOccurrences(of: "    file: acm.bib", with: "    path: acm.bib")
        XCTAssertThrowsError(try SearchLog.parse(unknownKey, file: "searches.yaml")) {
            XCTAssertEqual("\($0)", "searches.yaml:13:5: unknown key 'path' in a search; expected one of: id, database, query, date, file, hits")
        }
        let missing = text.replacingOccurrences(of: "    hits: 353\n", with: "")
        XCTAssertThrowsError(try SearchLog.parse(missing, file: "searches.yaml")) {
            XCTAssertEqual("\($0)", "searches.yaml:9:5: a search has no 'hits'; expected a 'hits:' line")
        }
    }

    func testIdentifiedPerDatabaseFallsBackToRecordCounts() throws {
        let log = try SearchLog.parse(text, file: "searches.yaml")
        let counts = log.identifiedPerDatabase(recordCounts: [
            "corpus/literature/scopus.bib": 388, "corpus/literature/acm.bib": 353, "corpus/literature/wos.bib": 242,
        ])
        XCTAssertEqual(counts.map(\.database), ["ACM Digital Library", "Scopus", "wos.bib"])
        XCTAssertEqual(counts.map(\.count), [353, 390, 242])
    }
}
