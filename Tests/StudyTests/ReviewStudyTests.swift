import Core
import Foundation
import Literature
import Statistics
import Index
import Project
import Study
import TestSupport
import XCTest

/// The literature review wired into a study: files written, statuses, screening, reports.
final class ReviewStudyTests: XCTestCase {
    func makeStudy() throws -> (StudyFixture, Study) {
        let fixture = try StudyFixture(self)
        try fixture.write("triangulate.yaml", ReviewFixture.settings)
        let source = fixture.root.deletingLastPathComponent().appendingPathComponent("scopus.bib")
        try ReviewFixture.export.write(to: source, atomically: true, encoding: .utf8)
        let study = try fixture.study
        let outcome = try ReviewRecorder(study: study).importExport(
            from: source, displayPath: "scopus.bib", name: nil, database: "scopus", search: nil, mapping: nil)
        XCTAssertEqual(outcome.file, "corpus/literature/scopus.bib")
        return (fixture, study)
    }

    func testSettingsReadAndWriteTheScreeningSection() throws {
        let (_, study) = try makeStudy()
        let criteria = try XCTUnwrap(study.settings.screening)
        XCTAssertEqual(criteria.stages, ["title-abstract", "full-text"])
        XCTAssertEqual(criteria.exclude.map(\.id), ["E1", "E2"])
        XCTAssertEqual(study.settings.screeningReviewers, ["ana", "ben"])
        let folder = try TestPaths.temporaryDirectory(for: self)
        let url = folder.appendingPathComponent("triangulate.yaml")
        try study.settings.yamlText.write(to: url, atomically: true, encoding: .utf8)
        XCTAssertEqual(try StudySettings.read(url, displayPath: "triangulate.yaml"), study.settings)
    }

    func testSettingsReadStagesWithTheirOwnCriteriaAndScreeningUsesThem() throws {
        let (fixture, _) = try makeStudy()
        try fixture.write("triangulate.yaml", """
            title: T
            screening:
              stages:
                - title-abstract
                - name: full-text
                  exclude:
                    - id: F1
                      text: No evaluation
              reviewers: [ana]
              include:
                - id: I1
                  text: Studies model reuse
              exclude:
                - id: E1
                  text: Not software engineering

            """)
        let study = try fixture.study
        let criteria = try XCTUnwrap(study.settings.screening)
        XCTAssertEqual(criteria.exclusionCriteria(at: "full-text").map(\.id), ["F1"])
        XCTAssertEqual(study.settings.screeningReviewers, ["ana"])
        let url = try TestPaths.temporaryDirectory(for: self).appendingPathComponent("triangulate.yaml")
        try study.settings.yamlText.write(to: url, atomically: true, encoding: .utf8)
        XCTAssertEqual(try StudySettings.read(url, displayPath: "triangulate.yaml"), study.settings)
        let recorder = ReviewRecorder(study: study)
        let record = "scopus.bib#smith2020reuse"
        _ = try recorder.screen(record: record, stage: "title-abstract", verdict: .include, criterion: nil, note: "", reviewer: "ana")
        XCTAssertThrowsError(try recorder.screen(record: record, stage: "full-text", verdict: .exclude, criterion: "E1", note: "", reviewer: "ana"))
        _ = try recorder.screen(record: record, stage: "full-text", verdict: .exclude, criterion: "F1", note: "", reviewer: "ana")
        XCTAssertEqual(try ReviewState.load(study).status(of: record), .excluded(criterion: "F1", stage: "full-text"))
        try fixture.write("triangulate.yaml", "title: T\nscreening:\n  stages: [a]\n  reviewer: [ana]\n")
        XCTAssertThrowsError(try fixture.study) {
            XCTAssertEqual("\($0)", "triangulate.yaml:4:3: unknown key 'reviewer' in 'screening'; expected one of: stages, include, exclude, reviewers")
        }
    }

    func testSettingsRefuseARepeatedCriterionId() throws {
        let folder = try TestPaths.temporaryDirectory(for: self)
        let url = folder.appendingPathComponent("triangulate.yaml")
        try "title: T\nscreening:\n  exclude:\n    - id: E1\n      text: a\n    - id: E1\n      text: b\n".write(to: url, atomically: true, encoding: .utf8)
        XCTAssertThrowsError(try StudySettings.read(url, displayPath: "triangulate.yaml")) { error in
            XCTAssertTrue(String(describing: error).contains("triangulate.yaml:"), "\(error)")
            XCTAssertTrue(String(describing: error).contains("'E1'"), "\(error)")
        }
    }

