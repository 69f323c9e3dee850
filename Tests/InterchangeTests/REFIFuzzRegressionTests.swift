import Foundation
import Interchange
import TestSupport
import XCTest

/// Inputs Fuzz/ found that crashed the REFI-QDA reader; each must now be a located error.
final class REFIFuzzRegressionTests: XCTestCase {
    /// FuzzQDE and FuzzQDPX: a project.qde with an element or attribute name that is not UTF-8
    /// (the fuzzer's was a mutated `<PlainTextSelection`). Foundation's XMLParser trapped on it.
    func testNonUTF8NamesAreLocatedErrors() {
        let cases: [(bytes: [UInt8], location: String)] = [
            (Array("<Project><T".utf8) + [0xFF] + Array("x/></Project>".utf8), "project.qde:1:12"),
            (Array("<Pro".utf8) + [0xFF] + Array("ject/>".utf8), "project.qde:1:5"),
            (Array("<Project\n a".utf8) + [0xFF] + Array("=\"1\"/>".utf8), "project.qde:2:3"),
        ]
        for (bytes, location) in cases {
            XCTAssertThrowsError(try REFIProjectReader.parse(Data(bytes), file: "project.qde")) { error in
                let text = String(describing: error)
                XCTAssertTrue(text.hasPrefix(location), text)
                XCTAssertTrue(text.contains("expected REFI-QDA XML in UTF-8, found the byte 0xFF"), text)
            }
        }
    }

    /// FuzzQDE, session 4: the same inside <Sources> (`<CodeR\xFA…ef`), which the codebook reader
    /// never sees (it reads the document with the sources blanked out).
    func testNonUTF8NamesInsideTheSourcesAreLocatedErrors() {
        let bytes = Array("""
            <Project xmlns="urn:QDA-XML:project:1.0" name="u"><CodeBook><Codes><Code guid="22222222-2222-4222-8222-222222222222" name="c" isCodable="true"/></Codes></CodeBook>
            <Sources><TextSource guid="55555555-5555-4555-8555-555555555555" name="t"><PlainTextContent>text</PlainTextContent>
            <PlainTextSelection guid="66666666-6666-4666-8666-666666666661" startPosition="0" endPosition="2"><Coding guid="77777777-7777-4777-8777-777777777771"><CodeR
            """.utf8) + [0xFA, 0xFA] + Array("""
            ef targetGUID="22222222-2222-4222-8222-222222222222"/></Coding></PlainTextSelection></TextSource></Sources></Project>
            """.utf8)
        XCTAssertThrowsError(try REFIProjectReader.parse(Data(bytes), file: "project.qde")) { error in
            let text = String(describing: error)
            XCTAssertTrue(text.hasPrefix("project.qde:3:"), text)
            XCTAssertTrue(text.contains("UTF-8") && text.contains("0xFA"), text)
        }
    }

    /// Text that is not UTF-8 did not crash, but REFI-QDA files are UTF-8: refused all the same.
    func testNonUTF8TextIsRefusedToo() {
        XCTAssertThrowsError(try REFIProjectReader.parse(Data(Array("<Project name=\"a".utf8) + [0xE9] + Array("\"/>".utf8)), file: "p.qde"))
    }
}
