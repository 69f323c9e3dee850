import Qualitative
import Foundation
@testable import Interchange
import TestSupport
import XCTest

/// What the first import left out: case-level codes, `.docx` twins, descriptions and elements
/// the reader does not know — each brought in or listed in the report, never dropped.
final class REFIProjectCompletenessTests: XCTestCase {
    let casesXML = """
        <?xml version="1.0" encoding="utf-8"?>
        <Project xmlns="urn:QDA-XML:project:1.0" name="Cases" origin="Fixture">
          <Description>Two nurses, one ward.</Description>
          <Users><User guid="11111111-1111-4111-8111-111111111111" name="Zoe"/></Users>
          <CodeBook><Codes>
            <Code guid="22222222-2222-4222-8222-222222222221" name="Cost" isCodable="true"/>
            <Code guid="22222222-2222-4222-8222-222222222222" name="Care" isCodable="true"/>
          </Codes></CodeBook>
          <Cases>
            <Case guid="44444444-4444-4444-8444-444444444441" name="P1">
              <Description>Night shifts.</Description>
              <CodeRef targetGUID="22222222-2222-4222-8222-222222222221"/>
              <CodeRef targetGUID="22222222-2222-4222-8222-222222222222"/>
              <SourceRef targetGUID="55555555-5555-4555-8555-555555555551"/>
              <SelectionRef targetGUID="66666666-6666-4666-8666-666666666661"/>
            </Case>
            <Case guid="44444444-4444-4444-8444-444444444442" name="P2">
              <CodeRef targetGUID="22222222-2222-4222-8222-222222222222"/>
              <CodeRef targetGUID="99999999-9999-4999-8999-999999999999"/>
            </Case>
          </Cases>
          <Sources>
            <TextSource guid="55555555-5555-4555-8555-555555555551" name="first.txt">
              <Description>Recorded on the ward.</Description>
              <PlainTextContent>Interviewer: What matters?
        Ann: The cost, always.</PlainTextContent>
              <PlainTextSelection guid="66666666-6666-4666-8666-666666666661" startPosition="32" endPosition="36">
                <Coding guid="77777777-7777-4777-8777-777777777771" creatingUser="11111111-1111-4111-8111-111111111111">
                  <CodeRef targetGUID="22222222-2222-4222-8222-222222222221"/>
                </Coding>
              </PlainTextSelection>
            </TextSource>
          </Sources>
          <Extension vendor="x"><Thing/><Thing/></Extension>
        </Project>
        """

    func plan(_ xml: String, members: [(String, Data)] = [], context: ImportContext = ImportContext()) throws -> ImportPlan {
        let folder = try TestPaths.temporaryDirectory(for: self)
        let url = try Archives.zip([("project.qde", Data(xml.utf8))] + members, in: folder, name: "p.qdpx")
        return try ProjectImporter.plan(REFIProjectReader.read(url, displayPath: "p.qdpx"), context: context, sourceName: "p.qdpx")
    }