    func testImportKeepsGoodRecordsWarnsWithLinesAndRefusesExistingNames() throws {
        let (fixture, study) = try makeStudy()
        let state = try ReviewState.load(study)
        XCTAssertEqual(state.records.filter { $0.location.file == "scopus.bib" }.map(\.key), ["smith2020reuse", "lee2021cards", "ortiz2019farms"])
        XCTAssertTrue(state.warnings.contains { $0.hasPrefix("corpus/literature/scopus.bib:10:") }, "\(state.warnings)")
        XCTAssertEqual(state.database(of: state.byID["scopus.bib#smith2020reuse"]!), "scopus")
        let source = fixture.root.deletingLastPathComponent().appendingPathComponent("scopus.bib")
        // The same file again is idempotent (issue 9: a re-import of an identical file changes
        // nothing); another file under an existing name is refused.
        let again = try ReviewRecorder(study: study).importExport(
            from: source, displayPath: "scopus.bib", name: nil, database: nil, search: nil, mapping: nil)
        XCTAssertTrue(again.alreadyImported)
        try (String(contentsOf: source, encoding: .utf8) + "\n% edited\n").write(to: source, atomically: true, encoding: .utf8)
        XCTAssertThrowsError(try ReviewRecorder(study: study).importExport(
            from: source, displayPath: "scopus.bib", name: nil, database: nil, search: nil, mapping: nil)) { error in
            XCTAssertTrue(String(describing: error).contains("already exists"), "\(error)")
        }
    }

    func testCSVImportWritesBibTeXAndKeepsTheOriginal() throws {
        let (fixture, study) = try makeStudy()
        let csv = fixture.root.deletingLastPathComponent().appendingPathComponent("labelled.csv")
        try "record_id,title,abstract,authors,year,label_included\n1,Reuse of Models,Text,\"Smith, J.\",2020,1\n2,,No title,,2020,0\n"
            .write(to: csv, atomically: true, encoding: .utf8)
        let outcome = try ReviewRecorder(study: study).importExport(
            from: csv, displayPath: "labelled.csv", name: nil, database: "asreview", search: nil, mapping: .asreview)
        XCTAssertEqual(outcome.file, "corpus/literature/labelled.bib")
        XCTAssertEqual(outcome.records, 1)
        XCTAssertTrue(outcome.warnings.first?.hasPrefix("labelled.csv:3:") ?? false, "\(outcome.warnings)")
        XCTAssertTrue(FileManager.default.fileExists(atPath: fixture.root.appendingPathComponent("corpus/literature/originals/labelled.csv").path))
        XCTAssertEqual(try ReviewState.load(study).byID["labelled.bib#1"]?.title, "Reuse of Models")

        let bad = fixture.root.deletingLastPathComponent().appendingPathComponent("bad.csv")
        try "name,year\nx,2020\n".write(to: bad, atomically: true, encoding: .utf8)
        XCTAssertThrowsError(try ReviewRecorder(study: study).importExport(
            from: bad, displayPath: "bad.csv", name: nil, database: nil, search: nil, mapping: .asreview)) { error in
            XCTAssertTrue(String(describing: error).hasPrefix("bad.csv:1:1:"), "\(error)")
        }
        XCTAssertFalse(FileManager.default.fileExists(atPath: fixture.root.appendingPathComponent("corpus/literature/bad.bib").path))
    }

    func testSearchLogDefaultsHitsToTheImportedRecords() throws {
        let (fixture, study) = try makeStudy()
        let entry = try ReviewRecorder(study: study).addSearch(
            id: nil, database: "scopus", query: "reuse AND model", date: "2025-09-05", file: "corpus/literature/scopus.bib", hits: nil)
        XCTAssertEqual(entry.id, "S1")
        XCTAssertEqual(entry.hits, 3)
        XCTAssertTrue(try fixture.read("corpus/literature/searches.yaml").contains("file: scopus.bib"))
        XCTAssertThrowsError(try ReviewRecorder(study: study).addSearch(
            id: nil, database: "ieee", query: "q", date: "2025-02-30", file: "ieee.bib", hits: 3))
    }

