import Claims
import Foundation
import Index
import Project
import Qualitative
import Reports
import Study
import TestSupport
import XCTest

final class StudyTests: XCTestCase {
    func testInitCreatesTheSkeletonOnceAndStudiesAreFoundUpward() throws {
        let folder = try TestPaths.temporaryDirectory(for: self).appendingPathComponent("new")
        try Study.initialize(at: folder, title: "New")
        for path in ["triangulate.yaml", ".gitignore", "codebooks", "corpus/transcripts", "corpus/codings",
                     "corpus/literature", "corpus/claims", "corpus/datasets", "corpus/participants.csv"] {
            XCTAssertTrue(FileManager.default.fileExists(atPath: folder.appendingPathComponent(path).path), path)
        }
        XCTAssertTrue(try String(contentsOf: folder.appendingPathComponent(".gitignore"), encoding: .utf8).contains(".triangulate/"))
        XCTAssertThrowsError(try Study.initialize(at: folder, title: "Again"))
        let deep = folder.appendingPathComponent("corpus/transcripts")
        XCTAssertEqual(try Study.locate(from: deep).root.path, folder.standardizedFileURL.path)
        XCTAssertThrowsError(try Study.locate(from: URL(fileURLWithPath: "/proc"))) { error in
            XCTAssertTrue(String(describing: error).contains("triangulate init"), "\(error)")
        }
    }

    func testMatrixRowsVerdictsAndSupport() throws {
        let fixture = try StudyFixture(self)
        let study = try fixture.study
        let (index, _) = try StudyIndex.open(study)
        let matrix = try MatrixBuilder(study: study, index: index).build()
        XCTAssertEqual(matrix.rows.map { $0.metric.map { "\($0.id)" } ?? $0.claim.id }, ["C1a", "C2a", "C2b", "C10"])
        XCTAssertEqual(matrix.rows.map(\.verdict), [.supported, .supported, .error, .notTested])
        XCTAssertEqual(matrix.rows[0].supportingParticipants, ["P01", "P02"])
        XCTAssertEqual(matrix.rows[0].participantCount, 3)
        XCTAssertEqual(matrix.rows[0].papers, ["jiang2023empirical"])
        XCTAssertEqual(matrix.rows[1].unknownPapers, ["missing2020"])
        XCTAssertEqual(matrix.rows[3].supportingParticipants, ["P01"])
        XCTAssertTrue(matrix.rows[2].reason?.contains("expects the query to return columns successes, trials") ?? false,
                      matrix.rows[2].reason ?? "no reason")
        // Holm over the two tests that ran: the smaller p is doubled.
        let ps = [matrix.rows[0].result!.pValue, matrix.rows[1].result!.pValue]
        XCTAssertEqual(matrix.rows.compactMap(\.adjustedP).min()!, min(1, 2 * ps.min()!), accuracy: 1e-15)
        XCTAssertTrue(matrix.warnings.contains { $0.contains("missing2020") })
        // The matrix is a read command: it imports into .triangulate/ but never rewrites the
        // researcher's manifest (it used to fill in the hash; `dataset import` records it).
        XCTAssertFalse(try fixture.read("corpus/datasets/toy.yaml").contains("sha256: "))
        XCTAssertEqual(matrix.datasetInputs.map(\.path), ["corpus/datasets/toy/toy.csv"])
    }

    func testSameStudySameBytesEvenAfterDeletingTheIndex() throws {
        let fixture = try StudyFixture(self)
        func render(_ format: ReportFormat) throws -> String {
            let study = try fixture.study
            let (index, _) = try StudyIndex.open(study)
            return format.renderer.render(try MatrixBuilder(study: study, index: index).build().table())
        }
        for format in ReportFormat.allCases {
            let first = try render(format)
            XCTAssertEqual(try render(format), first, "\(format) differs between two runs")
            try FileManager.default.removeItem(at: fixture.root.appendingPathComponent(".triangulate"))
            XCTAssertEqual(try render(format), first, "\(format) differs after the index was rebuilt")
        }
    }

    func testBrokenStudyFileStopsTheMatrixWithItsLocation() throws {
        let fixture = try StudyFixture(self)
        try fixture.write("corpus/claims/C3.yaml", "id: C3\nstatement: x\nmetrics:\n  - id: m\n    test: t-test\n")
        let study = try fixture.study
        let (index, _) = try StudyIndex.open(study)
        XCTAssertThrowsError(try MatrixBuilder(study: study, index: index).build()) { error in
            XCTAssertTrue(String(describing: error).contains("corpus/claims/C3.yaml:5:11: expected test to be one of"), "\(error)")
        }
        let status = try index.status()
        XCTAssertFalse(status.isClean)
        XCTAssertEqual(status.problems.count, 1)
    }

    func testOverlappingSpansOfOneCodeAreReported() throws {
        let fixture = try StudyFixture(self)
        try fixture.write("corpus/codings/ben.jsonl", """
            {"transcript":"P01","turn":2,"start":11,"end":26,"quote":"downloads first","code":"trust","coder":"ben"}
            {"transcript":"P01","turn":2,"start":20,"end":30,"code":"trust","coder":"ben"}
            {"transcript":"P01","turn":2,"start":20,"end":30,"code":"selection","coder":"ben"}
            """)
        let (index, _) = try StudyIndex.open(try fixture.study)
        let status = try index.status()
        XCTAssertEqual(status.overlapping.map(\.location), ["corpus/codings/ben.jsonl:1"])
        XCTAssertEqual(status.overlapping.first?.reason, "overlaps the span of the same code at line 2; merge or remove one")
        XCTAssertFalse(status.isClean)
    }

