import Foundation
import Index
import Project
import Qualitative
import Study
import TestSupport
import XCTest

/// A kill at every step of a multi-file change leaves a study that, at the next command, is
/// after the whole change — never half of it (the intent journal).
final class JournalTests: XCTestCase {
    struct Killed: Error {}

    override func tearDown() {
        JournalFault.hook = nil
        super.tearDown()
    }

    /// Stops a change after `step` files (0: after the journal, before any file).
    func kill(at step: Int) {
        JournalFault.hook = { position in
            if position == step { throw Killed() }
        }
    }

    func testACodeMergeKilledAtEachRenameEndsAfterTheChange() throws {
        // A merge rewrites a codings file, a claim and the codebook: three files, four kill points.
        for step in 0...2 {
            let fixture = try StudyFixture(self)
            try fixture.write("corpus/codings/ben.jsonl", """
                {"transcript":"P02","turn":2,"code":"selection/popularity","coder":"ben"}

                """)
            kill(at: step)
            XCTAssertThrowsError(try CodebookChanges(study: try fixture.study).merge("selection/popularity", into: "trust"))
            JournalFault.hook = nil
            // The next command finishes the change before it reads anything.
            let (index, _) = try StudyIndex.open(try fixture.study)
            let status = try index.status()
            XCTAssertEqual(status.unknownCodes, [], "step \(step)")
            XCTAssertFalse(try fixture.read("codebooks/reuse.yaml").contains("popularity"), "step \(step)")
            for coder in ["ana", "ben"] {
                XCTAssertFalse(try fixture.read("corpus/codings/\(coder).jsonl").contains("selection/popularity"), "step \(step), \(coder)")
            }
            XCTAssertFalse(FileManager.default.fileExists(atPath: fixture.root.appendingPathComponent(".triangulate/journal.json").path))
        }
    }

    func testAPaperImportKilledAtEachStepEndsWithItsRow() throws {
        for step in 0...1 {
            let fixture = try StudyFixture(self)
            let export = try TestPaths.temporaryDirectory(for: self).appendingPathComponent("scopus.bib")
            try "@article{smith2020, title = {Reuse of models}, author = {Smith, Ann}, year = {2020}}\n".write(to: export, atomically: true, encoding: .utf8)
            kill(at: step)
            XCTAssertThrowsError(try ReviewRecorder(study: try fixture.study).importExport(
                from: export, displayPath: export.path, name: nil, database: "scopus", search: nil, mapping: nil))
            JournalFault.hook = nil
            _ = try StudyIndex.open(try fixture.study)
            XCTAssertTrue(try fixture.read("corpus/literature/imports.csv").contains("scopus.bib,scopus"), "step \(step)")
            // The same file again is a no-op, not an error.
            let again = try ReviewRecorder(study: try fixture.study).importExport(
                from: export, displayPath: export.path, name: nil, database: "scopus", search: nil, mapping: nil)
            XCTAssertTrue(again.alreadyImported)
            XCTAssertEqual(try fixture.read("corpus/literature/imports.csv").split(separator: "\n").filter { $0.hasPrefix("scopus.bib,") }.count, 1)
        }
    }

    func testTemporaryFilesOfDeadProcessesAreSweptWhenTheLockIsTaken() throws {
        let fixture = try StudyFixture(self)
        // A pid far above any running process: the writer is gone.
        let stale = ".reuse.yaml.999999999.12345.tmp"
        try fixture.write("codebooks/\(stale)", "half a codebook")
        let live = ".reuse.yaml.\(getpid()).1.tmp"
        try fixture.write("codebooks/\(live)", "being written")
        XCTAssertEqual(TemporaryFiles.owner(of: stale), 999_999_999)
        XCTAssertNil(TemporaryFiles.owner(of: "reuse.yaml"))
        _ = try CodebookChanges(study: try fixture.study).add(id: "licensing", name: nil, definition: nil, parent: "trust", codebook: nil)
        XCTAssertFalse(FileManager.default.fileExists(atPath: fixture.root.appendingPathComponent("codebooks/\(stale)").path))
        XCTAssertTrue(FileManager.default.fileExists(atPath: fixture.root.appendingPathComponent("codebooks/\(live)").path))
    }
}

/// Paths that leave the study: a linked folder is never written through, a linked file is never read.
final class StudyBoundaryTests: XCTestCase {
    func testALinkedCodingsFolderIsRefusedAndALinkedTranscriptIsNotRead() throws {
        let fixture = try StudyFixture(self)
        let outside = try TestPaths.temporaryDirectory(for: self)
        let codings = fixture.root.appendingPathComponent("corpus/codings")
        try FileManager.default.moveItem(at: codings, to: outside.appendingPathComponent("codings"))
        try FileManager.default.createSymbolicLink(at: codings, withDestinationURL: outside.appendingPathComponent("codings"))
        XCTAssertThrowsError(try Recorder(study: try fixture.study).tag(TurnAddress("P01#2")!, codes: ["trust"], coder: "ana", quote: nil, memo: nil)) {
            XCTAssertTrue(String(describing: $0).contains("outside the study"), "\($0)")
        }
        try FileManager.default.removeItem(at: codings)
        try FileManager.default.moveItem(at: outside.appendingPathComponent("codings"), to: codings)
        let secret = outside.appendingPathComponent("secret.txt")
        try "Interviewer: hello\nAlice: my secret\n".write(to: secret, atomically: true, encoding: .utf8)
        try FileManager.default.createSymbolicLink(at: fixture.root.appendingPathComponent("corpus/transcripts/P09.txt"), withDestinationURL: secret)
        let (index, _) = try StudyIndex.open(try fixture.study)
        XCTAssertFalse(try index.transcriptIDs().contains("P09"))
        let status = try index.status()
        XCTAssertFalse(status.isClean)
        XCTAssertEqual(status.links.count, 1)
        XCTAssertTrue(status.links[0].hasPrefix("corpus/transcripts/P09.txt -> "))
    }
}