    func testScreeningConflictsResolutionAndStatuses() throws {
        let (fixture, study) = try makeStudy()
        let recorder = ReviewRecorder(study: study)
        _ = try recorder.screen(record: "smith2020reuse", stage: "title-abstract", verdict: .include, criterion: nil, note: "", reviewer: "ana")
        _ = try recorder.screen(record: "smith2020reuse", stage: "title-abstract", verdict: .include, criterion: "I1", note: "", reviewer: "ben")
        _ = try recorder.screen(record: "lee2021cards", stage: "title-abstract", verdict: .include, criterion: nil, note: "", reviewer: "ana")
        _ = try recorder.screen(record: "lee2021cards", stage: "title-abstract", verdict: .exclude, criterion: "E2", note: "preprint", reviewer: "ben")
        _ = try recorder.screen(record: "ortiz2019farms", stage: "title-abstract", verdict: .exclude, criterion: "E1", note: "", reviewer: "ana")
        XCTAssertThrowsError(try recorder.screen(record: "ortiz2019farms", stage: "title-abstract", verdict: .exclude, criterion: "E9", note: "", reviewer: "ben"))
        XCTAssertThrowsError(try recorder.screen(record: "lee2021cards", stage: "full-text", verdict: .include, criterion: nil, note: "", reviewer: "ana"))
        XCTAssertEqual(try fixture.read("corpus/literature/screening/ben.csv"),
                       "record,stage,decision,criterion,note\nscopus.bib#smith2020reuse,title-abstract,include,I1,\nscopus.bib#lee2021cards,title-abstract,exclude,E2,preprint\n")

        var state = try ReviewState.load(study)
        XCTAssertEqual(state.conflicts(at: nil).map(\.record), ["scopus.bib#lee2021cards"])
        XCTAssertEqual(state.status(of: "scopus.bib#lee2021cards"), .pending(stage: "title-abstract"))
        XCTAssertEqual(state.status(of: "scopus.bib#smith2020reuse"), .pending(stage: "full-text"))
        XCTAssertEqual(state.status(of: "scopus.bib#ortiz2019farms"), .excluded(criterion: "E1", stage: "title-abstract"))
        // Ben included the reuse paper and excluded the cards one: the other reuse paper comes first.
        XCTAssertEqual(state.nextRecord(for: "ben", stage: "title-abstract", seed: 0), "papers.bib#jiang2023empirical")
        XCTAssertEqual(state.nextRecord(for: "ana", stage: "full-text", seed: 0), "scopus.bib#smith2020reuse")

        _ = try recorder.resolve(record: "lee2021cards", stage: "title-abstract", verdict: .exclude, criterion: "E2", note: "", resolver: "carla")
        _ = try recorder.screen(record: "smith2020reuse", stage: "full-text", verdict: .include, criterion: nil, note: "", reviewer: "ana")
        state = try ReviewState.load(study)
        XCTAssertTrue(state.conflicts(at: nil).isEmpty)
        XCTAssertEqual(state.status(of: "scopus.bib#smith2020reuse"), .included)
        XCTAssertEqual(try study.reviewStatus(ofPaperKey: "lee2021cards"), .excluded(criterion: "E2", stage: "title-abstract"))
        XCTAssertEqual(try study.reviewStatus(ofPaperKey: "jiang2023empirical"), .unscreened)
        XCTAssertEqual(try study.reviewStatus(ofPaperKey: "missing2020"), .unknown)

        let prisma = state.prisma()
        XCTAssertEqual(prisma.identifiedTotal, 4)
        XCTAssertEqual(prisma.excludedAtScreening, 2)
        XCTAssertEqual(prisma.included, 1)
        XCTAssertEqual(prisma.awaitingScreening, 1)
        // Every arrow of the study's diagram adds up (identified − removed = screened, …).
        XCTAssertEqual(prisma.reconciliation(), [])
    }

