@testable import Reports
import XCTest

final class LaTeXRendererTests: XCTestCase {
    private func escape(_ text: String) -> String {
        LaTeXRenderer.escape(text, lineBreak: " ")
    }

    func testSymbolsBecomeMacrosPdflatexKnows() {
        XCTAssertEqual(escape("n ≥ 1,000 and p ≤ α"), "n \\ensuremath{\\geq} 1,000 and p \\ensuremath{\\leq} \\ensuremath{\\alpha}")
        XCTAssertEqual(escape("± × → Δ ρ"), "\\ensuremath{\\pm} \\ensuremath{\\times} \\ensuremath{\\rightarrow} \\ensuremath{\\Delta} \\ensuremath{\\rho}")
        XCTAssertEqual(escape("a – b — c"), "a \\textendash{} b \\textemdash{} c")
        XCTAssertEqual(escape("“it’s” ‘x’"), "\\textquotedblleft{}it\\textquoteright{}s\\textquotedblright{} \\textquoteleft{}x\\textquoteright{}")
        XCTAssertEqual(escape("…\u{00A0}§"), "\\ldots{}~\\S{}")
    }

    func testAccentedLettersAreDecomposedIntoAccentMacros() {
        XCTAssertEqual(escape("café naïve Erdős Dvořák"), "caf\\'{e} na\\\"{\\i}ve Erd\\H{o}s Dvo\\v{r}\\'{a}k")
        XCTAssertEqual(escape("e\u{0301}"), "\\'{e}", "a combining accent is composed first")
        XCTAssertEqual(escape("ǖ"), "\\={\\\"{u}}", "stacked accents nest: u, diaeresis, macron")
        XCTAssertEqual(escape("straße Øre Łódź"), "stra\\ss{}e \\O{}re \\L{}\\'{o}d\\'{z}")
        XCTAssertEqual(escape("ça"), "\\c{c}a")
    }

    func testUnmappableCharactersBecomePlaceholdersAndWarnings() {
        let table = ReportTable(title: "T ☃", columns: [Column(key: "c", header: "C")], rows: [[Cell("x 🔬 中")]], notes: ["n 👩‍🔬"])
        let rendering = LaTeXRenderer(layout: .table).renderReportingWarnings(table)
        XCTAssertTrue(rendering.text.contains("x \\texttt{[U+1F52C]} \\texttt{[U+4E2D]}"))
        XCTAssertFalse(rendering.text.contains("U+200D"), "the zero-width joiner is invisible and dropped")
        XCTAssertEqual(rendering.warnings.map(\.location), ["caption", "row 1, column 'c'", "note 1"])
        XCTAssertEqual(rendering.warnings[1].description, "row 1, column 'c': U+1F52C, U+4E2D have no pdflatex equivalent; shown as [U+…] placeholders")
        for line in rendering.text.split(separator: "\n") where !line.hasPrefix("%") {
            XCTAssertTrue(line.unicodeScalars.allSatisfy(\.isASCII), "not ASCII: \(line)")
        }
    }

    func testCitationCellsAreCitedAndBadKeysShownAsText() {
        let table = ReportTable(columns: [Column(key: "papers")], rows: [
            [Cell(text: "2: a2024, b:c-1", value: .null, citations: ["a2024", "b:c-1"])],
            [Cell(text: "1: bad key", value: .null, citations: ["bad key"])],
        ])
        let rendering = LaTeXRenderer(citeCommand: "citep").renderReportingWarnings(table)
        XCTAssertTrue(rendering.text.contains("\\citep{a2024,b:c-1} \\\\"))
        XCTAssertTrue(rendering.text.contains("1: bad key \\\\"))
        XCTAssertEqual(rendering.warnings, [LaTeXWarning(location: "row 2, column 'papers'", message: "citation key 'bad key' cannot be cited; the cell's text is shown")])
        XCTAssertEqual(MarkdownRenderer().render(table).contains("2: a2024, b:c-1"), true, "other formats show the text")
    }

