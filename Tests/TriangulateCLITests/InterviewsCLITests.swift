import Foundation
import TestSupport
import XCTest

/// The ICSE 2023 figures as a researcher gets them from the command line on the demo study.
final class InterviewsCLITests: XCTestCase {
    /// A copy of the demo study's interview part and claims, so nothing is written into the repository.
    func demoCopy() throws -> URL {
        let copy = try TestPaths.temporaryDirectory(for: self).appendingPathComponent("demo")
        try FileManager.default.createDirectory(at: copy, withIntermediateDirectories: true)
        for item in ["triangulate.yaml", "codebooks", "corpus"] {
            try FileManager.default.copyItem(at: TestPaths.repositoryRoot.appendingPathComponent(item), to: copy.appendingPathComponent(item))
        }
        return copy
    }

    func csvColumn(_ csv: String, _ name: String) -> [String] {
        let lines = csv.split(whereSeparator: \.isNewline).map { $0.split(separator: ",", omittingEmptySubsequences: false).map(String.init) }
        guard let column = lines.first?.firstIndex(of: name) else { return [] }
        return lines.dropFirst().compactMap { $0.indices.contains(column) ? $0[column] : nil }
    }

    func testSaturationPrintsTheNotebooksFigures() throws {
        let demo = try demoCopy()
        let output = try CLI.run(["analyze", "saturation", "--by", "label", "--order", "date", "--format", "csv"], in: demo)
        XCTAssertEqual(output.status, 0, output.stderr)
        XCTAssertEqual(csvColumn(output.stdout, "cumulative"), ["12", "24", "28", "30", "34", "38", "42", "42", "43", "43", "43", "43"])
        XCTAssertEqual(csvColumn(output.stdout, "codes"), ["14", "13", "11", "11", "14", "11", "10", "9", "12", "8", "10", "13"])
        XCTAssertEqual(csvColumn(output.stdout, "new"), ["12", "12", "4", "2", "4", "4", "4", "0", "1", "0", "0", "0"])
        XCTAssertEqual(csvColumn(output.stdout, "transcript"), (1...12).map { String(format: "P%02d", $0) })
        let markdown = try CLI.run(["analyze", "saturation", "--by", "label", "--order", "date", "--plot", "curve.svg"], in: demo)
        XCTAssertTrue(markdown.stdout.contains("saturation at 7 interviews: interviews 8–9 add 1 new code"), markdown.stdout)
        XCTAssertTrue(FileManager.default.fileExists(atPath: demo.appendingPathComponent("curve.svg").path))
        let strict = try CLI.run(["analyze", "saturation", "--by", "label", "--order", "date", "--threshold", "0"], in: demo)
        XCTAssertTrue(strict.stdout.contains("saturation at 9 interviews"), strict.stdout)
        let byCode = try CLI.run(["analyze", "saturation", "--format", "csv"], in: demo)
        XCTAssertEqual(csvColumn(byCode.stdout, "cumulative").last, "45")
        let bad = try CLI.run(["analyze", "saturation", "--order", "P01,P02,P99"], in: demo)
        XCTAssertEqual(bad.status, 1)
        XCTAssertTrue(bad.stderr.contains("'P99' is not a participant"), bad.stderr)
        XCTAssertTrue(bad.stderr.contains("the order leaves out P03"), bad.stderr)
    }

    func testMatrixCountsAndInterviewColumn() throws {
        let demo = try demoCopy()
        let output = try CLI.run(["analyze", "matrix", "--presence", "--format", "csv"], in: demo)
        XCTAssertEqual(output.status, 0, output.stderr)
        var totals: [String: String] = [:]
        for line in output.stdout.split(whereSeparator: \.isNewline).dropFirst() {
            let fields = line.split(separator: ",").map(String.init)
            totals[fields[0]] = fields.last
        }
        XCTAssertEqual(totals["attribute/popularity"], "8")
        XCTAssertEqual(totals["attribute/hardware-specification"], "7")
        XCTAssertEqual(totals["challenge/missing-attributes"], "10")
        XCTAssertEqual(totals["challenge/discrepancies"], "9")
        XCTAssertEqual(totals["challenge/security-and-privacy-risks"], "2")
        let matrix = try CLI.run(["matrix"], in: demo)
        XCTAssertEqual(matrix.status, 0, matrix.stderr)
        XCTAssertTrue(matrix.stdout.contains("| 8/12 |"), matrix.stdout)
        XCTAssertTrue(matrix.stdout.contains("| 10/12 |"), matrix.stdout)
    }

