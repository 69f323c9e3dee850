import Foundation
import Interchange
import Qualitative
import TestSupport
import Transcripts
import XCTest

final class REFIProjectImportTests: XCTestCase {
    /// The real NVivo 12.6 export: one source, 60 codes, 97 codings, each text-checked.
    func testNVivoProjectImportsItsSourceCodesAndEveryCoding() throws {
        let url = try TestPaths.sharedData("qda/nvivo-vaccine-skepticism/oltas.qdpx")
        let loaded = try REFIProjectReader.read(url, displayPath: "oltas.qdpx")
        let plan = try ProjectImporter.plan(loaded, context: ImportContext(), sourceName: "oltas.qdpx")
        XCTAssertEqual(plan.transcripts.map(\.id), ["videos_selection"])
        XCTAssertEqual(plan.codebook?.codes.count, 60)
        XCTAssertEqual(plan.report["codes"]?.imported, 60)
        XCTAssertEqual(plan.report["codings"]?.found, 97)
        XCTAssertEqual(plan.report["codings"]?.imported, 97, plan.report.text)
        XCTAssertEqual(plan.report["codings"]?.omissions, [])
        XCTAssertEqual(plan.report["users"]?.imported, 2)
        XCTAssertTrue(plan.report.notes.contains { $0.contains("UTF-16 code units") }, "NVivo counts UTF-16 units and the report says so")

        // Independently of the importer: read the written transcript as the study will, and
        // check each coding's text against the selection's original text (UTF-16 positions).
        let source = try XCTUnwrap(loaded.texts.values.first)
        let utf16 = Array(source.utf16)
        let transcript = try PlainTextReader(interviewerNames: [], knownSpeakers: Set(plan.participants.compactMap(\.pseudonym)))
            .parse(plan.transcripts[0].text, id: "videos_selection", file: "videos_selection.txt")
        let codeIds = REFIQDACodebook.codes(from: loaded.project.codebook.codes).ids
        var expected: [String] = []
        for selection in loaded.project.textSources[0].selections {
            let original = String(decoding: utf16[selection.start..<selection.end], as: UTF16.self)
                .replacingOccurrences(of: "\r\n", with: "\n").trimmingCharacters(in: .whitespacesAndNewlines)
            for coding in selection.codings { expected.append("\(codeIds[coding.codeGUID] ?? "?")|\(original)") }
        }
        let all = plan.codings.flatMap(\.codings)
        var actual: [String] = []
        for coding in all {
            let text = transcript.turns[coding.turn - 1].text
            let anchored = coding.start.map { start in
                String(String.UnicodeScalarView(Array(text.unicodeScalars)[start..<(coding.end ?? start)]))
            } ?? text
            if let quote = coding.quote { XCTAssertEqual(quote, anchored) }
            actual.append("\(coding.code)|\(anchored)")
        }
        XCTAssertEqual(all.count, 97, "no selection of this project spans two paragraphs")
        XCTAssertEqual(actual.sorted(), expected.sorted())
    }

    /// The real ATLAS.ti 8.4 export: `Project.qde` with a capital P and no source files.
    func testATLASProjectBringsCodesUsersNotesSetsAndListsTheTwelveSourcesItCannot() throws {
        let url = try TestPaths.sharedData("qda/atlasti-8-standard-project/TestProject.qdpx")
        let plan = try ProjectImporter.plan(REFIProjectReader.read(url, displayPath: "TestProject.qdpx"),
                                            context: ImportContext(), sourceName: "TestProject.qdpx")
        XCTAssertEqual(plan.report["codes"]?.imported, 14)
        XCTAssertEqual(plan.report["users"]?.imported, 3)
        XCTAssertEqual(plan.report["notes"]?.imported, 2)
        XCTAssertEqual(plan.memos.count, 2)
        XCTAssertEqual(plan.report["sets"]?.imported, 16)
        XCTAssertEqual(plan.codebook?.sets.count, 16)
        let kinds = ["text sources", "PDF sources", "picture sources", "audio sources", "video sources"]
        let notBrought = kinds.compactMap { plan.report[$0] }.reduce(0) { $0 + $1.omissions.count }
        XCTAssertEqual(notBrought, 12, plan.report.text)
        XCTAssertEqual(plan.report["text sources"]?.imported, 0)
        XCTAssertTrue(plan.report.text.contains("'Kellogg's Passion for Nutrition.pdf' (03F134F1-AB05-46E6-8702-1D6930D7F7F0): PDF sources are not imported"), plan.report.text)
        XCTAssertEqual(plan.report["graphs"]?.omissions.count, 1)
        XCTAssertTrue(plan.report.json.contains("\"kind\":\"video sources\",\"found\":2,\"imported\":0"), plan.report.json)
    }

