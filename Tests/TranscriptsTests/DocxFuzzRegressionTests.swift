import Foundation
import TestSupport
import Transcripts
import XCTest
import ZIPFoundation

/// Inputs Fuzz/ found that crashed a reader; each must now be a located error.
final class DocxFuzzRegressionTests: XCTestCase {
    /// FuzzDocx, minimised: word/document.xml of `<\xFF\xFF\xFFn`. Foundation's XMLParser trapped
    /// (illegal instruction) on an element name that is not UTF-8.
    func testNonUTF8ElementNameIsALocatedError() throws {
        let folder = try TestPaths.temporaryDirectory(for: self)
        let url = folder.appendingPathComponent("P01.docx")
        let archive = try Archive(url: url, accessMode: .create)
        let xml = Data([0x3C, 0xFF, 0xFF, 0xFF, 0x6E])
        try archive.addEntry(with: "word/document.xml", type: .file, uncompressedSize: Int64(xml.count), compressionMethod: .none) { position, size in
            xml.subdata(in: Int(position)..<Int(position) + size)
        }
        XCTAssertThrowsError(try DocxReader(interviewerNames: ["Interviewer"]).read(url, displayPath: "P01.docx")) { error in
            XCTAssertEqual(String(describing: error),
                           "P01.docx: cannot read the Word document: expected XML in UTF-8 in word/document.xml, found the byte 0xFF at its line 1, column 2 (byte offset 1)")
        }
    }

    /// FuzzDocx: word/document.xml beginning `<?xers?>` (the input kept in
    /// Fuzz/findings/docx-processing-instruction-crash). libxml2 reports a processing instruction
    /// without data with a null pointer, on which Foundation's XMLParser called `strlen` (SIGSEGV).
    func testProcessingInstructionWithoutDataIsALocatedError() throws {
        let folder = try TestPaths.temporaryDirectory(for: self)
        let url = folder.appendingPathComponent("P01.docx")
        let archive = try Archive(url: url, accessMode: .create)
        let xml = Data("<?xers?>\r\n:<c\u{18}G\u{0}\u{0}moudwentE ffice\" lns:valw10=\"urn\">\r\n\t\"yes".utf8)
        try archive.addEntry(with: "word/document.xml", type: .file, uncompressedSize: Int64(xml.count), compressionMethod: .none) { position, size in
            xml.subdata(in: Int(position)..<Int(position) + size)
        }
        XCTAssertThrowsError(try DocxReader(interviewerNames: ["Interviewer"]).read(url, displayPath: "P01.docx")) { error in
            XCTAssertEqual(String(describing: error),
                           "P01.docx: cannot read the Word document: expected XML with data in every processing instruction in word/document.xml, found the processing instruction `<?xers?>` without data at its line 1, column 1 (byte offset 0)")
        }
    }

    /// FuzzDocx, session 8, after 638 CPU s: word/document.xml whose `<?xml` declaration is
    /// malformed, with `<?xr?>` three lines on (Fuzz/findings/docx-processing-instruction-after-declaration).
    /// The check skipped from `<?xml` to the next `?>`, the one of `<?xr?>`; libxml2, recovering,
    /// resumes at the next `>` and reported `<?xr?>` with a null pointer (SIGSEGV in `strlen`).
    func testProcessingInstructionAfterAMalformedDeclarationIsALocatedError() throws {
        let folder = try TestPaths.temporaryDirectory(for: self)
        let url = folder.appendingPathComponent("P01.docx")
        let archive = try Archive(url: url, accessMode: .create)
        let xml = Data(#"<?xml version0.".=" enmasrdprocessingml/2006/main" xmlns:r="http://schemas.openxmlformats.or>"#.utf8)
            + Data("\r\n\t\t\t<w:r>\r\n\t\t\t\t".utf8) + Data(#"<w::tab w:val="left" w:pos="864word/document.xml0"/>"#.utf8)
            + Data("\r\n\t\t\t\t\t".utf8) + Data(#"<w:tab w:val="left" w:po<?xr?>0"/>"#.utf8)
            + Data("\r\n\t\t\t\t\t<\t\t\t\t\t".utf8) + Data(#"<w:sz w:val="22"/>"#.utf8) + Data("\r\n\t\t\t\t\tb wcoding:=\"UT".utf8)
        XCTAssertEqual(xml.count, 254, "the finding's bytes")
        try archive.addEntry(with: "word/document.xml", type: .file, uncompressedSize: Int64(xml.count), compressionMethod: .none) { position, size in
            xml.subdata(in: Int(position)..<Int(position) + size)
        }
        XCTAssertThrowsError(try DocxReader(interviewerNames: ["Interviewer"]).read(url, displayPath: "P01.docx")) { error in
            XCTAssertEqual(String(describing: error),
                           "P01.docx: cannot read the Word document: expected XML with data in every processing instruction in word/document.xml, found the processing instruction `<?xr?>` without data at its line 4, column 30 (byte offset 192)")
        }
    }
}
