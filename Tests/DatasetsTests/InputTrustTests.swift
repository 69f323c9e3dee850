import Core
@testable import Datasets
import Foundation
import GRDB
import TestSupport
import XCTest

/// Inputs a shared study cannot abuse (issue 9.3–9.8): paths stay inside the study, a changed
/// input is news and never rewrites the manifest, an attached database is validated, sizes are
/// capped.
final class InputTrustTests: XCTestCase {
    private func manifest(_ path: String, sha256: String? = nil, outside: Bool? = nil) -> DatasetManifest {
        DatasetManifest(name: "d", files: [.init(path: path, table: "t", sha256: sha256, outside: outside)])
    }

    // MARK: Paths (9.5)

    func testPathsOutsideTheStudyAreRefusedUnlessTheManifestOptsIn() throws {
        let study = try Study(self)
        let outsideFolder = try TestPaths.temporaryDirectory(for: self).appendingPathComponent("elsewhere")
        try FileManager.default.createDirectory(at: outsideFolder, withIntermediateDirectories: true)
        let secret = outsideFolder.appendingPathComponent("secret.csv")
        try Data("a\n1\n".utf8).write(to: secret)
        let climbing = "../" + String(repeating: "../", count: study.root.pathComponents.count) + String(secret.path.dropFirst())
        for path in [climbing, secret.path] {
            XCTAssertThrowsDatasetError(try study.store.prepare(manifest(path))) { error in
                guard case .pathNotAllowed(let given, let target, let reason) = error else { return XCTFail("\(error)") }
                XCTAssertEqual(given, path)
                XCTAssertEqual(target, secret.resolvingSymlinksInPath().path)
                XCTAssertEqual(reason, "outside the study")
                XCTAssertTrue(error.message.hasSuffix("copy the file into the study, or add 'outside: true' to its manifest entry if it must stay where it is"), error.message)
            }
            XCTAssertFalse(FileManager.default.fileExists(atPath: study.store.databaseURL(forDataset: "d").path), "nothing imported")
            let prepared = try study.store.prepare(manifest(path, outside: true))
            XCTAssertEqual(try study.store.open(prepared).query("SELECT a FROM t").rows, [[.integer(1)]])
            XCTAssertEqual(study.store.links(of: manifest(path, outside: true)),
                           [InputLink(path: path, target: secret.resolvingSymlinksInPath().path, kind: .outsideStudy, isAllowed: true)])
            try FileManager.default.removeItem(at: study.store.databaseURL(forDataset: "d"))
        }
        XCTAssertThrowsDatasetError(try study.store.prepare(DatasetManifest(name: "d", database: climbing))) { error in
            guard case .pathNotAllowed = error else { return XCTFail("\(error)") }
        }
        XCTAssertEqual(try study.store.state(of: manifest(secret.path)), "refused: \(secret.path) leads outside the study without 'outside: true'")
    }

    func testSymbolicLinksInsideTheStudyAreRefusedUnlessAllowed() throws {
        let study = try Study(self)
        try study.write("a\n1\n", to: "data/real.csv")
        try FileManager.default.createSymbolicLink(atPath: study.root.appendingPathComponent("data/link.csv").path,
                                                   withDestinationPath: study.root.appendingPathComponent("data/real.csv").path)
        try FileManager.default.createSymbolicLink(atPath: study.root.appendingPathComponent("linked").path,
                                                   withDestinationPath: study.root.appendingPathComponent("data").path)
        for path in ["data/link.csv", "linked/real.csv"] {
            XCTAssertThrowsDatasetError(try study.store.prepare(manifest(path))) { error in
                guard case .pathNotAllowed(_, _, let reason) = error else { return XCTFail("\(error)") }
                XCTAssertEqual(reason, "through a symbolic link")
            }
            XCTAssertEqual(study.store.links(of: manifest(path)).map(\.kind), [.symbolicLink])
            XCTAssertEqual(study.store.links(of: manifest(path)).map(\.isAllowed), [false])
        }
        XCTAssertEqual(try study.store.prepare(manifest("data/link.csv", outside: true)).inputs.first?.rows, 1)
        XCTAssertEqual(study.store.links(of: manifest("data/real.csv")), [])
        XCTAssertEqual(try study.store.prepare(manifest("./data/../data/real.csv")).inputs.first?.rows, 1)
        XCTAssertEqual(study.store.link(for: "data/link.csv")?.kind, .symbolicLink)
    }

