import Core
import Foundation
import SystemZlib
import TestSupport
import XCTest

/// Builds ZIP archives byte by byte, honest or hostile, for the reader to face.
struct TestZip {
    struct Member {
        var name: String
        var data: Data
        var method: UInt16 = 8
        var flags: UInt16 = 0
        /// Overrides of what the central directory declares.
        var declaredSize: UInt32?
        var crc: UInt32?
        var localOffset: UInt32?
    }

    var members: [Member]
    /// Overrides the central directory's offset in the end record.
    var directoryOffset: UInt32?

    static func crc32(_ data: Data) -> UInt32 {
        data.withUnsafeBytes { UInt32(truncatingIfNeeded: SystemZlib.crc32(0, $0.bindMemory(to: UInt8.self).baseAddress, UInt32($0.count))) }
    }

    /// Raw DEFLATE, as ZIP stores it.
    static func deflate(_ data: Data) -> Data {
        var stream = z_stream()
        precondition(deflateInit2_(&stream, 9, Z_DEFLATED, -15, 9, Z_DEFAULT_STRATEGY, zlibVersion(), Int32(MemoryLayout<z_stream>.size)) == Z_OK)
        defer { deflateEnd(&stream) }
        var input = data
        var output = Data(count: Int(deflateBound(&stream, UInt(data.count))) + 64)
        let count = output.count
        input.withUnsafeMutableBytes { inBuffer in
            output.withUnsafeMutableBytes { outBuffer in
                stream.next_in = inBuffer.bindMemory(to: UInt8.self).baseAddress
                stream.avail_in = UInt32(inBuffer.count)
                stream.next_out = outBuffer.bindMemory(to: UInt8.self).baseAddress
                stream.avail_out = UInt32(count)
                precondition(SystemZlib.deflate(&stream, Z_FINISH) == Z_STREAM_END)
            }
        }
        output.count = Int(stream.total_out)
        return output
    }

    var bytes: Data {
        var out = Data()
        var central = Data()
        func le16(_ value: UInt16, _ data: inout Data) { data.append(contentsOf: [UInt8(value & 0xFF), UInt8(value >> 8)]) }
        func le32(_ value: UInt32, _ data: inout Data) { le16(UInt16(value & 0xFFFF), &data); le16(UInt16(value >> 16), &data) }
        for member in members {
            let stored = member.method == 8 ? Self.deflate(member.data) : member.data
            let name = Data(member.name.utf8)
            let crc = member.crc ?? Self.crc32(member.data)
            let offset = UInt32(out.count)
            le32(0x0403_4B50, &out); le16(20, &out); le16(member.flags, &out); le16(member.method, &out)
            le32(0, &out); le32(crc, &out); le32(UInt32(stored.count), &out); le32(member.declaredSize ?? UInt32(member.data.count), &out)
            le16(UInt16(name.count), &out); le16(0, &out)
            out.append(name); out.append(stored)
            le32(0x0201_4B50, &central); le16(20, &central); le16(20, &central); le16(member.flags | 0x0800, &central); le16(member.method, &central)
            le32(0, &central); le32(crc, &central); le32(UInt32(stored.count), &central); le32(member.declaredSize ?? UInt32(member.data.count), &central)
            le16(UInt16(name.count), &central); le16(0, &central); le16(0, &central); le16(0, &central); le16(0, &central); le32(0, &central)
            le32(member.localOffset ?? offset, &central)
            central.append(name)
        }
        let directoryStart = UInt32(out.count)
        out.append(central)
        le32(0x0605_4B50, &out); le16(0, &out); le16(0, &out)
        le16(UInt16(members.count), &out); le16(UInt16(members.count), &out)
        le32(UInt32(central.count), &out); le32(directoryOffset ?? directoryStart, &out); le16(0, &out)
        return out
    }

    func write(in folder: URL, name: String = "a.zip") throws -> URL {
        let url = folder.appendingPathComponent(name)
        try bytes.write(to: url)
        return url
    }
}

final class ZipArchiveTests: XCTestCase {
    var folder: URL!

