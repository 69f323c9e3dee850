import Foundation
import Qualitative
import TestSupport
import XCTest

final class REFIQDACodebookTests: XCTestCase {
    let codebookYAML = """
        name: Reuse
        codes:
          - id: selection
            name: Model selection
            definition: How engineers choose a model.
            include: Downloads & likes
            exclude: Fine-tuning <later>
            examples: ["we look at \\"downloads\\" first"]
            codes:
              - id: popularity
                name: Popularity
                guid: 3c51efbb-071f-43a7-9f32-228b89668e8d
          - id: trust
            name: Trust
        """

    func testExportIsStableAndReadsBackToTheSameCodes() throws {
        let book = try Codebook.parse(codebookYAML, file: "reuse.yaml")
        let xml = REFIQDACodebook.export(book.codes, origin: "Triangulate test")
        XCTAssertEqual(xml, REFIQDACodebook.export(book.codes, origin: "Triangulate test"))
        XCTAssertTrue(xml.contains("guid=\"3c51efbb-071f-43a7-9f32-228b89668e8d\""), "a kept GUID is exported as it came")
        let nodes = try REFIQDACodebook.parse(Data(xml.utf8), file: "reuse.qdc")
        XCTAssertEqual(nodes.map(\.name), ["Model selection", "Trust"])
        let reread = try Codebook.parse(REFIQDACodebook.yaml(for: nodes, name: "Reuse"), file: "reuse.yaml")
        XCTAssertEqual(reread.codes.map(\.name), book.codes.map(\.name))
        XCTAssertEqual(reread.codes[0].definition, "How engineers choose a model.")
        XCTAssertEqual(reread.codes[0].include, "Downloads & likes")
        XCTAssertEqual(reread.codes[0].exclude, "Fine-tuning <later>")
        XCTAssertEqual(reread.codes[0].examples, ["we look at \"downloads\" first"])
        XCTAssertEqual(reread.codes.map(\.id), ["model-selection", "model-selection/popularity", "trust"])
        XCTAssertEqual(try REFIQDACodebook.parse(Data(REFIQDACodebook.export(reread.codes, origin: "x").utf8), file: "r.qdc"), nodes,
                       "GUIDs survive a second round trip")
    }

    func testNamesBecomeUniqueIds() throws {
        let xml = """
            <CodeBook xmlns="urn:QDA-XML:codebook:1.0"><Codes>
              <Code guid="a" name="Észlelt súlyosság" isCodable="true"/>
              <Code guid="b" name="észlelt  súlyosság!" isCodable="true"/>
              <Code guid="c" name="***" isCodable="true"/>
            </Codes></CodeBook>
            """
        let yaml = REFIQDACodebook.yaml(for: try REFIQDACodebook.parse(Data(xml.utf8), file: "x.qdc"), name: "x")
        XCTAssertEqual(try Codebook.parse(yaml, file: "x.yaml").codes.map(\.id), ["eszlelt-sulyossag", "eszlelt-sulyossag-2", "code"])
    }

    func testBrokenXMLIsALocatedError() {
        XCTAssertThrowsError(try REFIQDACodebook.parse(Data("<CodeBook><Codes><Code guid=\"a\"".utf8), file: "bad.qdc")) { error in
            XCTAssertTrue(String(describing: error).hasPrefix("bad.qdc:"), "\(error)")
        }
        XCTAssertThrowsError(try REFIQDACodebook.parse(Data("<Project/>".utf8), file: "p.qde")) { error in
            XCTAssertTrue(String(describing: error).contains("expected a REFI-QDA <CodeBook>"), "\(error)")
        }
    }

    /// The exported codes validate against the REFI-QDA project schema (where xmllint is installed).
    func testExportValidatesAgainstTheREFIQDASchema() throws {
        let schema = try TestPaths.sharedData("qda/refi-qda-spec/Project-mrt2019.xsd")
        guard FileManager.default.isExecutableFile(atPath: "/usr/bin/xmllint") else {
            throw XCTSkip("xmllint is not installed (apt-get install libxml2-utils); the schema check was skipped")
        }
        let book = try Codebook.parse(codebookYAML, file: "reuse.yaml")
        let codes = REFIQDACodebook.export(book.codes, origin: "t")
            .components(separatedBy: "\n").dropFirst(2).dropLast(2).joined(separator: "\n")
        let project = "<?xml version=\"1.0\" encoding=\"utf-8\"?>\n<Project xmlns=\"urn:QDA-XML:project:1.0\" name=\"t\">\n<CodeBook>\n\(codes)\n</CodeBook>\n</Project>\n"
        let folder = try TestPaths.temporaryDirectory(for: self)
        let file = folder.appendingPathComponent("project.qde")
        try project.write(to: file, atomically: true, encoding: .utf8)
        let process = Process()
        process.executableURL = URL(fileURLWithPath: "/usr/bin/xmllint")
        process.arguments = ["--noout", "--schema", schema.path, file.path]
        let errors = Pipe()
        process.standardError = errors
        process.standardOutput = FileHandle.nullDevice
        try process.run()
        let message = String(decoding: errors.fileHandleForReading.readDataToEndOfFile(), as: UTF8.self)
        process.waitUntilExit()
        XCTAssertEqual(process.terminationStatus, 0, message)
    }
}

