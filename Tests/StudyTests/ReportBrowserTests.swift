import Foundation
import Index
import Project
import Study
import TestSupport
import XCTest

/// The study report of the demo: deterministic, self-contained, and in headless Chromium no
/// horizontal scrolling at 1280 px and every internal link resolving.
final class ReportBrowserTests: XCTestCase {
    func report() throws -> String {
        let study = try Study(root: try DemoStudyTests.copyDemo(for: self))
        let (index, _) = try StudyIndex.open(study)
        return try StudyReport(study: study, index: index, matrix: try MatrixBuilder(study: study, index: index).build()).html()
    }

    func testReportHoldsTheChainOfEvidenceAndIsDeterministic() throws {
        let html = try report()
        XCTAssertEqual(html, try report())
        for id in ["overview", "matrix", "claims", "codebook", "saturation", "provenance", "claim-C1", "row-C1-C1a", "code-attribute-documentation"] {
            XCTAssertTrue(html.contains("id=\"\(id)\""), id)
        }
        XCTAssertFalse(html.contains("id=\"agreement\""), "the demo's interviews have one coder (icse23): no agreement section")
        XCTAssertTrue(html.contains("There is a strong correlation between documentation quality and PTM popularity."))
        XCTAssertTrue(html.contains("SELECT has_card AS grp, downloads AS value FROM models"))
        XCTAssertFalse(html.contains("<script"))
        XCTAssertFalse(html.contains("http://") && html.contains("src=\"http"))
        XCTAssertEqual(html.components(separatedBy: "<figure>").count - 1, 6 + 2)
        // Every internal link names an element of the page.
        let ids = Set(Self.matches(of: "id=\"", in: html))
        for target in Self.matches(of: "href=\"#", in: html) { XCTAssertTrue(ids.contains(target), target) }
    }

    func testReportFitsA1280PixelWindowInChromium() throws {
        let browser = ["chromium", "chromium-browser", "google-chrome"].first { name in
            (ProcessInfo.processInfo.environment["PATH"] ?? "/usr/bin:/bin").split(separator: ":").contains {
                FileManager.default.isExecutableFile(atPath: "\($0)/\(name)")
            }
        }
        guard let browser else { throw XCTSkip("no Chromium on the PATH (apt-get install chromium); the browser check was skipped") }
        let probe = """
            <script>window.addEventListener('load',function(){var d=document.documentElement;var missing=[];
            document.querySelectorAll('[href^="#"]').forEach(function(a){var id=decodeURIComponent(a.getAttribute('href').slice(1));
            if(!document.getElementById(id)){missing.push(id);}});
            document.body.setAttribute('data-overflow',String(d.scrollWidth-d.clientWidth));
            document.body.setAttribute('data-links',String(document.querySelectorAll('[href^="#"]').length));
            document.body.setAttribute('data-missing',missing.join(' '));});</script>
            """
        let html = try report().replacingOccurrences(of: "</body>", with: probe + "</body>")
        let directory = URL(fileURLWithPath: NSTemporaryDirectory()).appendingPathComponent("triangulate-report-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: directory) }
        let page = directory.appendingPathComponent("index.html")
        try Data(html.utf8).write(to: page)
        let common = ["--headless", "--no-sandbox", "--disable-gpu", "--user-data-dir=\(directory.appendingPathComponent("profile").path)", "--window-size=1280,900"]
        let dom = try Self.run(browser, common + ["--dump-dom", page.absoluteString])
        guard let overflow = Self.attribute("data-overflow", in: dom) else {
            throw XCTSkip("\(browser) did not run the page; the browser check was skipped")
        }
        XCTAssertEqual(overflow, "0", "the report is wider than a 1280 px window")
        XCTAssertEqual(Self.attribute("data-missing", in: dom), "", "links without a target")
        XCTAssertGreaterThan(Int(Self.attribute("data-links", in: dom) ?? "0") ?? 0, 20)
        // The screenshot is the test's artefact.
        let artefacts = URL(fileURLWithPath: NSTemporaryDirectory()).appendingPathComponent("triangulate-artefacts")
        try FileManager.default.createDirectory(at: artefacts, withIntermediateDirectories: true)
        let shot = artefacts.appendingPathComponent("demo-report-1280.png")
        _ = try Self.run(browser, common + ["--screenshot=\(shot.path)", page.absoluteString])
        XCTAssertTrue(FileManager.default.fileExists(atPath: shot.path), "no screenshot at \(shot.path)")
    }

    static func run(_ program: String, _ arguments: [String]) throws -> String {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: "/usr/bin/env")
        process.arguments = [program] + arguments
        let out = Pipe()
        process.standardOutput = out
        process.standardError = FileHandle.nullDevice
        try process.run()
        let data = out.fileHandleForReading.readDataToEndOfFile()
        process.waitUntilExit()
        return String(decoding: data, as: UTF8.self)
    }

