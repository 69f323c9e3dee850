import Core
import Foundation
import TestSupport
import XCTest
import ZIPFoundation

/// Builds small .xlsx files part by part, so each variant of the format is a fixture a reviewer can read.
struct WorkbookFixture {
    var parts: [String: String] = [:]

    static let main = "http://schemas.openxmlformats.org/spreadsheetml/2006/main"
    static let relationships = "http://schemas.openxmlformats.org/officeDocument/2006/relationships"

    /// A workbook with the given sheets (name → sheetData XML), shared strings and styles.
    init(sheets: [(name: String, data: String)], shared: [String]? = nil, styles: String? = nil, date1904: Bool = false) {
        parts["_rels/.rels"] = """
            <?xml version="1.0" encoding="UTF-8"?><Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">\
            <Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/officeDocument" Target="xl/workbook.xml"/></Relationships>
            """
        let sheetList = sheets.enumerated().map { #"<sheet name="\#($0.element.name)" sheetId="\#($0.offset + 1)" r:id="rId\#($0.offset + 1)"/>"# }.joined()
        parts["xl/workbook.xml"] = """
            <?xml version="1.0" encoding="UTF-8"?><workbook xmlns="\(Self.main)" xmlns:r="\(Self.relationships)">\
            \(date1904 ? #"<workbookPr date1904="1"/>"# : "")<sheets>\(sheetList)</sheets></workbook>
            """
        var rels = sheets.indices.map {
            #"<Relationship Id="rId\#($0 + 1)" Type="\#(Self.relationships)/worksheet" Target="worksheets/sheet\#($0 + 1).xml"/>"#
        }
        if shared != nil { rels.append(#"<Relationship Id="rIdS" Type="\#(Self.relationships)/sharedStrings" Target="sharedStrings.xml"/>"#) }
        if styles != nil { rels.append(#"<Relationship Id="rIdT" Type="\#(Self.relationships)/styles" Target="/xl/styles.xml"/>"#) }
        parts["xl/_rels/workbook.xml.rels"] = """
            <?xml version="1.0" encoding="UTF-8"?><Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">\(rels.joined())</Relationships>
            """
        for (index, sheet) in sheets.enumerated() {
            parts["xl/worksheets/sheet\(index + 1).xml"] = """
                <?xml version="1.0" encoding="UTF-8"?><worksheet xmlns="\(Self.main)"><sheetData>\(sheet.data)</sheetData></worksheet>
                """
        }
        if let shared {
            parts["xl/sharedStrings.xml"] = #"<?xml version="1.0" encoding="UTF-8"?><sst xmlns="\#(Self.main)">"#
                + shared.map { $0.hasPrefix("<") ? "<si>\($0)</si>" : "<si><t xml:space=\"preserve\">\($0)</t></si>" }.joined() + "</sst>"
        }
        if let styles { parts["xl/styles.xml"] = #"<?xml version="1.0" encoding="UTF-8"?><styleSheet xmlns="\#(Self.main)">\#(styles)</styleSheet>"# }
    }

    func data() throws -> Data {
        let archive = try Archive(data: Data(), accessMode: .create)
        for (path, text) in parts.sorted(by: { $0.key < $1.key }) {
            let data = Data(text.utf8)
            try archive.addEntry(with: path, type: .file, uncompressedSize: Int64(data.count), compressionMethod: .deflate) { position, size in
                data.subdata(in: Int(position)..<Int(position) + size)
            }
        }
        return archive.data ?? Data()
    }

    func write(in directory: URL, name: String = "fixture.xlsx") throws -> URL {
        let url = directory.appendingPathComponent(name)
        try data().write(to: url)
        return url
    }
}

final class SpreadsheetTests: XCTestCase {
    func read(_ fixture: WorkbookFixture, sheet: String? = nil) throws -> Spreadsheet {
        try SpreadsheetReader.workbook(fixture.data(), file: "fixture.xlsx", sheet: sheet)
    }

    func testSharedAndInlineStringsNumbersBooleansAndGaps() throws {
        let fixture = WorkbookFixture(sheets: [("Memos", """
            <row r="1"><c r="A1" t="s"><v>0</v></c><c r="C1" t="s"><v>1</v></c></row>\
            <row r="3"><c r="A3"><v>1</v></c><c r="B3" t="inlineStr"><is><t>inline </t><r><t>rich</t></r></is></c>\
            <c r="C3"><v>2.5</v></c><c r="D3" t="b"><v>1</v></c><c r="E3" t="e"><v>#DIV/0!</v></c><c r="F3" t="str"><f>A1</f><v>formula</v></c></row>\
            <row><c t="s"><v>2</v></c><c><v>-3</v></c></row>
            """)], shared: ["Participant", "Role", "<r><t>rich </t></r><r><rPr><b/></rPr><t>text</t></r><rPh><t>ignored</t></rPh>"])
        let sheet = try read(fixture)
        XCTAssertEqual(sheet.name, "Memos")
        XCTAssertEqual(sheet.rows, [
            [.text("Participant"), .empty, .text("Role")],
            [],
            [.number(1), .text("inline rich"), .number(2.5), .boolean(true), .error("#DIV/0!"), .text("formula")],
            [.text("rich text"), .number(-3)],
        ])
        XCTAssertEqual(sheet[2, 0].text, "1")
        XCTAssertEqual(sheet[2, 3].text, "TRUE")
        XCTAssertEqual(sheet[9, 9], .empty)
    }

    func testDatesComeFromTheStylesNumberFormats() throws {
        let styles = """
            <numFmts count="2"><numFmt numFmtId="164" formatCode="yyyy\\-mm\\-dd"/><numFmt numFmtId="165" formatCode="[Red]0.00;&quot;day&quot;"/></numFmts>\
            <cellXfs count="5"><xf numFmtId="0"/><xf numFmtId="14"/><xf numFmtId="22"/><xf numFmtId="164"/><xf numFmtId="165"/></cellXfs>
            """
        let fixture = WorkbookFixture(sheets: [("S", """
            <row r="1"><c r="A1" s="1"><v>44746</v></c><c r="B1" s="2"><v>44746.5</v></c><c r="C1" s="3"><v>1</v></c>\
            <c r="D1" s="4"><v>44746</v></c><c r="E1" s="1"><v>59</v></c><c r="F1" s="1"><v>61</v></c><c r="G1" t="d"><v>2022-07-04</v></c></row>
            """)], styles: styles)
        XCTAssertEqual(try read(fixture).rows[0], [
            .date("2022-07-04"), .date("2022-07-04T12:00:00"), .date("1900-01-01"), .number(44746), .date("1900-02-28"),
            .date("1900-03-01"), .date("2022-07-04"),
        ])
        let mac = WorkbookFixture(sheets: [("S", #"<row r="1"><c r="A1" s="1"><v>43284</v></c></row>"#)], styles: styles, date1904: true)
        XCTAssertEqual(try read(mac).rows[0], [.date("2022-07-04")], "the 1904 date system counts from 1904-01-01")
    }

    func testChoosesANamedSheetAndListsTheOthersWhenMissing() throws {
        let fixture = WorkbookFixture(sheets: [("First", #"<row r="1"><c r="A1" t="inlineStr"><is><t>one</t></is></c></row>"#),
                                               ("Second", #"<row r="1"><c r="A1" t="inlineStr"><is><t>two</t></is></c></row>"#)])
        XCTAssertEqual(try read(fixture).rows, [[.text("one")]])
        XCTAssertEqual(try read(fixture, sheet: "Second").rows, [[.text("two")]])
        XCTAssertThrowsError(try read(fixture, sheet: "Third")) { error in
            XCTAssertEqual(String(describing: error), "fixture.xlsx: expected a sheet named 'Third', found only 'First', 'Second'")
        }
    }

    func testRefusesWhatIsNotAWorkbookWithAClearMessage() throws {
        let directory = try TestPaths.temporaryDirectory(for: self)
        func message(_ data: Data, _ name: String) -> String {
            let url = directory.appendingPathComponent(name)
            try? data.write(to: url)
            do {
                _ = try SpreadsheetReader.read(url, displayPath: name)
                return "read"
            } catch {
                return String(describing: error)
            }
        }
        let ole: [UInt8] = [0xD0, 0xCF, 0x11, 0xE0, 0xA1, 0xB1, 0x1A, 0xE1] + [UInt8](repeating: 0, count: 504)
        let encrypted = Data(ole + "EncryptedPackage".utf16.flatMap { [UInt8($0 & 0xFF), UInt8($0 >> 8)] })
        XCTAssertTrue(message(encrypted, "locked.xlsx").hasPrefix("locked.xlsx: this workbook is password-protected (an encrypted OLE container)"))
        XCTAssertTrue(message(Data(ole), "old.xls").hasPrefix("old.xls: this is a legacy Excel 97–2003 workbook"))
        XCTAssertEqual(message(Data("hello".utf8), "text.xlsx"),
                       "text.xlsx: expected an Excel workbook (a ZIP archive), found a file that is neither a ZIP archive nor an OLE container")
        XCTAssertEqual(message(Data("%PDF-1.4".utf8), "memos.pdf"),
                       "memos.pdf: expected an .xlsx workbook or a .csv file, found a .pdf file that is neither")
        XCTAssertTrue(message(Data([0x41, 0xFF, 0x0A]), "bad.csv").hasPrefix("bad.csv:1:2: cannot read"), message(Data([0x41, 0xFF]), "bad.csv"))
        var docx = WorkbookFixture(sheets: [])
        docx.parts = ["word/document.xml": "<w:document/>"]
        XCTAssertEqual(message(try docx.data(), "letter.xlsx"),
                       "letter.xlsx: expected an Excel workbook, found a ZIP archive without xl/workbook.xml (is it a Word or PowerPoint file?)")
        var macros = WorkbookFixture(sheets: [])
        macros.parts["xl/vbaProject.bin"] = "binary"
        macros.parts["xl/macrosheets/sheet1.xml"] = "<xm:macrosheet/>"
        XCTAssertEqual(message(try macros.data(), "macros.xlsm"),
                       "macros.xlsm: this workbook holds only macros (1 macro sheet(s) and a VBA project) and no worksheet; expected a sheet of cells")
        var broken = WorkbookFixture(sheets: [("S", #"<row r="1"><c r="A1" t="s"><v>7</v></c></row>"#)], shared: ["only"])
        XCTAssertEqual(message(try broken.data(), "broken.xlsx"),
                       "broken.xlsx!xl/worksheets/sheet1.xml: cell A1: expected a shared-string index from 0 to 0, found '7' (at its line 1)")
        broken.parts["xl/worksheets/sheet1.xml"] = "<worksheet><sheetData><row></sheetData>"
        XCTAssertTrue(message(try broken.data(), "broken.xlsx").hasPrefix("broken.xlsx!xl/worksheets/sheet1.xml: expected well-formed XML"))
        let reference = WorkbookFixture(sheets: [("S", #"<row r="1"><c r="1A"><v>1</v></c></row>"#)])
        XCTAssertEqual(message(try reference.data(), "ref.xlsx"),
                       "ref.xlsx!xl/worksheets/sheet1.xml: expected a cell reference such as B7, found '1A' (at its line 1)")
    }

    func testCSVKeepsRowNumbersAndEmptyCells() throws {
        let sheet = try SpreadsheetReader.csv("Participant,Role,,\n1,\"Lead, ML\",,\n\n2,,x,\n", file: "d.csv", name: "d")
        XCTAssertEqual(sheet.rows, [[.text("Participant"), .text("Role")], [.text("1"), .text("Lead, ML")], [], [.text("2"), .empty, .text("x")]])
    }

    func testColumnNames() {
        XCTAssertEqual([0, 25, 26, 29, 701, 702, 16383].map(Spreadsheet.columnName), ["A", "Z", "AA", "AD", "ZZ", "AAA", "XFD"])
    }

    // MARK: Real files

    func testReadsTheICSEFrameworkMatrix() throws {
        let url = try TestPaths.sharedData("interviews/icse2023-ptm-reuse-interviews/transcripts/Memos.xlsx")
        let sheet = try SpreadsheetReader.read(url, displayPath: "Memos.xlsx")
        XCTAssertEqual(sheet.name, "Sheet1")
        XCTAssertEqual(sheet.rows.count, 13, "a header row and 12 participants")
        XCTAssertEqual(sheet.rows[0].count, 30, "30 themes (A1:AD1)")
        XCTAssertEqual(sheet.rows[0].prefix(3).map(\.text), ["Participant", "Role", "Reuse case"])
        XCTAssertEqual(sheet.rows[0].last?.text, "Others")
        XCTAssertEqual(sheet.rows.dropFirst().map { $0.first?.text }, (1...12).map { String($0) })
        XCTAssertEqual(sheet[1, 1], .empty, "participant 1's role is empty (B2 is absent)")
        XCTAssertEqual(sheet[1, 2].text, "NLP, use a PTNN as a base")
        XCTAssertEqual(sheet[1, 5].text, "Based on cost, latency, lack of licensing issues\nEase of use is considered\nSupport and finetunability are important")
        XCTAssertEqual(sheet[1, 6].text, "Model hub (HuggingFace). Library -> easily find a model", "entities are decoded")
    }

    func testReadsTheICSEDemographicsCSV() throws {
        let url = try TestPaths.sharedData("interviews/icse2023-ptm-reuse-interviews/Demographic_Data.csv")
        let sheet = try SpreadsheetReader.read(url, displayPath: "Demographic_Data.csv")
        XCTAssertEqual(sheet.rows.count, 13)
        XCTAssertEqual(sheet.rows[0].map(\.text), ["Participant", "DL Expertise", "SE Expertise", "#Projects", "Model types", "Company type", "Team size"],
                       "the two trailing empty header fields are not columns")
        XCTAssertEqual(sheet.rows[1].map(\.text), ["1", "Expert", "Intermediate", "5-10", "Computer Vision,Natural Language Processing", "Student", "1"])
        XCTAssertEqual(sheet.rows[12][6].text, "25+")
    }

    func testReadsRealSearchExportWorkbooks() throws {
        let folder = try TestPaths.sharedData("bib/llm-in-mde-2025-slr-exports")
        // Row counts as the sheets' XML declares them (the last <row r=…>); Web of Science writes
        // inline strings and no shared-strings part, the others shared strings.
        let expected = ["IEEE_Xplore.xlsx": 453, "ScienceDirect.xlsx": 239, "acm.xlsx": 354, "scopus.xlsx": 382, "web_of_science.xlsx": 243]
        for (name, rows) in expected.sorted(by: { $0.key < $1.key }) {
            let sheet = try SpreadsheetReader.read(folder.appendingPathComponent(name), displayPath: name)
            XCTAssertEqual(sheet.rows.count, rows, name)
            XCTAssertFalse(sheet.rows[0].isEmpty, "\(name) has a header row")
            XCTAssertTrue(sheet.rows[0].allSatisfy { if case .text = $0 { return true } else { return $0 == .empty } }, "\(name)'s header is text")
        }
    }
}

final class SpreadsheetRobustnessTests: XCTestCase {
    /// Truncated and corrupted workbooks are refused with a SpreadsheetError; nothing crashes.
    func testDamagedWorkbooksAreRefusedNeverCrash() throws {
        let fixture = WorkbookFixture(sheets: [("S", """
            <row r="1"><c r="A1" t="s"><v>0</v></c><c r="B1" s="1"><v>44746</v></c></row><row r="2"><c r="A2" t="inlineStr"><is><t>x</t></is></c></row>
            """)], shared: ["Participant"], styles: #"<cellXfs count="2"><xf numFmtId="0"/><xf numFmtId="14"/></cellXfs>"#)
        let data = try fixture.data()
        XCTAssertEqual(try SpreadsheetReader.workbook(data, file: "f.xlsx").rows, [[.text("Participant"), .date("2022-07-04")], [.text("x")]])
        var variants = stride(from: 0, to: data.count, by: max(1, data.count / 97)).map { data.prefix($0) }
        for offset in stride(from: 0, to: data.count, by: max(1, data.count / 211)) {
            var changed = data
            changed[offset] ^= 0x5A
            variants.append(changed)
        }
        for variant in variants {
            do {
                _ = try SpreadsheetReader.workbook(Data(variant), file: "f.xlsx")
            } catch is SpreadsheetError {
            } catch {
                XCTFail("unexpected \(error)")
            }
        }
    }
}
