import Core
import Foundation
import GRDB
@testable import Index
import Literature
import Project
import Study
import TestSupport
import XCTest

/// The literature review read through the index: the exports parsed once per change, the
/// deduplication kept while its inputs stay, and everything equal to reading the files.
final class ReviewIndexTests: XCTestCase {
    func makeStudy() throws -> (StudyFixture, Study) {
        let fixture = try StudyFixture(self)
        try fixture.write("triangulate.yaml", ReviewFixture.settings)
        try fixture.write("corpus/literature/scopus.bib", ReviewFixture.export)
        try fixture.write("corpus/literature/wos.ris", """
            TY  - JOUR
            AU  - Smith, Jane
            TI  - Reuse of pre-trained models in practice
            PY  - 2020
            DO  - https://doi.org/10.1000/REUSE
            ER  -
            TY  - JOUR
            AU  - Ng, Lee
            TI  - Über Modellwiederverwendung
            PY  - 2022
            ER  -

            """)
        return (fixture, try fixture.study)
    }

    /// The review as `ReviewState` reads it straight from the files, for comparison.
    func fromFiles(_ study: Study) throws -> ReviewState {
        try ReviewState.load(ReviewLayout(study: study), criteria: study.settings.screening,
                             dedupeThreshold: study.settings.dedupeThreshold, relativePath: { [study] in study.relativePath($0) })
    }

    func assertSame(_ indexed: ReviewState, _ read: ReviewState, file: StaticString = #filePath, line: UInt = #line) {
        XCTAssertEqual(indexed.records, read.records, file: file, line: line)
        XCTAssertEqual(indexed.warnings, read.warnings, file: file, line: line)
        XCTAssertEqual(indexed.dedupe, read.dedupe, file: file, line: line)
        XCTAssertEqual(indexed.statusesByKey(), read.statusesByKey(), file: file, line: line)
    }

    func testTheIndexedReviewEqualsTheFilesRead() throws {
        let (_, study) = try makeStudy()
        let indexed = try ReviewState.load(study)
        let read = try fromFiles(study)
        XCTAssertEqual(indexed.records.count, 6)
        XCTAssertFalse(indexed.warnings.isEmpty, "the unbalanced entry is a warning")
        XCTAssertEqual(indexed.dedupe.groups.count, 1, "same DOI in both exports")
        assertSame(indexed, read)
        // The second time everything comes from the index, and is still the same.
        assertSame(try ReviewState.load(study), read)
    }

    func testTheIndexKeepsTheExportsAndTheDeduplication() throws {
        let (_, study) = try makeStudy()
        _ = try ReviewState.load(study)
        let (index, summary) = try StudyIndex.open(study)
        XCTAssertEqual(summary.filesRead, 0, "nothing changed: no export is parsed again")
        let (exports, fingerprint) = try XCTUnwrap(try index.reviewExports(in: ReviewLayout(study: study)))
        XCTAssertEqual(exports.map(\.name), ["papers.bib", "scopus.bib", "wos.ris"])
        XCTAssertEqual(exports, try ReviewState.readExports(in: ReviewLayout(study: study).folder))
        XCTAssertEqual(try index.read { db in try ReviewDedupeRecord.fetchCount(db) }, 1)
        // The fingerprint follows the contents, not the clock.
        XCTAssertEqual(try index.reviewExports(in: ReviewLayout(study: study))?.fingerprint, fingerprint)
    }

    func testAChangedExportIsReadAgainAndDeduplicatedAgain() throws {
        let (fixture, study) = try makeStudy()
        XCTAssertEqual(try ReviewState.load(study).dedupe.duplicateCount, 1)
        try fixture.write("corpus/literature/acm.bib", """
            @article{lee2021,
              author = {Lee, Kim},
              title = {Model Cards and Documentation Quality},
              journal = {TSE},
              year = {2021}
            }
            """)
        let state = try ReviewState.load(study)
        XCTAssertEqual(state.records.count, 7)
        XCTAssertEqual(state.dedupe.duplicateCount, 2, "the new copy of lee2021cards is found")
        assertSame(state, try fromFiles(study))
        try FileManager.default.removeItem(at: fixture.root.appendingPathComponent("corpus/literature/acm.bib"))
        let after = try ReviewState.load(study)
        XCTAssertEqual(after.records.count, 6)
        assertSame(after, try fromFiles(study))
    }

