import Core
import Foundation
import Qualitative
import TestSupport
import XCTest

/// Saturation as the ICSE 2023 authors computed it, reproduced from their own coding.
final class SaturationTests: XCTestCase {
    static let folder = "interviews/icse2023-ptm-reuse-interviews"

    /// The authors' participant-level coding, read from the notebook's code cells: for each
    /// participant `P<n>_sel`, `P<n>_att`, `P<n>_cha` lists (selection criteria, PTM attributes,
    /// challenges) of labels. Each label becomes a case-level coding of `<family>/<slug>`, named
    /// by the label.
    struct AuthorsCoding {
        var codings: [CaseCoding] = []
        var names: [String: String] = [:]
        /// The notebook's printed `idx, len(P), len(data_all)` lines.
        var printed: [(participant: Int, codes: Int, cumulative: Int)] = []
    }

    static func authorsCoding() throws -> AuthorsCoding {
        // The demo study ships the notebook as received (corpus/sources/icse23); the shared copy is the same file.
        let shipped = TestPaths.repositoryRoot.appendingPathComponent("corpus/sources/icse23/InterviewSaturation.ipynb")
        let url = FileManager.default.fileExists(atPath: shipped.path) ? shipped : try TestPaths.sharedData("\(folder)/InterviewSaturation.ipynb")
        let notebook = try JSONSerialization.jsonObject(with: Data(contentsOf: url)) as? [String: Any]
        let cells = notebook?["cells"] as? [[String: Any]] ?? []
        let list = try NSRegularExpression(pattern: #"^P(\d+)_(sel|att|cha)\s*=\s*\[(.*)\]\s*$"#, options: [.anchorsMatchLines])
        let quoted = try NSRegularExpression(pattern: #""([^"]*)""#)
        let families = ["sel": "selection", "att": "attribute", "cha": "challenge"]
        var coding = AuthorsCoding()
        var lines: [Int: [(Int, String)]] = [:]
        for cell in cells {
            let source = (cell["source"] as? [String])?.joined() ?? ""
            for match in list.matches(in: source, range: NSRange(source.startIndex..., in: source)) {
                let text = { (i: Int) in String(source[Range(match.range(at: i), in: source)!]) }
                let participant = Int(text(1))!, family = families[text(2)]!
                let items = text(3)
                let labels = quoted.matches(in: items, range: NSRange(items.startIndex..., in: items)).map {
                    String(items[Range($0.range(at: 1), in: items)!])
                }
                let order = ["selection": 0, "attribute": 1, "challenge": 2][family]!
                for label in labels { lines[participant, default: []].append((order, "\(family)\u{1F}\(label)")) }
            }
            for output in cell["outputs"] as? [[String: Any]] ?? [] {
                let text = (output["text"] as? [String])?.joined() ?? ""
                for line in text.split(separator: "\n") {
                    let numbers = line.split(separator: " ").compactMap { Int($0) }
                    if numbers.count == 3 { coding.printed.append((numbers[0], numbers[1], numbers[2])) }
                }
            }
        }
        for participant in lines.keys.sorted() {
            // The notebook concatenates selection, attributes, challenges; keep that order.
            for (_, entry) in lines[participant]!.sorted(by: { $0.0 < $1.0 }) {
                let parts = entry.split(separator: "\u{1F}").map(String.init)
                let id = "\(parts[0])/\(slug(parts[1]))"
                coding.names[id] = parts[1]
                coding.codings.append(CaseCoding(participant: String(format: "P%02d", participant), code: id, coder: "icse23",
                                                 location: SourceLocation(file: "icse23.jsonl")))
            }
        }
        return coding
    }

    static func slug(_ label: String) -> String {
        label.lowercased().split(whereSeparator: { !$0.isLetter && !$0.isNumber }).joined(separator: "-")
    }

    static let participants = (1...12).map { String(format: "P%02d", $0) }

    func testTheAuthorsFiguresComeOutOfTheirCoding() throws {
        let authors = try Self.authorsCoding()
        XCTAssertEqual(authors.codings.count, 136, "12 participants' lists hold 136 codes in all")
        let evidence = ParticipantEvidence(placed: [], caseCodings: authors.codings)
        let steps = Saturation.curve(order: Self.participants, codes: evidence.codesByParticipant(), count: .label, names: authors.names)
        XCTAssertEqual(steps.map(\.cumulative), [12, 24, 28, 30, 34, 38, 42, 42, 43, 43, 43, 43])
        XCTAssertEqual(steps.map(\.codesApplied), [14, 13, 11, 11, 14, 11, 10, 9, 12, 8, 10, 13])
        XCTAssertEqual(steps.map(\.new.count), [12, 12, 4, 2, 4, 4, 4, 0, 1, 0, 0, 0])
        XCTAssertEqual(steps[0].counted, 12, "P1's license and latency are one label each")
        // The notebook's own printed figures, read from its outputs, agree line by line.
        XCTAssertEqual(authors.printed.count, 12)
        for (step, printed) in zip(steps, authors.printed) {
            XCTAssertEqual([step.codesApplied, step.cumulative], [printed.codes, printed.cumulative], "participant \(printed.participant)")
        }
        let byCode = Saturation.curve(order: Self.participants, codes: evidence.codesByParticipant(), count: .code)
        XCTAssertEqual(byCode.last?.cumulative, 45, "17 selection criteria + 22 attributes + 6 challenges as separate codes")
    }

    func testGuestCriterionPlacesSaturationAfterSevenInterviews() throws {
        let authors = try Self.authorsCoding()
        let evidence = ParticipantEvidence(placed: [], caseCodings: authors.codings)
        let steps = Saturation.curve(order: Self.participants, codes: evidence.codesByParticipant(), count: .label, names: authors.names)
        let assessment = try GuestStoppingRule().assess(steps)
        XCTAssertEqual(assessment.baseCount, 30)
        XCTAssertEqual(assessment.runs.map(\.new), [8, 8, 4, 1, 1, 0, 0])
        XCTAssertEqual(assessment.runs.map(\.first), [5, 6, 7, 8, 9, 10, 11])
        XCTAssertEqual(assessment.runs[3].share, 1.0 / 30.0, accuracy: 1e-12)
        XCTAssertEqual(assessment.saturationAt, 7, "the paper reports saturation after 7 of 12 participants")
        XCTAssertEqual(try GuestStoppingRule(base: 4, run: 2, threshold: 0.01).assess(steps).saturationAt, 9,
                       "a stricter threshold needs the run that adds nothing")
    }

    func testMatrixCountsTheAuthorsParticipantsPerCode() throws {
        let authors = try Self.authorsCoding()
        let evidence = ParticipantEvidence(placed: [], caseCodings: authors.codings)
        let codes = ["attribute/popularity", "attribute/hardware-specification", "attribute/training-configuration",
                     "attribute/architecture-details", "challenge/missing-attributes", "challenge/discrepancies",
                     "challenge/security-and-privacy-risks", "challenge/model-search", "challenge"]
        let matrix = CodeParticipantMatrix(codes: codes, participants: Self.participants, evidence: evidence, presence: true)
        XCTAssertEqual(codes.indices.map { matrix.total(row: $0) }, [8, 7, 6, 6, 10, 9, 2, 1, 12])
    }

    func testInterviewOrderFromTheTranscriptsFileNames() throws {
        let folder = try TestPaths.sharedData("\(Self.folder)/transcripts")
        let names = try FileManager.default.contentsOfDirectory(atPath: folder.path).filter { $0.hasPrefix("Interview-") }
        var dates: [String: String] = [:]
        for name in names {
            let number = Int(name.split(separator: "-")[1])!
            dates[String(format: "P%02d", number)] = InterviewOrder.date(inFileName: name)
        }
        XCTAssertEqual(dates["P01"], "2020-07-03", "the first file's name says 2020, two years before the others")
        XCTAssertEqual(try InterviewOrder.byDate(Self.participants, dates: dates), Self.participants, "the notebook's order is the interview order")
        // Interviews 4 and 5, and 6 and 7, share a date: ties keep the order given.
        XCTAssertEqual(try InterviewOrder.byDate(Self.participants.reversed(), dates: dates),
                       ["P01", "P02", "P03", "P05", "P04", "P07", "P06", "P08", "P09", "P10", "P11", "P12"])
    }

    // MARK: Small cases

    func testCountingByCodeOrLabel() {
        let codes: [String: Set<String>] = ["A": ["sel/license", "att/license", "att/docs"], "B": ["att/docs", "sel/cost"], "C": []]
        let byLabel = Saturation.curve(order: ["A", "B", "C"], codes: codes, count: .label)
        XCTAssertEqual(byLabel.map(\.cumulative), [2, 3, 3])
        XCTAssertEqual(byLabel.map(\.new), [["docs", "license"], ["cost"], []])
        XCTAssertEqual(byLabel.map(\.codesApplied), [3, 2, 0])
        let byCode = Saturation.curve(order: ["B", "A"], codes: codes, count: .code)
        XCTAssertEqual(byCode.map(\.cumulative), [2, 4])
        XCTAssertEqual(Saturation.curve(order: ["A"], codes: codes, count: .label, names: ["sel/license": "Licence", "att/license": "Licence"])[0].counted, 2)
    }

    func testOrdersAreCheckedNotGuessed() {
        XCTAssertEqual(try InterviewOrder.byDate(["A", "B", "C"], dates: ["A": "2022-07-19", "B": "20220704", "C": "2022-07-19"]), ["B", "A", "C"])
        XCTAssertThrowsError(try InterviewOrder.byDate(["A", "B"], dates: ["A": "2022-02-30"])) { error in
            XCTAssertEqual(String(describing: error),
                           "cannot order the interviews by date: A's interview date '2022-02-30' is not a date; expected YYYY-MM-DD or YYYYMMDD; B has no interview date")
        }
        XCTAssertEqual(try InterviewOrder.explicit(["B", "A"], participants: ["A", "B"]), ["B", "A"])
        XCTAssertThrowsError(try InterviewOrder.explicit(["B", "B", "X"], participants: ["A", "B"])) { error in
            XCTAssertEqual(String(describing: error),
                           "expected an interview order naming each participant once: 'B' is listed twice; 'X' is not a participant; the order leaves out A")
        }
        XCTAssertEqual(InterviewOrder.date(inFileName: "P03_2022-07-10.txt"), "2022-07-10")
        XCTAssertNil(InterviewOrder.date(inFileName: "Interview-03.docx"))
        XCTAssertNil(InterviewOrder.date(inFileName: "20220710-20220711.txt"), "two dates are no date")
    }

    func testGuestRuleOnEdgeCases() throws {
        func steps(_ cumulative: [Int]) -> [SaturationStep] {
            cumulative.enumerated().map { SaturationStep(participant: "P\($0.offset)", codesApplied: 0, counted: 0, new: [], cumulative: $0.element) }
        }
        XCTAssertNil(try GuestStoppingRule().assess(steps([5, 6, 7])).saturationAt, "fewer interviews than the base")
        XCTAssertNil(try GuestStoppingRule().assess(steps([5, 6, 7, 8, 9])).saturationAt, "no full run after the base")
        XCTAssertEqual(try GuestStoppingRule().assess(steps([10, 15, 18, 20, 20, 21])).saturationAt, 4)
        XCTAssertEqual(try GuestStoppingRule(base: 2, run: 1, threshold: 0).assess(steps([3, 4, 4])).saturationAt, 2)
        XCTAssertThrowsError(try GuestStoppingRule(base: 0))
        XCTAssertThrowsError(try GuestStoppingRule(threshold: .nan))
    }
}
