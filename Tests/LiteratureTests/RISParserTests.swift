import Core
import XCTest
@testable import Literature

final class RISParserTests: XCTestCase {
    private func fixture(_ name: String) throws -> URL {
        try XCTUnwrap(Bundle.module.url(forResource: name, withExtension: nil, subdirectory: "Fixtures"), name)
    }

    func testFixtureWithBOMCRLFContinuationsAndAMissingER() throws {
        let result = try LiteratureReader.read(try fixture("scopus_style_edge_cases.ris"), displayPath: "edge.ris")
        XCTAssertEqual(result.records.count, 3)
        XCTAssertEqual(result.warnings, [
            .textOutsideRecord(SourceLocation(file: "edge.ris", line: 1, column: 1), text: "Provider: Example Library"),
            .missingEndOfRecord(SourceLocation(file: "edge.ris", line: 23, column: 1), found: "the next record ('TY  -') at line 27"),
            .missingEndOfRecord(SourceLocation(file: "edge.ris", line: 27, column: 1), found: "the end of the file"),
        ])
        let first = result.records[0]
        XCTAssertEqual(first.type, "article")
        XCTAssertEqual(first.title, "First record with a continued title")
        XCTAssertEqual(first.authors, ["Zhang, Wei", "Ørsted, Hans"])
        XCTAssertEqual(first.fields["keywords"], "reuse; mining; registries")
        XCTAssertEqual(first.year, 2021)
        XCTAssertEqual(first.fields["journal"], "Empirical Software Engineering")
        XCTAssertEqual(first.fields["pages"], "10--20")
        XCTAssertEqual(first.fields["issn"], "1382-3256")
        XCTAssertEqual(first.doi, "10.1007/s10664-021-09999-x")
        XCTAssertEqual(first.fields["note"], "first note; second note")
        XCTAssertEqual(first.fields["ris:m3"], "Article", "unmapped tags are kept as ris:<tag>")
        XCTAssertEqual(first.key, "zhang2021first")
        XCTAssertEqual(first.location, SourceLocation(file: "edge.ris", line: 4, column: 1))

        let second = result.records[1]
        XCTAssertEqual(second.type, "inproceedings")
        XCTAssertEqual(second.authors, ["Zhang, Wei"], "A1 is an author tag")
        XCTAssertEqual(second.key, "zhang2021unterminated")

        let third = result.records[2]
        XCTAssertEqual(third.type, "book")
        XCTAssertEqual(third.editors, ["Editor, Ed"])
        XCTAssertEqual(third.fields["isbn"], "978-3-16-148410-0")
        XCTAssertEqual(third.year, 2019)
        XCTAssertEqual(third.key, "editor2019third", "no author: the first editor names the key")
    }

    func testTypeMapping() {
        let expected = ["JOUR": "article", "CONF": "inproceedings", "CPAPER": "inproceedings", "BOOK": "book",
                        "CHAP": "incollection", "THES": "phdthesis", "RPRT": "techreport", "GEN": "misc", "": "misc", "STD": "misc"]
        for (ris, bibtex) in expected {
            XCTAssertEqual(RISParser.entryType(for: ris), bibtex, ris)
        }
    }

    func testTagSyntax() {
        XCTAssertEqual(RISParser.tag(of: Array("TY  - JOUR".utf8)[...]), "TY")
        XCTAssertEqual(RISParser.tag(of: Array("ER  -".utf8)[...]), "ER")
        XCTAssertEqual(RISParser.tag(of: Array("T1  -Title".utf8)[...]), nil)
        XCTAssertEqual(RISParser.tag(of: Array("ty  - JOUR".utf8)[...]), nil)
        XCTAssertEqual(RISParser.tag(of: Array("TY - JOUR".utf8)[...]), nil)
    }

    func testRecordsWithoutEndTagAreKeptAndJunkIsReported() {
        let result = RISParser().parse("junk line\nmore junk\nTY  - JOUR\nTI  - A\nER  - \nstray\nTY  - JOUR\nTI  - B", file: "x.ris")
        XCTAssertEqual(result.records.map(\.title), ["A", "B"])
        XCTAssertEqual(result.warnings, [
            .textOutsideRecord(SourceLocation(file: "x.ris", line: 1, column: 1), text: "junk line"),
            .textOutsideRecord(SourceLocation(file: "x.ris", line: 6, column: 1), text: "stray"),
            .missingEndOfRecord(SourceLocation(file: "x.ris", line: 7, column: 1), found: "the end of the file"),
        ])
        XCTAssertEqual(result.warnings[2].description,
                       "x.ris:7:1: the record that starts here has no end tag: expected 'ER', found the end of the file; the record was kept")
    }

