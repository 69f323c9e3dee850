import Core
import Foundation
import Literature
import TestSupport
import XCTest

final class DedupeTests: XCTestCase {
    private func record(_ file: String, _ key: String, title: String, author: String? = nil, year: Int? = nil,
                        doi: String? = nil, extra: [String: String] = [:]) -> BibliographicRecord {
        var fields = extra
        fields["title"] = title
        if let author { fields["author"] = author }
        if let year { fields["year"] = String(year) }
        if let doi { fields["doi"] = doi }
        return BibliographicRecord(key: key, type: "article", fields: fields, location: SourceLocation(file: file, line: 1))
    }

    func testTitleNormalisationFoldsCaseAccentsAndPunctuation() {
        XCTAssertEqual(TitleNormalizer.normalize("  Über   Model-Driven\tEngineering: A Survey (2nd ed.)! "),
                       "uber model driven engineering a survey 2nd ed")
        XCTAssertEqual(TitleNormalizer.similarity("Model-driven engineering", "MODEL DRIVEN ENGINEERING"), 1.0)
        XCTAssertEqual(TitleNormalizer.similarity("a b c d", "a b c e"), 3.0 / 5.0, accuracy: 1e-12)
    }

    func testFirstAuthorFamilyNameFromEachNameStyle() {
        XCTAssertEqual(record("f", "a", title: "t", author: "Müller, Jörg and Doe, A").firstAuthorFamilyName, "muller")
        XCTAssertEqual(record("f", "a", title: "t", author: "Smith J.A. and Doe A.").firstAuthorFamilyName, "smith")
        XCTAssertEqual(record("f", "a", title: "t", author: "Ana García and Bob Doe").firstAuthorFamilyName, "garcia")
        XCTAssertNil(record("f", "a", title: "t").firstAuthorFamilyName)
    }

    func testSameDOIGroupsAndKeepsTheMostCompleteRecord() {
        let records = [
            record("scopus.bib", "s1", title: "Large language models for modelling", author: "Chen, Kua", year: 2024,
                   doi: "https://doi.org/10.1145/3652620.3687803", extra: ["abstract": "We study...", "journal": "MODELS"]),
            record("acm.bib", "a1", title: "LLMs for model completion", author: "Chen, K.", year: 2024, doi: "10.1145/3652620.3687803"),
            record("ieee.bib", "i1", title: "Something else entirely", author: "Doe, J", year: 2024, doi: "10.1109/other"),
        ]
        let result = Deduplicator().run(records)
        XCTAssertEqual(result.groups, [DuplicateGroup(
            kept: "scopus.bib#s1",
            duplicates: [.init(recordID: "acm.bib#a1", reason: "same DOI 10.1145/3652620.3687803")])])
        XCTAssertEqual(result.duplicateCount, 1)
        XCTAssertEqual(result.removedRecordIDs, ["acm.bib#a1"])
    }

    func testSimilarTitlesNeedCloseYearsAndTheSameFirstAuthor() {
        let title = "Towards automated model completion with large language models: an empirical evaluation study"
        let records = [
            record("a.bib", "1", title: title, author: "García, Ana", year: 2024),
            record("b.bib", "2", title: title.uppercased() + ".", author: "Ana Garcia", year: 2025),
            record("c.bib", "3", title: title, author: "Zhou, Li", year: 2024),
            record("d.bib", "4", title: title, author: "García, Ana", year: 2021),
            record("e.bib", "5", title: "Towards automated model completion with large language models an empirical evaluation",
                   author: "Garcia, A.", year: 2024),
            record("f.bib", "6", title: title, author: "García, Ana", year: 2024, doi: "10.1/x"),
            record("g.bib", "7", title: title, author: "García, Ana", year: 2024, doi: "10.1/y"),
        ]
        let result = Deduplicator().run(records)
        XCTAssertEqual(result.groups.count, 1)
        let group = result.groups[0]
        XCTAssertEqual(group.kept, "f.bib#6")
        XCTAssertEqual(group.duplicates, [
            .init(recordID: "a.bib#1", reason: "title 1.00 similar, same year, same first author"),
            .init(recordID: "b.bib#2", reason: "title 1.00 similar, years 1 apart, same first author"),
            .init(recordID: "e.bib#5", reason: "title 0.92 similar, same year, same first author"),
            .init(recordID: "g.bib#7", reason: "title 1.00 similar, same year, same first author (different DOIs)"),
        ])
        XCTAssertFalse(result.removedRecordIDs.contains("c.bib#3"))
        XCTAssertFalse(result.removedRecordIDs.contains("d.bib#4"))
    }

