import Foundation
@testable import Reports
import XCTest

#if canImport(FoundationXML)
import FoundationXML
#endif

/// The figures against their golden SVG files (`Golden/figure-<name>.svg`; regenerate with
/// `TRIANGULATE_UPDATE_GOLDEN=1`), well-formed, colour-blind-safe, and saying why when they
/// cannot be drawn.
final class FigureTests: XCTestCase {
    /// A fixed pseudo-random sequence (a 64-bit LCG), so the fixtures are the same everywhere.
    private struct Sequence {
        var state: UInt64
        mutating func next() -> Double {
            state = state &* 6_364_136_223_846_793_005 &+ 1_442_695_040_888_963_407
            return Double(state >> 11) / Double(1 << 53)
        }
    }

    static let figures: [String: any SVGFigure] = {
        var random = Sequence(state: 42)
        let withCard = (0..<400).map { _ in (pow(10, random.next() * 5) - 1).rounded() }
        let withoutCard = (0..<900).map { _ in random.next() < 0.6 ? 0 : (pow(10, random.next() * 3) - 1).rounded() }
        let x = (0..<150).map { _ in pow(10, random.next() * 4) }
        let y = x.map { ($0 * 0.02 * (0.5 + random.next())).rounded() }
        let manyX = (0..<3000).map { _ in random.next() * 10 }
        let manyY = manyX.map { $0 * 0.5 + random.next() * 3 }
        return [
            "box-strip": BoxStripPlot(title: "Downloads by model card", valueLabel: "Downloads",
                                      groups: [.init(name: "card", values: withCard), .init(name: "no card", values: withoutCard)],
                                      scale: .log1p, stripLimit: 200),
            "scatter": ScatterPlot(title: "Descendants by downloads", xLabel: "Downloads", yLabel: "Descendants", x: x, y: y,
                                   xScale: .log10, yScale: .log1p),
            "hexbin": ScatterPlot(title: "Many points <binned>", xLabel: "x", yLabel: "y", x: manyX, y: manyY),
            "proportions": ProportionPlot(title: "Share without a model card", items: [
                .init(label: "all models", proportion: 0.572, lower: 0.568, upper: 0.575, reference: 0.5, successes: 42859, trials: 74970),
                .init(label: "≥ 1,000 downloads", proportion: 0.296, lower: 0.277, upper: 0.316, reference: 0.5, successes: 627, trials: 2118),
            ]),
            "grouped-bars": GroupedBarChart(title: "Retained in the next top 1,000", rowLabels: ["hf", "npm", "pypi"],
                                            columnLabels: ["retained", "replaced"], counts: [[502, 498], [2900, 100], [2846, 154]]),
            "turnover": TurnoverChart(title: "Top-1,000 turnover per snapshot", panels: [
                .init(registry: "hf", bars: [.init(snapshot: "2022-06", remained: 0, returning: 0, newcomers: 1000),
                                             .init(snapshot: "2022-10", remained: 502, returning: 0, newcomers: 498)]),
                .init(registry: "npm", bars: [.init(snapshot: "2023-05-29", remained: 0, returning: 0, newcomers: 1000),
                                              .init(snapshot: "2023-08-24", remained: 971, returning: 0, newcomers: 29),
                                              .init(snapshot: "2023-11-22", remained: 959, returning: 2, newcomers: 39),
                                              .init(snapshot: "2024-02-20", remained: 970, returning: 4, newcomers: 26)]),
            ]),
            "forest": ForestPlot(title: "Effects with 95% intervals (dashed: no effect)", rows: [
                .init(label: "C1/C1a", kind: "rank-biserial r", estimate: 0.441, lower: 0.434, upper: 0.447, reference: 0, text: "0.441 [0.434, 0.447]"),
                .init(label: "C2/C2a", kind: "rho", estimate: 0.419, lower: 0.391, upper: 0.446, reference: 0, text: "0.419 [0.391, 0.446]"),
                .init(label: "C8/C8a", kind: "rho", estimate: -0.05, lower: -0.2, upper: 0.1, reference: 0, text: "-0.050 [-0.200, 0.100]"),
                .init(label: "C6/C6a", kind: "odds ratio", estimate: 14.755, lower: 11.111, upper: 19.593, reference: 1, logScale: true, text: "14.755 [11.111, 19.593]"),
                .init(label: "C6/C6b", kind: "odds ratio", estimate: 32.076, lower: 21.85, upper: .infinity, reference: 1, logScale: true, text: "32.076 [21.850, inf]"),
            ]),
        ]
    }()

