import Foundation
import Index
import Project
import Qualitative
import Study
import TestSupport
import Transcripts
import XCTest

final class ProjectExchangeTests: XCTestCase {
    /// Copies the illustrative tutorial study (examples/tutorial: transcripts with turn and span
    /// codings by two coders) into a new folder. The demo study's codings are case-level, which
    /// REFI-QDA export does not carry yet.
    func demoStudy() throws -> URL {
        let root = try TestPaths.temporaryDirectory(for: self).appendingPathComponent("demo")
        let manager = FileManager.default
        for path in ["triangulate.yaml", "codebooks", "corpus/transcripts", "corpus/codings", "corpus/participants.csv"] {
            let target = root.appendingPathComponent(path)
            try manager.createDirectory(at: target.deletingLastPathComponent(), withIntermediateDirectories: true)
            try manager.copyItem(at: TestPaths.repositoryRoot.appendingPathComponent("examples/tutorial").appendingPathComponent(path), to: target)
        }
        return root
    }

    struct Snapshot: Equatable {
        var codes: [String]
        var turns: [String]
        var codings: [String]
        var participants: [String]
    }

    func snapshot(_ root: URL) throws -> Snapshot {
        let study = try Study(root: root)
        let manager = FileManager.default
        func files(_ folder: String) -> [URL] {
            ((try? manager.contentsOfDirectory(atPath: root.appendingPathComponent(folder).path)) ?? []).sorted()
                .map { root.appendingPathComponent(folder).appendingPathComponent($0) }
        }
        let participants = try ParticipantsFile.read(study.layout.participants, displayPath: "participants.csv")
        let codes = try files("codebooks").flatMap { try Codebook.read($0, displayPath: $0.lastPathComponent).codes }.map {
            [$0.id, $0.name, $0.definition ?? "", $0.include ?? "", $0.exclude ?? "", $0.examples.joined(separator: ";"),
             $0.color ?? "", "\($0.codable)"].joined(separator: "|")
        }
        let turns = try files("corpus/transcripts").flatMap { url in
            try TranscriptReader.read(url, displayPath: url.lastPathComponent, interviewerNames: Set(study.settings.interviewer),
                                      knownSpeakers: Set(participants.compactMap(\.pseudonym))).turns.map { "\(url.deletingPathExtension().lastPathComponent)|\($0.number)|\($0.speaker)|\($0.text)" }
        }
        let codings = try files("corpus/codings").flatMap { try CodingFile.read($0, displayPath: $0.lastPathComponent) }.map {
            [$0.transcript, "\($0.turn)", "\($0.start ?? -1)", "\($0.end ?? -1)", $0.quote ?? "", $0.code, $0.coder, $0.memo ?? "", $0.at ?? ""]
                .joined(separator: "|")
        }
        return Snapshot(codes: codes.sorted(), turns: turns.sorted(), codings: codings.sorted(),
                        participants: participants.map { ([$0.id, $0.pseudonym ?? ""] + $0.attributes.map { "\($0.name)=\($0.value)" }).joined(separator: "|") }.sorted())
    }

    /// `project export` then `project import` into a new study gives back the demo study.
    func testDemoStudyRoundTrips() throws {
        let demo = try demoStudy()
        let archive = demo.deletingLastPathComponent().appendingPathComponent("demo.qdpx")
        XCTAssertEqual(try ProjectExchange(study: try Study(root: demo)).exportProject(to: archive), [])
        let copy = demo.deletingLastPathComponent().appendingPathComponent("copy")
        try Study.initialize(at: copy, title: "Copy")
        try FileManager.default.removeItem(at: copy.appendingPathComponent("triangulate.yaml"))
        try FileManager.default.copyItem(at: demo.appendingPathComponent("triangulate.yaml"), to: copy.appendingPathComponent("triangulate.yaml"))
        let report = try ProjectExchange(study: try Study(root: copy)).importProject(archive, prefix: nil, positions: nil)
        XCTAssertEqual(report.entries.flatMap(\.omissions), [], report.text)
        XCTAssertEqual(try snapshot(copy), try snapshot(demo))
    }

