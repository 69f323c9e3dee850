import Foundation
@testable import Reports
import TestSupport
import XCTest

/// Compiles the renderer's output with pdflatex, when it is installed (CI installs
/// texlive-latex-recommended and texlive-latex-extra), the way a paper would use it.
///
/// The preambles declare no Unicode characters: the renderer writes pure ASCII, so a `≥`, an
/// `α` or an emoji in a claim can never stop the compile. `\tracinglostchars=2` logs any
/// character a font lacks, which the tests then reject, and an overfull box means the table ran
/// past the margin.
final class LaTeXCompileTests: XCTestCase {
    static let fragmentDocument = #"""
        \documentclass{article}
        \usepackage{booktabs}
        \usepackage{tabularx}
        \tracinglostchars=2
        \begin{document}
        \begin{table}
        \centering
        \caption{The hostile table}
        \input{hostile.tex}
        \end{table}
        \begin{table}
        \centering
        \caption{The hostile table without wrapping columns}
        \input{plain.tex}
        \end{table}
        \end{document}

        """#

    func testGoldenLaTeXCompilesWithPdflatex() throws {
        let golden = try XCTUnwrap(Bundle.module.url(forResource: "hostile", withExtension: "tex", subdirectory: "Golden"))
        var plain = Fixtures.hostile
        for index in plain.columns.indices {
            plain.columns[index].wraps = false
        }
        let log = try Self.compile(Self.fragmentDocument, files: [
            "hostile.tex": try String(contentsOf: golden, encoding: .utf8),
            "plain.tex": LaTeXRenderer(wrapLongerThan: 1000).render(plain),
        ])
        XCTAssertFalse(log.contains("Missing character"), "a character has no glyph:\n\(log.suffix(3000))")
        XCTAssertFalse(log.contains("Undefined control sequence"))
    }

    /// Every layout of the hostile table, and a table of every character the mapping knows, in a
    /// document whose preamble loads only the packages the output's first line names.
    func testHostileStringsCompileInEveryLayout() throws {
        var body = ""
        var files: [String: String] = [:]
        for layout in LaTeXRenderer.Layout.allCases {
            let name = "hostile-\(layout == .tableStar ? "star" : layout.rawValue).tex"
            files[name] = LaTeXRenderer(layout: layout, label: "tab:hostile-\(layout == .tableStar ? "star" : layout.rawValue)").render(Fixtures.hostile)
            body += layout == .fragment ? "\\begin{table}\\input{\(name)}\\end{table}\n" : "\\input{\(name)}\n"
        }
        files["symbols.tex"] = LaTeXRenderer(layout: .table).render(Self.everySymbol)
        body += "\\input{symbols.tex}\n"
        let document = """
            \\documentclass[a4paper]{article}
            \\usepackage{booktabs}
            \\usepackage{xltabular}
            \\tracinglostchars=2
            \\begin{document}
            See Table~\\ref{tab:hostile-table}.
            \(body)\\end{document}

            """
        let log = try Self.compile(document, files: files)
        XCTAssertFalse(log.contains("Missing character"), "a character has no glyph:\n\(log.suffix(3000))")
        XCTAssertFalse(log.contains("Undefined control sequence"), log.suffix(3000).description)
        XCTAssertFalse(log.contains("Command \\"), "a command is unavailable in the font encoding:\n\(log.suffix(3000))")
    }

    /// The demo matrix fits an A4 page with 2 cm margins (a `table` float at footnote size, about
    /// 125 characters wide) and a `table*` across a two-column A4 article; five chosen columns fit
    /// one column of it: no overfull box anywhere.
    func testDemoMatrixFitsAnA4PageAndAnArticleColumn() throws {
        let page = LaTeXRenderer(layout: .table, label: "tab:matrix", lineWidthInCharacters: 125)
        let rendering = page.renderReportingWarnings(Fixtures.demoMatrix)
        XCTAssertEqual(rendering.warnings, [])
        XCTAssertTrue(rendering.text.contains("\\cite{jones2024what,liang2024whats}"))
        let onePage = try Self.compile(Self.paper(options: "a4paper", preamble: "\\usepackage[margin=2cm]{geometry}", input: "matrix.tex"), files: ["matrix.tex": rendering.text])
        XCTAssertFalse(onePage.contains("Overfull \\hbox"), "the matrix runs past the margin:\n\(Self.overfull(onePage))")
        XCTAssertFalse(onePage.contains("Missing character"))

        let narrow = LaTeXRenderer(layout: .table, columns: ["id", "claim", "papers", "effect", "verdict"], lineWidthInCharacters: 55)
        let twoColumn = try Self.compile(Self.paper(options: "a4paper,twocolumn", input: "column.tex"),
                                         files: ["column.tex": narrow.render(Fixtures.demoMatrix)])
        XCTAssertFalse(twoColumn.contains("Overfull \\hbox"), "the chosen columns do not fit one column:\n\(Self.overfull(twoColumn))")

        let wide = LaTeXRenderer(layout: .tableStar)
        let spanning = try Self.compile(Self.paper(options: "a4paper,twocolumn", input: "wide.tex"),
                                        files: ["wide.tex": wide.render(Fixtures.demoMatrix)])
        XCTAssertFalse(spanning.contains("Overfull \\hbox"), "the matrix does not fit table*:\n\(Self.overfull(spanning))")
    }

    /// A paper that cites the demo's keys and inputs one table.
    static func paper(options: String, preamble: String = "", input: String) -> String {
        """
        \\documentclass[\(options)]{article}
        \(preamble)
        \\usepackage{booktabs}
        \\usepackage{tabularx}
        \\tracinglostchars=2
        \\begin{document}
        Text before the table.
        \\input{\(input)}
        \\begin{thebibliography}{9}
        \\bibitem{jones2024what} Jones et al. 2024.
        \\bibitem{liang2024whats} Liang et al. 2024.
        \\bibitem{jiang2023ptmtorrent} Jiang et al. 2023.
        \\bibitem{jiang2023empirical} Jiang et al. 2023.
        \\end{thebibliography}
        \\end{document}