    func testClaimsCitingExcludedOrUnscreenedPapersAreWarnedAbout() throws {
        let (fixture, study) = try makeStudy()
        try fixture.write("corpus/claims/C7.yaml", "id: C7\nstatement: Cards matter.\nsources:\n  - paper: lee2021cards\n  - paper: smith2020reuse\n")
        let recorder = ReviewRecorder(study: study)
        for reviewer in ["ana", "ben"] {
            _ = try recorder.screen(record: "lee2021cards", stage: "title-abstract", verdict: .exclude, criterion: "E2", note: "", reviewer: reviewer)
        }
        let (index, _) = try StudyIndex.open(study)
        let warnings = try index.status().claimWarnings
        XCTAssertTrue(warnings.contains("corpus/claims/C1.yaml: claim C1 cites 'jiang2023empirical', which is unscreened in the literature review"), "\(warnings)")
        XCTAssertTrue(warnings.contains("corpus/claims/C7.yaml: claim C7 cites 'lee2021cards', which is excluded (E2 at title-abstract) in the literature review"), "\(warnings)")
        XCTAssertEqual(warnings.count, 3, "smith2020reuse is unscreened too: \(warnings)")
        let matrix = try MatrixBuilder(study: study, index: index).build()
        for warning in warnings { XCTAssertTrue(matrix.warnings.contains(warning), warning) }
    }

    func testAgreementIsCohensKappaOverTheDoublyScreenedRecords() throws {
        let (_, study) = try makeStudy()
        let recorder = ReviewRecorder(study: study)
        let decisions: [(String, ScreeningVerdict, ScreeningVerdict)] = [
            ("smith2020reuse", .include, .include), ("lee2021cards", .include, .exclude), ("ortiz2019farms", .exclude, .exclude),
        ]
        for (record, ana, ben) in decisions {
            _ = try recorder.screen(record: record, stage: "title-abstract", verdict: ana, criterion: ana == .exclude ? "E1" : nil, note: "", reviewer: "ana")
            _ = try recorder.screen(record: record, stage: "title-abstract", verdict: ben, criterion: ben == .exclude ? "E1" : nil, note: "", reviewer: "ben")
        }
        let result = try XCTUnwrap(try ReviewState.load(study).agreement(at: "title-abstract").first)
        let expected = try Agreement.cohensKappa(RatingTable(
            coders: ["ana", "ben"], ratings: decisions.map { [$0.1.rawValue, $0.2.rawValue] }))
        XCTAssertEqual(result.measure, "Cohen's kappa")
        XCTAssertEqual(result.records, 3)
        XCTAssertEqual(try XCTUnwrap(result.kappa), expected.value, accuracy: 1e-12)
        XCTAssertNotNil(try ReviewState.load(study).agreement(at: "full-text").first?.note)
    }

    func testDuplicatesAreGroupedAndCanBeSplit() throws {
        let (fixture, study) = try makeStudy()
        try fixture.write("corpus/literature/ieee.bib", """
            @article{smith2020,
              author = {Smith, J.},
              title = {Reuse of pre-trained models in practice},
              year = {2020},
              doi = {https://doi.org/10.1000/REUSE}
            }
            """)
        var state = try ReviewState.load(study)
        XCTAssertEqual(state.dedupe.groups.count, 1)
        let group = try XCTUnwrap(state.dedupe.groups.first)
        let duplicate = try XCTUnwrap(group.duplicates.first?.recordID)
        XCTAssertTrue(group.duplicates[0].reason.contains("DOI"))
        XCTAssertEqual(state.status(of: duplicate), .duplicate(of: group.kept))
        XCTAssertThrowsError(try ReviewRecorder(study: study).screen(
            record: duplicate, stage: "title-abstract", verdict: .include, criterion: nil, note: "", reviewer: "ana"))
        _ = try ReviewRecorder(study: study).decideDuplicate(group: group.kept, record: duplicate, kind: .notDuplicate, reviewer: "ana")
        XCTAssertEqual(try fixture.read("corpus/literature/dedupe.csv"),
                       "group,record,decision,reviewer\n\(group.kept),\(duplicate),not-duplicate,ana\n")
        state = try ReviewState.load(study)
        XCTAssertTrue(state.dedupe.groups.isEmpty)
        XCTAssertEqual(state.status(of: duplicate), .unscreened)
    }