    func testRefreshRereadsOnlyChangedFiles() throws {
        let fixture = try StudyFixture(self)
        let study = try fixture.study
        let (index, first) = try StudyIndex.open(study)
        XCTAssertEqual(first.filesRead, first.filesSeen)
        XCTAssertEqual(try index.refresh().filesRead, 0)
        try fixture.write("corpus/transcripts/P03.txt", "Interviewer: How do you choose?\nKim: I ask colleagues, always.\n")
        XCTAssertEqual(try index.refresh().filesRead, 1)
        try FileManager.default.removeItem(at: fixture.root.appendingPathComponent("corpus/transcripts/P03.txt"))
        let summary = try index.refresh()
        XCTAssertEqual(summary.filesRemoved, 1)
        XCTAssertEqual(try index.status().transcripts, 2)
    }
}

final class RecorderTests: XCTestCase {
    func testTagWritesACodingAtTheQuotedSpan() throws {
        let fixture = try StudyFixture(self)
        let outcome = try Recorder(study: try fixture.study).tag(
            TurnAddress("P01#4")!, codes: ["trust", "selection"], coder: "ben", quote: "who published it", memo: nil,
            at: Date(timeIntervalSince1970: 0))
        XCTAssertEqual(outcome.written.count, 2)
        XCTAssertEqual(try fixture.read("corpus/codings/ben.jsonl"), """
            {"transcript":"P01","turn":4,"start":24,"end":40,"quote":"who published it","code":"trust","coder":"ben","at":"1970-01-01T00:00:00Z"}
            {"transcript":"P01","turn":4,"start":24,"end":40,"quote":"who published it","code":"selection","coder":"ben","at":"1970-01-01T00:00:00Z"}

            """)
        let again = try Recorder(study: try fixture.study).tag(
            TurnAddress("P01#4")!, codes: ["trust"], coder: "ben", quote: "who published it", memo: nil)
        XCTAssertEqual(again.alreadyPresent, ["P01#4 trust"])
    }

    func testTagRefusesWhatItCannotPlace() throws {
        let fixture = try StudyFixture(self)
        let recorder = Recorder(study: try fixture.study)
        let cases: [(TurnAddress, [String], String?, String)] = [
            (TurnAddress("P09#1")!, ["trust"], nil, "no transcript 'P09'"),
            (TurnAddress("P01#9")!, ["trust"], nil, "transcript P01 has turns 1 to 4; there is no turn 9"),
            (TurnAddress("P01#2")!, ["trsut"], nil, "Did you mean 'trust'?"),
            (TurnAddress("P01#2")!, ["trust"], "the model card", "the quote is not in P01#2"),
            (TurnAddress("P01#2")!, ["trust"], "e", "the quote occurs"),
        ]
        for (address, codes, quote, message) in cases {
            XCTAssertThrowsError(try recorder.tag(address, codes: codes, coder: "ben", quote: quote, memo: nil)) { error in
                XCTAssertTrue(String(describing: error).contains(message), "expected «\(message)» in «\(error)»")
            }
        }
        XCTAssertFalse(FileManager.default.fileExists(atPath: fixture.root.appendingPathComponent("corpus/codings/ben.jsonl").path),
                       "nothing is written when tagging fails")
    }

    func testEditedTranscriptReanchorsAndOrphansAreReported() throws {
        let fixture = try StudyFixture(self)
        try fixture.write("corpus/transcripts/P01.txt", """
            Interviewer: How do you choose?
            Robin: Well, we look at downloads first. Then the card.
            Interviewer: Anything else?
            Robin: Licences matter.
            """)
        let (index, _) = try StudyIndex.open(try fixture.study)
        let status = try index.status()
        XCTAssertEqual(status.reanchored.map(\.location), ["corpus/codings/ana.jsonl:1"])
        XCTAssertEqual(status.orphaned.map(\.location), [], "whole-turn codings stay on their turn")
        XCTAssertEqual(try index.excerpts(code: "selection", participant: "P01", coder: nil).map(\.text), ["downloads first"])
        try fixture.write("corpus/transcripts/P01.txt", "Interviewer: How do you choose?\nRobin: By size.\n")
        try index.refresh()
        let after = try index.status()
        XCTAssertEqual(after.orphaned.count, 2, "the span lost its words and turn 4 is gone; both are kept and reported")
        XCTAssertEqual(try fixture.read("corpus/codings/ana.jsonl").split(separator: "\n").count, 3, "codings are never dropped")
    }

    func testClaimAddWritesAReadableFileAndRefusesDuplicates() throws {
        let fixture = try StudyFixture(self)
        let recorder = Recorder(study: try fixture.study)
        let metric = MetricSpec(id: "C5a", dataset: "toy", query: "SELECT x, y FROM toy", test: .spearman, expect: .positive,
                                minEffect: 0.2, location: .init(file: ""))
        let claim = Claim(id: "C5", statement: "Bigger x: bigger y.", sources: [PaperSource(paper: "jiang2023empirical", location: .init(file: ""))],
                          codes: ["trust"], metrics: [metric], location: .init(file: ""))
        let url = try recorder.addClaim(claim)
        let reread = try Claim.read(url, displayPath: "C5.yaml")
        XCTAssertEqual(reread.statement, "Bigger x: bigger y.")
        XCTAssertEqual(reread.metrics.first?.minEffect, 0.2)
        XCTAssertThrowsError(try recorder.addClaim(claim))
        var unknownCode = claim
        unknownCode.id = "C6"
        unknownCode.codes = ["nope"]
        XCTAssertThrowsError(try recorder.addClaim(unknownCode))
        XCTAssertFalse(FileManager.default.fileExists(atPath: fixture.root.appendingPathComponent("corpus/claims/C6.yaml").path))
    }
}