    // MARK: Changed inputs (9.7)

    func testAChangedInputIsReimportedWithANoticeOrRefusedWhenFrozen() throws {
        let study = try Study(self)
        try study.write("a\n1\n", to: "m.csv")
        let first = try study.store.prepare(manifest("m.csv"))
        XCTAssertEqual(first.notices, [], "a manifest without hashes has nothing to differ from")
        XCTAssertThrowsDatasetError(try study.store.prepare(manifest("m.csv"), policy: .frozen)) { error in
            XCTAssertTrue(error.message.hasPrefix("the input is not the one the manifest records (the manifest records no SHA-256 for it"), error.message)
        }
        let pinned = first.manifest
        XCTAssertEqual(try study.store.prepare(pinned).notices, [], "the recorded file is no news")
        XCTAssertEqual(try study.store.prepare(pinned, policy: .frozen).inputs.first?.rows, 1)
        XCTAssertEqual(try study.store.state(of: pinned), "current")

        try study.write("a\n1\n2\n", to: "m.csv")
        let changed = try study.store.prepare(pinned)
        XCTAssertTrue(changed.didImport)
        let notice = try XCTUnwrap(changed.notices.first)
        XCTAssertEqual(notice.recorded, pinned.files?.first?.sha256)
        XCTAssertEqual(notice.actual, ContentHash.sha256(Data("a\n1\n2\n".utf8)))
        XCTAssertTrue(notice.message.hasPrefix("dataset 'd': m.csv changed since its manifest recorded it (SHA-256 "), notice.message)
        XCTAssertTrue(notice.message.hasSuffix("record it with 'triangulate dataset refresh d'"), notice.message)
        XCTAssertEqual(changed.manifest.files?.first?.rows, 2, "the refreshed manifest, for 'dataset refresh' to write")
        XCTAssertEqual(try study.store.open(changed).query("SELECT COUNT(*) FROM t").rows, [[.integer(2)]])
        XCTAssertEqual(try study.store.prepare(pinned).notices.count, 1, "still news until the manifest records it")
        XCTAssertTrue(try study.store.state(of: pinned).hasPrefix("changed: m.csv is not the file the manifest records"))

        XCTAssertThrowsDatasetError(try study.store.prepare(pinned, policy: .frozen)) { error in
            guard case .inputChanged(let path, let recorded, let actual) = error else { return XCTFail("\(error)") }
            XCTAssertEqual(path, "m.csv")
            XCTAssertEqual(recorded, pinned.files?.first?.sha256)
            XCTAssertEqual(actual, notice.actual)
            XCTAssertTrue(error.description.hasPrefix("m.csv: the input is not the one the manifest records"), error.description)
        }
    }

    // MARK: Attached databases (9.8)

    func testAttachValidatesTheDatabase() throws {
        let study = try Study(self)
        try study.write("", to: "empty.db")
        try study.write("id,name\n1,a\n", to: "text.db")
        let cases = [("empty.db", "the file is empty, not an SQLite database"),
                     ("text.db", "not an SQLite database (it does not start with SQLite's header 'SQLite format 3')")]
        for (path, reason) in cases {
            XCTAssertThrowsDatasetError(try study.store.prepare(DatasetManifest(name: "d", database: path))) { error in
                XCTAssertEqual(error, .cannotRead(path: path, reason: reason))
            }
        }
        let url = study.root.appendingPathComponent("tables.db")
        let queue = try DatabaseQueue(path: url.path)
        try queue.write { db in
            try db.execute(sql: "CREATE TABLE t (x TEXT)")
            for _ in 0..<2000 { try db.execute(sql: "INSERT INTO t VALUES (?)", arguments: [String(repeating: "x", count: 100)]) }
        }
        try queue.close()
        XCTAssertEqual(try study.store.prepare(DatasetManifest(name: "d", database: "tables.db")).inputs.count, 1)
        var bytes = try Data(contentsOf: url)
        for offset in stride(from: 4096 + 200, to: min(bytes.count, 4096 * 6), by: 7) { bytes[offset] = 0xFF }
        try bytes.write(to: study.root.appendingPathComponent("corrupt.db"))
        XCTAssertThrowsDatasetError(try study.store.prepare(DatasetManifest(name: "c", database: "corrupt.db"))) { error in
            guard case .cannotRead(let path, let reason) = error else { return XCTFail("\(error)") }
            XCTAssertEqual(path, "corrupt.db")
            XCTAssertTrue(reason.contains("integrity check") || reason.contains("not a readable SQLite database"), reason)
        }
        let none = try DatabaseQueue(path: study.root.appendingPathComponent("none.db").path)
        try none.write { try $0.execute(sql: "PRAGMA user_version = 1") }
        try none.close()
        XCTAssertThrowsDatasetError(try study.store.prepare(DatasetManifest(name: "n", database: "none.db"))) { error in
            XCTAssertEqual(error, .cannotRead(path: "none.db", reason: "the database has no tables"))
        }
    }