/// Colours, grouping codes, descriptions and sets survive the exchange, in each tool's dialect.
final class REFIQDACodebookDetailTests: XCTestCase {
    /// A MAXQDA-style codebook (nested codes, uppercase colours, sets inside the codebook),
    /// written from the REFI-QDA 1.5 codebook specification.
    let maxqda = """
        <?xml version="1.0" encoding="utf-8"?>
        <CodeBook xmlns="urn:QDA-XML:codebook:1.0" origin="MAXQDA 2020 (Release 20.0.8)">
          <Codes>
            <Code guid="0B5D5A3C-5B0A-4A8D-9E27-6B1B1B7D0A01" name="Barriers" isCodable="false" color="#FF0000">
              <Description>Groups what stands in the way.</Description>
              <Code guid="0B5D5A3C-5B0A-4A8D-9E27-6B1B1B7D0A02" name="Cost" isCodable="true" color="#00FF00"/>
              <Code guid="0B5D5A3C-5B0A-4A8D-9E27-6B1B1B7D0A03" name="Знание" isCodable="true"/>
            </Code>
          </Codes>
          <Sets>
            <Set guid="0B5D5A3C-5B0A-4A8D-9E27-6B1B1B7D0A10" name="Economic">
              <Description>Money matters</Description>
              <MemberCode targetGUID="0B5D5A3C-5B0A-4A8D-9E27-6B1B1B7D0A02"/>
            </Set>
          </Sets>
        </CodeBook>
        """

    func testMAXQDADialectKeepsColoursGroupingAndSets() throws {
        let exchange = try REFIQDACodebook.read(Data(maxqda.utf8), file: "m.qdc")
        let book = try Codebook.parse(REFIQDACodebook.yaml(for: exchange.codes, sets: exchange.sets, name: "m"), file: "m.yaml")
        XCTAssertEqual(book.codes.map(\.id), ["barriers", "barriers/cost", "barriers/znanie"], "a Cyrillic name is transliterated")
        XCTAssertEqual(book.codes[2].name, "Знание")
        XCTAssertFalse(book.codes[0].codable)
        XCTAssertEqual(book.codes[0].color, "#FF0000")
        XCTAssertEqual(book.codes[0].definition, "Groups what stands in the way.")
        XCTAssertEqual(book.sets, [CodeSet(name: "Economic", guid: "0B5D5A3C-5B0A-4A8D-9E27-6B1B1B7D0A10", description: "Money matters",
                                           codes: ["barriers/cost"])])
        let exported = REFIQDACodebook.export(book.codes, sets: book.sets, origin: "t")
        XCTAssertTrue(exported.contains("isCodable=\"false\" color=\"#FF0000\""), exported)
        let again = try REFIQDACodebook.read(Data(exported.utf8), file: "again.qdc")
        XCTAssertEqual(again.codes, exchange.codes, "codes, colours and descriptions survive export and import")
        XCTAssertEqual(again.sets.map(\.memberCodes), exchange.sets.map(\.memberCodes))
    }