    func testFrameworkShowReproducesMemosXlsx() throws {
        let demo = try demoCopy()
        let json = try CLI.run(["framework", "show", "--format", "json"], in: demo)
        XCTAssertEqual(json.status, 0, json.stderr)
        XCTAssertEqual(json.stderr, "", "the framework fits the study")
        let object = try JSONSerialization.jsonObject(with: Data(json.stdout.utf8)) as? [String: Any]
        let rows = object?["rows"] as? [[String: Any]] ?? []
        XCTAssertEqual(rows.count, 12)
        XCTAssertEqual(rows.first?.count, 30, "the participant and 29 themes")
        XCTAssertEqual(rows.first?["reuse_case"] as? String, "NLP, use a PTNN as a base")
        for format in ["text", "markdown", "latex", "csv", "html"] {
            let output = try CLI.run(["framework", "show", "icse-2023-framework", "--format", format], in: demo)
            XCTAssertEqual(output.status, 0, "\(format): \(output.stderr)")
            XCTAssertTrue(output.stdout.contains(format == "csv" ? "decision_making_process" : "Decision making process"), format)
        }
        // Importing the shipped sheet again gives the same file byte for byte.
        let path = demo.appendingPathComponent("corpus/frameworks/icse-2023-framework.yaml")
        let before = try String(contentsOf: path, encoding: .utf8)
        let again = try CLI.run(["framework", "import", "corpus/sources/icse23/Memos.xlsx", "--name", "ICSE 2023 framework", "--replace"], in: demo)
        XCTAssertEqual(again.status, 0, again.stderr)
        XCTAssertEqual(again.stdout, "Wrote corpus/frameworks/icse-2023-framework.yaml: 12 participants × 29 themes, 315 cells filled.\n")
        XCTAssertEqual(try String(contentsOf: path, encoding: .utf8), before)
        let refused = try CLI.run(["framework", "import", "corpus/sources/icse23/Memos.xlsx", "--name", "ICSE 2023 framework"], in: demo)
        XCTAssertEqual(refused.status, 1)
        let edit = try CLI.run(["framework", "edit", "P02", "reuse-case", "Language models as a base, then fine-tuned"], in: demo)
        XCTAssertEqual(edit.status, 0, edit.stderr)
        let after = try String(contentsOf: path, encoding: .utf8)
        XCTAssertTrue(after.contains("summary: \"Language models as a base, then fine-tuned\"") || after.contains("summary: Language models as a base, then fine-tuned"), after)
        let wrong = try CLI.run(["framework", "edit", "P13", "reuse-case", "x"], in: demo)
        XCTAssertEqual(wrong.status, 1)
        XCTAssertEqual(try String(contentsOf: path, encoding: .utf8), after, "a refused edit writes nothing")
    }

    func testParticipantImportOnTheDemoChangesNothingItAlreadyHas() throws {
        let demo = try demoCopy()
        let before = try String(contentsOf: demo.appendingPathComponent("corpus/participants.csv"), encoding: .utf8)
        let again = try CLI.run(["participant", "import", "corpus/sources/icse23/Demographic_Data.csv", "--id", "Participant"], in: demo)
        XCTAssertEqual(again.status, 0, again.stderr)
        XCTAssertTrue(again.stdout.contains("nothing was written"), again.stdout)
        let roles = try CLI.run(["participant", "import", "corpus/sources/icse23/Memos.xlsx", "--id", "Participant", "--columns", "Role"], in: demo)
        XCTAssertEqual(roles.status, 0, roles.stderr)
        XCTAssertEqual(try String(contentsOf: demo.appendingPathComponent("corpus/participants.csv"), encoding: .utf8), before)
        try "Participant,Company type\n2,Big tech\n".write(to: demo.appendingPathComponent("other.csv"), atomically: true, encoding: .utf8)
        let conflict = try CLI.run(["participant", "import", "other.csv", "--id", "Participant"], in: demo)
        XCTAssertEqual(conflict.status, 1)
        XCTAssertTrue(conflict.stderr.contains("other.csv:2:2: participant P02's Company type is 'Startup' in participants.csv, the file says 'Big tech'"), conflict.stderr)
        XCTAssertEqual(try String(contentsOf: demo.appendingPathComponent("corpus/participants.csv"), encoding: .utf8), before)
        XCTAssertEqual(try CLI.run(["participant", "import", "other.csv", "--id", "Participant", "--replace"], in: demo).status, 0)
        XCTAssertTrue(try String(contentsOf: demo.appendingPathComponent("corpus/participants.csv"), encoding: .utf8).contains("P02,2022-07-04,Interview-02-20220704.docx,Intermediate,Intermediate,5-10,Natural Language Processing,Big tech,"))
    }

    func testNewCommandsHaveHelpWithAnExample() throws {
        let folder = try TestPaths.temporaryDirectory(for: self)
        for command in [["framework"], ["framework", "import"], ["framework", "show"], ["framework", "edit"], ["participant"], ["participant", "import"]] {
            let output = try CLI.run(command + ["--help"], in: folder)
            XCTAssertEqual(output.status, 0, command.joined(separator: " "))
            XCTAssertTrue(output.stdout.contains("Example"), "\(command.joined(separator: " ")) --help has no example:\n\(output.stdout)")
        }
    }
}