    override func setUpWithError() throws {
        folder = try TestPaths.temporaryDirectory(for: self)
    }

    func open(_ zip: TestZip, limits: ZipArchive.Limits = ZipArchive.Limits()) throws -> ZipArchive {
        try ZipArchive(url: zip.write(in: folder), displayPath: "a.zip", limits: limits)
    }

    func message(_ body: () throws -> Void) -> String {
        do { try body() } catch { return String(describing: error) }
        return "no error"
    }

    func testReadsStoredAndDeflatedMembersAndMatchesNamesWithoutCase() throws {
        let text = Data(String(repeating: "Speaker 1: hello ", count: 200).utf8)
        let archive = try open(TestZip(members: [
            .init(name: "[Content_Types].xml", data: Data("<Types/>".utf8), method: 0),
            .init(name: "word/", data: Data(), method: 0),
            .init(name: "word/document.xml", data: text),
        ]))
        XCTAssertEqual(archive.members.map(\.path), ["[Content_Types].xml", "word/", "word/document.xml"])
        XCTAssertEqual(archive.members.map(\.isDirectory), [false, true, false])
        XCTAssertEqual(try archive.data("word/document.xml"), text)
        XCTAssertEqual(try archive.data("WORD/Document.XML"), text)
        XCTAssertEqual(try archive.data("[content_types].xml"), Data("<Types/>".utf8))
        XCTAssertNil(try archive.data("word/comments.xml"))
    }

    func testLocalHeaderPastTheFileIsAnErrorNotATrap() {
        var zip = TestZip(members: [.init(name: "word/document.xml", data: Data("x".utf8))])
        zip.members[0].localOffset = 1_000_000
        XCTAssertEqual(message { _ = try open(zip) },
                       "a.zip: expected member 'word/document.xml' to lie before the central directory (offset 50) at byte offset 50, found a local header at offset 1000000 with 3 compressed bytes")
        var directory = TestZip(members: [.init(name: "a", data: Data("x".utf8))])
        directory.directoryOffset = 0xFFFF_FF00
        XCTAssertTrue(message { _ = try open(directory) }.hasPrefix("a.zip: expected a central directory inside the file at byte offset"))
    }

    func testNotAnArchive() throws {
        let url = folder.appendingPathComponent("b.docx")
        try Data("just some text, long enough to look for an end record".utf8).write(to: url)
        XCTAssertEqual(message { _ = try ZipArchive(url: url, displayPath: "b.docx") },
                       "b.docx: expected a ZIP archive, found no end-of-central-directory record (not a ZIP archive, or a truncated one)")
        try Data("PK".utf8).write(to: url)
        XCTAssertEqual(message { _ = try ZipArchive(url: url, displayPath: "b.docx") },
                       "b.docx: expected a ZIP archive, found a file of 2 bytes, too short for one")
        XCTAssertEqual(message { _ = try ZipArchive(url: folder.appendingPathComponent("none.zip"), displayPath: "none.zip") },
                       "none.zip: cannot read the file: no such file, or no permission to read it")
    }

    func testZipBombStopsAtTheBudget() throws {
        let zeros = Data(count: 20 << 20)
        let limits = ZipArchive.Limits(memberBytes: 1 << 20, totalBytes: 4 << 20)
        // An honest header declaring 20 MB is refused before inflating.
        let honest = try open(TestZip(members: [.init(name: "bomb.xml", data: zeros)]), limits: limits)
        XCTAssertEqual(message { _ = try honest.data("bomb.xml") },
                       "a.zip: the archive member 'bomb.xml' inflates to more than 1048576 bytes (its header declares 20971520 bytes); a ZIP bomb or a file too large to read")
        // A lying header declaring 100 bytes is stopped while inflating.
        let lying = try open(TestZip(members: [.init(name: "bomb.xml", data: zeros, declaredSize: 100)]), limits: limits)
        XCTAssertEqual(message { _ = try lying.data("bomb.xml") },
                       "a.zip: the archive member 'bomb.xml' inflates to more than 1048576 bytes (stopped after inflating 1048576 bytes); a ZIP bomb or a file too large to read")
        // A lying header declaring fewer bytes than there are, within the budget, is damage.
        let short = try open(TestZip(members: [.init(name: "s.xml", data: Data(count: 5000), declaredSize: 4000)]), limits: limits)
        XCTAssertEqual(message { _ = try short.data("s.xml") },
                       "a.zip: the archive member 's.xml' is damaged: its header declares 4000 bytes, it holds 5000")
    }