    // MARK: Caps and conversions (9.3, 9.4)

    func testHugeQueryTimeoutIsALocatedError() {
        XCTAssertThrowsDatasetError(try DatasetManifest.parse("name: d\ndatabase: x.db\nquery_timeout: 1e300\n", displayPath: "d.yaml")) { error in
            XCTAssertEqual(error.description, "d.yaml:3:16: expected query_timeout of at most 86400 seconds (a day), found '1e300'")
        }
        XCTAssertThrowsDatasetError(try DatasetManifest.parse("name: d\ndatabase: x.db\nmax_rows: 0\n", displayPath: "d.yaml")) { error in
            XCTAssertEqual(error.description, "d.yaml:3:11: expected max_rows as a whole number of at least 1, found '0'")
        }
        let manifest = DatasetManifest(name: "d", database: "x.db", queryTimeout: 1e300)
        XCTAssertTrue(manifest.yamlText().contains("query_timeout: 1e+300"), "no Int conversion of a huge Double")
        XCTAssertThrowsDatasetError(try manifest.queryLimits()) { error in
            guard case .invalidLimit = error else { return XCTFail("\(error)") }
        }
        XCTAssertEqual(DatasetError.queryTimedOut(seconds: 1e300).message.hasPrefix("the query ran longer than 1e+300 s"), true)
    }

    func testAnOverlongRecordIsRefusedWithItsLine() throws {
        let study = try Study(self)
        let url = study.root.appendingPathComponent("big.csv")
        var text = "id,body\n1,short\n2,"
        text += String(repeating: "x", count: 6 << 20)
        text += "\n"
        try Data(text.utf8).write(to: url)
        let input = try ChunkedInput(url: url, displayPath: "big.csv", recordLimit: 2 << 20)
        let source = try DelimitedSource(input: input, format: .csv, validatesUTF8: true)
        XCTAssertTrue(try source.next())
        XCTAssertThrowsDatasetError(try source.next()) { error in
            XCTAssertEqual(error.description, "big.csv:3: expected a record (row, line or array element) of at most 2 MiB, found one that runs on past 2 MiB from this line")
        }
        let json = study.root.appendingPathComponent("big.jsonl")
        try Data(("{\"a\": 1}\n{\"a\": \"" + String(repeating: "y", count: 6 << 20) + "\"}\n").utf8).write(to: json)
        let jsonSource = JSONSource(input: try ChunkedInput(url: json, displayPath: "big.jsonl", recordLimit: 2 << 20),
                                    format: .jsonl, knownColumns: nil, validatesUTF8: true)
        XCTAssertTrue(try jsonSource.next())
        XCTAssertThrowsDatasetError(try jsonSource.next()) { XCTAssertEqual($0.location?.line, 2) }
    }

    /// The case: a gzip CSV whose one field inflates to far more than any record may be.
    func testAGzipCSVWithAHugeFieldIsRefused() throws {
        guard FileManager.default.isExecutableFile(atPath: "/bin/gzip") || FileManager.default.isExecutableFile(atPath: "/usr/bin/gzip") else {
            throw XCTSkip("no gzip tool to compress the test file")
        }
        let study = try Study(self)
        let path = study.root.appendingPathComponent("bomb.csv.gz").path
        let process = Process()
        process.executableURL = URL(fileURLWithPath: "/bin/sh")
        process.arguments = ["-c", "{ printf 'id,body\\n1,'; head -c 300000000 /dev/zero | tr '\\\\0' x; printf '\\n'; } | gzip -1 > '\(path)'"]
        try process.run()
        process.waitUntilExit()
        XCTAssertEqual(process.terminationStatus, 0)
        XCTAssertThrowsDatasetError(try study.importFile("bomb.csv.gz")) { error in
            XCTAssertEqual(error.description, "bomb.csv.gz:2: expected a record (row, line or array element) of at most 100 MiB, found one that runs on past 100 MiB from this line")
        }
    }
}