    let projectXML = """
        <?xml version="1.0" encoding="utf-8"?>
        <Project xmlns="urn:QDA-XML:project:1.0" name="Small" origin="Fixture">
          <Users><User guid="11111111-1111-4111-8111-111111111111" name="Zoë Ó"/></Users>
          <CodeBook><Codes>
            <Code guid="22222222-2222-4222-8222-222222222222" name="Cost" isCodable="true"/>
          </Codes></CodeBook>
          <Variables><Variable guid="33333333-3333-4333-8333-333333333333" name="role" typeOfVariable="Text"/></Variables>
          <Cases><Case guid="44444444-4444-4444-8444-444444444444" name="P1">
            <VariableValue><VariableRef targetGUID="33333333-3333-4333-8333-333333333333"/><TextValue>nurse</TextValue></VariableValue>
            <SourceRef targetGUID="55555555-5555-4555-8555-555555555555"/>
          </Case></Cases>
          <Sources>
            <TextSource guid="55555555-5555-4555-8555-555555555555" name="first.txt">
              <PlainTextContent>Interviewer: What matters?
        Ann: 🙂 The cost, always.
        Interviewer: And then?
        Ann: Nothing else.</PlainTextContent>
              <PlainTextSelection guid="66666666-6666-4666-8666-666666666661" startPosition="34" endPosition="42">
                <Coding guid="77777777-7777-4777-8777-777777777771" creatingUser="11111111-1111-4111-8111-111111111111">
                  <CodeRef targetGUID="22222222-2222-4222-8222-222222222222"/><NoteRef targetGUID="88888888-8888-4888-8888-888888888881"/>
                </Coding>
              </PlainTextSelection>
              <PlainTextSelection guid="66666666-6666-4666-8666-666666666662" startPosition="30" endPosition="9999">
                <Coding guid="77777777-7777-4777-8777-777777777772"><CodeRef targetGUID="22222222-2222-4222-8222-222222222222"/></Coding>
              </PlainTextSelection>
              <PlainTextSelection guid="66666666-6666-4666-8666-666666666663" startPosition="34" endPosition="42">
                <Coding guid="77777777-7777-4777-8777-777777777773"><CodeRef targetGUID="99999999-9999-4999-8999-999999999999"/></Coding>
              </PlainTextSelection>
              <PlainTextSelection guid="66666666-6666-4666-8666-666666666664" startPosition="34" endPosition="74">
                <Coding guid="77777777-7777-4777-8777-777777777774"><CodeRef targetGUID="22222222-2222-4222-8222-222222222222"/></Coding>
              </PlainTextSelection>
            </TextSource>
            <TextSource guid="aaaaaaaa-aaaa-4aaa-8aaa-aaaaaaaaaaaa" name="gone" plainTextPath="internal://gone.txt"/>
          </Sources>
          <Notes><Note guid="88888888-8888-4888-8888-888888888881" name="n"><PlainTextContent>Money first.</PlainTextContent></Note></Notes>
        </Project>
        """

    /// Cases and variables, a coding memo, code points (the emoji is one), and every kind of
    /// broken reference reported with its GUID while the rest imports.
    func testSmallProjectImportsAndReportsEachBrokenReference() throws {
        let folder = try TestPaths.temporaryDirectory(for: self)
        let url = try Archives.qdpx([("project.qde", projectXML)], in: folder)
        let plan = try ProjectImporter.plan(REFIProjectReader.read(url, displayPath: "p.qdpx"), context: ImportContext(), sourceName: "p.qdpx")
        XCTAssertEqual(plan.transcripts.map(\.id), ["P1"], "a case with one source names its transcript")
        XCTAssertEqual(plan.participants, [.init(id: "P1", pseudonym: nil, attributes: [.init(name: "role", value: "nurse")])])
        let codings = plan.codings.flatMap(\.codings)
        XCTAssertEqual(plan.codings.map(\.coder), ["zoe-o", "imported"])
        XCTAssertEqual(codings[0].turn, 2)
        XCTAssertEqual(codings[0].quote, "The cost")
        XCTAssertEqual(codings[0].start, 2)
        XCTAssertEqual(codings[0].memo, "Money first.")
        XCTAssertEqual(codings.count, 3, "the selection over two turns is recorded once per turn")
        XCTAssertEqual(codings[1].quote, "The cost, always.")
        XCTAssertEqual(codings[2].quote, nil, "a whole turn is a whole-turn coding")
        XCTAssertEqual(codings[2].turn, 3)
        let report = plan.report.text
        XCTAssertTrue(report.contains("66666666-6666-4666-8666-666666666662: positions 30–9999 lie outside its source's text"), report)
        XCTAssertTrue(report.contains("77777777-7777-4777-8777-777777777773: it applies code 99999999-9999-4999-8999-999999999999, which is not in the codebook"), report)
        XCTAssertTrue(report.contains("'gone' (aaaaaaaa-aaaa-4aaa-8aaa-aaaaaaaaaaaa): its plain text Sources/gone.txt is not in the archive"), report)
        XCTAssertEqual(plan.memos, [], "the note is the coding's memo")
    }

    func testProjectWithoutCodeBookImportsNoCodesWithANote() throws {
        let xml = #"<Project xmlns="urn:QDA-XML:project:1.0" name="Empty"><Users><User guid="11111111-1111-4111-8111-111111111111" name="a"/></Users></Project>"#
        let plan = try ProjectImporter.plan(.init(project: REFIProjectReader.parse(Data(xml.utf8), file: "p.qde"), texts: [:], missingTexts: [:]),
                                            context: ImportContext(), sourceName: "p.qde")
        XCTAssertNil(plan.codebook)
        XCTAssertEqual(plan.report["codes"]?.found, 0)
        XCTAssertTrue(plan.report.notes.contains("the project has no CodeBook: 0 codes imported"))
    }

