import Core
import TestSupport
import XCTest
@testable import Literature

final class LiteratureReaderTests: XCTestCase {
    func testDetectionPrefersContentOverExtension() {
        XCTAssertEqual(LiteratureFormat.detect(fileName: "a.txt", text: "\n1.\nTY  - JOUR\nER  -"), .ris)
        XCTAssertEqual(LiteratureFormat.detect(fileName: "a.bib", text: "TY  - JOUR\nER  -"), .ris)
        XCTAssertEqual(LiteratureFormat.detect(fileName: "savedrecs.txt", text: "FN Clarivate Analytics Web of Science\nVR 1.0\nPT J"), .webOfScience)
        XCTAssertEqual(LiteratureFormat.detect(fileName: "x.txt", text: "Scopus\nEXPORT DATE: 16 September 2025\n\n@ARTICLE{Xia2025,"), .bibtex)
        XCTAssertEqual(LiteratureFormat.detect(fileName: "x.txt", text: "\u{FEFF}@article( k,"), .bibtex)
        XCTAssertEqual(LiteratureFormat.detect(fileName: "empty.bib", text: ""), .bibtex)
        XCTAssertEqual(LiteratureFormat.detect(fileName: "empty.ris", text: "\n"), .ris)
        XCTAssertNil(LiteratureFormat.detect(fileName: "notes.txt", text: "just some notes\nabout papers"))
        XCTAssertEqual(LiteratureFormat(rawValue: "wos"), .webOfScience)
    }

    func testReadThrowsForUnknownFormatAndUnreadableFiles() throws {
        let folder = try TestPaths.temporaryDirectory(for: self)
        let notes = folder.appendingPathComponent("notes.txt")
        try Data("just some notes".utf8).write(to: notes)
        XCTAssertThrowsError(try LiteratureReader.read(notes, displayPath: "notes.txt")) { error in
            XCTAssertEqual(error as? LiteratureError, .unknownFormat(SourceLocation(file: "notes.txt")))
        }
        XCTAssertThrowsError(try LiteratureReader.read(folder.appendingPathComponent("absent.bib"), displayPath: "absent.bib")) { error in
            guard case .unreadableFile(let location, _)? = error as? LiteratureError else { return XCTFail("\(error)") }
            XCTAssertEqual(location.file, "absent.bib")
        }
        let latin1 = folder.appendingPathComponent("latin1.bib")
        try Data([0x40, 0x6D, 0x69, 0x73, 0x63, 0x7B, 0x6B, 0x2C, 0x0A, 0x74, 0x3D, 0x7B, 0xFC, 0x7D, 0x7D]).write(to: latin1)
        XCTAssertThrowsError(try LiteratureReader.read(latin1, displayPath: "latin1.bib")) { error in
            XCTAssertEqual((error as? LiteratureError)?.description,
                           "latin1.bib:2:4: cannot read the file: expected UTF-8 text, found the byte 0xFC")
        }
    }

    func testReadParsesWithTheDetectedFormat() throws {
        let folder = try TestPaths.temporaryDirectory(for: self)
        let url = folder.appendingPathComponent("export.txt")
        try Data("\u{FEFF}TY  - JOUR\r\nTI  - A\r\nER  - \r\n".utf8).write(to: url)
        let result = try LiteratureReader.read(url, displayPath: "literature/export.txt")
        XCTAssertEqual(result.records.first?.title, "A")
        XCTAssertEqual(result.records.first?.location, SourceLocation(file: "literature/export.txt", line: 1, column: 1))
    }
}