    func testSnowballingAndExtraction() throws {
        let (fixture, study) = try makeStudy()
        let recorder = ReviewRecorder(study: study)
        _ = try recorder.addSnowballLink(record: "lee2021cards", from: "smith2020reuse", direction: .backward, iteration: 1)
        XCTAssertThrowsError(try recorder.addSnowballLink(record: "lee2021cards", from: "smith2020reuse", direction: .backward, iteration: 2))
        XCTAssertEqual(try fixture.read("corpus/literature/snowballing.csv"),
                       "record,source,direction,iteration\nscopus.bib#lee2021cards,scopus.bib#smith2020reuse,backward,1\n")

        XCTAssertThrowsError(try recorder.extract(record: "smith2020reuse", reviewer: "ana", values: ["method": "survey"]))
        try fixture.write("corpus/literature/extraction.yaml", """
            fields:
              - id: method
                label: Research method
                type: choice
                choices: [survey, experiment, case-study]
              - id: participants
                type: number
              - id: replication
                type: yes-no
            """)
        _ = try recorder.extract(record: "smith2020reuse", reviewer: "ana", values: ["method": "survey", "participants": "120"])
        _ = try recorder.extract(record: "smith2020reuse", reviewer: "ana", values: ["replication": "no"])
        _ = try recorder.extract(record: "smith2020reuse", reviewer: "ben", values: ["method": "case-study"])
        XCTAssertThrowsError(try recorder.extract(record: "smith2020reuse", reviewer: "ana", values: ["participants": "many"])) { error in
            XCTAssertTrue(String(describing: error).contains("expected a number for 'participants'"), "\(error)")
        }
        XCTAssertThrowsError(try recorder.extract(record: "smith2020reuse", reviewer: "ana", values: ["venue": "ICSE"]))
        XCTAssertEqual(try recorder.extractionExport(), """
            record,reviewer,method,participants,replication
            scopus.bib#smith2020reuse,ana,survey,120,no
            scopus.bib#smith2020reuse,ben,case-study,,

            """)
    }

    func testNextIsDeterministicAndLearnsFromDecisions() throws {
        let (_, study) = try makeStudy()
        let first = try ReviewState.load(study).next(limit: nil, seed: 7)
        XCTAssertEqual(first, try ReviewState.load(study).next(limit: nil, seed: 7))
        XCTAssertEqual(first.count, 4)
        XCTAssertTrue(first.allSatisfy { $0.score == nil })
        let recorder = ReviewRecorder(study: study)
        _ = try recorder.screen(record: "smith2020reuse", stage: "title-abstract", verdict: .include, criterion: nil, note: "", reviewer: "ana")
        _ = try recorder.screen(record: "ortiz2019farms", stage: "title-abstract", verdict: .exclude, criterion: "E1", note: "", reviewer: "ana")
        let ranked = try ReviewState.load(study).next(limit: 10, seed: 7)
        XCTAssertEqual(ranked.map(\.record).sorted(), ["papers.bib#jiang2023empirical", "scopus.bib#lee2021cards"])
        XCTAssertTrue(ranked.allSatisfy { $0.score != nil })
        XCTAssertEqual(ranked.map(\.rank), [1, 2])
    }

    func testSimulationOnKitchenham2010() throws {
        let url = try TestPaths.sharedData("slr/asreview-systematic-review-datasets/Kitchenham_2010.csv")
        let report = try ReviewSimulation.run(labels: url, displayPath: "Kitchenham_2010.csv", seed: 0, batch: 25)
        XCTAssertEqual(report.records + report.priors.count + report.unlabelled, 1704)
        XCTAssertEqual(report.milestones.map(\.recall), [0.5, 0.8, 0.9, 0.95, 1.0])
        XCTAssertEqual(report.milestones.map(\.screened), report.milestones.map(\.screened).sorted())
        XCTAssertEqual(report.curve.last, report.relevant)
        // Random screening scores about 0; ASReview reports WSS@95 well above 0.3 on this dataset.
        XCTAssertGreaterThan(report.wss95, 0.3)
    }
}

/// Issue 13: decisions from other tools, the screening loop's parts, stopping, paths.
extension ReviewStudyTests {
    private func writeOutside(_ fixture: StudyFixture, _ name: String, _ text: String) throws -> URL {
        let url = fixture.root.deletingLastPathComponent().appendingPathComponent(name)
        try text.write(to: url, atomically: true, encoding: .utf8)
        return url
    }

