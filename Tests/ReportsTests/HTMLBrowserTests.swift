import Foundation
import Reports
import XCTest

/// Renders the demo-sized matrix in headless Chromium, when one is installed, and checks that a
/// 1400 px window does not scroll sideways (the issue-14 complaint: the matrix was 1,764 px wide).
final class HTMLBrowserTests: XCTestCase {
    func testDemoMatrixFitsA1400PixelWindow() throws {
        guard let browser = ["chromium", "chromium-browser", "google-chrome"].first(where: { ExternalTool.locate($0) != nil }) else {
            throw XCTSkip("no Chromium on the PATH (apt-get install chromium); the browser check was skipped")
        }
        var table = Fixtures.demoMatrix
        table.charts = [FigureTests.figures["forest"] as! ForestPlot]
        table.figures = [Figure(FigureTests.figures["turnover"]!), Figure(FigureTests.figures["scatter"]!)]
        // The probe is the test's, not the renderer's: the report itself needs no script.
        let probe = "<script>window.addEventListener('load',function(){var d=document.documentElement;"
            + "document.body.setAttribute('data-overflow',String(d.scrollWidth-d.clientWidth));});</script>"
        let html = HTMLRenderer().render(table).replacingOccurrences(of: "</body>", with: probe + "</body>")
        let directory = FileManager.default.temporaryDirectory.appendingPathComponent("reports-browser-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: directory) }
        let page = directory.appendingPathComponent("matrix.html")
        try Data(html.utf8).write(to: page)
        let result = try ExternalTool.run(browser, arguments: [
            "--headless", "--no-sandbox", "--disable-gpu", "--user-data-dir=\(directory.appendingPathComponent("profile").path)",
            "--window-size=1400,900", "--dump-dom", page.absoluteString,
        ])
        let dom = String(decoding: result.standardOutput, as: UTF8.self)
        guard let range = dom.range(of: "data-overflow=\"") else {
            throw XCTSkip("\(browser) did not run the page: \(String(decoding: result.standardError, as: UTF8.self).suffix(300))")
        }
        let overflow = Int(dom[range.upperBound...].prefix { $0 != "\"" })
        XCTAssertEqual(overflow, 0, "the matrix is wider than a 1400 px window by \(overflow ?? -1) px")
    }
}
