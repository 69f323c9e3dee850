import Foundation
import TestSupport
import XCTest

/// The command line as a researcher meets it: exit codes, stdout and stderr.
final class CLITests: XCTestCase {
    func testEveryCommandHasHelpWithAnExample() throws {
        let folder = try TestPaths.temporaryDirectory(for: self)
        let commands = [["init"], ["status"], ["transcript", "import"], ["transcript", "list"], ["transcript", "show"],
                        ["transcript", "check-names"], ["codebook", "show"], ["codebook", "import"], ["codebook", "export"],
                        ["code", "add"], ["code", "rename"], ["code", "move"], ["code", "merge"], ["code", "remove"],
                        ["tag"], ["untag"], ["excerpts"], ["analyze", "matrix"], ["analyze", "cooccurrence"], ["analyze", "saturation"],
                        ["agreement"], ["paper", "import"], ["paper", "list"], ["paper", "search", "add"], ["paper", "dedupe"], ["paper", "screen"],
                        ["paper", "conflicts"], ["paper", "resolve"], ["paper", "agreement"], ["paper", "snowball", "add"],
                        ["paper", "extract"], ["paper", "extract", "export"], ["paper", "prisma"], ["paper", "next"], ["paper", "simulate"], ["claim", "add"], ["claim", "list"], ["claim", "show"],
                        ["dataset", "import"], ["dataset", "attach"], ["dataset", "list"], ["dataset", "describe"],
                        ["dataset", "query"], ["matrix"]]
        for command in commands {
            let output = try CLI.run(command + ["--help"], in: folder)
            XCTAssertEqual(output.status, 0, command.joined(separator: " "))
            XCTAssertTrue(output.stdout.contains("triangulate \(command.joined(separator: " "))") && output.stdout.contains("Example"),
                          "\(command.joined(separator: " ")) --help has no example:\n\(output.stdout)")
        }
    }

    func testTourFromInitToMatrix() throws {
        let folder = try TestPaths.temporaryDirectory(for: self)
        XCTAssertEqual(try CLI.run(["init", "tour", "--title", "Tour"], in: folder).status, 0)
        let study = folder.appendingPathComponent("tour")
        let fixture = try StudyFixture(self)
        for path in ["codebooks/reuse.yaml", "corpus/transcripts/P01.txt", "corpus/datasets/toy/toy.csv"] {
            let target = study.appendingPathComponent(path)
            try FileManager.default.createDirectory(at: target.deletingLastPathComponent(), withIntermediateDirectories: true)
            try FileManager.default.copyItem(at: fixture.root.appendingPathComponent(path), to: target)
        }
        let tag = try CLI.run(["tag", "P01#2", "selection/popularity", "--coder", "ana", "--quote", "downloads first"], in: study)
        XCTAssertEqual(tag.status, 0, tag.stderr)
        let imported = try CLI.run(["dataset", "import", "toy", "corpus/datasets/toy/toy.csv"], in: study)
        XCTAssertEqual(imported.status, 0, imported.stderr)
        XCTAssertTrue(imported.stdout.contains("Imported 40 rows into toy.toy"), imported.stdout)
        let added = try CLI.run(["claim", "add", "C1", "--statement", "x and y rise together.", "--code", "selection",
                                 "--dataset", "toy", "--test", "spearman", "--expect", "positive", "--query", "SELECT x, y FROM toy"], in: study)
        XCTAssertEqual(added.status, 0, added.stderr)
        let matrix = try CLI.run(["matrix", "--format", "csv"], in: study.appendingPathComponent("corpus"))
        XCTAssertEqual(matrix.status, 0, matrix.stderr)
        XCTAssertTrue(matrix.stdout.contains("C1/C1a"), matrix.stdout)
        XCTAssertTrue(matrix.stdout.contains("supported"), matrix.stdout)
        let query = try CLI.run(["dataset", "query", "toy", "SELECT COUNT(*) AS n FROM toy", "--format", "json"], in: study)
        XCTAssertEqual(query.stdout, "[\n  {\"n\": 40}\n]\n")
    }

    func testMisuseAndFailureExitCodes() throws {
        let folder = try TestPaths.temporaryDirectory(for: self)
        let noStudy = try CLI.run(["status"], in: folder)
        XCTAssertEqual(noStudy.status, 1)
        XCTAssertTrue(noStudy.stderr.hasPrefix("error: no study found"), noStudy.stderr)
        XCTAssertEqual(noStudy.stdout, "")
        let misuse = try CLI.run(["tag", "P01-3", "x"], in: folder)
        XCTAssertEqual(misuse.status, 64, misuse.stderr)
        let fixture = try StudyFixture(self)
        let write = try CLI.run(["dataset", "query", "toy", "DELETE FROM toy"], in: fixture.root)
        XCTAssertEqual(write.status, 1)
        XCTAssertTrue(write.stderr.hasPrefix("error: "), write.stderr)
        try fixture.write("corpus/codings/ben.jsonl", "{\"transcript\": \"P01\"\n")
        let broken = try CLI.run(["matrix"], in: fixture.root)
        XCTAssertEqual(broken.status, 1)
        XCTAssertTrue(broken.stderr.contains("corpus/codings/ben.jsonl:1:1: expected one JSON object per line"), broken.stderr)
        XCTAssertEqual(broken.stdout, "", "nothing is printed when the matrix cannot be built")
    }

    func testRealNamesFromTheKeyAreNeverPrinted() throws {
        let fixture = try StudyFixture(self)
        let key = try TestPaths.temporaryDirectory(for: self).appendingPathComponent("names.csv")
        try "real,pseudonym\nRobin,Person A\n".write(to: key, atomically: true, encoding: .utf8)
        // Robin is P01's speaker: the turns and excerpts show the name, search snippets do not.
        for command in [["transcript", "show", "P01"], ["excerpts", "--code", "selection"]] {
            let output = try CLI.run(command, in: fixture.root, environment: ["TRIANGULATE_PSEUDONYM_KEY": key.path])
            XCTAssertEqual(output.status, 1, command.joined(separator: " "))
            XCTAssertEqual(output.stdout, "", command.joined(separator: " "))
            XCTAssertFalse(output.stderr.contains("Robin"), output.stderr)
        }
        XCTAssertEqual(try CLI.run(["transcript", "show", "P02"], in: fixture.root, environment: ["TRIANGULATE_PSEUDONYM_KEY": key.path]).status, 0)
        XCTAssertEqual(try CLI.run(["excerpts", "--search", "download*"], in: fixture.root, environment: ["TRIANGULATE_PSEUDONYM_KEY": key.path]).status, 0)
    }
}
