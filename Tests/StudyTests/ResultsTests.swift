import Foundation
import Reports
import Project
import Index
import Study
@testable import Claims
import TestSupport
import XCTest

/// Issue 14 end to end on the demo study: tidy matrix outputs, log-space p-values, figures,
/// `analyze turnover`, `test`, `report` and the matrix's new options.
final class ResultsTests: XCTestCase {
    func demo() throws -> (URL, ClaimMatrix) {
        let copy = try DemoStudyTests.copyDemo(for: self)
        let study = try Study(root: copy)
        let (index, _) = try StudyIndex.open(study)
        return (copy, try MatrixBuilder(study: study, index: index).build())
    }

    func testMatrixKeysAreSnakeCaseAndDataColumnsAreNumbers() throws {
        let (_, matrix) = try demo()
        let table = matrix.table()
        XCTAssertEqual(table.keysNotInSnakeCase(), [])
        let keys = table.columns.map(\.key)
        for key in ["p_raw", "alpha", "sided", "min_effect", "n_per_group", "descriptives", "query", "claim_verdict", "claim_rule", "error"] {
            XCTAssertTrue(keys.contains(key), key)
        }
        // Markdown shows none of the data-only columns.
        XCTAssertFalse(MarkdownRenderer().render(table).contains("Descriptives"))
        let c1 = try XCTUnwrap(matrix.rows.first { $0.metric?.id == "C1a" })
        let groups = try XCTUnwrap(c1.observations).samples
        XCTAssertEqual(groups.map(\.name), ["1", "0"])
        XCTAssertEqual(groups.map(\.values.count), [32111, 42859])
        XCTAssertEqual(SampleSummary(groups[0].values)?.median, 6)
        XCTAssertEqual(SampleSummary(groups[1].values)?.median, 0)
        XCTAssertEqual(matrix.claimVerdict(of: try XCTUnwrap(matrix.rows.first { $0.metric?.id == "C6a" })), .supported)
    }

    /// The two demo p-values that underflow to 0 get their log10 from log space, matching an
    /// independent computation (Fixtures/log_p_reference.py: mpmath for the binomial tail,
    /// SciPy's log_ndtr for Mann-Whitney's z).
    func testUnderflowedPValuesKeepTheirLog10() throws {
        let url = TestPaths.repositoryRoot.appendingPathComponent("Tests/StudyTests/Fixtures/log-p-reference.json")
        let reference = try JSONSerialization.jsonObject(with: Data(contentsOf: url)) as! [String: Any]
        let (_, matrix) = try demo()
        for key in ["C1/C1a", "C3/C3a"] {
            let row = try XCTUnwrap(matrix.rows.first { "\($0.claim.id)/\($0.metric?.id ?? "")" == key })
            let result = try XCTUnwrap(row.result)
            XCTAssertEqual(result.pValue, 0, key)
            let log10 = try XCTUnwrap(row.observations?.log10PValue(of: result, alternative: row.metric!.alternative), key)
            XCTAssertEqual(log10, (reference[key] as! NSNumber).doubleValue, accuracy: 1e-6, key)
        }
    }