    func testImportedDecisionsAreAllOrNothingUnlessPartial() throws {
        let (fixture, study) = try makeStudy()
        let recorder = ReviewRecorder(study: study)
        let file = try writeOutside(fixture, "asreview.csv", """
            record_id,title,year,doi,included
            1,Reuse of Pre-Trained Models in Practice,2020,https://doi.org/10.1000/REUSE,1
            2,Model cards and documentation quality,2021,,0
            3,A paper no export holds,2022,,1
            4,Crop Yields in Dry Farming,2019,,

            """)
        XCTAssertThrowsError(try recorder.importDecisions(from: file, displayPath: "asreview.csv", source: nil, columns: nil, reviewer: "ana",
                                                          unexplainedExclusion: "E1", partial: false)) { error in
            guard let rejected = error as? DecisionImportRejected else { return XCTFail("\(error)") }
            XCTAssertEqual(rejected.outcome.problems.count, 1, "\(rejected.outcome.problems)")
            XCTAssertTrue(rejected.outcome.problems[0].hasPrefix("asreview.csv:4:1: "), rejected.outcome.problems[0])
            XCTAssertEqual(rejected.outcome.unmatchedLines, [4])
            XCTAssertTrue(rejected.message.contains("so no decision was imported"), rejected.message)
        }
        XCTAssertFalse(FileManager.default.fileExists(atPath: fixture.root.appendingPathComponent("corpus/literature/screening/ana.csv").path))

        let outcome = try recorder.importDecisions(from: file, displayPath: "asreview.csv", source: nil, columns: nil, reviewer: "ana",
                                                   unexplainedExclusion: "E1", partial: true)
        XCTAssertEqual(outcome.source, "asreview")
        XCTAssertEqual(outcome.recorded, 2)
        XCTAssertEqual(outcome.matchedByDOI, 1)
        XCTAssertEqual(outcome.matchedByKey, 1)
        XCTAssertEqual(outcome.undecidedRows, 1)
        XCTAssertEqual(try fixture.read("corpus/literature/screening/ana.csv"), """
            record,stage,decision,criterion,note
            scopus.bib#smith2020reuse,title-abstract,include,,imported from asreview.csv:2 (asreview)
            scopus.bib#lee2021cards,title-abstract,exclude,E1,imported from asreview.csv:3 (asreview)

            """)
        // The same file again records nothing new.
        let again = try recorder.importDecisions(from: file, displayPath: "asreview.csv", source: nil, columns: nil, reviewer: "ana",
                                                 unexplainedExclusion: "E1", partial: true)
        XCTAssertEqual(again.recorded, 0)
        XCTAssertEqual(again.alreadyRecorded, 2)
        // A file that would change a recorded decision is a contradiction, row by row.
        let changed = try writeOutside(fixture, "changed.csv", "record_id,title,year,included\n1,Reuse of Pre-Trained Models in Practice,2020,0\n")
        XCTAssertThrowsError(try recorder.importDecisions(from: changed, displayPath: "changed.csv", source: nil, columns: nil, reviewer: "ana",
                                                          unexplainedExclusion: "E2", partial: false)) { error in
            XCTAssertTrue((error as? DecisionImportRejected)?.outcome.problems.first?.contains("expected the decision ana recorded on scopus.bib#smith2020reuse") == true, "\(error)")
        }
    }

    func testRayyanReviewersBecomeFileNamesAndStageOrderIsChecked() throws {
        let (fixture, study) = try makeStudy()
        let rayyan = try writeOutside(fixture, "rayyan.csv", """
            key,title,year,doi,notes
            1,Reuse of Pre-Trained Models in Practice,2020,10.1000/reuse,"RAYYAN-INCLUSION: {""Ana Lima""=>""Included"", ""Bo""=>""Excluded""} | RAYYAN-EXCLUSION-REASONS: Not peer reviewed"

            """)
        let outcome = try ReviewRecorder(study: study).importDecisions(
            from: rayyan, displayPath: "rayyan.csv", source: nil, columns: nil, reviewer: nil, unexplainedExclusion: nil, partial: false)
        XCTAssertEqual(outcome.source, "rayyan")
        XCTAssertEqual(outcome.reviewers, ["ana-lima": 1, "bo": 1])
        XCTAssertEqual(outcome.renamedReviewers, ["Ana Lima": "ana-lima", "Bo": "bo"])
        XCTAssertTrue(try fixture.read("corpus/literature/screening/bo.csv").contains("scopus.bib#smith2020reuse,title-abstract,exclude,E2,"))
        // A full-text decision on a record not included at title-abstract is refused.
        let sheet = try writeOutside(fixture, "sheet.csv", "record,reviewer,full-text\nscopus.bib#ortiz2019farms,ana,include\n")
        XCTAssertThrowsError(try ReviewRecorder(study: study).importDecisions(
            from: sheet, displayPath: "sheet.csv", source: .spreadsheet, columns: nil, reviewer: nil, unexplainedExclusion: nil, partial: false)) { error in
            XCTAssertTrue(String(describing: (error as? DecisionImportRejected)?.outcome.problems ?? []).contains("to be included at title-abstract"), "\(error)")
        }
    }

