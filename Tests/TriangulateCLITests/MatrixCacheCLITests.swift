import Foundation
import TestSupport
import XCTest

/// `matrix --jobs` and `--no-cache` as a user runs them.
final class MatrixCacheCLITests: XCTestCase {
    /// The inode of every stored result: an atomic rewrite gives a file a new one.
    private func storedResults(_ root: URL) throws -> [String: UInt64] {
        let folder = root.appendingPathComponent(".triangulate/results")
        var inodes: [String: UInt64] = [:]
        for case let path as String in FileManager.default.enumerator(atPath: folder.path)! where path.hasSuffix(".json") && !path.hasPrefix("datasets") {
            let attributes = try FileManager.default.attributesOfItem(atPath: folder.appendingPathComponent(path).path)
            inodes[path] = (attributes[.systemFileNumber] as? NSNumber)?.uint64Value
        }
        return inodes
    }

    func testStoredResultsAreReusedUntilNoCacheAndTheOutputNeverChanges() throws {
        let fixture = try StudyFixture(self)
        let first = try CLI.run(["matrix", "--format", "json"], in: fixture.root)
        XCTAssertEqual(first.status, 0, first.stderr)
        let stored = try storedResults(fixture.root)
        XCTAssertEqual(stored.count, 2, "C1a and C2a (C2b fails and is not stored)")
        let warm = try CLI.run(["matrix", "--format", "json"], in: fixture.root)
        XCTAssertEqual(warm.stdout, first.stdout)
        XCTAssertEqual(warm.stderr, first.stderr)
        XCTAssertEqual(try storedResults(fixture.root), stored, "a warm run rewrites nothing")
        let bypass = try CLI.run(["matrix", "--format", "json", "--no-cache", "--jobs", "1"], in: fixture.root)
        XCTAssertEqual(bypass.stdout, first.stdout)
        let rewritten = try storedResults(fixture.root)
        XCTAssertEqual(Set(rewritten.keys), Set(stored.keys))
        for (path, inode) in rewritten { XCTAssertNotEqual(inode, stored[path], "\(path) was computed and stored again") }
        let refused = try CLI.run(["matrix", "--jobs", "0"], in: fixture.root)
        XCTAssertEqual(refused.status, 64)
        XCTAssertTrue(refused.stderr.contains("--jobs must be at least 1"), refused.stderr)
    }
}
