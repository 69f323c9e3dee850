import Foundation
@testable import Interchange
import Qualitative
import TestSupport
import Transcripts
import XCTest

final class REFIProjectWriterTests: XCTestCase {
    func content() throws -> REFIProjectWriter.Content {
        let book = try Codebook.parse("""
            name: Reuse
            codes:
              - id: selection
                name: Model selection
                color: "#F00082"
                codable: false
                codes:
                  - id: popularity
                    name: Popularity
            sets:
              - name: Signals
                codes: [selection/popularity]
            """, file: "codebooks/reuse.yaml")
        let transcript = try PlainTextReader(interviewerNames: ["Interviewer"], knownSpeakers: ["Maya"]).parse("""
            ILLUSTRATIVE.

            Interviewer: How do you choose?
            Maya: I sort by downloads 🙂 and then
            I test three.
            """, id: "P01", file: "P01.txt")
        let codings = [
            Coding(transcript: "P01", turn: 2, start: 10, end: 19, quote: "downloads", code: "selection/popularity", coder: "ana",
                   memo: "first filter", at: "2026-11-20T09:00:00Z", location: .init(file: "ana.jsonl", line: 1)),
            Coding(transcript: "P01", turn: 2, code: "selection/popularity", coder: "ben", location: .init(file: "ben.jsonl", line: 1)),
        ]
        return .init(name: "Demo", codebooks: [book], transcripts: [transcript], codings: codings,
                     participants: [Participant(id: "P01", pseudonym: "Maya", attributes: [("role", "ML engineer")], line: 2)],
                     memos: [(name: "plan", text: "Interview four people.\n")])
    }

    /// GUIDs derived from ids are the SHA-256 of `namespace:key`, shaped as version 4 (checked
    /// against Python's hashlib), so exports keep naming things as they always did.
    func testDerivedGUIDsAreStable() {
        XCTAssertEqual(REFIQDACodebook.derivedGUID(namespace: "user", "ana"), "93e69d25-10cb-4597-a530-947b5d693b26")
    }

    /// Only an XML Schema dateTime becomes a coding's creationDateTime (the schema refuses others).
    func testDateTimesAreRecognised() {
        for good in ["2026-11-20T09:00:00Z", "2026-11-20T09:00:00", "2026-11-20T09:00:00.125+01:00", "2026-11-20T09:00:00-05:30"] {
            XCTAssertTrue(REFIProjectWriter.isDateTime(good), good)
        }
        for bad in ["2026-11-20", "2026-11-20 09:00:00", "2026-11-20T09:00:00.Z", "2026-11-20T09:00:00+0100", "2026-11-20T09:00:00Zx", "x2026-11-20T09:00:00"] {
            XCTAssertFalse(REFIProjectWriter.isDateTime(bad), bad)
        }
    }

    /// The export validates against the REFI-QDA schema and imports back to the same study.
    func testExportValidatesAndRoundTrips() throws {
        let folder = try TestPaths.temporaryDirectory(for: self)
        let url = folder.appendingPathComponent("demo.qdpx")
        let original = try content()
        XCTAssertEqual(try REFIProjectWriter.write(original, to: url), [])
        let xml = try Archives.member("project.qde", of: url)
        if let errors = try Archives.schemaErrors(xml, in: folder) { XCTFail(errors) }
        let first = try Data(contentsOf: url)
        try REFIProjectWriter.write(original, to: url)
        XCTAssertEqual(try Data(contentsOf: url), first, "the same study exports the same bytes")

        let plan = try ProjectImporter.plan(REFIProjectReader.read(url, displayPath: "demo.qdpx"),
                                            context: ImportContext(interviewerNames: ["Interviewer"]), sourceName: "demo.qdpx")
        XCTAssertEqual(plan.codebook?.codes.map(\.id), ["selection", "selection/popularity"])
        XCTAssertEqual(plan.codebook?.codes.map(\.codable), [false, true])
        XCTAssertEqual(plan.codebook?.codes.first?.color, "#F00082")
        XCTAssertEqual(plan.codebook?.sets.map(\.codes), [["selection/popularity"]])
        let transcript = try PlainTextReader(interviewerNames: ["Interviewer"], knownSpeakers: ["Maya"]).parse(plan.transcripts[0].text, id: "P01", file: "P01.txt")
        XCTAssertEqual(transcript.turns.map(\.text), original.transcripts[0].turns.map(\.text))
        XCTAssertEqual(transcript.preamble, original.transcripts[0].preamble)
        func key(_ coding: Coding) -> String {
            [coding.transcript, "\(coding.turn)", "\(coding.start ?? -1)", "\(coding.end ?? -1)", coding.quote ?? "", coding.code,
             coding.coder, coding.memo ?? "", coding.at ?? ""].joined(separator: "|")
        }
        XCTAssertEqual(plan.codings.flatMap(\.codings).map(key).sorted(), original.codings.map(key).sorted())
        XCTAssertEqual(plan.participants, [.init(id: "P01", pseudonym: "Maya", attributes: [.init(name: "role", value: "ML engineer")])])
        XCTAssertEqual(plan.memos, [.init(fileName: "plan.md", text: "Interview four people.\n")])
    }

    func testPlainTextIsTheTranscriptAsWritten() throws {
        let transcript = try content().transcripts[0]
        let (text, starts) = REFIProjectWriter.plainText(of: transcript)
        XCTAssertEqual(text, TranscriptWriter.text(of: transcript))
        let scalars = Array(text.unicodeScalars)
        XCTAssertEqual(String(String.UnicodeScalarView(scalars[starts[1]..<(starts[1] + 4)])), "I so")
    }

