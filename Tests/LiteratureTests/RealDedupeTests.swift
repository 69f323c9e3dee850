import Core
import Foundation
import Literature
import TestSupport
import XCTest

/// Deduplication across the five database exports of a real 2025 SLR (LLMs in model-driven
/// engineering; see ../shared/data/bib/llm-in-mde-2025-slr-exports/PROVENANCE.md).
final class RealDedupeTests: XCTestCase {
    static let files = ["acm.bib", "scopus.bib", "IEEE_Xplore.bib", "ScienceDirect.bib", "web_of_science.bib"]

    private func records() throws -> [BibliographicRecord] {
        let folder = try TestPaths.sharedData("bib/llm-in-mde-2025-slr-exports")
        return BibliographicRecord.withUniqueKeys(try Self.files.flatMap { name in
            try LiteratureReader.read(folder.appendingPathComponent(name), displayPath: name).records
        })
    }

    func testExportsDeduplicateAcrossDatabases() throws {
        let records = try records()
        let result = Deduplicator().run(records)
        let byID = Dictionary(records.map { ($0.recordID, $0) }, uniquingKeysWith: { first, _ in first })
        if ProcessInfo.processInfo.environment["TRIANGULATE_PRINT_DEDUPE"] == "1" {
            for group in result.groups {
                print("GROUP kept \(group.kept) | \(byID[group.kept]!.title ?? "")")
                for member in group.duplicates { print("    \(member.recordID) [\(member.reason)] | \(byID[member.recordID]!.title ?? "")") }
            }
            var kept: [String: String] = [:]
            for group in result.groups { for member in group.duplicates { kept[member.recordID] = group.kept } }
            var byTitle: [String: [BibliographicRecord]] = [:]
            for record in records { byTitle[TitleNormalizer.normalize(record.title ?? ""), default: []].append(record) }
            for (title, same) in byTitle.sorted(by: { $0.key < $1.key }) where same.count > 1 {
                let roots = Set(same.map { kept[$0.recordID] ?? $0.recordID })
                if roots.count > 1 {
                    print("SPLIT \(title)")
                    for record in same {
                        print("    \(record.recordID) \(record.year ?? 0) \(record.firstAuthorFamilyName ?? "-") \(record.doi ?? "-") vol \(record.fields["volume"] ?? "-")")
                    }
                }
            }
        }
        print("real dedupe: \(records.count) records, \(result.groups.count) groups, \(result.duplicateCount) duplicates removed")
        XCTAssertEqual(records.count, 1_675)
        XCTAssertEqual(result.groups.count, 219)
        XCTAssertEqual(result.duplicateCount, 251)

        // Spot checks, read by hand against the exports.
        let groups = Dictionary(uniqueKeysWithValues: result.groups.map { ($0.kept, $0) })
        // ACM and IEEE gave this co-published MLCAD paper one DOI each; Scopus copied ACM's.
        XCTAssertEqual(groups["acm.bib#10.1145/3670474.3685948"]?.duplicates, [
            .init(recordID: "IEEE_Xplore.bib#c_batten_pyhdl-eval_2024",
                  reason: "title 1.00 similar, same year, same first author (different DOIs)"),
            .init(recordID: "scopus.bib#Batten2024", reason: "same DOI 10.1145/3670474.3685948"),
        ])
        // IEEE's record of this InteNSE workshop paper has no DOI; names are `{B. Darnell}` there.
        XCTAssertEqual(groups["acm.bib#10.1145/3643661.3643951"]?.duplicates, [
            .init(recordID: "IEEE_Xplore.bib#b_darnell_empirical_2024", reason: "title 1.00 similar, same year, same first author"),
            .init(recordID: "scopus.bib#Darnell20241", reason: "same DOI 10.1145/3643661.3643951"),
        ])
        // Web of Science escapes the underscore of this DOI (`202501\_41`); Scopus does not.
        XCTAssertEqual(groups.values.first { $0.duplicates.contains { $0.recordID == "web_of_science.bib#WOS:001415162100010" } }?.kept,
                       "scopus.bib#Ma2025137")
        // Scopus keys the six LNCS volumes of ICA3PP 2024 all `2025`; same title, different volumes.
        let volumes = records.filter { $0.title?.hasPrefix("24th International Conference on Algorithms") == true }
        XCTAssertEqual(volumes.count, 6)
        XCTAssertTrue(volumes.allSatisfy { !result.removedRecordIDs.contains($0.recordID) })

        let counts = PRISMACounts.compute(
            records: records, searchLog: try SearchLog(), dedupe: result,
            ledger: ScreeningLedger(criteria: try ScreeningCriteria(include: [], exclude: []), decisions: []))
        XCTAssertEqual(counts.identified.map(\.database), ["IEEE_Xplore.bib", "ScienceDirect.bib", "acm.bib", "scopus.bib", "web_of_science.bib"])
        XCTAssertEqual(counts.identified.map(\.count), [452, 238, 353, 390, 242])
        XCTAssertEqual(counts.duplicatesRemoved, 251)
        XCTAssertEqual(counts.screened, 1_675 - 251)
        XCTAssertEqual(counts.awaitingScreening, 1_675 - 251)
        XCTAssertEqual(counts.included, 0)
    }
}