        """
    }

    /// A one-column table holding each character `LaTeXText` maps, and some it cannot.
    static let everySymbol: ReportTable = {
        let samples = [
            "≥ ≤ ≠ ≈ ± × ÷ → ← ↔ ⇒ ∞ √ ∑ ∈ ∩ ∪ ¬ ∀ ∃ ∅ · • …",
            "α β γ δ ε ζ η θ ι κ λ μ ν ξ ο π ρ σ ς τ υ φ χ ψ ω Γ Δ Θ Λ Ξ Π Σ Υ Φ Ψ Ω Α Β",
            "– — ‘single’ “double” „low“ « guillemets » ‹ › a\u{00A0}b soft\u{00AD}hyphen",
            "café naïve Zürich Ångström Øresund Łódź Dvořák Gödel Erdős façade Ærø œuvre straße ı ǰ",
            "§ ¶ © ® ™ ° † ‡ ¡ ¿ £ ² ³ ½ ‰ µ − ′ ″",
            "e\u{0301} (combining) ǖ ṩ ą ę ị",
            "unmappable: 🔬 👩‍🔬 中文 ☃ \u{200D}\u{FE0F}",
        ]
        return ReportTable(title: "Every symbol", columns: [Column(key: "text", header: "Text", wraps: true)],
                           rows: samples.map { [Cell($0)] })
    }()

    /// The overfull-box lines of a log, for the failure message.
    static func overfull(_ log: String) -> String {
        log.components(separatedBy: "\n").enumerated().filter { $0.element.contains("Overfull") }
            .map { "\($0.element)" }.joined(separator: "\n")
    }

    /// Writes `files` and `paper.tex` into a fresh folder, runs pdflatex twice (for references)
    /// and returns the log; skips when pdflatex is not installed.
    static func compile(_ document: String, files: [String: String]) throws -> String {
        guard ExternalTool.locate("pdflatex") != nil else {
            throw XCTSkip("pdflatex is not on the PATH (apt-get install texlive-latex-recommended texlive-latex-extra); the LaTeX compile check was skipped")
        }
        let directory = FileManager.default.temporaryDirectory.appendingPathComponent("reports-latex-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: directory) }
        for (name, text) in files {
            try Data(text.utf8).write(to: directory.appendingPathComponent(name))
        }
        try Data(document.utf8).write(to: directory.appendingPathComponent("paper.tex"))
        var log = ""
        for _ in 0..<2 {
            let result = try ExternalTool.run(
                "pdflatex",
                arguments: ["-interaction=nonstopmode", "-halt-on-error", "-no-shell-escape", "paper.tex"],
                in: directory
            )
            log = (try? String(contentsOf: directory.appendingPathComponent("paper.log"), encoding: .utf8))
                ?? String(decoding: result.standardOutput, as: UTF8.self)
            XCTAssertEqual(result.status, 0, "pdflatex failed:\n\(log.suffix(3000))")
            XCTAssertTrue(FileManager.default.fileExists(atPath: directory.appendingPathComponent("paper.pdf").path))
        }
        return log
    }
}