    func testColumnsAreChosenAndOrderedAndDataOnlyColumnsHidden() throws {
        let table = ReportTable(columns: [Column(key: "a", header: "A"), Column(key: "b", header: "B"),
                                          Column(key: "q", header: "Q", role: .dataOnly)],
                                rows: [["1", "2", "SELECT"]])
        XCTAssertTrue(LaTeXRenderer().render(table).contains("A & B \\\\\n\\midrule\n1 & 2 \\\\"))
        XCTAssertFalse(MarkdownRenderer().render(table).contains("SELECT"))
        XCTAssertFalse(HTMLRenderer().render(table).contains("SELECT"))
        let chosen = LaTeXRenderer(columns: ["q", "a", "zz"]).renderReportingWarnings(table)
        XCTAssertTrue(chosen.text.contains("Q & A \\\\\n\\midrule\nSELECT & 1 \\\\"))
        XCTAssertEqual(chosen.warnings.map(\.location), ["columns"])
        XCTAssertThrowsError(try table.selectingColumns(["a", "zz"])) { error in
            XCTAssertEqual(error as? ReportsError, .unknownColumn("zz", available: ["a", "b", "q"]))
            XCTAssertEqual("\(error)", "there is no column 'zz'; the columns are: a, b, q")
        }
        XCTAssertThrowsError(try table.selectingColumns(["a", "a"]))
        XCTAssertEqual(try table.selectingColumns(["b"]).rows, [["2"]])
    }

    func testFloatLayoutsCarryCaptionAndLabel() {
        let table = ReportTable(title: "Matrix ≥", columns: [Column(key: "a", header: "A")], rows: [["1"]], notes: ["n"])
        let float = LaTeXRenderer(layout: .table, label: "tab:m").render(table)
        XCTAssertTrue(float.contains("\\begin{table}\n\\centering\n\\footnotesize\\setlength{\\tabcolsep}{4pt}\n\\caption{Matrix \\ensuremath{\\geq}}\\label{tab:m}\n\\begin{tabular}"))
        XCTAssertTrue(float.contains("\\end{tabular}\n\\par\\smallskip\n{\\footnotesize\nn\\par\n}\n\\end{table}\n"))
        let star = LaTeXRenderer(layout: .tableStar, caption: "Own caption").render(table)
        XCTAssertTrue(star.contains("\\begin{table*}") && star.contains("\\caption{Own caption}\n") && star.contains("\\end{table*}"))
        let long = LaTeXRenderer(layout: .long, label: "tab:l").render(table)
        XCTAssertTrue(long.hasPrefix("% Requires \\usepackage{booktabs} and \\usepackage{xltabular};"))
        XCTAssertTrue(long.contains("\\begin{xltabular}{\\linewidth}{@{}l@{}}\n\\caption{Matrix \\ensuremath{\\geq}}\\label{tab:l}\\\\\n\\toprule\nA \\\\\n\\midrule\n\\endfirsthead"))
        XCTAssertTrue(long.contains("\\endlastfoot\n1 \\\\\n\\end{xltabular}"))
        let fragment = LaTeXRenderer(label: "tab:x").render(table)
        XCTAssertTrue(fragment.contains("% Title: Matrix ≥") && !fragment.contains("\\caption"), "a fragment leaves the caption to the author's float")
        let badLabel = LaTeXRenderer(layout: .table, label: "tab m}").renderReportingWarnings(table)
        XCTAssertFalse(badLabel.text.contains("\\label"))
        XCTAssertEqual(badLabel.warnings.map(\.location), ["label"])
    }

    func testLongColumnsWrapAndShareTheWidth() {
        let rendering = LaTeXRenderer(layout: .table).renderReportingWarnings(Fixtures.demoMatrix)
        let specification = rendering.text.components(separatedBy: "\n").first { $0.hasPrefix("\\begin{tabularx}") } ?? ""
        XCTAssertTrue(specification.hasPrefix("\\begin{tabularx}{\\linewidth}{@{}l>{\\hsize="), specification)
        XCTAssertEqual(specification.components(separatedBy: "X").count - 1, 5, "claim, papers, metric, statistic and effect wrap")
        XCTAssertEqual(rendering.warnings.map(\.location), ["table"], "ten columns do not fit an article's text width")
        XCTAssertEqual(LaTeXRenderer(layout: .tableStar).renderReportingWarnings(Fixtures.demoMatrix).warnings, [])
    }
}
