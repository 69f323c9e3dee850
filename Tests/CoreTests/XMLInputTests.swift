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
}