    /// ATLAS.ti 8.4's dialect (flat codes, uppercase GUIDs, `Parent::child` names, sets in the
    /// project after the codebook); an excerpt of the real export in ../shared.
    func testATLASDialectSetsAndFlatNames() throws {
        let xml = """
            <?xml version="1.0" encoding="utf-8" standalone="yes"?>
            <Project xmlns="urn:QDA-XML:project:1.0" name="p">
              <CodeBook><Codes>
                <Code color="#966450" isCodable="true" name="Coke::diet Coke" guid="D299EFAE-5779-46DC-9827-A3D1A5D544BC"><Description>non sucré</Description></Code>
                <Code guid="C3C7D437-6932-4B14-A55D-30B7F811BBF3" name="milk" isCodable="true"/>
              </Codes></CodeBook>
              <Sets>
                <Set guid="45280FA0-43D0-4890-8B2B-456B84EB4A25" name="Breakfast food">
                  <MemberCode targetGUID="C3C7D437-6932-4B14-A55D-30B7F811BBF3"/>
                  <MemberSource targetGUID="17FB9CB8-7858-4291-A162-65424B9942EC"/>
                </Set>
                <Set guid="322EDFE7-C248-49CE-A094-477E02CB7177" name="&lt;3"/>
              </Sets>
            </Project>
            """
        let exchange = try REFIQDACodebook.read(Data(xml.utf8), file: "Project.qde")
        let book = try Codebook.parse(REFIQDACodebook.yaml(for: exchange.codes, sets: exchange.sets, name: "a"), file: "a.yaml")
        XCTAssertEqual(book.codes.map(\.id), ["coke-diet-coke", "milk"])
        XCTAssertEqual(book.codes[0].name, "Coke::diet Coke")
        XCTAssertEqual(book.codes[0].color, "#966450")
        XCTAssertEqual(book.sets.map(\.name), ["Breakfast food", "<3"])
        XCTAssertEqual(book.sets[0].codes, ["milk"])
        XCTAssertEqual(book.sets[0].refi["member-sources"], ["17FB9CB8-7858-4291-A162-65424B9942EC"], "a source member is kept, not dropped")
    }

    func testYAMLModelsColourCodableSetsAndExtensions() throws {
        let text = """
            name: x
            codes:
              - id: group
                name: Group
                color: "#A0B0C0"
                codable: false
                x-refi:
                  note-refs: [n1, n2]
                codes:
                  - id: leaf
            sets:
              - name: Some
                codes: [group/leaf]
            """
        let book = try Codebook.parse(text, file: "x.yaml")
        XCTAssertEqual(book.codes[0].refi, ["note-refs": ["n1", "n2"]])
        XCTAssertEqual(try Codebook.parse(book.yamlText(), file: "x.yaml").codes, try Codebook.parse(book.yamlText(), file: "x.yaml").codes)
        let reread = try Codebook.parse(book.yamlText(), file: "x.yaml")
        XCTAssertEqual(reread.codes.map(\.id), book.codes.map(\.id))
        XCTAssertEqual(reread.codes.map(\.codable), [false, true])
        XCTAssertEqual(reread.codes[0].color, "#A0B0C0")
        XCTAssertEqual(reread.sets, book.sets)
        XCTAssertTrue(REFIQDACodebook.export(book.codes, origin: "t").contains("<NoteRef targetGUID=\"n1\" />"))
        XCTAssertThrowsError(try Codebook.parse("codes:\n  - id: a\n    color: red\n", file: "c.yaml")) { error in
            XCTAssertTrue(String(describing: error).hasPrefix("c.yaml:3:12: expected a colour as #RRGGBB, found 'red'"), "\(error)")
        }
        XCTAssertThrowsError(try Codebook.parse("codes:\n  - id: a\nsets:\n  - name: s\n    codes: [b]\n", file: "c.yaml")) { error in
            XCTAssertTrue(String(describing: error).contains("set member 'b' is not a code of this codebook"), "\(error)")
        }
    }

    func testDocumentTypeIsRefusedAndEntitiesNeverResolved() {
        let xxe = """
            <?xml version="1.0"?>
            <!DOCTYPE CodeBook [ <!ENTITY secret SYSTEM "file:///etc/passwd"> ]>
            <CodeBook xmlns="urn:QDA-XML:codebook:1.0"><Codes><Code guid="a" name="&secret;" isCodable="true"/></Codes></CodeBook>
            """
        XCTAssertThrowsError(try REFIQDACodebook.read(Data(xxe.utf8), file: "x.qdc")) { error in
            XCTAssertTrue(String(describing: error).hasPrefix("x.qdc:2: expected REFI-QDA XML without a document type"), "\(error)")
            XCTAssertTrue(String(describing: error).contains("never resolved"), "\(error)")
        }
    }

    func testProjectExportKeepsIdsThatNamesWouldNotGive() throws {
        let book = try Codebook.parse("codes:\n  - id: selection\n    name: Model selection\n  - id: trust\n    name: Trust\n", file: "r.yaml")
        let xml = "<CodeBook>" + REFIQDACodebook.codesElement(book.codes, depth: 1, keepIds: true) + "</CodeBook>"
        XCTAssertTrue(xml.contains("Triangulate id: selection"))
        XCTAssertFalse(xml.contains("Triangulate id: trust"), "an id the name gives anyway needs no line")
        let nodes = try REFIQDACodebook.parse(Data(xml.utf8), file: "p.qde")
        XCTAssertEqual(REFIQDACodebook.codes(from: nodes).codes.map(\.id), ["selection", "trust"])
        XCTAssertNil(REFIQDACodebook.codes(from: nodes).codes[0].definition)
    }
}
