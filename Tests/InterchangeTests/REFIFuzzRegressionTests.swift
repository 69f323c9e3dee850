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

    /// Text that is not UTF-8 did not crash, but REFI-QDA files are UTF-8: refused all the same.
    func testNonUTF8TextIsRefusedToo() {
        XCTAssertThrowsError(try REFIProjectReader.parse(Data(Array("<Project name=\"a".utf8) + [0xE9] + Array("\"/>".utf8)), file: "p.qde"))
    }
}
