import Core
import Foundation
import Literature
import TestSupport
import XCTest

final class CSVImportTests: XCTestCase {
    private func fixture(_ name: String) throws -> String {
        let url = try XCTUnwrap(Bundle.module.url(forResource: name, withExtension: nil, subdirectory: "Fixtures/review"), name)
        return try TextFile.read(url)
    }

    func testScopusPresetReadsGoodRowsAndWarnsAboutBadOnes() throws {
        let result = try CSVImporter(mapping: .scopus).parse(try fixture("scopus_export.csv"), file: "scopus.csv")
        XCTAssertEqual(result.records.map(\.key), ["2-s2.0-85171778110", "2-s2.0-2"])
        let first = result.records[0]
        XCTAssertEqual(first.authors, ["Jiang, W.", "Synovic, N."])
        XCTAssertEqual(first.year, 2023)
        XCTAssertEqual(first.doi, "10.1109/icse48619.2023.00206")
        XCTAssertEqual(first.fields["journal"], "Proceedings - International Conference on Software Engineering")
        XCTAssertEqual(first.fields["keywords"], "Empirical software engineering, Model reuse")
        XCTAssertEqual(first.location, SourceLocation(file: "scopus.csv", line: 2, column: 1))
        XCTAssertEqual(first.recordID, "scopus.csv#2-s2.0-85171778110")
        XCTAssertNil(result.records[1].year)
        XCTAssertEqual(result.warnings.map(\.description), [
            "scopus.csv:3:3: expected a title in column 'Title'; the row was skipped, found an empty cell",
            "scopus.csv:4:4: expected a four-digit year in column 'Year'; the row was kept without a year, found 'n.d.'",
            "scopus.csv:5:1: expected 9 fields as in the header; the row was skipped, found 2",
        ])
    }

    func testMissingTitleColumnNamesTheHeaderLine() {
        let text = "Authors,Year\nSmith J.,2020\n"
        XCTAssertThrowsError(try CSVImporter(mapping: .ieeeXplore).parse(text, file: "ieee.csv")) { error in
            XCTAssertEqual(
                "\(error)",
                "ieee.csv:1:1: expected a column 'Document Title' for the title in the header, found the columns 'Authors', 'Year'")
        }
    }

    func testHeadersMatchCaseInsensitivelyAndKeysAreGeneratedWithoutAKeyColumn() throws {
        let text = "\u{FEFF}TITLE,author names,SOURCE\n\"Duplication cysts: Diagnosis, management\",\"Liu R., Adler D.G.\",Endoscopic Ultrasound\n"
        let decoded = try TextFile.decode(Data(text.utf8), path: "embase.csv")
        let result = try CSVImporter(mapping: .embase).parse(decoded, file: "embase.csv")
        XCTAssertEqual(result.records.count, 1)
        XCTAssertEqual(result.records[0].authors, ["Liu, R.", "Adler, D.G."])
        XCTAssertEqual(result.records[0].firstAuthorFamilyName, "liu")
        XCTAssertEqual(result.records[0].key, "liuduplication")
        XCTAssertEqual(result.records[0].type, "article")
    }

    func testASReviewDatasetKeepsLabels() throws {
        let url = try TestPaths.sharedData("slr/asreview-systematic-review-datasets/Kitchenham_2010.csv")
        let result = try CSVImporter(mapping: .asreview).parse(try TextFile.read(url), file: "Kitchenham_2010.csv")
        XCTAssertTrue(result.warnings.isEmpty, "\(result.warnings.prefix(3))")
        XCTAssertGreaterThan(result.records.count, 1_000)
        XCTAssertEqual(Set(result.records.compactMap { $0.fields["label"] }), ["0", "1"])
        XCTAssertEqual(result.records[0].key, "1")
        XCTAssertTrue(result.records[0].title!.hasPrefix("A Conceptual Model of ICT-Supported"))
    }

    func testASReviewAuthorListsSplitOnCommasAndAnd() throws {
        let url = try TestPaths.sharedData("slr/asreview-systematic-review-datasets/Bannach-Brown_2019.csv")
        let result = try CSVImporter(mapping: .asreview).parse(try TextFile.read(url), file: "Bannach-Brown_2019.csv")
        XCTAssertEqual(result.records[0].authors, ["R. L. Whistler", "W. C. Lake"])
        XCTAssertEqual(result.records[2].authors, ["D. Pavlinac", "R. Langer", "L. Lenhard", "L. Deftos"])
        XCTAssertEqual(result.records[2].firstAuthorFamilyName, "pavlinac")
        XCTAssertEqual(result.records.count + result.warnings.count, 1_993)
    }

    func testEmbaseExportReads() throws {
        let url = try TestPaths.sharedData("bib/asreview-demo-exports/embase.csv")
        let result = try CSVImporter(mapping: .embase).parse(try TextFile.read(url), file: "embase.csv")
        XCTAssertTrue(result.warnings.isEmpty, "\(result.warnings.prefix(3))")
        XCTAssertFalse(result.records.isEmpty)
        XCTAssertTrue(result.records.allSatisfy { !$0.authors.isEmpty && $0.fields["abstract"] != nil })
    }
}
