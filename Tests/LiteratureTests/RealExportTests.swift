import Core
import Foundation
import TestSupport
import XCTest
@testable import Literature

/// Real exports from ../shared/data: no entry may be lost, and known values must come out right.
final class RealExportTests: XCTestCase {
    /// Lines of a file, split on LF, CRLF or a lone CR, independently of the parsers.
    private func lines(of url: URL) throws -> [String] {
        let text = try String(contentsOf: url, encoding: .utf8)
        return text.replacingOccurrences(of: "\r\n", with: "\n").replacingOccurrences(of: "\r", with: "\n")
            .components(separatedBy: "\n")
    }

    private func files(under folder: URL, extensions: Set<String>) -> [URL] {
        let enumerator = FileManager.default.enumerator(at: folder, includingPropertiesForKeys: nil)
        var found: [URL] = []
        while let url = enumerator?.nextObject() as? URL {
            if extensions.contains(url.pathExtension.lowercased()) { found.append(url) }
        }
        return found.sorted { $0.path < $1.path }
    }

    /// Entries counted the way a reviewer would with grep: `^\s*@`, minus @string/@comment/@preamble.
    private func countBibTeXEntries(_ url: URL) throws -> Int {
        let pattern = try NSRegularExpression(pattern: #"^\s*@(?!\s*(string|comment|preamble)\b)"#, options: [.caseInsensitive])
        return try lines(of: url).filter { line in
            let clean = line.replacingOccurrences(of: "\u{FEFF}", with: "")
            return pattern.firstMatch(in: clean, range: NSRange(clean.startIndex..., in: clean)) != nil
        }.count
    }

    func testEverySLRBibTeXExportImportsWithoutLosingEntries() throws {
        let folder = try TestPaths.sharedData("bib/llm-in-mde-2025-slr-exports")
        let bibFiles = files(under: folder, extensions: ["bib"])
        XCTAssertGreaterThanOrEqual(bibFiles.count, 29)
        var total = 0
        for url in bibFiles {
            let name = url.path.replacingOccurrences(of: folder.path + "/", with: "")
            let result = try LiteratureReader.read(url, displayPath: name)
            let expected = try countBibTeXEntries(url)
            XCTAssertEqual(result.records.count, expected, name)
            let problems = result.warnings.filter {
                switch $0 {
                case .duplicateKey, .missingComma: false
                default: true
                }
            }
            XCTAssertEqual(problems, [], name)
            XCTAssertTrue(result.records.allSatisfy { $0.title?.isEmpty == false }, "\(name): every record has a title")
            total += result.records.count
        }
        XCTAssertGreaterThan(total, 3_000)
    }

    func testSLRExportsSpecificValues() throws {
        let folder = try TestPaths.sharedData("bib/llm-in-mde-2025-slr-exports")
        let wos = try LiteratureReader.read(folder.appendingPathComponent("web_of_science.bib"), displayPath: "web_of_science.bib")
        XCTAssertEqual(wos.records.count, 242)
        let first = try XCTUnwrap(wos.records.first)
        XCTAssertEqual(first.key, "WOS:001566926800002", "leading space before the key is dropped, BOM ignored")
        XCTAssertEqual(first.authors, ["Otroshi Shahreza, Hatef", "Marcel, Sebastien"])
        XCTAssertEqual(first.doi, "10.1109/tifs.2025.3602233")
        XCTAssertEqual(first.year, 2025)
        XCTAssertEqual(first.location.line, 2)
        let wrapped = try XCTUnwrap(wos.records.first { $0.key == "WOS:001422132300017" })
        XCTAssertEqual(wrapped.authors.count, 10, "author lines wrapped over three lines")
        XCTAssertEqual(wrapped.authors[3], "Longpre, Shayne")

        let ieee = try LiteratureReader.read(folder.appendingPathComponent("IEEE_Xplore.bib"), displayPath: "IEEE_Xplore.bib")
        XCTAssertEqual(ieee.records.count, 452)
        XCTAssertEqual(ieee.warnings.filter { if case .missingComma = $0 { true } else { false } }.count, 4,
                       "two entries lack the commas after isbn and doi")
        let lopez = try XCTUnwrap(ieee.records.first { $0.key == "j_lopez_word_2023" })
        XCTAssertEqual(lopez.doi, "10.1109/models58315.2023.00036")
        let medbot = try XCTUnwrap(ieee.records.first)
        XCTAssertEqual(medbot.title, "MedBot: Intelligent Health Care Assistant for Heart Disease Powered by Large Language Models")
        XCTAssertEqual(medbot.authors, ["M. Patil", "V. R. Patel", "S. Giraddi", "T. S", "S. H"])
        XCTAssertEqual(medbot.fields["month"], "July")
        XCTAssertEqual(medbot.fields["pages"], "1–5")

        let sciencedirect = try LiteratureReader.read(folder.appendingPathComponent("ScienceDirect.bib"), displayPath: "ScienceDirect.bib")
        XCTAssertEqual(sciencedirect.records.first?.doi, "10.1016/j.jpha.2023.12.004", "https://doi.org/ prefix removed")

        let scopus = try LiteratureReader.read(folder.appendingPathComponent("scopus.bib"), displayPath: "scopus.bib")
        XCTAssertEqual(scopus.records.first?.key, "Xia2025", "the 'Scopus / EXPORT DATE' header is comment text")
        XCTAssertTrue(scopus.records.contains { $0.key == "Di Rocco2025923" }, "Scopus keys may contain spaces")
    }

    func testIEEEXploreRISDownloadsWithMixedLineEndings() throws {
        let folder = try TestPaths.sharedData("bib/llm-in-mde-2025-slr-exports/First_Search_Initial_String/IEEE Xplore")
        let risFiles = files(under: folder, extensions: ["ris"])
        XCTAssertEqual(risFiles.count, 11)
        for url in risFiles {
            let result = try LiteratureReader.read(url, displayPath: url.lastPathComponent)
            let expected = try lines(of: url).filter { $0.hasPrefix("TY  -") }.count
            XCTAssertEqual(result.records.count, expected, url.lastPathComponent)
            XCTAssertEqual(result.warnings, [], url.lastPathComponent)
            XCTAssertTrue(result.records.allSatisfy { $0.title != nil && $0.year != nil }, url.lastPathComponent)
        }
        let sample = try LiteratureReader.read(
            folder.appendingPathComponent("IEEE Xplore Citation RIS Download 2025.9.5.10.20.58.ris"), displayPath: "sample.ris")
        let record = try XCTUnwrap(sample.records.first)
        XCTAssertEqual(record.type, "inproceedings")
        XCTAssertEqual(record.authors.first, "C. Hegedűs")
        XCTAssertEqual(record.key, "hegedus2025multiagentic")
        XCTAssertEqual(record.fields["pages"], "1--6")
        XCTAssertEqual(record.fields["booktitle"], "NOMS 2025-2025 IEEE Network Operations and Management Symposium")
        XCTAssertEqual(record.fields["issn"], "2374-9709")
        XCTAssertEqual(sample.records[1].type, "article", "a TY after a lone CR still starts a record")
    }

    func testASReviewRISExportsKeepEveryRecord() throws {
        let folder = try TestPaths.sharedData("bib/asreview-demo-exports")
        let exports = files(under: folder, extensions: ["ris", "txt"])
        XCTAssertEqual(exports.count, 16)
        for url in exports {
            let name = url.lastPathComponent
            let text = try String(contentsOf: url, encoding: .utf8)
            XCTAssertEqual(LiteratureFormat.detect(fileName: name, text: text), .ris, "\(name) is RIS whatever its extension")
            let result = try LiteratureReader.read(url, displayPath: name)
            let expected = try lines(of: url).filter { $0.replacingOccurrences(of: "\u{FEFF}", with: "").hasPrefix("TY  -") }.count
            XCTAssertEqual(result.records.count, expected, name)
            let missingEnd = result.warnings.filter { if case .missingEndOfRecord = $0 { true } else { false } }
            XCTAssertEqual(missingEnd, [], name)
        }
    }

    func testASReviewValues() throws {
        let folder = try TestPaths.sharedData("bib/asreview-demo-exports")
        func read(_ name: String) throws -> ParseResult {
            try LiteratureReader.read(folder.appendingPathComponent(name), displayPath: name)
        }
        let ovid = try read("ovid_psycinfo.ris")
        XCTAssertEqual(ovid.records.count, 6)
        XCTAssertEqual(ovid.records[0].doi, "10.1002/cpp.2398", "http://dx.doi.org/ prefix removed")
        XCTAssertEqual(ovid.records[0].authors.first, "Trindade, Ines A")
        XCTAssertEqual(ovid.warnings.first, .textOutsideRecord(SourceLocation(file: "ovid_psycinfo.ris", line: 1, column: 1), text: "1."))
        XCTAssertTrue(ovid.warnings.allSatisfy { if case .textOutsideRecord = $0 { true } else { false } })

        let manyAuthors = try read("ris_many_authors.ris")
        XCTAssertEqual(manyAuthors.records.first?.authors.count, 7456)

        let faulty = try read("faulty_year.ris")
        XCTAssertNil(faulty.records.first?.year, "PY '10 15' has no four-digit year")
        XCTAssertEqual(faulty.records.first?.fields["year"], "10 15")

        let rayyan = try read("ris_issue_992.txt")
        let keywords = try XCTUnwrap(rayyan.records.first?.fields["keywords"])
        XCTAssertTrue(keywords.hasPrefix("Health Facility Administration; Joint Commission; Standards; Medication Errors"), keywords)

        let baseline = try read("_baseline.ris")
        XCTAssertEqual(baseline.records.first?.authors.first, "Blomberg, Björn A.")
        XCTAssertEqual(Set(baseline.records.map(\.key)).count, baseline.records.count, "generated keys are unique")

        let types = try read("baseline_reference_types.ris")
        XCTAssertEqual(types.records.count, 61)
        XCTAssertTrue(types.records.contains { $0.type == "phdthesis" })

        let wos = try read("web_of_science.txt")
        XCTAssertEqual(wos.records.first?.fields["journal"], "JOURNAL OF APPLIED RESEARCH IN MEMORY AND COGNITION")
    }

    func testTeXLiveFilesParseWithoutLosingEntries() throws {
        let folder = try TestPaths.sharedData("bib/texlive-bib-edgecases")
        for url in files(under: folder, extensions: ["bib"]) {
            let result = try LiteratureReader.read(url, displayPath: url.lastPathComponent)
            let syntaxErrors = result.warnings.filter {
                switch $0 {
                case .unbalancedBraces, .unexpectedCharacter: true
                default: false
                }
            }
            XCTAssertEqual(syntaxErrors, [], url.lastPathComponent)
            XCTAssertEqual(result.records.count, try countBibTeXEntries(url), url.lastPathComponent)
        }
    }

    func testXamplStringsAndCrossReferences() throws {
        let url = try TestPaths.sharedData("bib/texlive-bib-edgecases/xampl.bib")
        let result = try LiteratureReader.read(url, displayPath: "xampl.bib")
        XCTAssertEqual(result.warnings, [])
        XCTAssertEqual(result.preambles.count, 1)
        func record(_ key: String) throws -> BibliographicRecord {
            try XCTUnwrap(result.records.first { $0.key == key }, key)
        }
        XCTAssertEqual(try record("inproceedings-full").fields["booktitle"], "Proc. Fifteenth Annual ACM Symposium on the Theory of Computing")
        XCTAssertEqual(try record("inproceedings-full").fields["organization"], "The OX Association for Computing Machinery")
        XCTAssertEqual(try record("inproceedings-full").editors, ["Wizard V. Oz", "Mihalis Yannakakis"])
        XCTAssertEqual(try record("book-full").fields["month"], "10 January")
        // xampl's own @preamble defines \noopsort to print nothing: the year printed is 1981.
        XCTAssertEqual(try record("book-full").fields["year"], "1981", "{\\noopsort{1973c}}1981 without its sort key")
        XCTAssertEqual(try record("book-full").year, 1981)

        let child = try record("article-crossref")
        XCTAssertEqual(child.fields["journal"], "G-Animal's Journal", "inherited from WHOLE-JOURNAL (key matched case-insensitively)")
        XCTAssertEqual(child.fields["volume"], "41")
        XCTAssertEqual(child.fields["key"], "", "the child's own empty key overrides the parent's")
        XCTAssertEqual(child.fields["note"], "This is a cross-referencing ARTICLE entry")

        let inbook = try record("inbook-crossref")
        XCTAssertEqual(inbook.authors, ["Donald E. Knuth"], "inherited from whole-set, which comes after it")
        XCTAssertEqual(inbook.fields["publisher"], "Addison-Wesley")
        XCTAssertEqual(inbook.title, "Fundamental Algorithms")
    }

    func testAccentsInBiblatexExamples() throws {
        let url = try TestPaths.sharedData("bib/texlive-bib-edgecases/biblatex-examples.bib")
        let result = try LiteratureReader.read(url, displayPath: "biblatex-examples.bib")
        let aksin = try XCTUnwrap(result.records.first { $0.key == "aksin" })
        XCTAssertEqual(aksin.authors.first, "Aksın, Özge")
        XCTAssertEqual(aksin.authors[1], "Türkmen, Hayati")
        XCTAssertEqual(aksin.authors[3], "Çetinkaya, Bekir")
        XCTAssertEqual(aksin.authors[5], "Büyükgüngör, Orhan")
        XCTAssertEqual(aksin.fields["journaltitle"], "J. Organomet. Chem.", "@string jomch with ~ as a space")
        XCTAssertTrue(result.records.allSatisfy { record in record.fields.values.allSatisfy { $0 == $0.precomposedStringWithCanonicalMapping } })
    }

    func testCyrillicTextIsKept() throws {
        let url = try TestPaths.sharedData("bib/texlive-bib-edgecases/biblatex-gost-examples.bib")
        let result = try LiteratureReader.read(url, displayPath: "biblatex-gost-examples.bib")
        let bolzano = try XCTUnwrap(result.records.first { $0.key == "bolzano:pb" })
        XCTAssertEqual(bolzano.authors, ["Больцано, Бернард"])
        XCTAssertEqual(bolzano.title, "Парадоксы безконечнаго")
        XCTAssertEqual(bolzano.fields["location"], "Одесса")
        XCTAssertEqual(bolzano.year, 1911)
    }

    func testMessyHandbookComments() throws {
        let url = try TestPaths.sharedData("bib/texlive-bib-edgecases/handbook9_messy.bib")
        let result = try LiteratureReader.read(url, displayPath: "handbook9_messy.bib")
        let alpert = try XCTUnwrap(result.records.first { $0.key == "Alpert:Abrams:2016wb" })
        XCTAssertEqual(alpert.title, "Machine Reading the Primeros Libros")
        let bockelman = try XCTUnwrap(result.records.first { $0.key == "Bockelman:uu" })
        XCTAssertEqual(bockelman.title, "Buenos Aires Bohème: Argentina and the Transatlantic Bohemian Renaissance, 1890–1910")
    }
}
