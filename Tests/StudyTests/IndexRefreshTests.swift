import Foundation
import Index
import Project
import TestSupport
import XCTest

/// The derived index follows the study's files: full-text rows of an edited or removed
/// transcript go, those of a new one come, and nothing else moves.
final class IndexRefreshTests: XCTestCase {
    func places(_ index: StudyIndex, _ query: String) throws -> [String] {
        try index.search(query).map { "\($0.transcript)#\($0.turn)" }.sorted()
    }

    func testFullTextFollowsEditedAddedAndRemovedTranscripts() throws {
        let fixture = try StudyFixture(self)
        var (index, _) = try StudyIndex.open(try fixture.study)
        XCTAssertEqual(try places(index, "downloads"), ["P01#2", "P02#2"])
        XCTAssertEqual(try places(index, "colleagues"), ["P03#2"])

        // Edit P02, add P04, remove P03.
        try fixture.write("corpus/transcripts/P02.txt", """
            Interviewer: How do you choose?
            Sam: By the licence, honestly.
            """)
        try fixture.write("corpus/transcripts/P04.txt", """
            Interviewer: How do you choose?
            Kim: Downloads, and colleagues.
            """)
        try FileManager.default.removeItem(at: fixture.root.appendingPathComponent("corpus/transcripts/P03.txt"))
        let summary: RefreshSummary
        (index, summary) = try StudyIndex.open(try fixture.study)
        XCTAssertEqual(summary.filesRemoved, 1)
        XCTAssertEqual(try places(index, "downloads"), ["P01#2", "P04#2"])
        XCTAssertEqual(try places(index, "licence"), ["P02#2"])
        XCTAssertEqual(try places(index, "colleagues"), ["P04#2"])
        // Each turn is in the full-text index once.
        XCTAssertEqual(try places(index, "choose"), ["P01#1", "P02#1", "P04#1"])
    }
}