    /// The real NVivo project goes into a study; a second import of it clashes and changes nothing.
    func testNVivoProjectGoesIntoAStudyAllOrNothing() throws {
        let project = try TestPaths.sharedData("qda/nvivo-vaccine-skepticism/oltas.qdpx")
        let fixture = try StudyFixture(self)
        let exchange = ProjectExchange(study: try fixture.study)
        let report = try exchange.importProject(project, prefix: "nvivo", positions: nil)
        XCTAssertEqual(report["codings"]?.imported, 97)
        let root = fixture.root
        let lines = try ["gergo", "floriansipos"].map { coder -> Int in
            let url = root.appendingPathComponent("corpus/codings/\(coder).jsonl")
            return FileManager.default.fileExists(atPath: url.path) ? try CodingFile.read(url, displayPath: coder).count : 0
        }
        XCTAssertEqual(lines.reduce(0, +), 97)
        let (index, _) = try StudyIndex.open(try fixture.study)
        XCTAssertEqual(try index.codes().count, 3 + 61, "the study's codes, the prefix and the project's 60")
        let before = try snapshot(root)
        XCTAssertThrowsError(try exchange.importProject(project, prefix: "nvivo", positions: nil)) { error in
            XCTAssertTrue(String(describing: error).contains("nothing was written"), "\(error)")
        }
        XCTAssertEqual(try snapshot(root), before)
    }
}

final class CodebookDialectExchangeTests: XCTestCase {
    /// ATLAS.ti 8.4 names its member `Project.qde`; `codebook import` finds it and keeps the sets.
    func testATLASCodebookImportsWithItsSets() throws {
        let project = try TestPaths.sharedData("qda/atlasti-8-standard-project/TestProject.qdpx")
        let fixture = try StudyFixture(self)
        let result = try CodebookExchange(study: try fixture.study).importCodebook(project, as: "atlas", replacing: false)
        XCTAssertEqual(result.codes, 14)
        let book = try Codebook.read(fixture.root.appendingPathComponent("codebooks/atlas.yaml"), displayPath: "atlas.yaml")
        XCTAssertEqual(book.sets.count, 16)
        XCTAssertEqual(book.codes.first { $0.name == "Coke::diet Coke" }?.color, "#966450")
        XCTAssertTrue(try CodebookExchange(study: try fixture.study).exportCodebook().contains("<Set guid=\"45280FA0-43D0-4890-8B2B-456B84EB4A25\" name=\"Breakfast food\">"))
    }
}

final class ProjectCommandTests: XCTestCase {
    func testProjectCommandsHaveHelpWithAnExample() throws {
        let folder = try TestPaths.temporaryDirectory(for: self)
        for command in [["project", "import"], ["project", "export"]] {
            let output = try CLI.run(command + ["--help"], in: folder)
            XCTAssertEqual(output.status, 0)
            XCTAssertTrue(output.stdout.contains("triangulate \(command.joined(separator: " "))") && output.stdout.contains("Example"), output.stdout)
        }
    }

    /// `project import --format json` prints the report; a broken archive fails with exit 1 and
    /// changes nothing.
    func testImportPrintsTheReportAndFailsCleanly() throws {
        let project = try TestPaths.sharedData("qda/atlasti-8-standard-project/TestProject.qdpx")
        let fixture = try StudyFixture(self)
        let output = try CLI.run(["project", "import", project.path, "--format", "json", "--prefix", "atlas"], in: fixture.root)
        XCTAssertEqual(output.status, 0, output.stderr)
        XCTAssertTrue(output.stdout.hasPrefix("{\"source\":\"TestProject.qdpx\",\"kinds\":["), output.stdout)
        XCTAssertTrue(output.stdout.contains("{\"kind\":\"codes\",\"found\":14,\"imported\":14"), output.stdout)
        let broken = fixture.root.deletingLastPathComponent().appendingPathComponent("broken.qdpx")
        try Data("PK not really".utf8).write(to: broken)
        let failed = try CLI.run(["project", "import", broken.path], in: fixture.root)
        XCTAssertEqual(failed.status, 1)
        XCTAssertTrue(failed.stderr.contains("does not open as one"), failed.stderr)
    }
}