    /// Export → xmllint → re-import of the real NVivo project gives back its codes and codings.
    func testNVivoProjectRoundTrips() throws {
        let source = try TestPaths.sharedData("qda/nvivo-vaccine-skepticism/oltas.qdpx")
        let folder = try TestPaths.temporaryDirectory(for: self)
        let first = try ProjectImporter.plan(REFIProjectReader.read(source, displayPath: "oltas.qdpx"), context: ImportContext(), sourceName: "oltas")
        let pseudonyms = Set(first.participants.compactMap(\.pseudonym))
        let transcripts = try first.transcripts.map {
            try PlainTextReader(interviewerNames: [], knownSpeakers: pseudonyms).parse($0.text, id: $0.id, file: $0.fileName)
        }
        let content = REFIProjectWriter.Content(
            name: "oltas", codebooks: [try XCTUnwrap(first.codebook)], transcripts: transcripts,
            codings: first.codings.flatMap(\.codings), participants: first.participants.map {
                Participant(id: $0.id, pseudonym: $0.pseudonym, attributes: $0.attributes.map { ($0.name, $0.value) }, line: 0)
            }, memos: [])
        let url = folder.appendingPathComponent("again.qdpx")
        XCTAssertEqual(try REFIProjectWriter.write(content, to: url), [])
        if let errors = try Archives.schemaErrors(try Archives.member("project.qde", of: url), in: folder) { XCTFail(errors) }
        let second = try ProjectImporter.plan(REFIProjectReader.read(url, displayPath: "again.qdpx"), context: ImportContext(), sourceName: "again")
        XCTAssertEqual(second.codebook?.codes.map(\.id), first.codebook?.codes.map(\.id))
        XCTAssertEqual(second.codebook?.codes.map(\.guid), first.codebook?.codes.map(\.guid), "GUIDs survive")
        XCTAssertEqual(second.report["codings"]?.imported, 97)
        func key(_ coding: Coding) -> String { "\(coding.turn)|\(coding.start ?? -1)|\(coding.end ?? -1)|\(coding.code)|\(coding.coder)|\(coding.at ?? "")" }
        XCTAssertEqual(second.codings.flatMap(\.codings).map(key).sorted(), first.codings.flatMap(\.codings).map(key).sorted())
        let reread = try PlainTextReader(interviewerNames: [], knownSpeakers: Set(second.participants.compactMap(\.pseudonym)))
            .parse(second.transcripts[0].text, id: "x", file: "x")
        XCTAssertEqual(reread.turns.map(\.text), transcripts[0].turns.map(\.text))
    }
}

/// The illustrative tutorial study (examples/tutorial, the demo before it became the real ICSE 2023
/// study, whose codings are case-level), exported, validates against the REFI-QDA schema.
final class DemoStudyExportTests: XCTestCase {
    func testDemoStudyExportValidates() throws {
        let root = TestPaths.repositoryRoot.appendingPathComponent("examples/tutorial")
        let folder = try TestPaths.temporaryDirectory(for: self)
        let participants = try ParticipantsFile.read(root.appendingPathComponent("corpus/participants.csv"), displayPath: "participants.csv")
        func files(_ path: String) throws -> [URL] {
            try FileManager.default.contentsOfDirectory(atPath: root.appendingPathComponent(path).path).sorted()
                .map { root.appendingPathComponent(path).appendingPathComponent($0) }
        }
        let content = REFIProjectWriter.Content(
            name: "Demo",
            codebooks: try files("codebooks").map { try Codebook.read($0, displayPath: $0.lastPathComponent) },
            transcripts: try files("corpus/transcripts").map {
                try TranscriptReader.read($0, displayPath: $0.lastPathComponent, interviewerNames: ["Interviewer"],
                                          knownSpeakers: Set(participants.compactMap(\.pseudonym)))
            },
            codings: try files("corpus/codings").flatMap { try CodingFile.read($0, displayPath: $0.lastPathComponent) },
            participants: participants, memos: [])
        let url = folder.appendingPathComponent("demo.qdpx")
        XCTAssertEqual(try REFIProjectWriter.write(content, to: url), [])
        let xml = try Archives.member("project.qde", of: url)
        if let errors = try Archives.schemaErrors(xml, in: folder) { XCTFail(errors) }
        XCTAssertEqual(String(decoding: xml, as: UTF8.self).components(separatedBy: "<Coding ").count - 1, content.codings.count)
    }
}

/// Memos that came with a real Rev transcript travel as the source's notes, and the project
/// still validates.
final class TranscriptMemoExportTests: XCTestCase {
    func testRevMemosBecomeNotesOfTheirSource() throws {
        let docx = try TestPaths.sharedData("interviews/icse2023-ptm-reuse-interviews/transcripts/Interview-02-20220704.docx")
        let transcript = try TranscriptReader.read(docx, displayPath: "P02.docx", interviewerNames: ["Speaker 1"], knownSpeakers: [])
        XCTAssertFalse(transcript.memos.isEmpty)
        let folder = try TestPaths.temporaryDirectory(for: self)
        let url = folder.appendingPathComponent("memos.qdpx")
        let content = REFIProjectWriter.Content(name: "Memos", codebooks: [], transcripts: [transcript], codings: [], participants: [], memos: [])
        _ = try REFIProjectWriter.write(content, to: url)
        let xml = try Archives.member("project.qde", of: url)
        let text = String(decoding: xml, as: UTF8.self)
        XCTAssertEqual(text.components(separatedBy: "<NoteRef ").count - 1, transcript.memos.count)
        XCTAssertTrue(text.contains("name=\"Annotation 1 in "))
        if let errors = try Archives.schemaErrors(xml, in: folder) { XCTFail(errors) }
    }
}
