import Foundation
import Index
import Project
import Study
import TestSupport
import Transcripts
import XCTest

final class ExchangeTests: XCTestCase {
    func testImportsTheCodesOfARealNVivoProject() throws {
        let project = try TestPaths.sharedData("qda/nvivo-vaccine-skepticism/oltas.qdpx")
        let fixture = try StudyFixture(self)
        let result = try CodebookExchange(study: try fixture.study).importCodebook(project, as: "nvivo", replacing: false)
        XCTAssertEqual(result.path, "codebooks/nvivo.yaml")
        // Counted independently: every <Code element of project.qde.
        XCTAssertEqual(result.codes, 60)
        let (index, _) = try StudyIndex.open(try fixture.study)
        XCTAssertEqual(try index.codes().count, 60 + 3)
        XCTAssertThrowsError(try CodebookExchange(study: try fixture.study).importCodebook(project, as: "nvivo", replacing: false))
        let exported = try CodebookExchange(study: try fixture.study).exportCodebook()
        XCTAssertTrue(exported.contains("guid=\"3c51efbb-071f-43a7-9f32-228b89668e8d\""))
        XCTAssertEqual(exported, try CodebookExchange(study: try fixture.study).exportCodebook())
    }

    func testPseudonymisedImportLeavesNoRealName() throws {
        let fixture = try StudyFixture(self)
        let folder = try TestPaths.temporaryDirectory(for: self)
        let key = folder.appendingPathComponent("names.csv")
        try "real,pseudonym\nAnna Berg,Robin\nAnna,Robin\nAcme Labs,a company\n".write(to: key, atomically: true, encoding: .utf8)
        let raw = folder.appendingPathComponent("interview.txt")
        try "Interviewer: Anna, where do you work?\nAnna Berg: At Acme Labs. Anna is my name, Annabel is my sister.\nInterviewer: Thanks.\nAnna Berg: Bye.\n"
            .write(to: raw, atomically: true, encoding: .utf8)
        let path = try TranscriptImport(study: try fixture.study).run(raw, participant: "P04", key: key, replacing: false)
        XCTAssertEqual(path, "corpus/transcripts/P04.txt")
        let text = try fixture.read(path)
        XCTAssertFalse(text.contains("Anna ") || text.contains("Anna,") || text.contains("Acme"), text)
        XCTAssertTrue(text.contains("Annabel"), "whole words only")
        XCTAssertTrue(text.contains("Robin: At a company."), text)
        XCTAssertEqual(try TranscriptImport(study: try fixture.study).leaks(key: key), [])
        XCTAssertThrowsError(try TranscriptImport(study: try fixture.study).run(raw, participant: "P04", key: key, replacing: false))
        let inside = fixture.root.appendingPathComponent("names.csv")
        try FileManager.default.copyItem(at: key, to: inside)
        XCTAssertThrowsError(try TranscriptImport(study: try fixture.study).run(raw, participant: "P05", key: inside, replacing: false)) { error in
            XCTAssertTrue(String(describing: error).contains("is inside the study"), "\(error)")
        }
        // Without a key the file is copied as received, and check-names finds the real names.
        _ = try TranscriptImport(study: try fixture.study).run(raw, participant: "P06", key: nil, replacing: false)
        XCTAssertEqual(try TranscriptImport(study: try fixture.study).leaks(key: key), ["corpus/transcripts/P06.txt"])
    }
}