    func testTotalBudgetAcrossMembers() throws {
        let part = Data(count: 600 << 10)
        let archive = try open(TestZip(members: [.init(name: "a", data: part), .init(name: "b", data: part)]),
                               limits: ZipArchive.Limits(memberBytes: 1 << 20, totalBytes: 1 << 20))
        XCTAssertEqual(try archive.data("a"), part)
        XCTAssertEqual(message { _ = try archive.data("b") },
                       "a.zip: the archive member 'b' inflates to more than 434176 bytes (its header declares 614400 bytes); a ZIP bomb or a file too large to read")
    }

    func testPathsLeavingTheArchiveAreRefused() {
        for name in ["../evil.xml", "word/../../evil.xml", "/etc/passwd", "C:\\Windows\\x.dll", "word\\..\\..\\x"] {
            let zip = TestZip(members: [.init(name: "ok.xml", data: Data("a".utf8)), .init(name: name, data: Data("b".utf8))])
            XCTAssertEqual(message { _ = try open(zip) },
                           "a.zip: the archive member '\(name)' has an absolute path or one that leaves the archive ('..'); such an archive is refused", name)
        }
        XCTAssertNoThrow(try open(TestZip(members: [.init(name: "a..b/..c.xml", data: Data("a".utf8))])))
    }

    func testDamageAndUnsupportedFeatures() throws {
        let damaged = try open(TestZip(members: [.init(name: "c.xml", data: Data("hello".utf8), crc: 42)]))
        XCTAssertEqual(message { _ = try damaged.data("c.xml") }, "a.zip: the archive member 'c.xml' is damaged: its CRC-32 does not match its contents")
        let encrypted = try open(TestZip(members: [.init(name: "e.xml", data: Data("x".utf8), flags: 1)]))
        XCTAssertEqual(message { _ = try encrypted.data("e.xml") }, "a.zip: the archive member 'e.xml' uses encryption, which is not supported")
        let bzip = try open(TestZip(members: [.init(name: "z.xml", data: Data("x".utf8), method: 12)]))
        XCTAssertEqual(message { _ = try bzip.data("z.xml") }, "a.zip: the archive member 'z.xml' uses compression method 12, which is not supported")
        let twice = try open(TestZip(members: [.init(name: "a.xml", data: Data("1".utf8)), .init(name: "A.xml", data: Data("2".utf8))]))
        XCTAssertEqual(try twice.data("A.xml"), Data("2".utf8))
        XCTAssertEqual(message { _ = try twice.data("a.XML") }, "a.zip: expected one archive member named 'a.XML' (letter case aside), found 2")
    }

    /// Every single-byte corruption of a small archive is read or refused, never a crash.
    func testNoCorruptionOfAnyByteCrashes() throws {
        let good = TestZip(members: [.init(name: "word/document.xml", data: Data("Speaker 1: hi there, hi there".utf8)),
                                     .init(name: "b", data: Data("stored".utf8), method: 0)]).bytes
        var outcomes = (read: 0, refused: 0)
        for position in 0..<good.count {
            for value: UInt8 in [0x00, 0xFF, good[position] ^ 0x5A] {
                var bytes = good
                bytes[position] = value
                let url = folder.appendingPathComponent("c.zip")
                try bytes.write(to: url)
                do {
                    let archive = try ZipArchive(url: url, displayPath: "c.zip")
                    for member in archive.members { _ = try archive.data(of: member) }
                    outcomes.read += 1
                } catch is ZipError {
                    outcomes.refused += 1
                }
            }
        }
        XCTAssertEqual(outcomes.read + outcomes.refused, good.count * 3)
        XCTAssertGreaterThan(outcomes.refused, good.count)
    }
}
