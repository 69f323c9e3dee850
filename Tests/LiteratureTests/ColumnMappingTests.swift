import Core
import Foundation
import XCTest
@testable import Literature

/// Issue 13.2: any export as it comes — user-defined columns, TSV and `;`-separated files.
final class ColumnMappingTests: XCTestCase {
    private func fixture(_ name: String) throws -> String {
        let url = try XCTUnwrap(Bundle.module.url(forResource: "Fixtures/tabular/\(name)", withExtension: nil))
        return try String(contentsOf: url, encoding: .utf8)
    }

    func testTabDelimitedWebOfScienceWithUserMappedColumns() throws {
        let text = try fixture("wos_tab_delimited.txt")
        XCTAssertEqual(TableDelimiter.detect(text), "\t")
        let mapping = try CSVColumnMapping(title: "").applying(
            ["title=TI", "authors=AU", "year=PY", "doi=DI", "abstract=AB", "journal=SO", "key=UT"]) {
                SourceLocation(file: "--map", line: $0 + 1)
            }
        let result = try CSVImporter(mapping: mapping).parse(text, file: "wos.txt")
        XCTAssertEqual(result.warnings, [])
        XCTAssertEqual(result.records.map(\.key), ["WOS:000001", "WOS:000002"])
        XCTAssertEqual(result.records[0].title, "Model repair with LLMs, revisited")
        XCTAssertEqual(result.records[0].authors, ["Smith, J", "Doe, A"])
        XCTAssertEqual(result.records[0].fields["abstract"], #"We "repair" models; it works."#)
        XCTAssertEqual(result.records[1].title, "Tabs, commas; and quotes")
        XCTAssertEqual(result.records[1].year, 2023)
    }

    func testSemicolonSeparatedExportWithAByteOrderMarkAndAMappingFile() throws {
        let text = try fixture("ieee_semicolon.csv")
        XCTAssertEqual(TableDelimiter.detect(text), ";")
        let mapping = try CSVColumnMapping.parse(mappingFile: try fixture("ieee.mapping"), file: "ieee.mapping")
        XCTAssertEqual(mapping.title, "Document Title")
        XCTAssertEqual(mapping.keywords, "Author Keywords")
        let result = try CSVImporter(mapping: mapping).parse(text.hasPrefix("\u{FEFF}") ? String(text.dropFirst()) : text, file: "ieee.csv")
        XCTAssertEqual(result.records.map(\.title), ["Prompting, at scale", "Second paper"])
        XCTAssertEqual(result.records[0].fields["abstract"], "Uses 1,5 million prompts")
        XCTAssertEqual(result.records[0].doi, "10.1109/x.2025.1")
        XCTAssertEqual(result.records[0].authors, ["Chen, K.", "Ray, B."])
    }

    func testCommaStaysTheDefault() {
        XCTAssertEqual(TableDelimiter.detect("title,abstract\n\"a; b\",c\n"), ",")
        XCTAssertEqual(TableDelimiter.detect("title\nonly one column\n"), ",")
        XCTAssertEqual(TableDelimiter.detect("a;b;c\n1;2;3\n4;5,5;6\n"), ";")
    }

    func testBadAssignmentsAreLocated() throws {
        XCTAssertThrowsError(try CSVColumnMapping.parse(mappingFile: "title = T\n\nsummary = Abstract\n", file: "m.txt")) { error in
            XCTAssertEqual(error as? LiteratureError, .invalidEntry(
                SourceLocation(file: "m.txt", line: 3, column: 1),
                expected: "one of the fields \(CSVColumnMapping.assignableNames)", found: "'summary'"))
        }
        XCTAssertThrowsError(try CSVColumnMapping.parse(mappingFile: "preset = pubmed\n", file: "m.txt")) { error in
            XCTAssertTrue((error as? LiteratureError)?.description.hasPrefix("m.txt:1:1: expected a preset among acm, asreview") == true, "\(error)")
        }
        XCTAssertThrowsError(try CSVColumnMapping(title: "").applying(["abstract=Abstract"]) { SourceLocation(file: "--map", line: $0 + 1) }) { error in
            XCTAssertTrue("\(error)".contains("a title column"), "\(error)")
        }
        XCTAssertThrowsError(try CSVColumnMapping.scopus.applying(["title"]) { SourceLocation(file: "--map", line: $0 + 1) })
    }
}
