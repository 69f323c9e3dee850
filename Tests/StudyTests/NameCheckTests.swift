import Foundation
import Index
import Project
import Study
import TestSupport
import XCTest

/// `check-names` finds every spelling of a real name from the key anywhere in the study, and
/// says where with the key line — never the name.
final class NameCheckTests: XCTestCase {
    func testTheProbeOfCaseVariantsDecompositionEmailsIdentifiersMemosAndFileNames() throws {
        let fixture = try StudyFixture(self)
        let key = try TestPaths.temporaryDirectory(for: self).appendingPathComponent("names.csv")
        try "real,pseudonym\nAlice Meyer,Person A\nJosé,Person J\nBob,Person B\n".write(to: key, atomically: true, encoding: .utf8)
        try fixture.write("corpus/transcripts/P05.txt", """
            Interviewer: Who helped?
            Robin: ALICE MEYER did, and bob too; write to alice.meyer@example.org.
            Robin: Jose\u{301} checked Alice_Meyer's notebook and AliceMeyer.ipynb.
            """)
        try fixture.write("corpus/participants.csv", "id,pseudonym,role\nP01,Robin,engineer\nP02,Sam,researcher\nP03,Kim,engineer\nP05,Bob,engineer\n")
        try fixture.write("corpus/codings/ben.jsonl", """
            {"transcript":"P01","turn":2,"code":"trust","coder":"ben","memo":"Ask José about this"}

            """)
        try fixture.write("corpus/transcripts/Alice Meyer.txt", "Interviewer: Hi\nRobin: Hello\n")
        let hits = try TranscriptImport(study: try fixture.study).nameHits(key: key)
        let joined = hits.joined(separator: "\n")
        for expected in ["corpus/transcripts/P05.txt:2:", "corpus/transcripts/P05.txt:3:", "corpus/participants.csv:5:",
                         "corpus/codings/ben.jsonl:1:", "corpus/transcripts/Alice Meyer.txt: the file name"] {
            XCTAssertTrue(joined.contains(expected), "missing \(expected) in:\n\(joined)")
        }
        // Line 2 holds three names (case variants and an e-mail address), line 3 two spellings.
        XCTAssertGreaterThanOrEqual(hits.filter { $0.hasPrefix("corpus/transcripts/P05.txt:2:") }.count, 3)
        XCTAssertGreaterThanOrEqual(hits.filter { $0.hasPrefix("corpus/transcripts/P05.txt:3:") }.count, 3)
        XCTAssertFalse(joined.contains("Alice Meyer:") || joined.lowercased().contains("josé") || joined.contains("bob"), "names are never printed")
        XCTAssertTrue(joined.contains("(key line 2)"))

        let cli = try CLI.run(["transcript", "check-names", "--key", key.path], in: fixture.root)
        XCTAssertEqual(cli.status, 1)
    }
}
