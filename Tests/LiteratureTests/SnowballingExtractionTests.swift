import Core
import Foundation
import Literature
import TestSupport
import XCTest

final class SnowballingTests: XCTestCase {
    func testRoundTripInStableOrder() throws {
        let links = [
            SnowballingLink(record: "snow#b", source: "acm.bib#x", direction: .forward, iteration: 2),
            SnowballingLink(record: "snow#a", source: "acm.bib#x", direction: .backward, iteration: 1),
        ]
        let text = SnowballingFile.csv(links)
        XCTAssertEqual(text, "record,source,direction,iteration\nsnow#a,acm.bib#x,backward,1\nsnow#b,acm.bib#x,forward,2\n")
        XCTAssertEqual(try SnowballingFile.parse(text, file: "snowballing.csv"), links.reversed())
        let url = try TestPaths.temporaryDirectory(for: self).appendingPathComponent("snowballing.csv")
        try SnowballingFile.write(links, to: url)
        XCTAssertEqual(try SnowballingFile.read(url, displayPath: "snowballing.csv"), links.reversed())
    }

    func testValidation() {
        let header = "record,source,direction,iteration\n"
        let cases: [(String, String)] = [
            ("a,b,sideways,1\n", "s.csv:2:3: expected backward or forward, found 'sideways'"),
            ("a,b,forward,0\n", "s.csv:2:4: expected an iteration number of 1 or more, found '0'"),
            ("a,a,forward,1\n", "s.csv:2:2: expected a source record other than the record itself, found 'a'"),
            (",b,forward,1\n", "s.csv:2:1: expected a record id in 'record', found an empty cell"),
            ("a,b,forward,1\na,b,forward,2\n", "s.csv:3:1: expected each link once, found forward link b → a again (first at line 2)"),
        ]
        for (rows, message) in cases {
            XCTAssertThrowsError(try SnowballingFile.parse(header + rows, file: "s.csv"), rows) { XCTAssertEqual("\($0)", message) }
        }
    }
}

final class ExtractionTests: XCTestCase {
    static let formYAML = """
        fields:
          - id: task
            label: Modelling task
            type: choice
            choices: [completion, generation, "repair, refactoring", "the \\"other\\", one"]
          - id: participants
            label: Number of participants
            type: number
          - id: replication
            label: Replication package available?
            type: yes-no
          - id: notes
            type: text
        """