    func testDifferentDOIsNeedIdenticalTitlesInTheSameYear() {
        let title = "Model-driven engineering of digital twins: a systematic mapping study of tools"
        let records = [
            record("a.bib", "1", title: title, author: "Doe, J", year: 2024, doi: "10.1145/1"),
            record("b.bib", "2", title: title + ".", author: "Doe, J", year: 2024, doi: "10.1109/2"),
            record("c.bib", "3", title: title + " and methods", author: "Doe, J", year: 2024, doi: "10.1109/3"),
            record("d.bib", "4", title: title, author: "Doe, J", year: 2025, doi: "10.1109/4"),
            record("e.bib", "5", title: title, author: "Doe, J", year: 2024, doi: "10.6688/jise.202501\\_41(1).0008"),
            record("f.bib", "6", title: "Something else", author: "Roe, R", year: 2025, doi: "10.6688/jise.202501_41(1).0008"),
        ]
        XCTAssertEqual(Deduplicator().run(records).groups, [
            DuplicateGroup(kept: "a.bib#1", duplicates: [
                .init(recordID: "b.bib#2", reason: "title 1.00 similar, same year, same first author (different DOIs)"),
                .init(recordID: "e.bib#5", reason: "title 1.00 similar, same year, same first author (different DOIs)"),
                .init(recordID: "f.bib#6", reason: "same DOI 10.6688/jise.202501_41(1).0008 to e.bib#5"),
            ]),
        ])
    }

    func testVolumesOfOneProceedingsStayApartAndRepeatedKeysBecomeUnique() {
        let title = "24th International Conference on Algorithms and Architectures for Parallel Processing, ICA3PP 2024"
        let records = BibliographicRecord.withUniqueKeys([
            record("scopus.bib", "2025", title: title, year: 2025, extra: ["volume": "15254 LNCS"]),
            record("scopus.bib", "2025", title: title, year: 2025, extra: ["volume": "15253 LNCS"]),
            record("scopus.bib", "2025", title: title, year: 2025, extra: ["volume": "15253"]),
            record("wos.bib", "2025", title: title, year: 2025, extra: ["volume": "15252"]),
        ])
        XCTAssertEqual(records.map(\.recordID), ["scopus.bib#2025", "scopus.bib#2025-2", "scopus.bib#2025-3", "wos.bib#2025"])
        XCTAssertEqual(Deduplicator().run(records).groups.map { [$0.kept] + $0.duplicates.map(\.recordID) }, [
            ["scopus.bib#2025-2", "scopus.bib#2025-3"],
        ])
    }

    func testShortTitlesWithoutAuthorsNeverMatch() {
        let records = [
            record("a.bib", "1", title: "Preface", year: 2024),
            record("b.bib", "2", title: "Preface", year: 2024),
            record("c.bib", "3", title: "Model repair with graph transformation and search", year: 2024),
            record("d.bib", "4", title: "Model repair with graph transformation and search", year: 2024),
        ]
        let groups = Deduplicator().run(records).groups
        XCTAssertEqual(groups.map(\.kept), ["c.bib#3"])
        XCTAssertEqual(groups[0].duplicates.map(\.reason), ["title 1.00 similar, same year, no author on one"])
    }

    func testLowerThresholdFindsLooserMatches() {
        let records = [
            record("a.bib", "1", title: "one two three four five six", author: "Doe, J", year: 2020),
            record("b.bib", "2", title: "one two three four five seven", author: "Doe, J", year: 2020),
        ]
        XCTAssertTrue(Deduplicator().run(records).groups.isEmpty)
        XCTAssertEqual(Deduplicator(threshold: 0.7).run(records).groups.map(\.kept), ["a.bib#1"])
    }

