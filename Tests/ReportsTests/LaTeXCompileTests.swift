import Foundation
import Reports
import TestSupport
import XCTest

/// Compiles the golden LaTeX table (a `tabularx`) and the same table without wrapping columns (a
/// plain `tabular`) with pdflatex, when it is installed, the way a paper would use them: `\input`
/// inside a `table` float under the author's caption.
final class LaTeXCompileTests: XCTestCase {
    /// A minimal paper preamble. pdflatex's fonts have no emoji or Greek glyphs, so — as the
    /// renderer's documentation tells authors — the preamble declares the few such characters
    /// the hostile table uses; accented Latin letters and the em dash need nothing.
    /// `\tracinglostchars` logs any character a font lacks, which the test then rejects.
    static let document = #"""
        \documentclass{article}
        \usepackage{booktabs}
        \usepackage{tabularx}
        \DeclareUnicodeCharacter{1F52C}{[microscope]}
        \DeclareUnicodeCharacter{1F469}{[woman]}
        \DeclareUnicodeCharacter{200D}{}
        \DeclareUnicodeCharacter{03B1}{\ensuremath{\alpha}}
        \DeclareUnicodeCharacter{2192}{\ensuremath{\rightarrow}}
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
        guard ExternalTool.locate("pdflatex") != nil else {
            throw XCTSkip("pdflatex is not on the PATH; the LaTeX compile check was skipped")
        }
        let directory = try TestPaths.temporaryDirectory(for: self)
        let golden = try XCTUnwrap(Bundle.module.url(forResource: "hostile", withExtension: "tex", subdirectory: "Golden"))
        try FileManager.default.copyItem(at: golden, to: directory.appendingPathComponent("hostile.tex"))
        var plain = Fixtures.hostile
        for index in plain.columns.indices {
            plain.columns[index].wraps = false
        }
        try Data(LaTeXRenderer().render(plain).utf8).write(to: directory.appendingPathComponent("plain.tex"))
        try Data(Self.document.utf8).write(to: directory.appendingPathComponent("paper.tex"))

        let result = try ExternalTool.run(
            "pdflatex",
            arguments: ["-interaction=nonstopmode", "-halt-on-error", "-no-shell-escape", "paper.tex"],
            in: directory
        )
        let log = (try? String(contentsOf: directory.appendingPathComponent("paper.log"), encoding: .utf8))
            ?? String(decoding: result.standardOutput, as: UTF8.self)
        XCTAssertEqual(result.status, 0, "pdflatex failed:\n\(log.suffix(3000))")
        XCTAssertTrue(FileManager.default.fileExists(atPath: directory.appendingPathComponent("paper.pdf").path))
        XCTAssertFalse(log.contains("Missing character"), "a character has no glyph:\n\(log.suffix(3000))")
        XCTAssertFalse(log.contains("Undefined control sequence"))
    }
}