    /// Where the p-value is representable, the log-space formulas agree with its logarithm.
    func testLogTailsAgreeWithRepresentablePValues() throws {
        let (_, matrix) = try demo()
        for id in ["C2a", "C4a", "C6a", "C6b"] {
            let row = try XCTUnwrap(matrix.rows.first { $0.metric?.id == id })
            var result = try XCTUnwrap(row.result)
            let direct = log10(result.pValue)
            result.pValue = 0
            let recomputed = try XCTUnwrap(row.observations?.log10PValue(of: result, alternative: row.metric!.alternative), id)
            XCTAssertEqual(recomputed, direct, accuracy: 1e-6 * abs(direct), id)
        }
        // Kendall's tau-b with many ties, where z is large enough for the asymptotic series.
        let study = try Study(root: try DemoStudyTests.copyDemo(for: self))
        let kendall = try QuickTest.metric(dataset: "hf-2022", query: "SELECT has_card AS x, downloads AS y FROM models WHERE rowid <= 32000",
                                           test: .kendall, expect: .positive, groups: nil, levels: nil, alpha: nil, minEffect: nil, p0: nil,
                                           threshold: nil, oneSided: false)
        // The signed-rank test likewise (downloads against descendants of 1,500 base models).
        let wilcoxon = try QuickTest.metric(dataset: "hf-descendants", query: "SELECT downloads AS x, descendants AS y FROM base_models WHERE rowid <= 1500",
                                            test: .wilcoxon, expect: .greater, groups: nil, levels: nil, alpha: nil, minEffect: nil, p0: nil,
                                            threshold: nil, oneSided: false)
        for metric in [kendall, wilcoxon] {
            let row = try XCTUnwrap(QuickTest(study: study).run(metric).rows.first)
            var result = try XCTUnwrap(row.result, row.reason ?? "")
            let direct = log10(result.pValue)
            XCTAssertLessThan(direct, -200, metric.test.rawValue)
            result.pValue = 0
            XCTAssertEqual(try XCTUnwrap(row.observations?.log10PValue(of: result, alternative: .twoSided)), direct, accuracy: 1e-6 * abs(direct),
                           metric.test.rawValue)
        }
        // SciPy 1.x: scipy.stats.norm.logsf(40), f.logsf(200, 3, 500), f.logsf(60, 2, 40), t.logsf(40, 100).
        XCTAssertEqual(LogTails.normal(40)! / log(10), -349.437006459, accuracy: 1e-6)
        XCTAssertEqual(LogTails.f(200, 3, 500)!, -194.53274136983012, accuracy: 1e-8)
        XCTAssertEqual(LogTails.f(60, 2, 40)!, -27.725887222397812, accuracy: 1e-8)
        XCTAssertEqual(LogTails.studentT(40, df: 100)!, -144.8549903072029, accuracy: 1e-8)
        XCTAssertEqual(LogTails.chiSquare(30, df: 2)!, -15, accuracy: 1e-9)
    }

    func testJSONLoadsWithPandasIntoOneNumericRowPerMetric() throws {
        let (_, matrix) = try demo()
        let folder = try TestPaths.temporaryDirectory(for: self)
        let file = folder.appendingPathComponent("matrix.json")
        try JSONRenderer().render(matrix.table()).write(to: file, atomically: true, encoding: .utf8)
        let script = TestPaths.repositoryRoot.appendingPathComponent("Tests/StudyTests/Fixtures/check_matrix_json.py")
        let process = Process()
        process.executableURL = URL(fileURLWithPath: "/usr/bin/env")
        process.arguments = ["python3", script.path, file.path]
        let out = Pipe()
        process.standardOutput = out
        process.standardError = FileHandle.nullDevice
        do { try process.run() } catch { throw XCTSkip("python3 is not available; the pandas check was skipped") }
        let data = out.fileHandleForReading.readDataToEndOfFile()
        process.waitUntilExit()
        if process.terminationStatus == 77 || process.terminationStatus == 127 { throw XCTSkip("pandas is not installed; the pandas check was skipped") }
        let text = String(decoding: data, as: UTF8.self)
        XCTAssertEqual(process.terminationStatus, 0, text)
        let summary = try JSONSerialization.jsonObject(with: data) as! [String: Any]
        XCTAssertEqual(summary["rows"] as? Int, 8)
        XCTAssertEqual(summary["tested"] as? Int, 6)
        XCTAssertLessThan((summary["min_log10_p"] as! NSNumber).doubleValue, -2000)
        XCTAssertGreaterThan(summary["descriptive_columns"] as! Int, 10)
    }

