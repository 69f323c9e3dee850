import Foundation
import XCTest
import Yams
import YAMLSupport

final class YAMLSupportTests: XCTestCase {
    func testSyntaxErrorHasLineAndColumn() {
        XCTAssertThrowsError(try YAMLValue.parse("id: C1\nstatement: [unclosed\n", file: "c.yaml")) { error in
            let text = String(describing: error)
            XCTAssertTrue(text.hasPrefix("c.yaml:3:1: this is not valid YAML"), text)
        }
    }

    func testATabInTheIndentationIsNamed() {
        XCTAssertThrowsError(try YAMLValue.parse("stages:\n  \t- a\n", file: "s.yaml")) { error in
            XCTAssertEqual(String(describing: error), "s.yaml:2:3: expected indentation with spaces, found a tab")
        }
        // A tab inside a value is text, and a scanner error elsewhere keeps libyaml's words.
        XCTAssertEqual(try YAMLValue.parse("note: a\tb\n", file: "s.yaml").fields("n", allowed: ["note"]).string("note"), "a\tb")
        XCTAssertThrowsError(try YAMLValue.parse("a: `b\n", file: "s.yaml")) { error in
            XCTAssertTrue(String(describing: error).hasPrefix("s.yaml:1:4: this is not valid YAML"), "\(error)")
        }
    }

    func testUnknownKeyIsRefusedWithItsLocation() throws {
        let value = try YAMLValue.parse("id: C1\nmin_efect: 0.1\n", file: "c.yaml")
        XCTAssertThrowsError(try value.fields("a claim", allowed: ["id", "min_effect"])) { error in
            XCTAssertEqual(String(describing: error), "c.yaml:2:1: unknown key 'min_efect' in a claim; expected one of: id, min_effect")
        }
    }

    func testWrongTypeSaysWhatWasFound() throws {
        let fields = try YAMLValue.parse("alpha: high\n", file: "t.yaml").fields("settings", allowed: ["alpha"])
        XCTAssertThrowsError(try fields.double("alpha")) { error in
            XCTAssertEqual(String(describing: error), "t.yaml:1:8: expected 'alpha' as a number, found 'high'")
        }
    }

    func testWriterQuotesWhatYAMLWouldMisread() throws {
        let tricky = ["plain words", "yes", "1.5", "a: b", "#hash", " padded ", "quote \"inside\"", "line\nbreak", "tab\there", "- dash", "ünïcode"]
        for value in tricky {
            var writer = YAMLWriter()
            writer.scalar("k", value)
            let node = try Yams.compose(yaml: writer.text)
            XCTAssertEqual(node?["k"]?.string, value, "round trip of \(value.debugDescription) via \(writer.text.debugDescription)")
        }
    }
}