    func testFormParsesAndValidates() throws {
        let form = try ExtractionForm.parse(Self.formYAML, file: "extraction.yaml")
        XCTAssertEqual(form.fields.map(\.id), ["task", "participants", "replication", "notes"])
        XCTAssertEqual(form.fields[0].choices, ["completion", "generation", "repair, refactoring", #"the "other", one"#])
        XCTAssertEqual(form.fields[2].kind, .yesNo)
        XCTAssertEqual(form.fields[3].label, "notes")
        XCTAssertThrowsError(try ExtractionForm.parse(Self.formYAML.replacingOccurrences(of: "type: number", with: "type: integer"), file: "extraction.yaml")) {
            XCTAssertEqual("\($0)", "extraction.yaml:8:11: expected a type text, number, choice or yes-no, found 'integer'")
        }
        XCTAssertThrowsError(try ExtractionForm.parse("fields:\n  - id: t\n    type: choice\n", file: "extraction.yaml")) {
            XCTAssertEqual("\($0)", "extraction.yaml:2:5: expected 'choices' for the choice field 't', found none")
        }
    }

    func testValuesAreTypeCheckedAndExportedInStableOrder() throws {
        let form = try ExtractionForm.parse(Self.formYAML, file: "extraction.yaml")
        let ana = "record,replication,task,participants\np2,yes,generation,12\np1,,\"repair, refactoring\",\n"
        let bo = "record,task,participants,replication,notes\np1,completion,3.5,no,\"small, \"\"toy\"\" study\"\n"
        let entries = try ExtractionFile.parse(ana, file: "extraction/ana.csv", context: .init(reviewer: "ana", form: form))
            + ExtractionFile.parse(bo, file: "extraction/bo.csv", context: .init(reviewer: "bo", form: form))
        XCTAssertEqual(entries[0].values, ["replication": "yes", "task": "generation", "participants": "12"])
        XCTAssertEqual(entries[1].values, ["task": "repair, refactoring"])
        XCTAssertEqual(ExtractionFile.export(entries, form: form), """
            record,reviewer,task,participants,replication,notes
            p1,ana,"repair, refactoring",,,
            p1,bo,completion,3.5,no,"small, ""toy"" study"
            p2,ana,generation,12,yes,

            """)
        XCTAssertEqual(ExtractionFile.csv(Array(entries.prefix(2)), context: .init(reviewer: "ana", form: form)),
                       "record,task,participants,replication,notes\np1,\"repair, refactoring\",,,\np2,generation,12,yes,\n")
        let url = try TestPaths.temporaryDirectory(for: self).appendingPathComponent("extraction/ana.csv")
        try ExtractionFile.write(Array(entries.prefix(2)), to: url, context: .init(reviewer: "ana", form: form))
        XCTAssertEqual(try ExtractionFile.read(url, displayPath: "ana.csv", context: .init(reviewer: "ana", form: form)).sorted { $0.record < $1.record },
                       Array(entries.prefix(2)).sorted { $0.record < $1.record })

        let cases: [(String, String)] = [
            ("record,participants\np1,twelve\n", "x.csv:2:2: expected a number for 'participants' (number), found 'twelve'"),
            ("record,replication\np1,Yes\n", "x.csv:2:2: expected yes or no for 'replication' (yes-no), found 'Yes'"),
            ("record,task\np1,repair\n", "x.csv:2:2: expected one of completion, generation, repair, refactoring, the \"other\", one for 'task' (choice), found 'repair'"),
            ("record,venue\n", "x.csv:1:2: expected one of the columns record, task, participants, replication, notes, found 'venue'"),
            ("record,task\np1,\np1,\n", "x.csv:3:1: expected one row per record, found 'p1' again (first at line 2)"),
        ]
        for (text, message) in cases {
            XCTAssertThrowsError(try ExtractionFile.parse(text, file: "x.csv", context: .init(reviewer: "ana", form: form)), text) {
                XCTAssertEqual("\($0)", message)
            }
        }
    }
}

final class BibTeXWriterTests: XCTestCase {
    func testRoundTripThroughTheParser() throws {
        let records = [
            BibliographicRecord(key: "jiang2023empirical", type: "inproceedings", fields: [
                "title": "An {Empirical} Study of C# & F# -- 100% of $5 at ~home_dir\\ with ^caret and ''quotes''",
                "author": "Jiang, Wenxin and Müller, Jörg and {Food and Drug Administration}",
                "booktitle": "ICSE '23", "year": "2023", "doi": "10.1109/ICSE48619.2023.00206",
                "abstract": "Pre-trained models — “reused” widely.", "keywords": "reuse, registry",
            ], location: SourceLocation(file: "x.bib")),
            BibliographicRecord(key: "key with space", type: "", fields: ["title": "Ünïcödé Title"], location: SourceLocation(file: "x.bib")),
        ]
        let text = BibTeXWriter.write(records)
        XCTAssertTrue(text.hasPrefix("@inproceedings{jiang2023empirical,\n  author = {Jiang, Wenxin and Müller, Jörg and {Food and Drug Administration}},\n  title = {"), text)
        XCTAssertTrue(text.contains("@misc{key-with-space,\n  title = {Ünïcödé Title},\n}\n"), text)
        XCTAssertEqual(BibTeXWriter.write(records), text)
        let parsed = BibTeXParser().parse(text, file: "out.bib")
        XCTAssertTrue(parsed.warnings.isEmpty, "\(parsed.warnings)")
        XCTAssertEqual(parsed.records.count, 2)
        XCTAssertEqual(parsed.records[0].fields, records[0].fields)
        XCTAssertEqual(parsed.records[0].type, "inproceedings")
        XCTAssertEqual(parsed.records[0].authors, ["Jiang, Wenxin", "Müller, Jörg", "Food and Drug Administration"])
        XCTAssertEqual(parsed.records[1].fields["title"], "Ünïcödé Title")
    }
}
