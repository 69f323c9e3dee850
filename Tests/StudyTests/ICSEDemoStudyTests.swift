import Core
import Foundation
import Index
import Project
import Qualitative
import Study
import TestSupport
import Transcripts
import XCTest

/// The demo study is the real ICSE 2023 interview study (Jiang et al.): its saturation curve,
/// participant counts per code, interview column and framework matrix are the authors' own,
/// checked against the notebook and the sheet the study ships in corpus/sources/icse23.
final class ICSEDemoStudyTests: XCTestCase {
    static let participants = (1...12).map { String(format: "P%02d", $0) }

    func openDemo() throws -> (Study, StudyIndex) {
        let study = try Study(root: try DemoStudyTests.copyDemo(for: self))
        let (index, _) = try StudyIndex.open(study)
        return (study, index)
    }

    /// The notebook's `P<n>_sel/_att/_cha` lists, read from the copy the study ships: (participant, family, label).
    static func notebookCoding() throws -> [(participant: String, family: String, label: String)] {
        let url = TestPaths.repositoryRoot.appendingPathComponent("corpus/sources/icse23/InterviewSaturation.ipynb")
        let notebook = try JSONSerialization.jsonObject(with: Data(contentsOf: url)) as? [String: Any]
        let list = try NSRegularExpression(pattern: #"^P(\d+)_(sel|att|cha)\s*=\s*\[(.*)\]\s*$"#, options: [.anchorsMatchLines])
        let quoted = try NSRegularExpression(pattern: #""([^"]*)""#)
        let families = ["sel": "selection", "att": "attribute", "cha": "challenge"]
        var found: [(String, String, String)] = []
        for cell in notebook?["cells"] as? [[String: Any]] ?? [] {
            let source = (cell["source"] as? [String])?.joined() ?? ""
            for match in list.matches(in: source, range: NSRange(source.startIndex..., in: source)) {
                let text = { (i: Int) in String(source[Range(match.range(at: i), in: source)!]) }
                let items = text(3)
                for label in quoted.matches(in: items, range: NSRange(items.startIndex..., in: items)) {
                    found.append((String(format: "P%02d", Int(text(1))!), families[text(2)]!, String(items[Range(label.range(at: 1), in: items)!])))
                }
            }
        }
        return found
    }

    func testTheCodingsAreTheAuthorsNotebookLists() throws {
        let (_, index) = try openDemo()
        let cases = try index.caseCodings()
        XCTAssertEqual(cases.count, 136)
        XCTAssertEqual(Set(cases.map(\.coder)), ["icse23"])
        let names = Dictionary(uniqueKeysWithValues: try index.codes().map { ($0.id, $0.name) })
        let demo = cases.map { "\($0.participant) \($0.code.split(separator: "/")[0]) \(names[$0.code] ?? "?")" }
        // Per participant, selection then attributes then challenges, as the notebook concatenates them.
        let family = ["selection": 0, "attribute": 1, "challenge": 2]
        let notebook = try Self.notebookCoding().enumerated()
            .sorted { ($0.element.participant, family[$0.element.family]!, $0.offset) < ($1.element.participant, family[$1.element.family]!, $1.offset) }
            .map { "\($0.element.participant) \($0.element.family) \($0.element.label)" }
        XCTAssertEqual(demo, notebook, "one case-level coding per list entry, in the notebook's order, named by its label")
        let families = try index.codes().filter { !$0.id.contains("/") }.map(\.id)
        XCTAssertEqual(families, ["selection", "attribute", "challenge"])
        for (family, count) in [("selection", 17), ("attribute", 22), ("challenge", 6)] {
            XCTAssertEqual(try index.codes().filter { $0.id.hasPrefix(family + "/") }.count, count, family)
        }
        XCTAssertEqual(try index.problems().filter { $0.severity == .error }, [])
    }

    func testSaturationReproducesTheNotebook() throws {
        let (_, index) = try openDemo()
        let analysis = CodingAnalysis(index: index)
        let steps = try analysis.saturation(coder: nil, order: .date, count: .label)
        XCTAssertEqual(steps.map(\.transcript), Self.participants, "interview order by date is the notebook's order")
        XCTAssertEqual(steps.map(\.cumulative), [12, 24, 28, 30, 34, 38, 42, 42, 43, 43, 43, 43])
        XCTAssertEqual(steps.map(\.codesApplied), [14, 13, 11, 11, 14, 11, 10, 9, 12, 8, 10, 13])
        XCTAssertEqual(steps.map(\.newCodes.count), [12, 12, 4, 2, 4, 4, 4, 0, 1, 0, 0, 0])
        XCTAssertEqual(try analysis.saturation(coder: "icse23", order: .participants, count: .code).last?.cumulative, 45,
                       "by code id, license and latency count twice")
        let table = try analysis.saturationTable(coder: nil, order: .date, count: .label, rule: try GuestStoppingRule())
        XCTAssertTrue(table.notes.contains { $0.contains("saturation at 7 interviews") }, table.notes.joined(separator: "\n"))
        // An explicit order changes the curve but not where it ends.
        let reversed = try analysis.saturation(coder: nil, order: .explicit(Self.participants.reversed()), count: .label)
        XCTAssertEqual(reversed.first?.transcript, "P12")
        XCTAssertEqual(reversed.last?.cumulative, 43)
        XCTAssertThrowsError(try analysis.saturation(coder: nil, order: .explicit(["P01"]), count: .label))
    }

    func testParticipantCountsPerCodeAreThePapers() throws {
        let (_, index) = try openDemo()
        let table = try CodingAnalysis(index: index).codeByParticipant(presence: true, coder: nil)
        var totals: [String: String] = [:]
        for row in table.rows { totals[row[0].text] = row.last?.text }
        XCTAssertEqual(totals["attribute/popularity"], "8")
        XCTAssertEqual(totals["attribute/hardware-specification"], "7")
        XCTAssertEqual(totals["attribute/training-configuration"], "6")
        XCTAssertEqual(totals["attribute/architecture-details"], "6")
        XCTAssertEqual(totals["challenge/missing-attributes"], "10")
        XCTAssertEqual(totals["challenge/discrepancies"], "9")
        XCTAssertEqual(totals["challenge/security-and-privacy-risks"], "2", "the paper's Table III says 3; corpus/NOTES.md notes the difference")
        XCTAssertEqual(totals["challenge"], "12")
        XCTAssertEqual(table.columns.dropFirst().dropLast().map(\.key), Self.participants)
    }

    func testTheMatrixInterviewColumnIsTheRealOne() throws {
        let (study, index) = try openDemo()
        let matrix = try MatrixBuilder(study: study, index: index).build()
        XCTAssertTrue(matrix.rows.allSatisfy { $0.participantCount == 12 })
        var support: [String: Int] = [:]
        for row in matrix.rows { support[row.claim.id] = row.supportingParticipants.count }
        XCTAssertEqual(support, ["C1": 5, "C2": 8, "C3": 10, "C4": 5, "C5": 3, "C6": 0, "C7": 12])
    }

    func testTheFrameworkIsMemosXlsx() throws {
        let (study, _) = try openDemo()
        let frameworks = Frameworks(study: study)
        XCTAssertEqual(frameworks.ids(), ["icse-2023-framework"])
        let matrix = try frameworks.read(try frameworks.resolve(nil)).matrix
        XCTAssertEqual(matrix.participants, Self.participants)
        XCTAssertEqual(matrix.themes.count, 29)
        XCTAssertEqual(try frameworks.problems("icse-2023-framework"), [])
        // The sheet as shipped, read again, gives the same matrix cell for cell.
        let sheetURL = study.root.appendingPathComponent("corpus/sources/icse23/Memos.xlsx")
        let sheet = try SpreadsheetReader.read(sheetURL, displayPath: "Memos.xlsx")
        XCTAssertEqual(FrameworkFile.importSheet(sheet, name: "ICSE 2023 framework", participants: Self.participants, file: "Memos.xlsx").matrix, matrix)
        XCTAssertEqual(sheet.rows[0].dropFirst().map { $0.text.trimmingCharacters(in: .whitespacesAndNewlines) }.filter { !$0.isEmpty },
                       matrix.themes.map(\.name))
        for (row, participant) in Self.participants.enumerated() {
            for (column, theme) in matrix.themes.enumerated() {
                let expected = sheet[row + 1, column + 1].text.trimmingCharacters(in: .whitespacesAndNewlines)
                XCTAssertEqual(matrix.cell(participant: participant, theme: theme.id)?.summary ?? "", expected, "\(participant) × \(theme.name)")
            }
        }
        // When the shared data is present, the shipped sheet is the artifact's.
        if let original = try? TestPaths.sharedData("interviews/icse2023-ptm-reuse-interviews/transcripts/Memos.xlsx") {
            XCTAssertEqual(try ContentHash.sha256(fileAt: original), try ContentHash.sha256(fileAt: sheetURL))
        }
        let table = Frameworks.table(matrix)
        XCTAssertEqual(table.rows.count, 12)
        XCTAssertEqual(table.columns.count, 30)
        XCTAssertEqual(table.keysNotInSnakeCase(), [])
    }

    func testTranscriptsAndParticipantsAreAsReceived() throws {
        let (study, index) = try openDemo()
        XCTAssertEqual(try index.transcriptIDs(), Self.participants)
        let participants = try ParticipantsFile.read(study.layout.participants, displayPath: "participants.csv")
        XCTAssertEqual(participants.map(\.id), Self.participants)
        let demographics = try SpreadsheetReader.read(study.root.appendingPathComponent("corpus/sources/icse23/Demographic_Data.csv"),
                                                      displayPath: "Demographic_Data.csv")
        let header = demographics.rows[0].map(\.text)
        for (row, participant) in participants.enumerated() {
            let attributes = Dictionary(uniqueKeysWithValues: participant.attributes.map { ($0.name, $0.value) })
            for column in 1..<7 {
                XCTAssertEqual(attributes[header[column]], demographics[row + 1, column].text, "\(participant.id) \(header[column])")
            }
            XCTAssertEqual(attributes["received_as"]?.hasPrefix("Interview-\(participant.id.dropFirst())-"), true)
            XCTAssertEqual(attributes["interview_date"].flatMap { InterviewOrder.date(inFileName: $0) }, attributes["interview_date"])
        }
        XCTAssertEqual(participants.filter { ($0.attributes.first { $0.name == "Role" }?.value ?? "").isEmpty }.map(\.id), ["P01"],
                       "P01's role is empty in Memos.xlsx")
        guard let folder = try? TestPaths.sharedData("interviews/icse2023-ptm-reuse-interviews/transcripts") else { return }
        for participant in participants {
            let received = folder.appendingPathComponent(participant.attributes.first { $0.name == "received_as" }!.value)
            let stored = study.layout.transcripts.appendingPathComponent("\(participant.id).docx")
            XCTAssertEqual(try ContentHash.sha256(fileAt: stored), try ContentHash.sha256(fileAt: received), "\(participant.id) is byte for byte the file received")
        }
    }
}