    func testFiguresMatchTheirGoldenFiles() throws {
        for name in Self.figures.keys.sorted() {
            try assertMatchesGolden(Self.figures[name]!.svg(), name: "figure-\(name).svg")
        }
    }

    func testFiguresAreDeterministicWellFormedAndUseThePalette() throws {
        let allowed = Set(OkabeIto.series + OkabeIto.sequential + ["#FFFFFF", "#333333", "#555555", "#999999", "#DDDDDD", "#E4E4E4", "#F4F4F4", "#F4F6F9", "none"])
        for (name, figure) in Self.figures {
            let svg = figure.svg()
            XCTAssertEqual(svg, figure.svg(), name)
            XCTAssertTrue(svg.hasPrefix("<svg xmlns=\"http://www.w3.org/2000/svg\""), name)
            #if canImport(FoundationXML) || os(macOS)
            let parser = XMLParser(data: Data(svg.utf8))
            XCTAssertTrue(parser.parse(), "\(name) is not well-formed: \(String(describing: parser.parserError))")
            #endif
            let colors = svg.components(separatedBy: "fill=\"").dropFirst().map { String($0.prefix { $0 != "\"" }) }
                + svg.components(separatedBy: "stroke=\"").dropFirst().map { String($0.prefix { $0 != "\"" }) }
            XCTAssertEqual(Set(colors).subtracting(allowed), [], "\(name) uses colours outside the palette")
            XCTAssertFalse(svg.contains("<script") || svg.contains("href"), name)
        }
        XCTAssertTrue(Self.figures["hexbin"]!.svg().contains("<polygon"), "3,000 points are binned")
        XCTAssertFalse(Self.figures["scatter"]!.svg().contains("<polygon"), "150 points are drawn as points")
        XCTAssertTrue(Self.figures["box-strip"]!.svg().contains("strip shows 200 of 900 values"))
        XCTAssertTrue(Self.figures["hexbin"]!.svg().contains("Many points &lt;binned&gt;"), "titles are escaped")
    }

    func testForestPlotSharesOneAxisPerKind() {
        let plot = Self.figures["forest"] as! ForestPlot
        XCTAssertEqual(plot.panels.map(\.kind), ["rank-biserial r", "rho", "odds ratio"])
        XCTAssertEqual(plot.panels.map(\.rows.count), [1, 2, 2])
        let svg = plot.svg()
        XCTAssertEqual(svg.components(separatedBy: "stroke=\"#333333\"/>").count - 1 >= 3, true)
        XCTAssertTrue(svg.contains("<path d="), "an infinite bound is drawn as an arrow")
        let untyped = ForestPlot(title: "T", rows: [.init(label: "a", estimate: 1, lower: 0, upper: 2, reference: 0, text: ""),
                                                    .init(label: "b", estimate: 1, lower: 0, upper: 2, reference: 0, text: "")])
        XCTAssertEqual(untyped.panels.count, 2, "rows without a kind keep their own axis")
    }

    func testFiguresThatCannotBeDrawnSayWhy() {
        let cases: [(any SVGFigure, String)] = [
            (BoxStripPlot(title: "B", valueLabel: "v", groups: [.init(name: "g", values: [-1, -2])], scale: .log1p), "no value can be drawn on the log1p scale"),
            (ScatterPlot(title: "S", xLabel: "x", yLabel: "y", x: [1, 2], y: [1]), "x has 2 values and y 1; they must pair up"),
            (ScatterPlot(title: "S", xLabel: "x", yLabel: "y", x: [.nan, 1], y: [1, 1]), "fewer than two pairs can be drawn on these scales"),
            (ProportionPlot(title: "P", items: [.init(label: "p", proportion: 1.2, lower: 0, upper: 1)]), "p: a proportion or bound is not between 0 and 1"),
            (GroupedBarChart(title: "G", rowLabels: ["a"], columnLabels: ["x", "y"], counts: [[1]]), "the counts are not a 1 × 2 table"),
            (TurnoverChart(title: "T", panels: []), "there are no snapshots"),
            (ForestPlot(title: "F", rows: []), "no effect has an estimate to draw"),
        ]
        for (figure, reason) in cases {
            XCTAssertTrue(figure.svg().contains("Not drawn: " + SVGWriter.escape(reason)), "\(figure.title): \(figure.svg())")
        }
    }

