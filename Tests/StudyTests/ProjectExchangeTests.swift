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
        let codings = try files("corpus/codings").flatMap { try CodingFile.readRecords($0, displayPath: $0.lastPathComponent) }.map { record in
            switch record {
            case .text(let coding):
                return [coding.transcript, "\(coding.turn)", "\(coding.start ?? -1)", "\(coding.end ?? -1)", coding.quote ?? "", coding.code,
                        coding.coder, coding.memo ?? "", coding.at ?? ""].joined(separator: "|")
            case .participant(let coding):
                return ["case", coding.participant, coding.code, coding.coder].joined(separator: "|")
            }
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

/// Coders, case-level codings and the journal: an import is one change of the study.
final class ProjectImportChangeTests: XCTestCase {
    struct Killed: Error {}

    override func tearDown() {
        JournalFault.hook = nil
        super.tearDown()
    }

    /// Two users, a labelled source coded by one of them, and a case with two codes: a bare
    /// project XML (`.qde`), its text inline.
    func project(in folder: URL) throws -> URL {
        let xml = """
            <?xml version="1.0" encoding="utf-8"?>
            <Project xmlns="urn:QDA-XML:project:1.0" name="Ward" origin="Fixture">
              <Users><User guid="11111111-1111-4111-8111-111111111111" name="Zoe"/><User guid="11111111-1111-4111-8111-111111111112" name="Max"/></Users>
              <CodeBook><Codes>
                <Code guid="22222222-2222-4222-8222-222222222221" name="Cost" isCodable="true"/>
                <Code guid="22222222-2222-4222-8222-222222222222" name="Care" isCodable="true"/>
              </Codes></CodeBook>
              <Cases><Case guid="44444444-4444-4444-8444-444444444441" name="W1">
                <CodeRef targetGUID="22222222-2222-4222-8222-222222222221"/><CodeRef targetGUID="22222222-2222-4222-8222-222222222222"/>
                <SourceRef targetGUID="55555555-5555-4555-8555-555555555551"/>
              </Case></Cases>
              <Sources><TextSource guid="55555555-5555-4555-8555-555555555551" name="ward.txt"><PlainTextContent>Interviewer: What matters?\nAnn: The cost, always.\n</PlainTextContent>
                <PlainTextSelection guid="66666666-6666-4666-8666-666666666661" startPosition="36" endPosition="40">
                  <Coding guid="77777777-7777-4777-8777-777777777771" creatingUser="11111111-1111-4111-8111-111111111111"><CodeRef targetGUID="22222222-2222-4222-8222-222222222221"/></Coding>
                </PlainTextSelection>
              </TextSource></Sources>
            </Project>
            """
        let url = folder.appendingPathComponent("ward.qde")
        try Data(xml.utf8).write(to: url)
        return url
    }

    /// The users join `coders:` in triangulate.yaml — that one line changes, its comment kept —
    /// and the case's codes are case-level codings of coder `imported`, which is a coder too.
    func testUsersBecomeCodersInTheSettingsLineAndCaseCodesCaseCodings() throws {
        let fixture = try StudyFixture(self)
        try fixture.write("triangulate.yaml", "title: Fixture study\n# who codes\ncoders: [ana, ben]   # two of us\ninterviewer: [Interviewer]\n")
        let report = try ProjectExchange(study: try fixture.study).importProject(try project(in: fixture.root.deletingLastPathComponent()), prefix: nil, positions: nil)
        XCTAssertEqual(try fixture.read("triangulate.yaml"),
                       "title: Fixture study\n# who codes\ncoders: [ana, ben, zoe, max, imported]  # two of us\ninterviewer: [Interviewer]\n")
        XCTAssertEqual(try fixture.study.settings.coders, ["ana", "ben", "zoe", "max", "imported"])
        XCTAssertTrue(report.notes.contains("coders zoe, max, imported added to 'coders:' in triangulate.yaml"), report.text)
        let records = try CodingFile.readRecords(fixture.root.appendingPathComponent("corpus/codings/imported.jsonl"), displayPath: "imported.jsonl")
        XCTAssertEqual(records.map(\.jsonLine), [#"{"kind":"case","participant":"W1","code":"cost","coder":"imported"}"#,
                                                 #"{"kind":"case","participant":"W1","code":"care","coder":"imported"}"#])
        XCTAssertEqual(try CodingFile.read(fixture.root.appendingPathComponent("corpus/codings/zoe.jsonl"), displayPath: "zoe.jsonl").map(\.quote), ["cost"])
        XCTAssertFalse(FileManager.default.fileExists(atPath: fixture.root.appendingPathComponent(".triangulate/journal.json").path))
    }

    /// A settings file whose `coders:` is a block list is not edited, and nothing is written.
    func testABlockListOfCodersRefusesTheImportBeforeAnyWrite() throws {
        let fixture = try StudyFixture(self)
        try fixture.write("triangulate.yaml", "title: Fixture study\ncoders:\n  - ana\n")
        XCTAssertThrowsError(try ProjectExchange(study: try fixture.study).importProject(try project(in: fixture.root.deletingLastPathComponent()), prefix: nil, positions: nil)) { error in
            XCTAssertTrue("\(error)".contains("'coders:' in triangulate.yaml is a block list"), "\(error)")
        }
        XCTAssertFalse(FileManager.default.fileExists(atPath: fixture.root.appendingPathComponent("corpus/transcripts/W1.txt").path))
        XCTAssertFalse(FileManager.default.fileExists(atPath: fixture.root.appendingPathComponent("codebooks/ward.yaml").path))
    }

    /// A kill after any file of the import leaves a study that the next command completes: the
    /// same files as an import that ran through, settings included.
    func testAnImportKilledAtEachStepIsFinishedByTheNextCommand() throws {
        let clean = try StudyFixture(self)
        let archive = try project(in: clean.root.deletingLastPathComponent())
        _ = try ProjectExchange(study: try clean.study).importProject(archive, prefix: nil, positions: nil)
        let paths = ["triangulate.yaml", "codebooks/ward.yaml", "corpus/transcripts/W1.txt", "corpus/codings/zoe.jsonl",
                     "corpus/codings/imported.jsonl", "corpus/participants.csv"]
        let expected = try paths.map { try clean.read($0) }
        for step in [0, 1, 3, 6] {
            let fixture = try StudyFixture(self)
            JournalFault.hook = { position in if position == step { throw Killed() } }
            XCTAssertThrowsError(try ProjectExchange(study: try fixture.study).importProject(archive, prefix: nil, positions: nil))
            JournalFault.hook = nil
            _ = try StudyIndex.open(try fixture.study)
            XCTAssertEqual(try paths.map { try fixture.read($0) }, expected, "step \(step)")
        }
    }

    /// Case-level codings go out as CodeRefs on their participant's Case and come back.
    func testCaseLevelCodingsRoundTrip() throws {
        let fixture = try StudyFixture(self)
        try fixture.write("triangulate.yaml", "title: Fixture study\ncoders: [ana]\ninterviewer: [Interviewer]\n")
        try fixture.write("corpus/codings/ana.jsonl", """
            {"transcript":"P01","turn":2,"start":11,"end":26,"quote":"downloads first","code":"selection/popularity","coder":"ana"}
            {"kind":"case","participant":"P01","code":"trust","coder":"ana"}
            {"kind":"case","participant":"P02","code":"selection/popularity","coder":"ana"}

            """)
        let folder = fixture.root.deletingLastPathComponent()
        let archive = folder.appendingPathComponent("out.qdpx")
        XCTAssertEqual(try ProjectExchange(study: try fixture.study).exportProject(to: archive), [])
        let copy = folder.appendingPathComponent("copy")
        try Study.initialize(at: copy, title: "Copy")
        let report = try ProjectExchange(study: try Study(root: copy)).importProject(archive, prefix: nil, positions: nil)
        XCTAssertEqual(report["case codings"]?.imported, 2, report.text)
        let records = try CodingFile.readRecords(copy.appendingPathComponent("corpus/codings/ana.jsonl"), displayPath: "ana.jsonl")
        XCTAssertEqual(records.compactMap { record -> String? in
            if case .participant(let coding) = record { return "\(coding.participant)|\(coding.code)|\(coding.coder)" }
            return nil
        }, ["P01|trust|ana", "P02|selection/popularity|ana"])
        XCTAssertEqual(records.count, 3)
    }
}
