import Foundation
import XCTest

/// Where the test suite finds the repository and the real data beside it.
public enum TestPaths {
    /// The repository root, found from this file's own path (symbolic links resolved).
    public static let repositoryRoot: URL = URL(fileURLWithPath: #filePath)
        .resolvingSymlinksInPath()
        .deletingLastPathComponent()  // TestSupport
        .deletingLastPathComponent()  // Tests
        .deletingLastPathComponent()

    /// `../shared/data` beside the repository, or `$TRIANGULATE_SHARED_DATA` when set.
    public static var sharedData: URL {
        if let override = ProcessInfo.processInfo.environment["TRIANGULATE_SHARED_DATA"] {
            return URL(fileURLWithPath: override)
        }
        return repositoryRoot.deletingLastPathComponent().appendingPathComponent("shared/data")
    }

    /// A file or folder under `../shared/data`; skips the calling test, with a message, when the
    /// real data is absent (as in a user's fresh clone).
    public static func sharedData(_ relativePath: String) throws -> URL {
        let url = sharedData.appendingPathComponent(relativePath)
        guard FileManager.default.fileExists(atPath: url.path) else {
            throw XCTSkip("needs ../shared/data/\(relativePath), which is absent here; the real-data check was skipped")
        }
        return url
    }

    /// A fresh empty directory, removed when the test ends.
    public static func temporaryDirectory(for testCase: XCTestCase) throws -> URL {
        let url = FileManager.default.temporaryDirectory
            .appendingPathComponent("triangulate-tests-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: url, withIntermediateDirectories: true)
        testCase.addTeardownBlock { try? FileManager.default.removeItem(at: url) }
        return url
    }
}
