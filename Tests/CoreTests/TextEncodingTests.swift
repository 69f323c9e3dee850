import Core
import Foundation
import TestSupport
import XCTest

final class TextEncodingTests: XCTestCase {
    let text = "Zoë: naïve café €5\nLine 2"

    func utf16(_ text: String, bigEndian: Bool) -> Data {
        var data = Data(bigEndian ? [0xFE, 0xFF] : [0xFF, 0xFE])
        for unit in text.utf16 {
            let pair = [UInt8(unit & 0xFF), UInt8(unit >> 8)]
            data.append(contentsOf: bigEndian ? pair.reversed() : pair)
        }
        return data
    }

    func testUTF8WithAndWithoutByteOrderMark() throws {
        XCTAssertEqual(try TextFile.decode(Data(text.utf8), path: "f", encoding: .automatic), text)
        XCTAssertEqual(try TextFile.decode(Data([0xEF, 0xBB, 0xBF]) + Data(text.utf8), path: "f", encoding: .automatic), text)
    }

    func testUTF16WithByteOrderMarkInBothByteOrders() throws {
        let astral = text + " 😀"
        XCTAssertEqual(try TextFile.decode(utf16(astral, bigEndian: false), path: "f", encoding: .automatic), astral)
        XCTAssertEqual(try TextFile.decode(utf16(astral, bigEndian: true), path: "f", encoding: .automatic), astral)
        // The old entry point reads them too.
        XCTAssertEqual(try TextFile.decode(utf16(astral, bigEndian: false), path: "f"), astral)
    }

    func testBrokenUTF16IsLocatedByByteOffset() {
        var odd = utf16("ab", bigEndian: false)
        odd.append(0x41)
        XCTAssertThrowsError(try TextFile.decode(odd, path: "f.txt", encoding: .automatic)) { error in
            XCTAssertEqual(String(describing: error),
                           "f.txt:1:3: cannot read the file: expected UTF-16LE text (as its byte-order mark says), found a last byte without its pair at byte offset 6")
        }
        let lone = Data([0xFE, 0xFF, 0x00, 0x61, 0xD8, 0x3D, 0x00, 0x62])
        XCTAssertThrowsError(try TextFile.decode(lone, path: "f.txt", encoding: .automatic)) { error in
            XCTAssertEqual(String(describing: error),
                           "f.txt:1:2: cannot read the file: expected UTF-16BE text (as its byte-order mark says), found a high surrogate without its low surrogate at byte offset 4")
        }
    }

    func testEightBitTextIsRefusedWithOffsetAndSuggestedEncoding() {
        // "café\nnaïve" in Windows-1252, with a curly apostrophe (0x92) that only 1252 prints.
        let cp1252 = Data([0x63, 0x61, 0x66, 0xE9, 0x0A, 0x69, 0x74, 0x92, 0x73])
        XCTAssertThrowsError(try TextFile.decode(cp1252, path: "P1.txt", encoding: .automatic)) { error in
            XCTAssertEqual(String(describing: error),
                           "P1.txt:1:4: cannot read the file: expected UTF-8 text, found the byte 0xE9 at byte offset 3; if the file was saved as Windows-1252 (common on Windows), pass --encoding windows-1252")
        }
        let latin1 = Data([0x6F, 0x6B, 0x0A, 0x0A, 0x4A, 0x6F, 0x73, 0xE9])
        XCTAssertThrowsError(try TextFile.decode(latin1, path: "P2.txt", encoding: .automatic)) { error in
            XCTAssertEqual(String(describing: error),
                           "P2.txt:3:4: cannot read the file: expected UTF-8 text, found the byte 0xE9 at byte offset 7; if the file was saved in an 8-bit encoding, pass --encoding windows-1252 (or --encoding latin-1)")
        }
        let bomless16 = Data("Hi there".utf16.flatMap { [UInt8($0 & 0xFF), UInt8($0 >> 8)] }) + Data([0x00, 0xD8])
        XCTAssertThrowsError(try TextFile.decode(bomless16, path: "P3.txt", encoding: .automatic)) { error in
            XCTAssertTrue(String(describing: error).hasSuffix("the NUL bytes suggest UTF-16 without a byte-order mark; save the file as UTF-8 (or UTF-16 with a byte-order mark)"),
                          String(describing: error))
        }
        XCTAssertThrowsError(try TextFile.decode(Data([0xFF, 0xFE, 0x00, 0x00, 0x41, 0, 0, 0]), path: "P4.txt", encoding: .automatic)) { error in
            XCTAssertEqual(String(describing: error),
                           "P4.txt:1:1: cannot read the file: expected UTF-8 or UTF-16 text, found a UTF-32 byte-order mark; save the file as UTF-8")
        }
    }

    func testNamedEightBitEncodings() throws {
        let bytes = Data([0x63, 0x61, 0x66, 0xE9, 0x20, 0x80, 0x35, 0x20, 0x92, 0x9D])
        XCTAssertEqual(try TextFile.decode(bytes, path: "f", encoding: .windows1252), "café €5 ’\u{9D}")
        XCTAssertEqual(try TextFile.decode(bytes, path: "f", encoding: .latin1), "café \u{80}5 \u{92}\u{9D}")
        // Every byte decodes to one scalar, so nothing is lost in either.
        let all = Data(0...255)
        XCTAssertEqual(try TextFile.decode(all, path: "f", encoding: .windows1252).unicodeScalars.count, 256)
        XCTAssertEqual(try TextFile.decode(all, path: "f", encoding: .latin1).unicodeScalars.map(\.value), Array(0...255))
    }

    func testEncodingNames() {
        XCTAssertEqual(TextEncoding(name: "CP1252"), .windows1252)
        XCTAssertEqual(TextEncoding(name: "ISO-8859-1"), .latin1)
        XCTAssertEqual(TextEncoding(name: "latin_1"), .latin1)
        XCTAssertEqual(TextEncoding(name: "utf-8"), .automatic)
        XCTAssertNil(TextEncoding(name: "ebcdic"))
        for name in TextEncoding.names { XCTAssertNotNil(TextEncoding(name: name), name) }
    }

    func testReadingAFileInANamedEncoding() throws {
        let folder = try TestPaths.temporaryDirectory(for: self)
        let url = folder.appendingPathComponent("notes.txt")
        try Data([0x4A, 0x6F, 0x73, 0xE9]).write(to: url)
        XCTAssertEqual(try TextFile.read(url, displayPath: "notes.txt", encoding: .latin1), "José")
        XCTAssertThrowsError(try TextFile.read(url, displayPath: "notes.txt", encoding: .automatic))
    }
}
