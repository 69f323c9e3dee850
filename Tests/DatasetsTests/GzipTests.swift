import Core
import Datasets
import Foundation
import TestSupport
import XCTest

/// Writes gzip files without a compressor: deflate's "stored" blocks hold the bytes as they are,
/// so the test controls every byte while zlib still parses a real gzip stream (header, blocks,
/// CRC-32 and length trailer).
enum StoredGzip {
    static func member(_ data: Data) -> Data {
        var out = Data([0x1F, 0x8B, 0x08, 0x00, 0, 0, 0, 0, 0x00, 0xFF])
        let bytes = [UInt8](data)
        var offset = 0
        repeat {
            let count = min(65_535, bytes.count - offset)
            let isLast = offset + count == bytes.count
            out.append(isLast ? 1 : 0)
            out.append(contentsOf: littleEndian(UInt16(count)))
            out.append(contentsOf: littleEndian(~UInt16(count)))
            out.append(contentsOf: bytes[offset..<(offset + count)])
            offset += count
        } while offset < bytes.count
        out.append(contentsOf: littleEndian(crc32(bytes)))
        out.append(contentsOf: littleEndian(UInt32(truncatingIfNeeded: bytes.count)))
        return out
    }

    static func crc32(_ bytes: [UInt8]) -> UInt32 {
        var crc: UInt32 = 0xFFFF_FFFF
        for byte in bytes {
            crc ^= UInt32(byte)
            for _ in 0..<8 { crc = crc & 1 == 1 ? (crc >> 1) ^ 0xEDB8_8320 : crc >> 1 }
        }
        return ~crc
    }

    private static func littleEndian<T: FixedWidthInteger>(_ value: T) -> [UInt8] {
        withUnsafeBytes(of: value.littleEndian) { Array($0) }
    }
}

final class GzipTests: XCTestCase {
    func testCompressedFormatsComeFromTheInnerExtensionAndHashTheStoredFile() throws {
        let study = try Study(self)
        let csv = StoredGzip.member(Data("id,score\nm1,2.5\nm2,3\n".utf8))
        try study.write(csv, to: "models.csv.gz")
        let (prepared, connection) = try study.importFile("models.csv.gz")
        XCTAssertEqual(prepared.inputs.first?.sha256, ContentHash.sha256(csv), "the hash is of the compressed file as stored")
        XCTAssertEqual(try connection.query("SELECT id, score FROM t ORDER BY id").rows,
                       [[.text("m1"), .real(2.5)], [.text("m2"), .real(3)]])

        try study.write(StoredGzip.member(Data("a\tb\n1\tx\n".utf8)), to: "v.tsv.gz")
        XCTAssertEqual(try study.importFile("v.tsv.gz").1.query("SELECT a, b FROM t").rows, [[.integer(1), .text("x")]])
        try study.write(StoredGzip.member(Data("{\"a\": 1}\n{\"a\": 2}\n".utf8)), to: "l.jsonl.gz")
        XCTAssertEqual(try study.importFile("l.jsonl.gz").1.query("SELECT SUM(a) FROM t").rows, [[.integer(3)]])
        try study.write(StoredGzip.member(Data("[{\"a\": \"x\"}]".utf8)), to: "a.JSON.GZ")
        XCTAssertEqual(try study.importFile("a.JSON.GZ").1.query("SELECT a FROM t").rows, [[.text("x")]])

        XCTAssertEqual(DatasetManifest.DataFile(path: "x.jsonl.gz", table: "t").resolvedFormat, .jsonl)
        XCTAssertNil(DatasetManifest.DataFile(path: "x.gz", table: "t").resolvedFormat)
    }

    /// Several gzip members one after another (`cat a.gz b.gz`) read as one file, and stored
    /// blocks of 64 KiB cross the 1 MiB read chunks.
    func testConcatenatedMembersAcrossChunks() throws {
        let study = try Study(self)
        var first = "id,value\n", second = ""
        var expected = 0
        for id in 0..<50_000 {
            expected += id % 1000
            let line = "\(id),\(id % 1000)\n"
            if id < 30_000 { first += line } else { second += line }
        }
        var data = StoredGzip.member(Data(first.utf8))
        data.append(StoredGzip.member(Data(second.utf8)))
        try study.write(data, to: "big.csv.gz")
        let log = ProgressLog()
        let manifest = DatasetManifest(name: "g", files: [.init(path: "big.csv.gz", table: "t")])
        let prepared = try study.store.prepare(manifest, progress: log.record)
        XCTAssertEqual(prepared.manifest.files?.first?.rows, 50_000)
        XCTAssertEqual(try study.store.open(prepared).query("SELECT COUNT(*), SUM(value) FROM t").rows,
                       [[.integer(50_000), .integer(Int64(expected))]])
        let last = try XCTUnwrap(log.events.last)
        XCTAssertEqual(last.bytesRead, Int64(data.count), "progress counts compressed bytes")
        XCTAssertEqual(last.totalBytes, Int64(data.count))
    }

