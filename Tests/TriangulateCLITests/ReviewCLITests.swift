import Foundation
import TestSupport
import XCTest

/// `triangulate paper …` as a researcher runs it.
final class ReviewCLITests: XCTestCase {
    func testEveryPaperCommandHasHelpWithAnExample() throws {
        let folder = try TestPaths.temporaryDirectory(for: self)
        let commands = [
            ["import"], ["search"], ["search", "add"], ["search", "list"], ["list"], ["dedupe"], ["screen"], ["conflicts"],
            ["resolve"], ["agreement"], ["snowball"], ["snowball", "add"], ["snowball", "list"], ["extract"], ["extract", "export"],
            ["prisma"], ["next"], ["simulate"],
        ]
        for command in commands {
            let output = try CLI.run(["paper"] + command + ["--help"], in: folder)
            XCTAssertEqual(output.status, 0, command.joined(separator: " "))
            XCTAssertTrue(output.stdout.contains("Example"), "paper \(command.joined(separator: " ")) --help has no example:\n\(output.stdout)")
        }
    }

    func testAReviewFromImportToIncludedBibTeX() throws {
        let fixture = try StudyFixture(self)
        try fixture.write("triangulate.yaml", ReviewFixture.settings)
        let export = fixture.root.deletingLastPathComponent().appendingPathComponent("scopus.bib")
        try ReviewFixture.export.write(to: export, atomically: true, encoding: .utf8)
        let root = fixture.root

        let imported = try CLI.run(["paper", "import", export.path, "--database", "scopus"], in: root)
        XCTAssertEqual(imported.status, 0, imported.stderr)
        XCTAssertTrue(imported.stdout.contains("Imported 3 records into corpus/literature/scopus.bib"), imported.stdout)
        XCTAssertTrue(imported.stderr.contains("scopus.bib:10:"), imported.stderr)
        // The same export again changes nothing (idempotent); another file under its name is refused.
        let again = try CLI.run(["paper", "import", export.path], in: root)
        XCTAssertEqual(again.status, 0, again.stderr)
        XCTAssertTrue(again.stdout.contains("already imported"), again.stdout)
        try (ReviewFixture.export + "\n% edited\n").write(to: export, atomically: true, encoding: .utf8)
        XCTAssertEqual(try CLI.run(["paper", "import", export.path], in: root).status, 1)
        try ReviewFixture.export.write(to: export, atomically: true, encoding: .utf8)

        let search = try CLI.run(["paper", "search", "add", "--database", "scopus", "--query", "reuse", "--date", "2025-09-05",
                                  "--file", "corpus/literature/scopus.bib", "--hits", "3"], in: root)
        XCTAssertEqual(search.status, 0, search.stderr)

        let next = try CLI.run(["paper", "screen", "--next", "--reviewer", "ana"], in: root)
        XCTAssertEqual(next.status, 0, next.stderr)
        XCTAssertTrue(next.stdout.contains("#"), next.stdout)

        for (record, reviewer, decision) in [("smith2020reuse", "ana", ["--include"]), ("smith2020reuse", "ben", ["--include"]),
                                             ("lee2021cards", "ana", ["--exclude", "E2"]), ("lee2021cards", "ben", ["--maybe"])] {
            let output = try CLI.run(["paper", "screen", record, "--reviewer", reviewer] + decision, in: root)
            XCTAssertEqual(output.status, 0, output.stderr)
        }
        let misuse = try CLI.run(["paper", "screen", "smith2020reuse", "--reviewer", "ana", "--include", "--maybe"], in: root)
        XCTAssertEqual(misuse.status, 64)

        let conflicts = try CLI.run(["paper", "conflicts", "--format", "json"], in: root)
        XCTAssertTrue(conflicts.stdout.contains("scopus.bib#lee2021cards"), conflicts.stdout)
        let agreement = try CLI.run(["paper", "agreement", "--stage", "title-abstract"], in: root)
        XCTAssertTrue(agreement.stdout.contains("Cohen's kappa"), agreement.stdout)

        XCTAssertEqual(try CLI.run(["paper", "screen", "smith2020reuse", "--stage", "full-text", "--include", "--reviewer", "ana"], in: root).status, 0)
        let included = try CLI.run(["paper", "list", "--status", "included", "--format", "bibtex"], in: root)
        XCTAssertEqual(included.status, 0, included.stderr)
        XCTAssertTrue(included.stdout.hasPrefix("@article{smith2020reuse,"), included.stdout)
        XCTAssertFalse(included.stdout.contains("lee2021cards"))

        let prisma = try CLI.run(["paper", "prisma", "--format", "json"], in: root)
        XCTAssertEqual(prisma.status, 0, prisma.stderr)
        XCTAssertTrue(prisma.stdout.contains("\"included\""), prisma.stdout)
        let svg = try CLI.run(["paper", "prisma", "--format", "svg", "--output", "prisma.svg"], in: root)
        XCTAssertEqual(svg.status, 0, svg.stderr)
        XCTAssertTrue(try fixture.read("prisma.svg").contains("<svg"))

        let ranked = try CLI.run(["paper", "next", "--format", "json", "--seed", "3"], in: root)
        XCTAssertEqual(ranked.stdout, try CLI.run(["paper", "next", "--format", "json", "--seed", "3"], in: root).stdout)
    }
}