    /// Extreme and degenerate data draw something (or say why) without trapping.
    func testExtremeInputsNeverCrash() {
        let extremes: [Double] = [0, 1e-9, 2e-9, .greatestFiniteMagnitude, -.greatestFiniteMagnitude, .leastNonzeroMagnitude, .nan, .infinity]
        let figures: [any SVGFigure] = [
            BoxStripPlot(title: "b", valueLabel: "v", groups: [.init(name: "g", values: extremes), .init(name: "h", values: [])], scale: .log1p, stripLimit: 1),
            BoxStripPlot(title: "b", valueLabel: "v", groups: [.init(name: "g", values: [0, 1e-9])], scale: .log1p),
            BoxStripPlot(title: "b", valueLabel: "v", groups: [.init(name: "g", values: extremes)], scale: .linear),
            ScatterPlot(title: "s", xLabel: "x", yLabel: "y", x: extremes, y: extremes.reversed(), xScale: .log10, yScale: .log1p),
            ScatterPlot(title: "s", xLabel: "x", yLabel: "y", x: [1, 1, 1], y: [2, 2, 2]),
            GroupedBarChart(title: "g", rowLabels: ["a"], columnLabels: ["x", "y"], counts: [[Int.max, Int.max]]),
            TurnoverChart(title: "t", panels: [.init(registry: "r", bars: [.init(snapshot: "s", remained: Int.max, returning: Int.max, newcomers: 0)])]),
            ForestPlot(title: "f", rows: [.init(label: "a", kind: "k", estimate: .nan, lower: -.infinity, upper: .infinity, reference: nil, text: ""),
                                           .init(label: "b", kind: "or", estimate: -1, lower: -2, upper: 0, reference: 1, logScale: true, text: "")]),
        ]
        for figure in figures {
            XCTAssertTrue(figure.svg().hasSuffix("</svg>\n"), figure.title)
        }
    }

    func testHTMLShowsFiguresAndFitsTheWindow() {
        var table = ReportTable(title: "T", columns: [Column(key: "a", wraps: true)], rows: [["x"]])
        table.figures = [Figure(Self.figures["turnover"]!)]
        let html = HTMLRenderer().render(table)
        XCTAssertTrue(html.contains("<figure class=\"chart\">\n<svg"))
        XCTAssertTrue(html.contains("<figcaption>Top-1,000 turnover per snapshot</figcaption>"))
        XCTAssertTrue(HTMLRenderer.styleSheet.contains("table { border-collapse: collapse; border-top: 2px solid #333; border-bottom: 2px solid #333; width: 100%; }"))
        XCTAssertTrue(HTMLRenderer.styleSheet.contains(".chart svg { max-width: 100%; height: auto; }"))
        XCTAssertFalse(HTMLRenderer.styleSheet.contains("nowrap"), "no cell may force the table wider than the window")
    }

    private func assertMatchesGolden(_ output: String, name: String, file: StaticString = #filePath, line: UInt = #line) throws {
        if ProcessInfo.processInfo.environment["TRIANGULATE_UPDATE_GOLDEN"] == "1" {
            let directory = URL(fileURLWithPath: #filePath).deletingLastPathComponent().appendingPathComponent("Golden")
            try Data(output.utf8).write(to: directory.appendingPathComponent(name), options: .atomic)
            return
        }
        let url = try XCTUnwrap(Bundle.module.url(forResource: (name as NSString).deletingPathExtension, withExtension: "svg", subdirectory: "Golden"),
                                "Golden/\(name) is missing; run with TRIANGULATE_UPDATE_GOLDEN=1 to create it", file: file, line: line)
        XCTAssertEqual(output, try String(contentsOf: url, encoding: .utf8), "Golden/\(name) differs", file: file, line: line)
    }
}