    func testGeneratedKeysGetLetterSuffixesOnCollision() {
        let text = (1...4).map { _ in "TY  - JOUR\nAU  - Jiang, Wenxin\nPY  - 2023\nTI  - An Empirical Study\nER  -\n" }.joined()
            + "TY  - JOUR\nAU  - Jiang, W.\nPY  - 2023\nTI  - The empirical\nER  -\n"
        let result = RISParser().parse(text, file: "x.ris")
        XCTAssertEqual(result.records.map(\.key), ["jiang2023empirical", "jiang2023empiricala", "jiang2023empiricalb", "jiang2023empiricalc", "jiang2023empiricald"])
    }

    func testKeyFolding() {
        XCTAssertEqual(KeyGenerator.fold("Müller-Lüdenscheidt"), "mullerludenscheidt")
        XCTAssertEqual(KeyGenerator.fold("Łukasz Ørsted Straße"), "lukaszorstedstrasse")
        XCTAssertEqual(KeyGenerator.fold("Больцано"), "")
        XCTAssertEqual(KeyGenerator.suffix(0), "a")
        XCTAssertEqual(KeyGenerator.suffix(25), "z")
        XCTAssertEqual(KeyGenerator.suffix(26), "aa")
        let anonymous = BibliographicRecord(key: "", type: "misc", fields: ["author": "van de Schoot, Rens", "title": "On the Use of X"], location: SourceLocation(file: "f"))
        XCTAssertEqual(KeyGenerator.baseKey(for: anonymous), "vandeschootuse")
        let untitled = BibliographicRecord(key: "", type: "misc", fields: ["author": "C. Hegedűs", "year": "12-16 May 2025"], location: SourceLocation(file: "f"))
        XCTAssertEqual(KeyGenerator.baseKey(for: untitled), "hegedus2025")
        XCTAssertEqual(KeyGenerator.baseKey(for: BibliographicRecord(key: "", type: "misc", fields: [:], location: SourceLocation(file: "f"))), "anon")
    }
}

final class WebOfScienceParserTests: XCTestCase {
    func testPlainTextExport() throws {
        let url = try XCTUnwrap(Bundle.module.url(forResource: "wos_plain_text", withExtension: "txt", subdirectory: "Fixtures"))
        let text = try String(contentsOf: url, encoding: .utf8)
        XCTAssertEqual(LiteratureFormat.detect(fileName: "savedrecs.txt", text: text), .webOfScience)
        let result = try LiteratureReader.read(url, displayPath: "savedrecs.txt")
        XCTAssertEqual(result.records.count, 3)
        XCTAssertEqual(result.warnings, [
            .missingEndOfRecord(SourceLocation(file: "savedrecs.txt", line: 35, column: 1), found: "the end-of-file tag 'EF' at line 39"),
        ])
        let first = result.records[0]
        XCTAssertEqual(first.type, "article")
        XCTAssertEqual(first.authors, ["Jiang, W", "Synovic, N", "Sethi, R"])
        XCTAssertEqual(first.title, "An Empirical Study of Pre-Trained Model Reuse in the Hugging Face Deep Learning Model Registry")
        XCTAssertEqual(first.fields["journal"], "PROCEEDINGS OF THE 45TH INTERNATIONAL CONFERENCE ON SOFTWARE ENGINEERING")
        XCTAssertEqual(first.fields["keywords"], "pre-trained models; software reuse; empirical software engineering")
        XCTAssertEqual(first.fields["abstract"], "Deep Neural Networks are being adopted as components in software systems.")
        XCTAssertEqual(first.fields["pages"], "2463--2475")
        XCTAssertEqual(first.fields["wos:af"], "Jiang, Wenxin; Synovic, Nicholas; Sethi, Rohan")
        XCTAssertEqual(first.fields["wos:ut"], "WOS:000000000000001")
        XCTAssertEqual(first.year, 2023)
        XCTAssertEqual(first.doi, "10.1109/icse48619.2023.00206")
        XCTAssertEqual(first.key, "jiang2023empirical")
        XCTAssertEqual(first.location.line, 3)

        let second = result.records[1]
        XCTAssertEqual(second.type, "inproceedings")
        XCTAssertEqual(second.fields["booktitle"], "2022 IEEE CONFERENCE ON SOFTWARE MAINTENANCE")
        XCTAssertEqual(second.title, "The {LaTeX} braces stay: a proceedings paper", "WoS text is not LaTeX")
        XCTAssertEqual(second.key, "muller2022latex")
        XCTAssertEqual(result.records[2].key, "jiang2023empiricala")
    }

    func testStrayTextAndRecordsWithoutPT() {
        let result = WebOfScienceParser().parse("FN Clarivate\nVR 1.0\nnot a tag\nAU Doe, J\nTI T\nER\nEF", file: "w.txt")
        XCTAssertEqual(result.records.count, 1)
        XCTAssertEqual(result.records.first?.authors, ["Doe, J"])
        XCTAssertEqual(result.records.first?.type, "misc")
        XCTAssertEqual(result.warnings, [.textOutsideRecord(SourceLocation(file: "w.txt", line: 3, column: 1), text: "not a tag")])
    }
}