    func testHTMLMatrixHasAFigurePerTestedMetric() throws {
        let (_, matrix) = try demo()
        let table = matrix.table(figures: true)
        XCTAssertEqual(table.figures.count, 6)
        XCTAssertEqual(table.charts.first?.rows.compactMap(\.kind).count, 6)
        let latex = LaTeXRenderer().render(table)
        XCTAssertTrue(latex.contains("\\cite{jones2024what,liang2024whats}"), latex)
    }

    func testAnalyzeTurnoverReproducesTheNotes() throws {
        let (copy, _) = try demo()
        let output = try CLI.run(["analyze", "turnover", "turnover", "--k", "1000", "--order-by", "rank", "--format", "json"], in: copy)
        XCTAssertEqual(output.status, 0, output.stderr)
        let rows = (try JSONSerialization.jsonObject(with: Data(output.stdout.utf8)) as! [String: Any])["rows"] as! [[String: Any]]
        var ever: [String: Int] = [:]
        for row in rows {
            ever[row["registry"] as! String] = row["ever_in_top_k"] as? Int
            XCTAssertEqual((row["newcomers"] as! Int) + (row["returning"] as! Int) + (row["remained"] as! Int), row["top_k"] as! Int)
        }
        XCTAssertEqual(ever, ["npm": 1094, "pypi": 1123, "hf": 1498])
        XCTAssertEqual(rows.count, 10)
        let markdown = try CLI.run(["analyze", "turnover", "turnover", "--k", "1000", "--order-by", "rank"], in: copy)
        XCTAssertTrue(markdown.stdout.contains("npm: 1094 names ever in the top 1000 over 4 snapshots."), markdown.stdout)
        let html = try CLI.run(["analyze", "turnover", "turnover", "--order-by", "rank", "--format", "html"], in: copy)
        XCTAssertTrue(html.stdout.contains("Top-1000 turnover of turnover per snapshot"))
    }

    func testQuickTestPrintsWhatTheMatrixWould() throws {
        let (copy, matrix) = try demo()
        let text = try CLI.run(["test", "hf-descendants", "SELECT downloads AS x, descendants AS y FROM base_models", "--test", "spearman", "--expect", "positive"], in: copy)
        XCTAssertEqual(text.status, 0, text.stderr)
        XCTAssertTrue(text.stdout.contains("rho = 0.419 [0.391, 0.446]"), text.stdout)
        XCTAssertTrue(text.stdout.contains("verdict: supported"), text.stdout)
        let json = try CLI.run(["test", "hf-2022", "SELECT has_card AS grp, downloads AS value FROM models", "--test", "mann-whitney",
                                "--expect", "greater", "--groups", "1", "--groups", "0", "--min-effect", "0.1", "--format", "json"], in: copy)
        XCTAssertEqual(json.status, 0, json.stderr)
        let row = ((try JSONSerialization.jsonObject(with: Data(json.stdout.utf8)) as! [String: Any])["rows"] as! [[String: Any]])[0]
        let statistic = row["statistic"] as! [String: Any]
        XCTAssertEqual(statistic["value"] as? Double, matrix.rows.first { $0.metric?.id == "C1a" }?.result?.statistic)
        XCTAssertEqual(row["verdict"] as? String, "supported")
        let wrong = try CLI.run(["test", "hf-2022", "SELECT 1 AS x", "--test", "spearman"], in: copy)
        XCTAssertEqual(wrong.status, 1)
        XCTAssertTrue(wrong.stderr.contains("expects the query to return columns x, y"), wrong.stderr)
        let misuse = try CLI.run(["test", "hf-2022", "SELECT has_card AS grp, downloads AS value FROM models", "--test", "mann-whitney"], in: copy)
        XCTAssertEqual(misuse.status, 1)
        XCTAssertTrue(misuse.stderr.contains("groups"), misuse.stderr)
    }