    /// A Case's CodeRefs become case-level codings of its participant (the source's, or one of
    /// the case's own name); a CodeRef to an unknown code and the case's SelectionRef are listed.
    func testCaseCodeRefsBecomeCaseLevelCodings() throws {
        let plan = try plan(casesXML)
        XCTAssertEqual(plan.participants.map(\.id), ["P1", "P2"])
        XCTAssertEqual(plan.caseCodings.map(\.coder), ["zoe"], "the project's only user")
        XCTAssertEqual(plan.caseCodings.flatMap(\.codings).map { "\($0.participant)|\($0.code)|\($0.coder)" },
                       ["P1|cost|zoe", "P1|care|zoe", "P2|care|zoe"])
        XCTAssertEqual(plan.caseCodings.flatMap(\.codings).first?.jsonLine,
                       #"{"kind":"case","participant":"P1","code":"cost","coder":"zoe"}"#)
        let entry = try XCTUnwrap(plan.report["case codings"])
        XCTAssertEqual([entry.found, entry.imported], [4, 3])
        XCTAssertEqual(entry.omissions.map(\.reason), ["it applies code 99999999-9999-4999-8999-999999999999, which is not in the codebook"])
        XCTAssertEqual(plan.report["case selections"]?.found, 1)
        XCTAssertEqual(plan.report["case selections"]?.imported, 0)
        XCTAssertEqual(plan.coders, ["zoe"])
        XCTAssertTrue(plan.report.notes.contains { $0.contains("recorded under the project's only user, zoe") }, plan.report.text)
    }

    /// With several users, who applied a case's code is unknown: coder `imported`, and it is a coder.
    func testCaseCodingsOfAProjectWithSeveralUsersGoToImported() throws {
        let xml = casesXML.replacingOccurrences(of: "<User guid=\"11111111-1111-4111-8111-111111111111\" name=\"Zoe\"/>",
                                                with: "<User guid=\"11111111-1111-4111-8111-111111111111\" name=\"Zoe\"/><User guid=\"11111111-1111-4111-8111-111111111112\" name=\"Max\"/>")
        let plan = try plan(xml)
        XCTAssertEqual(plan.caseCodings.map(\.coder), ["imported"])
        XCTAssertEqual(plan.coders, ["zoe", "max", "imported"])
    }

    /// Descriptions become memo files; an element REFI-QDA does not define there is listed with its count.
    func testDescriptionsAndUnknownElementsAreNeverDropped() throws {
        let plan = try plan(casesXML)
        XCTAssertEqual(plan.memos.map(\.fileName).sorted(), ["case-p1.md", "project-description.md", "source-P1.md"])
        XCTAssertEqual(plan.memos.first { $0.fileName == "case-p1.md" }?.text, "Description of case P1\n\nNight shifts.\n")
        XCTAssertEqual(plan.report["descriptions"]?.imported, 3)
        let other = try XCTUnwrap(plan.report["other elements"])
        XCTAssertEqual(other.omissions.map(\.name), ["Extension", "Thing"])
        XCTAssertEqual(other.found, 3)
        XCTAssertTrue(plan.report.json.contains(#"{"name":"Thing","reason":"2 <Thing> element(s), which REFI-QDA 1.5 does not define where they stand; not imported"}"#), plan.report.json)
    }

    /// A minimal Word document, one paragraph per line.
    func docx(_ paragraphs: [String]) throws -> Data {
        let body = paragraphs.map { "<w:p><w:r><w:t xml:space=\"preserve\">\(REFIQDACodebook.escape($0))</w:t></w:r></w:p>" }.joined()
        let xml = "<?xml version=\"1.0\"?><w:document xmlns:w=\"http://schemas.openxmlformats.org/wordprocessingml/2006/main\"><w:body>\(body)</w:body></w:document>"
        let folder = try TestPaths.temporaryDirectory(for: self)
        return try Data(contentsOf: Archives.zip([("word/document.xml", Data(xml.utf8))], in: folder, name: "twin-\(UUID().uuidString).docx"))
    }

    func twinXML(plain: Bool) -> String {
        """
        <Project xmlns="urn:QDA-XML:project:1.0" name="Twin">
          <CodeBook><Codes><Code guid="22222222-2222-4222-8222-222222222221" name="Cost" isCodable="true"/></Codes></CodeBook>
          <Sources><TextSource guid="55555555-5555-4555-8555-555555555551" name="notes" \(plain ? "plainTextPath=\"internal://t.txt\" " : "")richTextPath="internal://t.docx">
            <PlainTextSelection guid="66666666-6666-4666-8666-666666666661" startPosition="16" endPosition="20">
              <Coding guid="77777777-7777-4777-8777-777777777771"><CodeRef targetGUID="22222222-2222-4222-8222-222222222221"/></Coding>
            </PlainTextSelection>
          </TextSource></Sources>
        </Project>
        """
    }

    /// The `.docx` twin is read and compared with the plain text, which stays the transcript;
    /// without a plain text, the document's paragraphs are the text.
    func testDocxTwinIsComparedOrUsedWhenThereIsNoPlainText() throws {
        let plain = "First line.\nThe cost is high.\n"
        let agreeing = try plan(twinXML(plain: true), members: [("Sources/t.txt", Data(plain.utf8)),
                                                               ("Sources/t.docx", try docx(["First line.", "The cost is high."]))])
        let twin = try XCTUnwrap(agreeing.report["rich-text twins"])
        XCTAssertEqual([twin.found, twin.imported], [1, 0])
        XCTAssertEqual(twin.omissions.map(\.reason), ["the plain text carries the positions and is the transcript; the .docx twin agrees with it line for line (2 lines)"])
        XCTAssertEqual(agreeing.codings.flatMap(\.codings).map(\.quote), ["cost"])

        let differing = try plan(twinXML(plain: true), members: [("Sources/t.txt", Data(plain.utf8)),
                                                                ("Sources/t.docx", try docx(["First line.", "The price is high."]))])
        XCTAssertEqual(differing.report["rich-text twins"]?.omissions.first?.reason,
                       "the plain text carries the positions and is the transcript; the .docx twin differs from line 2: the plain text has 'The cost is high.', the .docx 'The price is high.' (6 words against 6)")

        let only = try plan(twinXML(plain: false), members: [("Sources/t.docx", try docx(["First line.", "The cost is high."]))])
        XCTAssertEqual(only.report["rich-text twins"]?.imported, 1)
        XCTAssertEqual(only.codings.flatMap(\.codings).map(\.quote), ["cost"])
        XCTAssertTrue(only.report.notes.contains { $0.contains("its text is the .docx's 2 paragraphs") }, only.report.text)

        let broken = try plan(twinXML(plain: true), members: [("Sources/t.txt", Data(plain.utf8)), ("Sources/t.docx", Data("not a zip".utf8))])
        let reason = try XCTUnwrap(broken.report["rich-text twins"]?.omissions.first?.reason)
        XCTAssertTrue(reason.hasPrefix("the .docx twin was not read: ") && reason.contains("ZIP archive"), reason)
        XCTAssertEqual(broken.codings.flatMap(\.codings).count, 1, "the plain text still imports")
    }

    /// NVivo's twin of its one source has the plain text's 15,272 lines, line for line.
    func testNVivoDocxTwinAgreesWithItsPlainText() throws {
        let url = try TestPaths.sharedData("qda/nvivo-vaccine-skepticism/oltas.qdpx")
        let plan = try ProjectImporter.plan(REFIProjectReader.read(url, displayPath: "oltas.qdpx"), context: ImportContext(), sourceName: "oltas.qdpx")
        XCTAssertEqual(plan.report["rich-text twins"]?.omissions.map(\.reason),
                       ["the plain text carries the positions and is the transcript; the .docx twin agrees with it line for line (15272 lines)"])
        XCTAssertNil(plan.report["other elements"], plan.report.text)
    }

    /// The codebook is read from the document without its sources, line numbers kept; a
    /// document where that is not plainly safe is read whole.
    func testTheCodebookIsReadWithoutTheSources() throws {
        let xml = "<Project>\n<CodeBook/>\n<Sources>\n<TextSource/>\n</Sources>\n<Sets/>\n</Project>\n"
        XCTAssertEqual(REFIProjectReader.withoutSources(Data(xml.utf8)).map { String(decoding: $0, as: UTF8.self) },
                       "<Project>\n<CodeBook/>\n\n\n\n<Sets/>\n</Project>\n")
        XCTAssertNil(REFIProjectReader.withoutSources(Data("<Project><Sources><!-- <CodeBook> --></Sources></Project>".utf8)))
        XCTAssertNil(REFIProjectReader.withoutSources(Data("<Project><SourcesX/></Project>".utf8)))
        let plan = try plan(casesXML)
        XCTAssertEqual(plan.codebook?.codes.map(\.id), ["cost", "care"])
    }

    func testTwinComparisonSaysHowTheyDiffer() {
        XCTAssertEqual(ProjectImporter.compare(twin: ["a b", "c"], with: "a b\r\nc\r\n"), "agrees with it line for line (2 lines)")
        XCTAssertEqual(ProjectImporter.compare(twin: ["a", "b c"], with: "a b\nc"), "has the same 3 words but other line breaks or spacing (2 lines, the plain text 2)")
        XCTAssertEqual(ProjectImporter.compare(twin: ["a"], with: "a\nb"), "differs from line 2: the plain text has 'b', the .docx nothing (it ends) (2 words against 1)")
    }
}