    func testReviewerDecisionsSplitAndJoinRecords() throws {
        let title = "A survey of large language models in model-driven software engineering"
        let records = [
            record("a.bib", "1", title: title, author: "Doe, J", year: 2024, extra: ["abstract": "x"]),
            record("b.bib", "2", title: title, author: "Doe, J", year: 2024),
            record("c.bib", "3", title: title, author: "Doe, J", year: 2024),
            record("d.bib", "4", title: "LLMs in MDE: a survey", author: "Doe, J", year: 2024),
        ]
        let decisions = [
            DedupeDecision(group: "a.bib#1", record: "c.bib#3", kind: .notDuplicate, reviewer: "ana"),
            DedupeDecision(group: "a.bib#1", record: "d.bib#4", kind: .duplicateOf, reviewer: "ana"),
            DedupeDecision(group: "a.bib#1", record: "b.bib#2", kind: .duplicateOf, reviewer: "bo"),
            DedupeDecision(group: "a.bib#1", record: "z.bib#9", kind: .duplicateOf, reviewer: "bo"),
        ]
        let result = Deduplicator().run(records, decisions: decisions)
        XCTAssertEqual(result.groups, [DuplicateGroup(kept: "a.bib#1", duplicates: [
            .init(recordID: "b.bib#2", reason: "title 1.00 similar, same year, same first author; confirmed by bo"),
            .init(recordID: "d.bib#4", reason: "marked duplicate of a.bib#1 by ana"),
        ])])
        XCTAssertEqual(result.unmatchedDecisions, [decisions[3]])

        let text = DedupeDecisionFile.csv(decisions)
        XCTAssertEqual(text.components(separatedBy: "\n")[0], "group,record,decision,reviewer")
        XCTAssertEqual(try DedupeDecisionFile.parse(text, file: "dedupe.csv"), decisions)
        let directory = try TestPaths.temporaryDirectory(for: self)
        let url = directory.appendingPathComponent("dedupe.csv")
        try DedupeDecisionFile.append(Array(decisions.prefix(2)), to: url, displayPath: "dedupe.csv")
        try DedupeDecisionFile.append(Array(decisions.suffix(2)), to: url, displayPath: "dedupe.csv")
        XCTAssertEqual(try DedupeDecisionFile.read(url, displayPath: "dedupe.csv"), decisions)
        XCTAssertEqual(try String(contentsOf: url, encoding: .utf8), text)
    }

    func testDecisionFileErrorsAreLocated() {
        XCTAssertThrowsError(try DedupeDecisionFile.parse("group,record,decision,reviewer\na#1,b#2,same,ana\n", file: "dedupe.csv")) {
            XCTAssertEqual("\($0)", "dedupe.csv:2:3: expected 'duplicate-of' or 'not-duplicate', found 'same'")
        }
        XCTAssertThrowsError(try DedupeDecisionFile.parse("group,record,verdict,reviewer\n", file: "dedupe.csv")) {
            XCTAssertEqual("\($0)", "dedupe.csv:1:1: expected a header with the columns group,record,decision,reviewer (missing 'decision'), found 'group,record,verdict,reviewer'")
        }
    }

    /// 15,000 records with 3,000 planted duplicates (a third by DOI, the rest by a title edit);
    /// prints the time and asserts only the counts. Run with `swift test -c release --filter DedupeTests`.
    func testFifteenThousandRecordsBenchmark() {
        let words = (0..<4_000).map { "w\(String($0, radix: 36))" }
        var state: UInt64 = 42
        func next() -> Int {
            state = state &* 6364136223846793005 &+ 1442695040888963407
            return Int(state >> 33)
        }
        var records: [BibliographicRecord] = []
        for index in 0..<12_000 {
            let title = (0..<(8 + index % 7)).map { _ in words[next() % words.count] }.joined(separator: " ")
            records.append(record("db\(index % 5).bib", "r\(index)", title: title, author: "Author\(next() % 900), X",
                                  year: 1990 + index % 35, doi: index % 2 == 0 ? "10.1000/\(index)" : nil))
        }
        for index in 0..<3_000 {
            let original = records[index * 4]
            if index % 3 == 0 {
                records.append(record("dup.bib", "d\(index)", title: "Different words entirely \(index)", author: "Other, Y",
                                      year: original.year, doi: original.doi))
            } else {
                records.append(record("dup.bib", "d\(index)", title: original.title!.uppercased() + ".",
                                      author: original.fields["author"], year: original.year.map { $0 + 1 }))
            }
        }
        let clock = ContinuousClock()
        var result = DedupeResult(groups: [], unmatchedDecisions: [])
        let elapsed = clock.measure { result = Deduplicator().run(records) }
        XCTAssertEqual(result.duplicateCount, 3_000)
        XCTAssertEqual(result.groups.count, 3_000)
        print("benchmark: dedupe: \(records.count) records, \(result.groups.count) groups in \(elapsed)")
    }
}
