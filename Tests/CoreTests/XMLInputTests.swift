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
        XCTAssertNil(found("<a><!-- <?x?> --><![CDATA[<?y?>]]></a>"), "not instructions inside comments and CDATA")
        XCTAssertNil(found("<?x a?>b<?y?>?><a/>".replacingOccurrences(of: "<?y?>", with: "<?y z?>")))
        XCTAssertEqual(found("<a>\né<?pi?></a>"), "the processing instruction `<?pi?>` without data at line 2, column 2 (byte offset 6)")
        XCTAssertEqual(XMLInput.firstProblem(Data([0xEF, 0xBB, 0xBF] + Array("<?pi?>".utf8)))?.column, 1, "the byte-order mark is not a column")
        let utf16 = Data([0xFF, 0xFE]) + "<a/>\n<?pi?>".data(using: .utf16LittleEndian)!
        XCTAssertEqual(XMLInput.firstProblem(utf16)?.found, "the processing instruction `<?pi?>` without data at line 2, column 1 (offset in its UTF-8 form 5)")
        XCTAssertEqual(XMLInput.firstProblem(Data([0x3C, 0xFF]))?.expected, "in UTF-8")
        XCTAssertNil(found("<?unterminated"))
    }
}
