import Core
import Foundation
import XCTest
@testable import Literature

/// Issue 13.5: no word lost to a LaTeX command, identifiers exported as written, repeated keys kept.
final class BibliographicFidelityTests: XCTestCase {
    private func parse(_ text: String) -> ParseResult { BibTeXParser().parse(text, file: "tex.bib") }

    /// Titles as Nelson Beebe's `tugboat.bib` writes them.
    func testTeXLogosFromTUGboatTitlesBecomeText() {
        XCTAssertEqual(LaTeXText.toUnicode(#"The {\MF}book and {\METAFONT}"#), "The METAFONTbook and METAFONT")
        XCTAssertEqual(LaTeXText.toUnicode(#"{\LaTeXe} for {\TeX} users"#), "LaTeX2ε for TeX users")
        XCTAssertEqual(LaTeXText.toUnicode(#"\LuaLaTeX{} and \XeTeX{} with \POSTSCRIPT{} and \PDF{} output"#),
                       "LuaLaTeX and XeTeX with PostScript and PDF output")
        XCTAssertEqual(LaTeXText.toUnicode(#"\AMS{} fonts in \ConTeXt{} and \BibTeX"#), "AMS fonts in ConTeXt and BibTeX")
        XCTAssertEqual(LaTeXText.toUnicode(#"{\AmSTeX} meets {\MP}; {\TUB} notes"#), "AMS-TeX meets METAPOST; TUGboat notes")
        XCTAssertEqual(LaTeXText.toUnicode(#"{\acro{CTAN}} via \pkg{fontspec} on a \VAX"#), "CTAN via fontspec on a VAX")
    }

    func testDashCommandsAndLigaturesBecomeDashes() {
        XCTAssertEqual(LaTeXText.toUnicode(#"Fonts\emdash the next step"#), "Fonts—the next step")
        XCTAssertEqual(LaTeXText.toUnicode(#"{\TeX}\Dash the program"#), "TeX—the program")
        XCTAssertEqual(LaTeXText.toUnicode(#"pages 3\endash 7, 1--2 and a---b"#), "pages 3–7, 1–2 and a—b")
    }

    func testSpacingAndVerbatimCommandsKeepTheText() {
        XCTAssertEqual(LaTeXText.toUnicode(#"La\kern-.1em\TeX{} and \path|a_b@c|"#), "LaTeX and a_b@c")
        XCTAssertEqual(LaTeXText.toUnicode(#"{\noopsort{1973a}}Knuth and \foreignlanguage{german}{Schrift}"#), "Knuth and Schrift")
    }

    func testUnknownCommandKeepsItsNameAndIsReported() {
        let converted = LaTeXText.toUnicodeReporting(#"The \Frobnicator{} and \Widget engine"#)
        XCTAssertEqual(converted.text, "The Frobnicator and Widget engine")
        XCTAssertEqual(converted.unknownCommands, ["Frobnicator", "Widget"])
        let result = parse("@article{k,\n  title = {Using \\Frobnicator{} daily},\n  year = 2020}\n")
        XCTAssertEqual(result.records.first?.title, "Using Frobnicator daily")
        XCTAssertEqual(result.warnings, [.unknownCommand(SourceLocation(file: "tex.bib", line: 2, column: 3),
                                                         name: "Frobnicator", field: "title", key: "k")])
        XCTAssertTrue(result.warnings[0].description.contains(#"'\Frobnicator' in field 'title' of entry 'k'"#))
        XCTAssertEqual(result.warnings[0].severity, .warning)
    }

    func testIdentifiersAreExportedVerbatimAndReadBack() {
        let fields = [
            "title": "A_b & c", "doi": "10.6688/jise.202501\\_41", "url": "https://example.org/~u/a_b%20c--d",
            "eprint": "2101.00001v2", "file": ":C\\:/papers/a_b.pdf:PDF",
        ]
        let record = BibliographicRecord(key: "k", type: "article", fields: fields, location: SourceLocation(file: "in.bib"))
        let text = BibTeXWriter.write([record])
        XCTAssertTrue(text.contains("  doi = {10.6688/jise.202501\\_41},"), text)
        XCTAssertTrue(text.contains("  url = {https://example.org/~u/a_b%20c--d},"), text)
        XCTAssertTrue(text.contains("  file = {:C\\:/papers/a_b.pdf:PDF},"), text)
        XCTAssertTrue(text.contains("  title = {A\\_b \\& c},"), text)
        let back = BibTeXParser().parse(text, file: "out.bib")
        XCTAssertEqual(back.records.first?.fields, fields)
        XCTAssertEqual(back.warnings, [])
    }

    func testRepeatedKeysInAnExportAreDisambiguatedWithANote() {
        let records = ["Smith2020", "smith2020", "Smith2020"].enumerated().map { index, key in
            BibliographicRecord(key: key, type: "article", fields: ["title": "T\(index)"], location: SourceLocation(file: "x.bib", line: index + 1))
        }
        let export = BibTeXWriter.export(records)
        let back = BibTeXParser().parse(export.text, file: "out.bib")
        XCTAssertEqual(back.records.map(\.key), ["Smith2020", "smith2020-2", "Smith2020-3"])
        XCTAssertEqual(back.warnings, [])
        XCTAssertEqual(export.notes.count, 2)
        XCTAssertTrue(export.notes[0].contains("'smith2020' of x.bib#smith2020 is used again; written as 'smith2020-2'"), export.notes[0])
    }

    func testRepeatedKeysOnImportAreKeptAsRecordsWithANote() {
        let result = parse("@article{2025, title = {A}}\n@article{2025, title = {B}}\n@article{2025, title = {C}}\n")
        XCTAssertEqual(result.records.map(\.key), ["2025", "2025-2", "2025-3"])
        XCTAssertEqual(Set(result.records.map(\.recordID)).count, 3, "counts are of records, not keys")
        XCTAssertEqual(result.warnings.map(\.severity), [.note, .note])
    }
}