    func testClashingCodesNeedAPrefix() throws {
        let folder = try TestPaths.temporaryDirectory(for: self)
        let url = try Archives.qdpx([("project.qde", projectXML)], in: folder)
        let loaded = try REFIProjectReader.read(url, displayPath: "p.qdpx")
        XCTAssertThrowsError(try ProjectImporter.plan(loaded, context: ImportContext(codeIds: ["cost"]), sourceName: "p.qdpx")) { error in
            XCTAssertTrue(String(describing: error).contains("--prefix"), "\(error)")
        }
        let plan = try ProjectImporter.plan(loaded, context: ImportContext(codeIds: ["cost"], prefix: "small"), sourceName: "p.qdpx")
        XCTAssertEqual(plan.codebook?.codes.map(\.id), ["small", "small/cost"])
        XCTAssertEqual(plan.codebook?.codes.first?.codable, false)
        XCTAssertEqual(plan.codings.flatMap(\.codings).first?.code, "small/cost")
    }

    func testUnsafeArchivesAndEntitiesAreRefused() throws {
        let folder = try TestPaths.temporaryDirectory(for: self)
        let climbing = try Archives.qdpx([("project.qde", projectXML), ("../outside.txt", "x")], in: folder, name: "a.qdpx")
        XCTAssertThrowsError(try REFIProjectReader.read(climbing, displayPath: "a.qdpx")) { error in
            XCTAssertEqual(String(describing: error), "a.qdpx: archive member '../outside.txt' is refused: its path is absolute or climbs out of the archive with '..'; nothing was imported")
        }
        let absolute = try Archives.qdpx([("/etc/passwd", "x")], in: folder, name: "b.qdpx")
        XCTAssertThrowsError(try REFIProjectReader.read(absolute, displayPath: "b.qdpx"))
        let xxe = "<?xml version=\"1.0\"?>\n<!DOCTYPE Project [<!ENTITY x SYSTEM \"file:///etc/passwd\">]>\n<Project xmlns=\"urn:QDA-XML:project:1.0\" name=\"&x;\"/>"
        let entity = try Archives.qdpx([("Project.qde", xxe)], in: folder, name: "c.qdpx")
        XCTAssertThrowsError(try REFIProjectReader.read(entity, displayPath: "c.qdpx")) { error in
            XCTAssertTrue(String(describing: error).contains("entities (XXE) are never resolved"), "\(error)")
        }
        let notZip = folder.appendingPathComponent("d.qdpx")
        try Data("not a zip".utf8).write(to: notZip)
        XCTAssertThrowsError(try REFIProjectReader.read(notZip, displayPath: "d.qdpx")) { error in
            XCTAssertTrue(String(describing: error).contains("does not open as one"), "\(error)")
        }
    }

    /// UTF-16 positions (NVivo's counting) are recognised from the evidence and reported; the
    /// user can insist on code points.
    func testUTF16PositionsAreDetectedAndCanBeOverridden() throws {
        let text = "😀😀 alpha beta\nsecond line"
        let xml = """
            <Project xmlns="urn:QDA-XML:project:1.0" name="u" origin="NVivo">
              <CodeBook><Codes><Code guid="22222222-2222-4222-8222-222222222222" name="c" isCodable="true"/></Codes></CodeBook>
              <Sources><TextSource guid="55555555-5555-4555-8555-555555555555" name="t"><PlainTextContent>\(text)</PlainTextContent>
                <PlainTextSelection guid="66666666-6666-4666-8666-666666666661" startPosition="5" endPosition="10"><Coding guid="77777777-7777-4777-8777-777777777771"><CodeRef targetGUID="22222222-2222-4222-8222-222222222222"/></Coding></PlainTextSelection>
                <PlainTextSelection guid="66666666-6666-4666-8666-666666666662" startPosition="11" endPosition="15"><Coding guid="77777777-7777-4777-8777-777777777772"><CodeRef targetGUID="22222222-2222-4222-8222-222222222222"/></Coding></PlainTextSelection>
              </TextSource></Sources>
            </Project>
            """
        let loaded = REFIProjectReader.Loaded(project: try REFIProjectReader.parse(Data(xml.utf8), file: "u.qde"),
                                              texts: ["55555555-5555-4555-8555-555555555555": text], missingTexts: [:])
        let plan = try ProjectImporter.plan(loaded, context: ImportContext(), sourceName: "u")
        XCTAssertEqual(plan.codings.flatMap(\.codings).map(\.quote), ["alpha", "beta"])
        let forced = try ProjectImporter.plan(loaded, context: ImportContext(positions: .codePoints), sourceName: "u")
        XCTAssertEqual(forced.codings.flatMap(\.codings).map(\.quote), ["pha b", "ta", "s"])
    }
}