    /// Real deflate compression, when a `gzip` tool is installed to make it.
    func testRealCompressionMatchesThePlainImport() throws {
        guard let tool = ["/usr/bin/gzip", "/bin/gzip"].first(where: FileManager.default.isExecutableFile(atPath:)) else {
            throw XCTSkip("no gzip tool to compress the fixture; the stored-block tests still ran")
        }
        let study = try Study(self)
        var text = "name,downloads,note\n"
        for id in 0..<40_000 { text += "model-\(id),\((id * 7919) % 100_000),\"note, \(id % 13)\"\n" }
        try study.write(text, to: "m.csv")
        try study.write(text, to: "z/m.csv")
        let process = Process()
        process.executableURL = URL(fileURLWithPath: tool)
        process.arguments = ["-9", study.root.appendingPathComponent("z/m.csv").path]
        try process.run()
        process.waitUntilExit()
        XCTAssertEqual(process.terminationStatus, 0)
        let sql = "SELECT COUNT(*), SUM(downloads), COUNT(DISTINCT note), MAX(name) FROM t"
        let plain = try study.importFile("m.csv").1.query(sql)
        let compressed = try study.importFile("z/m.csv.gz").1.query(sql)
        XCTAssertEqual(compressed, plain)
    }

    func testCorruptGzipNamesTheFile() throws {
        let study = try Study(self)
        let good = StoredGzip.member(Data("a,b\n1,2\n".utf8))

        var badHeader = good
        badHeader[0] = 0x00
        try study.write(badHeader, to: "header.csv.gz")
        XCTAssertThrowsDatasetError(try study.importFile("header.csv.gz")) { error in
            XCTAssertEqual(error.location?.file, "header.csv.gz")
            XCTAssertTrue(error.message.hasPrefix("cannot read: not a valid gzip file: zlib reports 'incorrect header check'"), error.message)
        }

        var badChecksum = good
        badChecksum[badChecksum.count - 6] ^= 0xFF
        try study.write(badChecksum, to: "crc.csv.gz")
        XCTAssertThrowsDatasetError(try study.importFile("crc.csv.gz")) { error in
            XCTAssertEqual(error.location?.file, "crc.csv.gz")
            XCTAssertTrue(error.message.contains("incorrect data check"), error.message)
        }

        try study.write(good.prefix(good.count - 5), to: "short.csv.gz")
        XCTAssertThrowsDatasetError(try study.importFile("short.csv.gz")) { error in
            XCTAssertEqual(error.description, "short.csv.gz: cannot read: not a valid gzip file: the gzip stream ends before its end marker (the file is truncated)")
        }

        try study.write(Data(), to: "empty.csv.gz")
        XCTAssertThrowsDatasetError(try study.importFile("empty.csv.gz")) { error in
            XCTAssertEqual(error.description, "empty.csv.gz: cannot read: not a valid gzip file: the file is empty, so it has no gzip header")
        }

        try study.write("a,b\n1,2\n", to: "plain.csv.gz")
        XCTAssertThrowsDatasetError(try study.importFile("plain.csv.gz")) { error in
            XCTAssertEqual(error.location?.file, "plain.csv.gz")
            XCTAssertTrue(error.message.contains("not a valid gzip file"), error.message)
        }
    }

    /// Data errors inside a compressed file name the file and the line and column of the text.
    func testDataErrorsInsideCompressedFilesHaveLocations() throws {
        let study = try Study(self)
        var bytes = Data("a,b\nok,fine\nx,".utf8)
        bytes.append(contentsOf: [0x61, 0xC3, 0x28])
        bytes.append(Data("\n".utf8))
        try study.write(StoredGzip.member(bytes), to: "utf.csv.gz")
        XCTAssertThrowsDatasetError(try study.importFile("utf.csv.gz")) { error in
            XCTAssertEqual(error.description, "utf.csv.gz:3:4: expected UTF-8 text, found the byte 0xC3")
        }
        try study.write(StoredGzip.member(Data("a,b\n1,2\n3\n".utf8)), to: "ragged.csv.gz")
        XCTAssertThrowsDatasetError(try study.importFile("ragged.csv.gz")) { error in
            XCTAssertEqual(error.description, "ragged.csv.gz:3: expected 2 fields as in the header, found 1 field")
        }
        try study.write(StoredGzip.member(Data("id,n\nm1,1\nm2,lots\n".utf8)), to: "typed.csv.gz")
        XCTAssertThrowsDatasetError(try study.importFile("typed.csv.gz", columns: ["n": .integer])) { error in
            XCTAssertEqual(error.description, "typed.csv.gz:3:4: column 'n' is declared integer in the manifest, found 'lots'")
        }
    }
}
