import Core
import Foundation
import XCTest

final class XMLInputTests: XCTestCase {
    func testFirstInvalidUTF8IsLocated() {
        XCTAssertNil(XMLInput.firstInvalidUTF8(Data("<a>é</a>".utf8)))
        XCTAssertNil(XMLInput.firstInvalidUTF8(Data([0xEF, 0xBB, 0xBF] + Array("<a/>".utf8))))
        XCTAssertNil(XMLInput.firstInvalidUTF8(Data([0xFF, 0xFE, 0x3C, 0x00])), "UTF-16 with its mark is libxml2's to convert")
        let truncated = XMLInput.firstInvalidUTF8(Data(Array("<a>\né".utf8) + [0xC3]))
        XCTAssertEqual(truncated.map { [Int($0.byte), $0.line, $0.column, $0.offset] }, [0xC3, 2, 2, 6])
        XCTAssertEqual(XMLInput.firstInvalidUTF8(Data([0x3C, 0xFF, 0xFF, 0xFF, 0x6E]))?.description,
                       "the byte 0xFF at line 1, column 2 (byte offset 1)")
    }

    func testProcessingInstructionWithoutDataIsLocated() {
        func found(_ text: String) -> String? { XMLInput.firstProblem(Data(text.utf8))?.found }
        XCTAssertNil(found("<?xml version=\"1.0\"?><?mso-application progid=\"Word.Document\"?><a/>"))
        XCTAssertNil(found("<?target ?><a/>"), "empty data is data: Foundation reads it")
        // Anywhere, comments and CDATA included: libxml2 in Foundation's recovery mode resumes
        // after an error where no scanner can follow, and an entity can open a comment.
        XCTAssertEqual(found("<a><!-- <?x?> --></a>"), "the processing instruction `<?x?>` without data at line 1, column 9 (byte offset 8)")
        XCTAssertEqual(found("<a><![CDATA[<?y?>]]></a>"), "the processing instruction `<?y?>` without data at line 1, column 13 (byte offset 12)")
        XCTAssertEqual(found("<!DOCTYPE a [<!ENTITY e \"<!--\">]><a>&e;<?x?>--></a>"),
                       "the processing instruction `<?x?>` without data at line 1, column 40 (byte offset 39)", "an entity's value opened a comment the scan used to skip")
        XCTAssertEqual(found("<?xml version0.\"1\" <w:t a=\"x\">\n<?xr?></w:t>"),
                       "the processing instruction `<?xr?>` without data at line 2, column 1 (byte offset 31)", "a malformed declaration libxml2 leaves at the next `>`")
        XCTAssertEqual(found("<a><?p <!-- ?><?x?>--></a>"), "the processing instruction `<?x?>` without data at line 1, column 15 (byte offset 14)")
        XCTAssertEqual(found("<a><?t<?x?></a>"), "the processing instruction `<?x?>` without data at line 1, column 7 (byte offset 6)", "a `<?` inside a target")
        XCTAssertNil(found("<?x a?>b<?y?>?><a/>".replacingOccurrences(of: "<?y?>", with: "<?y z?>")))
        XCTAssertEqual(found("<a>\né<?pi?></a>"), "the processing instruction `<?pi?>` without data at line 2, column 2 (byte offset 6)")
        XCTAssertEqual(XMLInput.firstProblem(Data([0xEF, 0xBB, 0xBF] + Array("<?pi?>".utf8)))?.column, 1, "the byte-order mark is not a column")
        let utf16 = Data([0xFF, 0xFE]) + "<a/>\n<?pi?>".data(using: .utf16LittleEndian)!
        XCTAssertEqual(XMLInput.firstProblem(utf16)?.found, "the processing instruction `<?pi?>` without data at line 2, column 1 (offset in its UTF-8 form 5)")
        XCTAssertEqual(XMLInput.firstProblem(Data([0x3C, 0xFF]))?.expected, "in UTF-8")
        XCTAssertNil(found("<?unterminated"))
    }
}
