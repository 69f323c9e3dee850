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
}
