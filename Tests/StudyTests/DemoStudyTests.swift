import Foundation
import Reports
import Index
import Project
import Study
import TestSupport
import XCTest

/// The demo study shipped at the repository root: its matrix must match SciPy's numbers
/// (tools/demo/reference_matrix.py) and the committed golden Markdown.
final class DemoStudyTests: XCTestCase {
    /// A copy of the demo study, so the tests never write into the repository.
    func demoCopy() throws -> URL {
        let root = TestPaths.repositoryRoot
        let copy = try TestPaths.temporaryDirectory(for: self).appendingPathComponent("demo")
        try FileManager.default.createDirectory(at: copy, withIntermediateDirectories: true)
        for item in ["triangulate.yaml", "codebooks", "corpus"] {
            try FileManager.default.copyItem(at: root.appendingPathComponent(item), to: copy.appendingPathComponent(item))
        }
        return copy
    }

    func demoMatrix() throws -> ClaimMatrix {
        let study = try Study(root: try demoCopy())
        let (index, _) = try StudyIndex.open(study)
        return try MatrixBuilder(study: study, index: index).build()
    }

    func testNumbersMatchSciPy() throws {
        let url = TestPaths.repositoryRoot.appendingPathComponent("Tests/StudyTests/Fixtures/demo-reference.json")
        let reference = try JSONSerialization.jsonObject(with: Data(contentsOf: url)) as! [String: Any]
        let metrics = reference["metrics"] as! [String: [String: Any]]
        let matrix = try demoMatrix()
        let tested = matrix.rows.filter { $0.result != nil }
        XCTAssertEqual(tested.count, metrics.count)
        for row in tested {
            let key = "\(row.claim.id)/\(row.metric!.id)"
            let expected = try XCTUnwrap(metrics[key], "no SciPy reference for \(key)")
            let result = row.result!
            XCTAssertEqual(result.n, expected["n"] as! Int, key)
            for (name, actual) in [("statistic", result.statistic), ("p_value", result.pValue), ("effect", result.effect.value),
                                   ("lower", result.effect.interval!.lower), ("upper", result.effect.interval!.upper),
                                   ("p_adjusted", row.adjustedP!)] {
                let wanted = (expected[name] as! NSNumber).doubleValue
                let tolerance = max(1e-9 * abs(wanted), 1e-300)
                XCTAssertEqual(actual, wanted, accuracy: tolerance, "\(key) \(name)")
            }
        }
    }

    func testVerdictsAndInterviewColumn() throws {
        let matrix = try demoMatrix()
        let verdicts = Dictionary(uniqueKeysWithValues: matrix.rows.map { ($0.metric.map { "\($0.id)" } ?? $0.claim.id, $0.verdict) })
        XCTAssertEqual(verdicts["C1a"], .supported)
        XCTAssertEqual(verdicts["C2a"], .supported)
        XCTAssertEqual(verdicts["C3a"], .supported)
        XCTAssertEqual(verdicts["C4a"], .supported)
        XCTAssertEqual(verdicts["C6a"], .supported)
        XCTAssertEqual(verdicts["C6b"], .supported)
        XCTAssertEqual(matrix.claimVerdicts.map(\.claim), ["C6"])
        for untested in ["C5", "C7"] { XCTAssertEqual(verdicts[untested], .notTested, untested) }
        XCTAssertTrue(matrix.rows.allSatisfy { $0.participantCount == 12 }, "the 12 ICSE 2023 participants")
        XCTAssertTrue(matrix.rows.contains { !$0.supportingParticipants.isEmpty })
        XCTAssertEqual(matrix.warnings, [])
    }

    func testHTMLDrawsEveryIntervalOnce() throws {
        let html = HTMLRenderer().render(try demoMatrix().table())
        XCTAssertEqual(html.components(separatedBy: "<svg").count - 1, 1)
        XCTAssertEqual(html.components(separatedBy: "<circle").count - 1, try demoMatrix().rows.filter { $0.result?.effect.interval != nil }.count)
    }

    /// Set TRIANGULATE_UPDATE_GOLDEN=1 to rewrite the golden file after a deliberate change.
    func testMarkdownMatchesGolden() throws {
        let text = MarkdownRenderer().render(try demoMatrix().table())
        let golden = TestPaths.repositoryRoot.appendingPathComponent("Tests/StudyTests/Fixtures/demo-matrix.md")
        if ProcessInfo.processInfo.environment["TRIANGULATE_UPDATE_GOLDEN"] == "1" {
            try text.write(to: golden, atomically: true, encoding: .utf8)
            throw XCTSkip("golden file rewritten")
        }
        XCTAssertEqual(text, try String(contentsOf: golden, encoding: .utf8))
    }

    /// The acceptance check: the LaTeX matrix compiles inside a minimal document with
    /// booktabs (skipped where pdflatex is not installed).
    func testLaTeXCompilesWithPdflatex() throws {
        guard let pdflatex = ["/usr/bin/pdflatex", "/usr/local/bin/pdflatex"].first(where: FileManager.default.isExecutableFile) else {
            throw XCTSkip("pdflatex is not installed; the LaTeX compile check was skipped")
        }
        let folder = try TestPaths.temporaryDirectory(for: self)
        let table = LaTeXRenderer().render(try demoMatrix().table())
        let document = """
            \\documentclass{article}
            \\usepackage[T1]{fontenc}
            \\usepackage{booktabs,tabularx}
            \\begin{document}
            \(table)
            \\end{document}

            """
        try document.write(to: folder.appendingPathComponent("matrix.tex"), atomically: true, encoding: .utf8)
        let process = Process()
        process.executableURL = URL(fileURLWithPath: pdflatex)
        process.arguments = ["-interaction=nonstopmode", "-halt-on-error", "matrix.tex"]
        process.currentDirectoryURL = folder
        process.standardOutput = FileHandle.nullDevice
        process.standardError = FileHandle.nullDevice
        try process.run()
        process.waitUntilExit()
        let log = (try? String(contentsOf: folder.appendingPathComponent("matrix.log"), encoding: .utf8)) ?? ""
        XCTAssertEqual(process.terminationStatus, 0, log.split(separator: "\n").filter { $0.hasPrefix("!") }.joined(separator: "\n"))
        XCTAssertTrue(FileManager.default.fileExists(atPath: folder.appendingPathComponent("matrix.pdf").path))
    }
}