    func testScreenExportImportRoundTripGivesTheSamePRISMACounts() throws {
        let (_, study) = try makeStudy()
        let recorder = ReviewRecorder(study: study)
        for reviewer in ["ana", "ben"] {
            _ = try recorder.screen(record: "smith2020reuse", stage: "title-abstract", verdict: .include, criterion: nil, note: "", reviewer: reviewer)
            _ = try recorder.screen(record: "ortiz2019farms", stage: "title-abstract", verdict: .exclude, criterion: "E1", note: "", reviewer: reviewer)
            _ = try recorder.screen(record: "jiang2023empirical", stage: "title-abstract", verdict: .include, criterion: nil, note: "", reviewer: reviewer)
        }
        _ = try recorder.screen(record: "lee2021cards", stage: "title-abstract", verdict: .maybe, criterion: nil, note: "", reviewer: "ana")
        _ = try recorder.screen(record: "smith2020reuse", stage: "full-text", verdict: .include, criterion: nil, note: "", reviewer: "ana")
        _ = try recorder.screen(record: "jiang2023empirical", stage: "full-text", verdict: .exclude, criterion: "not-retrieved", note: "", reviewer: "ana")
        let state = try ReviewState.load(study)
        let exported = DecisionExporter.csv(state.ledger, records: state.records)

        let (freshFixture, fresh) = try makeStudy()
        let file = freshFixture.root.appendingPathComponent("decisions.csv")
        try exported.write(to: file, atomically: true, encoding: .utf8)
        let outcome = try ReviewRecorder(study: fresh).importDecisions(
            from: file, displayPath: "decisions.csv", source: nil, columns: nil, reviewer: nil, unexplainedExclusion: nil, partial: false)
        XCTAssertEqual(outcome.file, "decisions.csv")
        XCTAssertEqual(outcome.matchedByRecordID, 7)
        XCTAssertEqual(outcome.recorded, 9)
        let before = state.prisma(), after = try ReviewState.load(fresh).prisma()
        XCTAssertEqual(after, before)
        XCTAssertEqual(after.reconciliation(), [])
        XCTAssertEqual(after.included, 1)
        XCTAssertEqual(after.notRetrieved, 1)
    }

    func testRecordDetailsProgressUndoAndHighlighting() throws {
        let (fixture, study) = try makeStudy()
        let recorder = ReviewRecorder(study: study)
        let decision = try recorder.screen(record: "smith2020reuse", stage: "title-abstract", verdict: .include, criterion: nil, note: "", reviewer: "ana")
        _ = try recorder.screen(record: "lee2021cards", stage: "title-abstract", verdict: .exclude, criterion: "E2", note: "preprint", reviewer: "ben")
        var state = try ReviewState.load(study)
        let details = try state.details(of: "smith2020reuse")
        XCTAssertEqual(details.title, "Reuse of Pre-Trained Models in Practice")
        XCTAssertEqual(details.authors, ["Smith, Jane", "Doe, John"])
        XCTAssertEqual(details.venue, "EMSE")
        XCTAssertEqual(details.doi, "10.1000/reuse")
        XCTAssertEqual(details.decisions.map { "\($0.stage) \($0.reviewer) \($0.decision)" }, ["title-abstract ana include"])
        XCTAssertEqual(state.progress(of: "ana", at: "title-abstract").summary, "1/4 screened, 1 included")
        XCTAssertEqual(ReviewerProgress(eligible: 1704, screened: 312, included: 28).summary, "312/1,704 screened, 28 included")
        XCTAssertEqual(state.includeKeywords(at: "title-abstract"), ["model", "reuse", "studie"])
        XCTAssertEqual(KeywordHighlighter.highlight("Reuse of models, not farms.", keywords: ["model", "reuse"], open: "[", close: "]"),
                       "[Reuse] of [models], not farms.")
        XCTAssertFalse(state.nextRecords(for: "ana", stage: "title-abstract", seed: 0).contains("scopus.bib#smith2020reuse"))
        XCTAssertEqual(state.nextRecords(for: "ana", stage: "title-abstract", seed: 0, skipping: ["scopus.bib#lee2021cards"]).count, 2)

        try recorder.undo(decision)
        XCTAssertEqual(try fixture.read("corpus/literature/screening/ana.csv"), "record,stage,decision,criterion,note\n")
        XCTAssertThrowsError(try recorder.undo(decision))
        state = try ReviewState.load(study)
        XCTAssertEqual(state.progress(of: "ana", at: "title-abstract").screened, 0)
    }

