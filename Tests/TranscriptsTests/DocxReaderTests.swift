import Foundation
import TestSupport
import Transcripts
import XCTest
import ZIPFoundation

final class DocxReaderTests: XCTestCase {
    let reader = DocxReader(interviewerNames: ["Speaker 1"])

    /// A minimal Word document holding `body` (WordprocessingML inside `w:body`).
    func document(_ body: String, prefix: String = "w", in folder: URL, name: String = "P01.docx",
                  entry: String = "word/document.xml") throws -> URL {
        let xml = """
            <?xml version="1.0" encoding="UTF-8" standalone="yes"?>
            <\(prefix):document xmlns:\(prefix)="http://schemas.openxmlformats.org/wordprocessingml/2006/main"><\(prefix):body>\(body)</\(prefix):body></\(prefix):document>
            """
        let url = folder.appendingPathComponent(name)
        let archive = try Archive(url: url, accessMode: .create)
        let data = Data(xml.utf8)
        try archive.addEntry(with: entry, type: .file, uncompressedSize: Int64(data.count), compressionMethod: .deflate) { position, size in
            data.subdata(in: Int(position)..<Int(position) + size)
        }
        return url
    }

    func testParagraphsRunsTabsAndBreaks() throws {
        let folder = try TestPaths.temporaryDirectory(for: self)
        let body = """
            <w:p><w:pPr><w:tabs><w:tab w:val="left" w:pos="720"/></w:tabs></w:pPr><w:r><w:t>Interview 7</w:t></w:r></w:p>
            <w:p/>
            <w:p><w:r><w:t xml:space="preserve">Speaker 1 (00:00:00):</w:t></w:r></w:p>
            <w:p><w:r><w:t xml:space="preserve">Which </w:t></w:r><w:r><w:rPr><w:b/></w:rPr><w:t>hub</w:t></w:r><w:r><w:t>?</w:t></w:r></w:p>
            <w:p><w:r><w:t>Speaker 2 (00:00:03):</w:t></w:r></w:p>
            <w:p><w:r><w:t>Hugging&#160;Face</w:t><w:tab/><w:t>&amp; GitHub</w:t><w:br/><w:t>mostly.</w:t></w:r></w:p>
            <w:tbl><w:tr><w:tc><w:p><w:r><w:t>Speaker 1:</w:t></w:r></w:p></w:tc></w:tr></w:tbl>
            <w:p><w:r><w:instrText>HYPERLINK "x"</w:instrText><w:t>Thanks.</w:t><w:delText>gone</w:delText></w:r></w:p>
            <w:p><w:r><w:t>Speaker 2:</w:t></w:r></w:p><w:p><w:r><w:t>Bye.</w:t></w:r></w:p>
            """
        let url = try document(body, in: folder)
        let transcript = try reader.read(url, displayPath: "corpus/transcripts/P01.docx")
        XCTAssertEqual(transcript.id, "P01")
        XCTAssertEqual(transcript.preamble, "Interview 7")
        XCTAssertEqual(transcript.turns.map(\.speaker), ["Speaker 1", "Speaker 2", "Speaker 1", "Speaker 2"])
        XCTAssertEqual(transcript.turns.map(\.text), ["Which hub?", "Hugging\u{A0}Face\t& GitHub\nmostly.", "Thanks.", "Bye."])
        XCTAssertEqual(transcript.turns.map(\.line), [3, 5, 7, 9], "paragraph numbers")
        XCTAssertEqual(transcript.turns.map(\.start), [0, 3, nil, nil])
        XCTAssertEqual(transcript.sourceSHA256?.count, 64)
    }

    func testAnyNamespacePrefix() throws {
        let folder = try TestPaths.temporaryDirectory(for: self)
        let body = "<x:p><x:r><x:t>A: one</x:t></x:r></x:p><x:p><x:r><x:t>B: two</x:t></x:r></x:p><x:p><x:r><x:t>A: three</x:t></x:r></x:p><x:p><x:r><x:t>B: four</x:t></x:r></x:p>"
        let transcript = try DocxReader(interviewerNames: ["A"]).read(try document(body, prefix: "x", in: folder), displayPath: "P01.docx")
        XCTAssertEqual(transcript.turns.map(\.text), ["one", "two", "three", "four"])
    }

    func testBrokenDocumentsAreNamed() throws {
        let folder = try TestPaths.temporaryDirectory(for: self)
        let notZip = folder.appendingPathComponent("P02.docx")
        try Data("Speaker 1: not a zip".utf8).write(to: notZip)
        XCTAssertThrowsError(try reader.read(notZip, displayPath: "corpus/transcripts/P02.docx")) { error in
            XCTAssertEqual(String(describing: error),
                           "corpus/transcripts/P02.docx: cannot read the Word document: expected a .docx file (a ZIP archive), found a file of 20 bytes, too short for one")
        }
        let noDocument = try document("<w:p/>", in: folder, name: "P03.docx", entry: "word/other.xml")
        XCTAssertThrowsError(try reader.read(noDocument, displayPath: "P03.docx")) { error in
            XCTAssertEqual(String(describing: error),
                           "P03.docx: cannot read the Word document: expected word/document.xml inside the archive, found none (is this a Word document?)")
        }
        let badXML = try document("<w:p><w:r><w:t>Speaker 1: hi</w:r></w:p>", in: folder, name: "P04.docx")
        XCTAssertThrowsError(try reader.read(badXML, displayPath: "P04.docx")) { error in
            XCTAssertEqual(String(describing: error),
                           "P04.docx: cannot read the Word document: expected well-formed XML in word/document.xml, found an end tag that does not match its start tag at its line 2, column 126")
        }
        let noTurns = try document("<w:p><w:r><w:t>Consent form</w:t></w:r></w:p>", in: folder, name: "P05.docx")
        XCTAssertThrowsError(try reader.read(noTurns, displayPath: "P05.docx")) { error in
            XCTAssertEqual(error as? TranscriptError, .noTurns(file: "P05.docx", firstLine: "Consent form"))
        }
    }
}