    static func attribute(_ name: String, in dom: String) -> String? {
        guard let range = dom.range(of: "\(name)=\"") else { return nil }
        return String(dom[range.upperBound...].prefix { $0 != "\"" })
    }

    static func matches(of prefix: String, in html: String) -> [String] {
        html.components(separatedBy: prefix).dropFirst().map { String($0.prefix { $0 != "\"" }) }
    }
}

extension ReportBrowserTests {
    /// A claim written with HTML, LaTeX and Unicode metacharacters reads as text in the report.
    func testHostileClaimTextIsEscaped() throws {
        let copy = try DemoStudyTests.copyDemo(for: self)
        let file = copy.appendingPathComponent("corpus/claims/C5.yaml")
        var text = try String(contentsOf: file, encoding: .utf8)
        let statement = text.split(separator: "\n").first { $0.hasPrefix("statement:") }!
        text = text.replacingOccurrences(of: String(statement), with: "statement: '<script>alert(1)</script> & \"q\" ≥ 5 % $x_1$ \\textbf{b} ''s'")
        try text.write(to: file, atomically: true, encoding: .utf8)
        let study = try Study(root: copy)
        let (index, _) = try StudyIndex.open(study)
        let html = try StudyReport(study: study, index: index, matrix: try MatrixBuilder(study: study, index: index).build()).html()
        XCTAssertFalse(html.contains("<script>"))
        XCTAssertTrue(html.contains("&lt;script&gt;alert(1)&lt;/script&gt; &amp; &quot;q&quot; ≥ 5 % $x_1$ \\textbf{b} &apos;s")
                      || html.contains("&lt;script&gt;alert(1)&lt;/script&gt; &amp; &quot;q&quot; ≥ 5 % $x_1$ \\textbf{b} &#39;s"), "the claim is not escaped as text")
    }
}

extension ReportBrowserTests {
    /// A study with a literature review gets its PRISMA diagram; every id stays unique.
    func testReviewGetsItsPRISMADiagram() throws {
        let fixture = try StudyFixture(self)
        try fixture.write("triangulate.yaml", ReviewFixture.settings)
        let source = fixture.root.deletingLastPathComponent().appendingPathComponent("scopus.bib")
        try ReviewFixture.export.write(to: source, atomically: true, encoding: .utf8)
        let study = try fixture.study
        _ = try ReviewRecorder(study: study).importExport(from: source, displayPath: "scopus.bib", name: nil, database: "scopus", search: nil, mapping: nil)
        let (index, _) = try StudyIndex.open(study)
        let html = try StudyReport(study: study, index: index, matrix: try MatrixBuilder(study: study, index: index).build()).html()
        XCTAssertTrue(html.contains("<section id=\"prisma\">"))
        XCTAssertTrue(html.contains("<a href=\"#prisma\">"))
        let ids = Self.matches(of: " id=\"", in: html)
        XCTAssertEqual(ids.count, Set(ids).count, "repeated ids: \(ids.filter { id in ids.filter { $0 == id }.count > 1 })")
        for target in Self.matches(of: "href=\"#", in: html) { XCTAssertTrue(ids.contains(target), target) }
    }
}