    func testResolveRefusesARecordWithoutConflict() throws {
        let (_, study) = try makeStudy()
        let recorder = ReviewRecorder(study: study)
        for reviewer in ["ana", "ben"] {
            _ = try recorder.screen(record: "smith2020reuse", stage: "title-abstract", verdict: .include, criterion: nil, note: "", reviewer: reviewer)
        }
        XCTAssertThrowsError(try recorder.resolve(record: "smith2020reuse", stage: "title-abstract", verdict: .exclude, criterion: "E1", note: "", resolver: "carla")) { error in
            XCTAssertTrue(String(describing: error).contains("has no conflict at title-abstract"), "\(error)")
        }
    }

    func testStoppingProgressFollowsTheOrderOfDecisions() throws {
        let (_, study) = try makeStudy()
        let recorder = ReviewRecorder(study: study)
        _ = try recorder.screen(record: "smith2020reuse", stage: "title-abstract", verdict: .include, criterion: nil, note: "", reviewer: "ana")
        _ = try recorder.screen(record: "ortiz2019farms", stage: "title-abstract", verdict: .exclude, criterion: "E1", note: "", reviewer: "ana")
        _ = try recorder.screen(record: "lee2021cards", stage: "title-abstract", verdict: .exclude, criterion: "E1", note: "", reviewer: "ben")
        let progress = try ReviewState.load(study).screeningProgress(consecutiveIrrelevant: 2, minimumScreened: 150)
        XCTAssertEqual(progress.records, 4)
        XCTAssertEqual(progress.screened, 3)
        XCTAssertEqual(progress.relevant, 1)
        XCTAssertEqual(progress.unscreened, 1)
        XCTAssertEqual(progress.rule.currentIrrelevantRun, 2)
        XCTAssertTrue(progress.rule.consecutiveRuleMet)
        XCTAssertFalse(progress.rule.kneeRuleMet)
        XCTAssertEqual(progress.rule.knee, 1)
        XCTAssertTrue(progress.summary[2].contains("2 in a row of 2 needed — met"), progress.summary[2])
    }

    func testImportsRecordPathsRelativeToTheStudyAndReadOldAbsoluteRows() throws {
        let (fixture, study) = try makeStudy()
        let imports = try fixture.read("corpus/literature/imports.csv")
        XCTAssertTrue(imports.contains("scopus.bib,scopus,,../scopus.bib,3"), imports)
        // An older row with the absolute path still makes the same file a no-op.
        let source = fixture.root.deletingLastPathComponent().appendingPathComponent("scopus.bib").standardizedFileURL
        try fixture.write("corpus/literature/imports.csv", "file,database,search,original,records\nscopus.bib,scopus,,\(source.path),3\n")
        let again = try ReviewRecorder(study: study).importExport(from: source, displayPath: source.path, name: nil, database: nil, search: nil, mapping: nil)
        XCTAssertTrue(again.alreadyImported)
        XCTAssertEqual(study.pathFromRoot(study.root.appendingPathComponent("exports/a.bib")), "exports/a.bib")
    }

    func testRepeatedCitationKeysAreNotesAndStatusStaysClean() throws {
        let fixture = try StudyFixture(self)
        try fixture.write("corpus/literature/papers.bib", """
            @article{jiang2023empirical, title = {An Empirical Study of Pre-Trained Model Reuse}, year = 2023}
            @article{jiang2023empirical, title = {Another paper under the same key}, year = 2023}
            """)
        try fixture.write("corpus/claims/C2.yaml", "id: C2\nstatement: Most rows are flagged.\n")
        let (index, _) = try StudyIndex.open(try fixture.study)
        let report = try index.status()
        XCTAssertEqual(report.problems.map(\.severity), [.note], "\(report.problems)")
        XCTAssertTrue(report.isClean, "\(report)")
    }
}
