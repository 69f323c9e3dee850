import Coding
import Foundation
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
