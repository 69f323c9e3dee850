import Core
import Foundation
import TestSupport
import XCTest

final class AtomicFileTests: XCTestCase {
    func testWriteCreatesFoldersAndReplacesWholeFile() throws {
        let folder = try TestPaths.temporaryDirectory(for: self)
        let url = folder.appendingPathComponent("a/b/file.txt")
        try AtomicFile.write("first version, rather long\n", to: url)
        try AtomicFile.write("second\n", to: url)
        XCTAssertEqual(try String(contentsOf: url, encoding: .utf8), "second\n")
        let leftovers = try FileManager.default.contentsOfDirectory(atPath: url.deletingLastPathComponent().path)
        XCTAssertEqual(leftovers, ["file.txt"], "no temporary files stay behind")
    }

    func testAppendAddsMissingNewline() throws {
        let url = try TestPaths.temporaryDirectory(for: self).appendingPathComponent("codings.jsonl")
        try AtomicFile.write("{\"a\":1}", to: url)
        try AtomicFile.append("{\"b\":2}\n", to: url)
        XCTAssertEqual(try String(contentsOf: url, encoding: .utf8), "{\"a\":1}\n{\"b\":2}\n")
    }

    func testWriteIntoUnwritablePlaceFailsWithPath() throws {
        XCTAssertThrowsError(try AtomicFile.write("x", to: URL(fileURLWithPath: "/proc/triangulate-test/file"))) { error in
            XCTAssertTrue(String(describing: error).contains("/proc/triangulate-test/file"), "\(error)")
        }
    }

    func testLockIsExclusiveAndReleased() throws {
        let url = try TestPaths.temporaryDirectory(for: self).appendingPathComponent("lock")
        var first: FileLock? = try FileLock(url: url)
        XCTAssertThrowsError(try FileLock(url: url, timeout: 0.2)) { error in
            XCTAssertEqual(error as? FileError, .locked(path: url.path))
        }
        XCTAssertNotNil(first)
        first = nil
        XCTAssertNoThrow(try FileLock(url: url, timeout: 0.2))
    }
}

final class ContentHashTests: XCTestCase {
    func testKnownDigests() throws {
        // FIPS 180-2 test vector for "abc".
        XCTAssertEqual(ContentHash.sha256(Data("abc".utf8)), "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad")
        let url = try TestPaths.temporaryDirectory(for: self).appendingPathComponent("f")
        try Data("abc".utf8).write(to: url)
        XCTAssertEqual(try ContentHash.sha256(fileAt: url), ContentHash.sha256(Data("abc".utf8)))
    }

    func testMissingFileIsAnError() {
        XCTAssertThrowsError(try ContentHash.sha256(fileAt: URL(fileURLWithPath: "/nonexistent/file")))
    }
}

final class TextFileTests: XCTestCase {
    func testByteOrderMarkIsDropped() throws {
        XCTAssertEqual(try TextFile.decode(Data([0xEF, 0xBB, 0xBF]) + Data("héllo".utf8), path: "f"), "héllo")
    }

    func testInvalidUTF8NamesLineAndColumn() {
        let data = Data("ok\nab".utf8) + Data([0xFF]) + Data("c".utf8)
        XCTAssertThrowsError(try TextFile.decode(data, path: "t.txt")) { error in
            XCTAssertEqual(String(describing: error), "t.txt:2:3: cannot read the file: expected UTF-8 text, found the byte 0xFF")
        }
    }

    func testLinesSplitOnEveryLineEnding() {
        XCTAssertEqual(TextFile.lines("a\r\nb\rc\nd").map(String.init), ["a", "b", "c", "d"])
        XCTAssertEqual(TextFile.lines("a\n\nb\n").map(String.init), ["a", "", "b"])
    }
}

final class CSVTextTests: XCTestCase {
    func testQuotedFieldsAndLineNumbers() throws {
        let records = try CSVText.parse("id,note\r\nP01,\"says \"\"hi\"\", then\nleaves\"\n\nP02,plain\n", file: "p.csv")
        XCTAssertEqual(records.map(\.fields), [["id", "note"], ["P01", "says \"hi\", then\nleaves"], ["P02", "plain"]])
        XCTAssertEqual(records.map(\.line), [1, 2, 5])
    }

    func testUnclosedQuoteIsAnError() {
        XCTAssertThrowsError(try CSVText.parse("a,b\n1,\"open\n", file: "p.csv")) { error in
            XCTAssertTrue(String(describing: error).hasPrefix("p.csv:2:"), "\(error)")
        }
    }
}