    func testMatrixColumnsLaTeXOptionsAndCSVProvenance() throws {
        let (copy, _) = try demo()
        let columns = try CLI.run(["matrix", "--format", "csv", "--columns", "id,verdict,p_raw,p_adjusted", "--provenance"], in: copy)
        XCTAssertEqual(columns.status, 0, columns.stderr)
        XCTAssertTrue(columns.stdout.hasPrefix("id,verdict,p_raw.log10,p_raw.value,p_adjusted\r\n"), columns.stdout)
        XCTAssertTrue(columns.stdout.contains("# correction: holm"), columns.stdout)
        let unknown = try CLI.run(["matrix", "--columns", "id,nope"], in: copy)
        XCTAssertEqual(unknown.status, 1)
        XCTAssertTrue(unknown.stderr.contains("there is no column 'nope'; the columns are: id, claim"), unknown.stderr)
        let sidecar = try CLI.run(["matrix", "--format", "csv", "--output", "out/matrix.csv"], in: copy)
        XCTAssertEqual(sidecar.status, 0, sidecar.stderr)
        let provenance = try String(contentsOf: copy.appendingPathComponent("out/matrix.provenance.json"), encoding: .utf8)
        XCTAssertTrue(provenance.contains("\"correction\": \"holm\""), provenance)
        XCTAssertFalse(try String(contentsOf: copy.appendingPathComponent("out/matrix.csv"), encoding: .utf8).contains("#"))
        let latex = try CLI.run(["matrix", "--format", "latex", "--layout", "table", "--caption", "Claims", "--label", "tab:matrix"], in: copy)
        XCTAssertTrue(latex.stdout.contains("\\caption{Claims}") && latex.stdout.contains("\\label{tab:matrix}"), latex.stdout)
        let misuse = try CLI.run(["matrix", "--layout", "table"], in: copy)
        XCTAssertEqual(misuse.status, 64)
    }

    func testNewCommandsHaveHelpWithARunnableExample() throws {
        let (copy, _) = try demo()
        for command in [["test"], ["report"], ["analyze", "turnover"]] {
            let help = try CLI.run(command + ["--help"], in: copy)
            XCTAssertEqual(help.status, 0)
            // Lines ending in a backslash continue on the next, as in a shell.
            let lines = help.stdout.replacingOccurrences(of: "\\\n", with: " ").split(separator: "\n")
            let examples = lines.map { $0.split(separator: " ", omittingEmptySubsequences: true).joined(separator: " ") }
                .filter { $0.hasPrefix("triangulate \(command.joined(separator: " "))") }
            XCTAssertFalse(examples.isEmpty, help.stdout)
            for example in examples {
                let arguments = try Self.shellWords(String(example.dropFirst("triangulate ".count)))
                let run = try CLI.run(arguments, in: copy)
                XCTAssertEqual(run.status, 0, "\(example): \(run.stderr)")
            }
        }
    }

    /// Splits a help example into arguments: spaces separate, double quotes group.
    static func shellWords(_ line: String) throws -> [String] {
        var words: [String] = [], current = "", quoted = false, started = false
        for character in line {
            if character == "\"" { quoted.toggle(); started = true; continue }
            if character == " " && !quoted {
                if started { words.append(current) }
                current = ""; started = false
                continue
            }
            current.append(character); started = true
        }
        if started { words.append(current) }
        return words
    }
}

extension DemoStudyTests {
    /// A copy of the demo study for `test`, so tests never write into the repository.
    static func copyDemo(for test: XCTestCase) throws -> URL {
        let root = TestPaths.repositoryRoot
        let copy = try TestPaths.temporaryDirectory(for: test).appendingPathComponent("demo")
        try FileManager.default.createDirectory(at: copy, withIntermediateDirectories: true)
        for item in ["triangulate.yaml", "codebooks", "corpus"] {
            try FileManager.default.copyItem(at: root.appendingPathComponent(item), to: copy.appendingPathComponent(item))
        }
        return copy
    }
}
