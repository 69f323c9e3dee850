import Core
import Foundation
import Literature
import TestSupport
import XCTest

/// The one decision-file abstraction: every kind reads against its header with located errors,
/// and appends in the order of the file's own header.
final class DecisionFileTests: XCTestCase {
    private let decision = DedupeDecision(group: "a.bib#x", record: "b.bib#y", kind: .duplicateOf, reviewer: "ana")

    func testAppendFollowsTheHeaderOfTheFileItAddsTo() throws {
        let reordered = "reviewer,decision,record,group\nbo,not-duplicate,c.bib#z,a.bib#x"
        let text = try DedupeDecisionFile.appending([decision], to: reordered, file: "dedupe.csv")
        XCTAssertEqual(text, reordered + "\nana,duplicate-of,b.bib#y,a.bib#x\n")
        XCTAssertEqual(try DedupeDecisionFile.parse(text, file: "dedupe.csv").last, decision)
        XCTAssertEqual(try DedupeDecisionFile.appending([decision], to: nil, file: "dedupe.csv"),
                       "group,record,decision,reviewer\na.bib#x,b.bib#y,duplicate-of,ana\n")
        XCTAssertEqual(try DedupeDecisionFile.appending([decision], to: "", file: "dedupe.csv"),
                       "group,record,decision,reviewer\na.bib#x,b.bib#y,duplicate-of,ana\n")
    }

    func testABrokenFileIsReportedAndLeftAsItWas() throws {
        let url = try TestPaths.temporaryDirectory(for: self).appendingPathComponent("dedupe.csv")
        let broken = "group,record,decision,reviewer\na.bib#x,b.bib#y,same,ana\n"
        try broken.write(to: url, atomically: true, encoding: .utf8)
        XCTAssertThrowsError(try DedupeDecisionFile.append([decision], to: url, displayPath: "corpus/literature/dedupe.csv")) {
            XCTAssertEqual("\($0)", "corpus/literature/dedupe.csv:2:3: expected 'duplicate-of' or 'not-duplicate', found 'same'")
        }
        XCTAssertEqual(try String(contentsOf: url, encoding: .utf8), broken)
        XCTAssertThrowsError(try DedupeDecisionFile.parse("group,record,decision,reviewer,record\n", file: "dedupe.csv")) {
            XCTAssertEqual("\($0)", "dedupe.csv:1:5: expected each column once, found 'record' again (first in column 2)")
        }
        XCTAssertThrowsError(try DedupeDecisionFile.parse("group,record,decision,reviewer\n\"a,b,c,d\n", file: "dedupe.csv")) {
            XCTAssertTrue("\($0)".hasPrefix("dedupe.csv:2: expected well-formed CSV"), "\($0)")
        }
    }

    func testAnAppendedRowThatRepeatsAnIdentityIsRefused() throws {
        let link = SnowballingLink(record: "a#2", source: "a#1", direction: .backward, iteration: 1)
        let text = SnowballingFile.csv([link])
        XCTAssertThrowsError(try SnowballingFile.appending([link], to: text, file: "snowballing.csv")) {
            XCTAssertEqual("\($0)", "snowballing.csv:3:1: expected each link once, found backward link a#1 → a#2 again (first at line 2)")
        }
    }

    func testImportsAreAKindOfItToo() throws {
        let row = ReviewImport(file: "scopus.bib", database: "Scopus", search: "S1", original: "/tmp/a, b.bib", records: 12)
        let text = ReviewImportFile.csv([row])
        XCTAssertEqual(text, "file,database,search,original,records\nscopus.bib,Scopus,S1,\"/tmp/a, b.bib\",12\n")
        XCTAssertEqual(try ReviewImportFile.parse(text, file: "imports.csv"), [row])
        XCTAssertThrowsError(try ReviewImportFile.parse("file,database,search,original,records\nscopus.bib,Scopus,,x,many\n", file: "imports.csv")) {
            XCTAssertEqual("\($0)", "imports.csv:2:5: expected a record count, found 'many'")
        }
        XCTAssertThrowsError(try ReviewImportFile.parse("file,database,search,original\n", file: "imports.csv")) {
            XCTAssertEqual("\($0)", "imports.csv:1:1: expected a header with the columns file,database,search,original,records (missing 'records'), found 'file,database,search,original'")
        }
    }

    func testResolutionsAppendWithTheirCriteria() throws {
        let criteria = try ScreeningCriteria.parse("exclude:\n  - id: E1\n    text: Off topic\n", file: "s.yaml")
        let url = try TestPaths.temporaryDirectory(for: self).appendingPathComponent("screening/resolutions.csv")
        try FileManager.default.createDirectory(at: url.deletingLastPathComponent(), withIntermediateDirectories: true)
        let first = ScreeningResolution(record: "a#1", stage: "title-abstract", verdict: .exclude, criterion: "E1", resolver: "cy")
        let second = ScreeningResolution(record: "a#2", stage: "full-text", verdict: .exclude, criterion: ScreeningCriteria.notRetrieved, resolver: "cy")
        try ResolutionFile.append([first], to: url, displayPath: "resolutions.csv", context: criteria)
        try ResolutionFile.append([second], to: url, displayPath: "resolutions.csv", context: criteria)
        XCTAssertEqual(try ResolutionFile.read(url, displayPath: "resolutions.csv", context: criteria), [first, second])
        XCTAssertEqual(criteria.citable(for: .exclude, at: "full-text"), ["E1", "not-retrieved"])
        XCTAssertEqual(criteria.citable(for: .exclude, at: "title-abstract"), ["E1"])
    }
}