    func testADedupeDecisionIsHonouredWithoutAStaleResult() throws {
        let (fixture, study) = try makeStudy()
        let group = try XCTUnwrap(try ReviewState.load(study).dedupe.groups.first)
        let member = try XCTUnwrap(group.duplicates.first).recordID
        try fixture.write("corpus/literature/dedupe.csv", "group,record,decision,reviewer\n\(group.kept),\(member),not-duplicate,ana\n")
        let state = try ReviewState.load(study)
        XCTAssertEqual(state.dedupe.duplicateCount, 0)
        assertSame(state, try fromFiles(study))
    }

    func testADamagedIndexEntryIsReadFromTheFilesInstead() throws {
        let (_, study) = try makeStudy()
        _ = try ReviewState.load(study)
        let (index, _) = try StudyIndex.open(study)
        try index.write { db in
            try db.execute(sql: "UPDATE review_export SET records = x'FFFFFFFF'")
            try db.execute(sql: "UPDATE review_dedupe SET result = x'05'")
        }
        assertSame(try ReviewState.load(study), try fromFiles(study))
    }

    func testTheByteFormRoundTripsAndRefusesDamage() throws {
        let records = [
            BibliographicRecord(key: "a", type: "article", fields: ["title": "Über — “quoted” 😀", "year": "2020", "": ""],
                                location: SourceLocation(file: "x.bib", line: 3, column: 1)),
            BibliographicRecord(key: "", type: "misc", fields: [:], location: SourceLocation(file: "y.ris", line: nil, column: -7)),
        ]
        let data = ReviewCoding.encode(records)
        XCTAssertEqual(try ReviewCoding.decodeRecords(data), records)
        XCTAssertThrowsError(try ReviewCoding.decodeRecords(data.dropLast()))
        XCTAssertThrowsError(try ReviewCoding.decodeRecords(data + [0]))
        XCTAssertThrowsError(try ReviewCoding.decodeRecords(Data([0xFF, 0xFF, 0xFF, 0xFF, 0x0F])), "a huge count is refused, not allocated")
        let result = DedupeResult(groups: [DuplicateGroup(kept: "x.bib#a", duplicates: [.init(recordID: "y.ris#b", reason: "same DOI 10.1/x")])],
                                  unmatchedDecisions: [DedupeDecision(group: "g", record: "r", kind: .notDuplicate, reviewer: "ana")])
        XCTAssertEqual(try ReviewCoding.decodeDedupe(ReviewCoding.encode(result)), result)
        XCTAssertEqual(try ReviewCoding.decodeStrings(ReviewCoding.encode(["", "a:1: b"])), ["", "a:1: b"])
    }

    /// The real exports of a published SLR (BibTeX from Scopus, IEEE Xplore and ScienceDirect):
    /// the indexed review equals the review read from the files, duplicates and warnings included.
    func testRealExportsReadThroughTheIndexEqualTheFiles() throws {
        let folder: URL
        do { folder = try TestPaths.sharedData("bib/llm-in-mde-2025-slr-exports") } catch { throw XCTSkip("\(error)") }
        let (fixture, _) = try makeStudy()
        for name in ["scopus.bib", "IEEE_Xplore.bib", "ScienceDirect.bib"] {
            try FileManager.default.copyItem(at: folder.appendingPathComponent(name),
                                             to: fixture.root.appendingPathComponent("corpus/literature/real-\(name)"))
        }
        let study = try fixture.study
        let indexed = try ReviewState.load(study)
        XCTAssertGreaterThan(indexed.records.count, 100)
        assertSame(indexed, try fromFiles(study))
        assertSame(try ReviewState.load(study), try fromFiles(study))
    }
}
