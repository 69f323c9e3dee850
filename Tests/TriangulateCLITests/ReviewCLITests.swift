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
            ["prisma"], ["next"], ["simulate"], ["show"],
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

        let next = try CLI.run(["paper", "screen", "--next", "--reviewer", "ana", "--once"], in: root)
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

    // MARK: Issue 13

    private struct Ran {
        var status: Int32
        var stdout: String
        var stderr: String
    }

    /// A study with the fixture's screening settings and its scopus.bib export imported.
    private func reviewStudy() throws -> StudyFixture {
        let fixture = try StudyFixture(self)
        try fixture.write("triangulate.yaml", ReviewFixture.settings)
        let export = fixture.root.deletingLastPathComponent().appendingPathComponent("scopus.bib")
        try ReviewFixture.export.write(to: export, atomically: true, encoding: .utf8)
        let imported = try CLI.run(["paper", "import", export.path, "--database", "scopus"], in: fixture.root)
        XCTAssertEqual(imported.status, 0, imported.stderr)
        return fixture
    }

    /// Runs the built binary with `input` as its standard input (a file, as a terminal user's
    /// typed answers arrive line by line).
    private func run(_ arguments: [String], in directory: URL, input: String) throws -> Ran {
        guard let executable = CLI.executable else { throw XCTSkip("the triangulate executable is not built") }
        return try runProcess(executable, arguments, in: directory, input: input)
    }

    private func runProcess(_ executable: URL, _ arguments: [String], in directory: URL, input: String) throws -> Ran {
        let scratch = try TestPaths.temporaryDirectory(for: self)
        let inputFile = scratch.appendingPathComponent("stdin"), outFile = scratch.appendingPathComponent("stdout"), errFile = scratch.appendingPathComponent("stderr")
        try input.write(to: inputFile, atomically: true, encoding: .utf8)
        try Data().write(to: outFile)
        try Data().write(to: errFile)
        let process = Process()
        process.executableURL = executable
        process.arguments = arguments
        process.currentDirectoryURL = directory
        process.standardInput = try FileHandle(forReadingFrom: inputFile)
        process.standardOutput = try FileHandle(forWritingTo: outFile)
        process.standardError = try FileHandle(forWritingTo: errFile)
        try process.run()
        process.waitUntilExit()
        return Ran(status: process.terminationStatus, stdout: try String(contentsOf: outFile, encoding: .utf8),
                          stderr: try String(contentsOf: errFile, encoding: .utf8))
    }

    func testTheScreeningLoopRecordsEachAnswerUndoesAndQuits() throws {
        let fixture = try reviewStudy()
        // Include, then an unknown criterion (asked again), exclude, undo that, skip, then quit.
        let output = try run(["paper", "screen", "--next", "--reviewer", "ana"], in: fixture.root,
                             input: "i\ne E9\ne E2 preprint\nu\ns\nq\n")
        XCTAssertEqual(output.status, 0, output.stderr)
        XCTAssertTrue(output.stdout.contains("Recorded: include · 1/4 screened, 1 included"), output.stdout)
        XCTAssertTrue(output.stdout.contains("No exclusion criterion 'E9'"), output.stdout)
        XCTAssertTrue(output.stdout.contains("Recorded: exclude E2 · 2/4 screened, 1 included"), output.stdout)
        XCTAssertTrue(output.stdout.contains("Undone: "), output.stdout)
        XCTAssertTrue(output.stdout.contains("Stopped: 1/4 screened, 1 included."), output.stdout)
        XCTAssertFalse(output.stdout.contains("\u{1B}["), "no colours when stdout is not a terminal")
        let file = try fixture.read("corpus/literature/screening/ana.csv")
        XCTAssertEqual(file.split(separator: "\n").count, 2, file)
        XCTAssertTrue(file.contains(",title-abstract,include,,"), file)

        // The end of input stops the loop as well, keeping what was recorded.
        let more = try run(["paper", "screen", "--next", "--reviewer", "ana"], in: fixture.root, input: "m\n")
        XCTAssertEqual(more.status, 0, more.stderr)
        XCTAssertTrue(more.stdout.contains("Recorded: maybe · 2/4 screened, 1 included"), more.stdout)
        XCTAssertEqual(try fixture.read("corpus/literature/screening/ana.csv").split(separator: "\n").count, 3)
    }

    func testShowResolveAndStoppingStats() throws {
        let fixture = try reviewStudy()
        let root = fixture.root
        for reviewer in ["ana", "ben"] {
            XCTAssertEqual(try CLI.run(["paper", "screen", "smith2020reuse", "--include", "--reviewer", reviewer], in: root).status, 0)
        }
        let show = try CLI.run(["paper", "show", "smith2020reuse"], in: root)
        XCTAssertEqual(show.status, 0, show.stderr)
        for text in ["Reuse of Pre-Trained Models in Practice", "Smith, Jane; Doe, John", "EMSE, 2020", "doi: 10.1000/reuse",
                     "title-abstract\tana\tinclude", "We study how engineers"] {
            XCTAssertTrue(show.stdout.contains(text), "\(text) missing:\n\(show.stdout)")
        }
        let json = try CLI.run(["paper", "show", "scopus.bib#smith2020reuse", "--format", "json"], in: root)
        XCTAssertTrue(json.stdout.contains("\"doi\" : \"10.1000/reuse\""), json.stdout)
        let unknown = try CLI.run(["paper", "show", "nosuch2020"], in: root)
        XCTAssertNotEqual(unknown.status, 0)

        let resolve = try CLI.run(["paper", "resolve", "smith2020reuse", "--exclude", "E1", "--reviewer", "carla"], in: root)
        XCTAssertNotEqual(resolve.status, 0)
        XCTAssertTrue(resolve.stderr.contains("has no conflict at title-abstract"), resolve.stderr)
        XCTAssertFalse(FileManager.default.fileExists(atPath: root.appendingPathComponent("corpus/literature/screening/resolutions.csv").path))

        let stats = try CLI.run(["paper", "next", "--stats"], in: root)
        XCTAssertEqual(stats.status, 0, stats.stderr)
        XCTAssertTrue(stats.stdout.contains("1 screened, 1 relevant, 3 unscreened."), stats.stdout)
        XCTAssertTrue(stats.stdout.contains("No stopping rule is met: keep screening."), stats.stdout)
        let statsJSON = try CLI.run(["paper", "next", "--stats", "--format", "json", "--consecutive", "50"], in: root)
        XCTAssertTrue(statsJSON.stdout.contains("\"consecutive_irrelevant_needed\" : 50"), statsJSON.stdout)
        XCTAssertTrue(statsJSON.stdout.contains("\"estimated_relevant_remaining\""), statsJSON.stdout)
    }

    func testDecisionsFromAnotherToolAreImportedAllOrNothing() throws {
        let fixture = try reviewStudy()
        let root = fixture.root
        try fixture.write("rayyan.csv", """
            key,title,year,doi,notes
            1,Reuse of Pre-Trained Models in Practice,2020,10.1000/reuse,"RAYYAN-INCLUSION: {""Ana""=>""Included"", ""Ben""=>""Included""}"
            2,Model Cards and Documentation Quality,2021,,"RAYYAN-INCLUSION: {""Ana""=>""Excluded""} | RAYYAN-EXCLUSION-REASONS: wrong population"
            3,Crop Yields in Dry Farming,2019,,"RAYYAN-INCLUSION: {""Ana""=>""Excluded""} | RAYYAN-EXCLUSION-REASONS: Not software engineering"
            """)
        let rejected = try CLI.run(["paper", "screen", "--from", "rayyan.csv"], in: root)
        XCTAssertEqual(rejected.status, 1)
        XCTAssertTrue(rejected.stderr.contains("rayyan.csv:3:5: expected exclusion criteria defined in the settings (E1, E2), found 'wrong population'"), rejected.stderr)
        XCTAssertTrue(rejected.stderr.contains("so no decision was imported"), rejected.stderr)
        XCTAssertFalse(FileManager.default.fileExists(atPath: root.appendingPathComponent("corpus/literature/screening").path + "/ana.csv"))
        let report = try CLI.run(["paper", "screen", "--from", "rayyan.csv", "--report", "json"], in: root)
        XCTAssertEqual(report.status, 1)
        XCTAssertTrue(report.stdout.contains("\"imported\" : false"), report.stdout)

        let partial = try CLI.run(["paper", "screen", "--from", "rayyan.csv", "--format", "rayyan", "--partial"], in: root)
        XCTAssertEqual(partial.status, 0, partial.stderr)
        XCTAssertTrue(partial.stdout.contains("Imported 3 decisions from rayyan.csv (rayyan): ana 2, ben 1."), partial.stdout)
        XCTAssertTrue(try fixture.read("corpus/literature/screening/ana.csv").contains("imported from rayyan.csv:4 (rayyan)"))

        // A spreadsheet with a column per stage, named by options.
        try fixture.write("sheet.tsv", "DOI\tTitle\tYear\tTA\tWhy\n10.1000/reuse\tx\t2020\tyes\t\n")
        let sheet = try CLI.run(["paper", "screen", "--from", "sheet.tsv", "--format", "sheet", "--stage-column", "title-abstract=TA",
                                 "--reason-column", "Why", "--reviewer", "carla", "--report", "json"], in: root)
        XCTAssertEqual(sheet.status, 0, sheet.stderr)
        XCTAssertTrue(sheet.stdout.contains("\"matched_by_doi\" : 1"), sheet.stdout)

        // Round trip through --export into a fresh study gives the same PRISMA counts.
        let exported = try CLI.run(["paper", "screen", "--export", "--output", "decisions.csv"], in: root)
        XCTAssertEqual(exported.status, 0, exported.stderr)
        let fresh = try reviewStudy()
        try FileManager.default.copyItem(at: root.appendingPathComponent("decisions.csv"), to: fresh.root.appendingPathComponent("decisions.csv"))
        let back = try CLI.run(["paper", "screen", "--from", "decisions.csv"], in: fresh.root)
        XCTAssertEqual(back.status, 0, back.stderr)
        XCTAssertEqual(try CLI.run(["paper", "prisma", "--format", "json"], in: fresh.root).stdout,
                       try CLI.run(["paper", "prisma", "--format", "json"], in: root).stdout)
    }

    func testCSVExportsWithUserMappingsTabsAndLegacyEncodings() throws {
        let fixture = try reviewStudy()
        let root = fixture.root
        // Windows-1252: 0x96 is an en dash, 0xE9 is é.
        var bytes = Array("Document Title;Authors;Year;Summary\nCaf".utf8) + [0xE9] + Array(" models ".utf8) + [0x96] + Array(" a study;Doe J.;2022;About reuse\n".utf8)
        try Data(bytes).write(to: root.appendingPathComponent("legacy.csv"))
        let refused = try CLI.run(["paper", "import", "legacy.csv", "--map", "title=Document Title"], in: root)
        XCTAssertEqual(refused.status, 1)
        XCTAssertTrue(refused.stderr.contains("byte offset 39"), refused.stderr)
        XCTAssertTrue(refused.stderr.contains("--encoding windows-1252"), refused.stderr)
        let imported = try CLI.run(["paper", "import", "legacy.csv", "--map", "title=Document Title", "--map", "authors=Authors",
                                    "--map", "year=Year", "--map", "abstract=Summary", "--encoding", "windows-1252"], in: root)
        XCTAssertEqual(imported.status, 0, imported.stderr)
        let bib = try fixture.read("corpus/literature/legacy.bib")
        XCTAssertTrue(bib.contains("Café models – a study"), bib)
        XCTAssertTrue(bib.contains("About reuse"), bib)

        // A TSV export through a mapping file that starts from a preset.
        bytes = Array("Article Title\tAuthors\tPublication Year\tWhere\nA Tab Separated Paper\tRoe, R.\t2023\tTSE\n".utf8)
        try Data(bytes).write(to: root.appendingPathComponent("wos.tsv"))
        try fixture.write("wos-mapping.txt", "# Web of Science, venue in 'Where'\npreset = wos\njournal = Where\n")
        let tsv = try CLI.run(["paper", "import", "wos.tsv", "--mapping", "wos-mapping.txt"], in: root)
        XCTAssertEqual(tsv.status, 0, tsv.stderr)
        let wos = try fixture.read("corpus/literature/wos.bib")
        XCTAssertTrue(wos.contains("journal = {TSE}"), wos)
        let badMap = try CLI.run(["paper", "import", "wos.tsv", "--name", "x.bib", "--map", "colour=Where", "--mapping", "wos"], in: root)
        XCTAssertEqual(badMap.status, 1)
        XCTAssertTrue(badMap.stderr.contains("expected one of the fields"), badMap.stderr)
        XCTAssertTrue(try fixture.read("corpus/literature/imports.csv").contains("legacy.bib,,,legacy.csv,1"))
    }

    func testPRISMAAsLaTeXCompiles() throws {
        let fixture = try reviewStudy()
        let output = try CLI.run(["paper", "prisma", "--format", "latex", "--output", "prisma.tex"], in: fixture.root)
        XCTAssertEqual(output.status, 0, output.stderr)
        XCTAssertTrue(try fixture.read("prisma.tex").hasPrefix("\\documentclass[tikz"))
        let path = (ProcessInfo.processInfo.environment["PATH"] ?? "/usr/bin:/bin").split(separator: ":")
        guard let program = path.map({ URL(fileURLWithPath: String($0)).appendingPathComponent("pdflatex") })
            .first(where: { FileManager.default.isExecutableFile(atPath: $0.path) }) else {
            throw XCTSkip("pdflatex is not on the PATH; the compile check was skipped")
        }
        let pdflatex = try runProcess(program, ["-interaction=nonstopmode", "-halt-on-error", "prisma.tex"], in: fixture.root, input: "")
        XCTAssertEqual(pdflatex.status, 0, pdflatex.stdout)
        XCTAssertTrue(FileManager.default.fileExists(atPath: fixture.root.appendingPathComponent("prisma.pdf").path))
    }

    /// The examples of the new help texts that need no file of their own, on a copy of the demo study.
    func testNewExamplesRunOnTheDemoStudy() throws {
        let folder = try TestPaths.temporaryDirectory(for: self).appendingPathComponent("demo")
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        for item in ["triangulate.yaml", "corpus", "codebooks"] {
            try FileManager.default.copyItem(at: TestPaths.repositoryRoot.appendingPathComponent(item), to: folder.appendingPathComponent(item))
        }
        for example in [["paper", "show", "jiang2023empirical"], ["paper", "show", "seed-papers.bib#jiang2023empirical", "--format", "json"],
                        ["paper", "next", "--stats"], ["paper", "next", "--stats", "--consecutive", "50", "--format", "json"],
                        ["paper", "prisma", "--format", "latex", "--output", "prisma.tex"], ["paper", "prisma", "--format", "json"],
                        ["paper", "screen", "--next", "--reviewer", "ana", "--once"], ["paper", "screen", "--export", "--output", "decisions.csv"]] {
            let output = try CLI.run(example, in: folder)
            XCTAssertEqual(output.status, 0, "\(example.joined(separator: " ")): \(output.stderr)")
        }
    }
}
