import Foundation
import Reports
import XCTest

/// Renders the hostile table in every format and compares the bytes with `Golden/hostile.<ext>`.
///
/// To accept new output after a deliberate change, run the tests with
/// `TRIANGULATE_UPDATE_GOLDEN=1 swift test --filter ReportsTests`: each test then writes its output
/// into `Tests/ReportsTests/Golden/` in the source tree (found through `#filePath`) instead of
/// comparing, and skips with a message. Read every rewritten file before committing it.
final class GoldenFileTests: XCTestCase {
    func testMarkdownMatchesGolden() throws {
        try assertMatchesGolden(.markdown)
    }

    func testLaTeXMatchesGolden() throws {
        try assertMatchesGolden(.latex)
    }

    func testCSVMatchesGolden() throws {
        try assertMatchesGolden(.csv)
    }

    func testJSONMatchesGolden() throws {
        try assertMatchesGolden(.json)
    }

    func testHTMLMatchesGolden() throws {
        try assertMatchesGolden(.html)
    }

    func testEveryFormatRendersTheSameBytesTwice() {
        for format in ReportFormat.allCases {
            XCTAssertEqual(
                format.renderer.render(Fixtures.hostile),
                format.renderer.render(Fixtures.hostile),
                "\(format) output is not deterministic"
            )
        }
    }

    private func assertMatchesGolden(_ format: ReportFormat, file: StaticString = #filePath, line: UInt = #line) throws {
        let name = "hostile." + format.fileExtension
        let output = Data(format.renderer.render(Fixtures.hostile).utf8)

        if ProcessInfo.processInfo.environment["TRIANGULATE_UPDATE_GOLDEN"] == "1" {
            let sourceDirectory = URL(fileURLWithPath: #filePath).deletingLastPathComponent()
                .appendingPathComponent("Golden")
            try FileManager.default.createDirectory(at: sourceDirectory, withIntermediateDirectories: true)
            try output.write(to: sourceDirectory.appendingPathComponent(name), options: .atomic)
            throw XCTSkip("wrote Golden/\(name); unset TRIANGULATE_UPDATE_GOLDEN to compare against it")
        }

        let golden = try XCTUnwrap(
            Bundle.module.url(forResource: "hostile", withExtension: format.fileExtension, subdirectory: "Golden"),
            "Golden/\(name) is missing; run with TRIANGULATE_UPDATE_GOLDEN=1 to create it",
            file: file, line: line
        )
        let expected = try Data(contentsOf: golden)
        if output != expected {
            XCTFail(Self.firstDifference(expected: expected, actual: output, name: name), file: file, line: line)
        }
    }

    /// A message naming the first line where the output departs from the golden file.
    private static func firstDifference(expected: Data, actual: Data, name: String) -> String {
        // Split bytes, not Characters: "\r\n" is one Character, and CSV lines end with it.
        let expectedLines = expected.split(separator: UInt8(ascii: "\n"), omittingEmptySubsequences: false)
        let actualLines = actual.split(separator: UInt8(ascii: "\n"), omittingEmptySubsequences: false)
        for index in 0..<max(expectedLines.count, actualLines.count) {
            let wanted = index < expectedLines.count ? String(decoding: expectedLines[index], as: UTF8.self) : "<end of file>"
            let got = index < actualLines.count ? String(decoding: actualLines[index], as: UTF8.self) : "<end of file>"
            if !wanted.utf8.elementsEqual(got.utf8) {
                return "Golden/\(name) line \(index + 1) differs:\n  expected: \(wanted.debugDescription)\n  actual:   \(got.debugDescription)"
            }
        }
        return "Golden/\(name) differs from the output (\(expected.count) vs \(actual.count) bytes)"
    }
}
