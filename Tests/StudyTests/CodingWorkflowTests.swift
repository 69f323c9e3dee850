import Foundation
import Qualitative
#if canImport(FoundationXML)
import FoundationXML
#endif
import Reports
import Index
import Project
import Study
import TestSupport
import XCTest

final class CodingWorkflowTests: XCTestCase {
    func testRenameRewritesCodebookCodingsAndClaims() throws {
        let fixture = try StudyFixture(self)
        let summary = try CodebookChanges(study: try fixture.study).rename("selection/popularity", to: "downloads")
        XCTAssertEqual(summary.codingFiles, ["corpus/codings/ana.jsonl"])
        XCTAssertTrue(try fixture.read("codebooks/reuse.yaml").contains("- id: downloads"))
        XCTAssertEqual(try fixture.read("corpus/codings/ana.jsonl").components(separatedBy: "selection/downloads").count - 1, 2)
        let (index, _) = try StudyIndex.open(try fixture.study)
        XCTAssertEqual(try index.status().unknownCodes, [])
        let merged = try CodebookChanges(study: try fixture.study).merge("selection/downloads", into: "trust")
        XCTAssertEqual(merged.codingFiles, ["corpus/codings/ana.jsonl"])
        XCTAssertFalse(try fixture.read("codebooks/reuse.yaml").contains("downloads"))
        XCTAssertThrowsError(try CodebookChanges(study: try fixture.study).remove("trust")) { error in
            XCTAssertTrue(String(describing: error).contains("merge it into another code instead"), "\(error)")
        }
    }

    func testClaimCodesFollowAMove() throws {
        let fixture = try StudyFixture(self)
        try fixture.write("corpus/claims/C4.yaml", "id: C4\nstatement: s\ncodes:\n  - selection/popularity   # kept comment\n  - trust\n")
        let summary = try CodebookChanges(study: try fixture.study).move("selection/popularity", under: "trust")
        XCTAssertEqual(summary.claimFiles, ["corpus/claims/C4.yaml"])
        XCTAssertEqual(try fixture.read("corpus/claims/C4.yaml"), "id: C4\nstatement: s\ncodes:\n  - trust/popularity   # kept comment\n  - trust\n")
    }

    func testBatchTaggingIsAllOrNothing() throws {
        let fixture = try StudyFixture(self)
        try fixture.write("batch.csv", "transcript,turn,code,quote\nP01,4,trust;selection,\nP02,2,trust,no such words\n")
        XCTAssertThrowsError(try Recorder(study: try fixture.study).tag(
            BatchTagFile.read(fixture.root.appendingPathComponent("batch.csv"), displayPath: "batch.csv"), coder: "ben")) { error in
            XCTAssertTrue(String(describing: error).hasPrefix("batch.csv:3: the quote is not in P02#2"), "\(error)")
        }
        XCTAssertFalse(FileManager.default.fileExists(atPath: fixture.root.appendingPathComponent("corpus/codings/ben.jsonl").path))
        try fixture.write("batch.csv", "transcript,turn,code,quote\nP01,4,trust;selection,\nP02,2,trust,\"Mostly by downloads\"\n")
        let outcome = try Recorder(study: try fixture.study).tag(
            BatchTagFile.read(fixture.root.appendingPathComponent("batch.csv"), displayPath: "batch.csv"), coder: "ben")
        XCTAssertEqual(outcome.written.map(\.code), ["trust", "selection", "trust"])
        XCTAssertEqual(outcome.written[2].start, 0)
    }

    func testRangesAndUntag() throws {
        let fixture = try StudyFixture(self)
        let recorder = Recorder(study: try fixture.study)
        XCTAssertEqual(try recorder.tag(TurnAddress("P01#1-3")!, codes: ["trust"], coder: "ben", quote: nil, memo: nil).written.map(\.turn), [1, 2, 3])
        XCTAssertThrowsError(try recorder.tag(TurnAddress("P01#1-3")!, codes: ["trust"], coder: "ben", quote: "x", memo: nil))
        XCTAssertEqual(try recorder.untag(TurnAddress("P01#2-3")!, codes: ["trust"], coder: "ben", quote: nil).removed.map(\.turn), [2, 3])
        XCTAssertEqual(try fixture.read("corpus/codings/ben.jsonl").split(separator: "\n").count, 1)
        XCTAssertThrowsError(try recorder.untag(TurnAddress("P01#2")!, codes: ["trust"], coder: "ben", quote: nil))
    }

    func testSearchAndAnalyses() throws {
        let fixture = try StudyFixture(self)
        let (index, _) = try StudyIndex.open(try fixture.study)
        XCTAssertEqual(try index.search("download*").map { "\($0.transcript)#\($0.turn)" }.sorted(), ["P01#2", "P02#2"])
        XCTAssertEqual(try index.search("\"who published\"").first?.snippet, "Trust matters: we check [who published] it.")
        XCTAssertThrowsError(try index.search("AND AND"))
        let analysis = CodingAnalysis(index: index)
        XCTAssertEqual(try analysis.interviewOrder(), ["P01", "P02", "P03"])
        XCTAssertEqual(try analysis.saturation(coder: nil).map(\.cumulative), [2, 2, 2])
        let matrix = try analysis.codeByParticipant(presence: false, coder: nil)
        XCTAssertEqual(matrix.rows.map { $0[0].text }, ["selection", "selection/popularity", "trust"])
        XCTAssertEqual(matrix.rows[0].map(\.text), ["selection", "1", "1", "0", "2"])
        let cooccurrence = try analysis.cooccurrence(spans: false, coder: nil)
        XCTAssertEqual(cooccurrence.rows.count, 0)
        // After an edit, the search sees the new words.
        try fixture.write("corpus/transcripts/P03.txt", "Interviewer: How do you choose?\nKim: Downloads, mostly.\n")
        try index.refresh()
        XCTAssertEqual(try index.search("download*").map(\.transcript).sorted(), ["P01", "P02", "P03"])
        let svg = CodingAnalysis.saturationSVG(try analysis.saturation(coder: nil), title: "A <title> & more")
        XCTAssertTrue(svg.hasPrefix("<svg") && svg.contains("A &lt;title&gt; &amp; more"))
        XCTAssertTrue(XMLParser(data: Data(svg.utf8)).parse(), "the plot is well-formed XML")
    }

    func testInteractiveTaggingThroughTheCommandLine() throws {
        let fixture = try StudyFixture(self)
        let process = Process()
        guard let executable = CLI.executable else { throw XCTSkip("the triangulate executable is not built next to the tests") }
        process.executableURL = executable
        process.arguments = ["tag", "--interactive", "P01", "--coder", "ben"]
        process.currentDirectoryURL = fixture.root
        let input = Pipe(), output = Pipe()
        process.standardInput = input
        process.standardOutput = output
        process.standardError = FileHandle.nullDevice
        try process.run()
        input.fileHandleForWriting.write(Data("sel/p\n?tr\ntru\nq\n".utf8))
        try input.fileHandleForWriting.close()
        let text = String(decoding: output.fileHandleForReading.readDataToEndOfFile(), as: UTF8.self)
        process.waitUntilExit()
        XCTAssertEqual(process.terminationStatus, 0, text)
        XCTAssertTrue(text.contains("saved: selection/popularity"), text)
        XCTAssertTrue(text.contains("saved: trust"), text)
        XCTAssertEqual(try fixture.read("corpus/codings/ben.jsonl").split(separator: "\n").count, 2)
    }
}
