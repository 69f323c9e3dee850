import Foundation
@testable import Reports
import XCTest

#if canImport(FoundationXML)
import FoundationXML
#endif

final class RendererTests: XCTestCase {
    private let small = ReportTable(
        title: "Small",
        columns: [Column(key: "a", header: "A"), Column(key: "b", header: "B", alignment: .right)],
        rows: [[Cell("x"), .integer(1)], [Cell("y")]],
        notes: ["n"],
        provenance: [ProvenanceItem(key: "tool", value: "t")]
    )

    // MARK: Table model

    func testValidateReportsWhatRenderersCannotRepair() {
        XCTAssertThrowsError(try small.validate()) { error in
            XCTAssertEqual(error as? ReportsError, .rowWidthMismatch(row: 2, expected: 2, found: 1))
            XCTAssertEqual("\(error)", "row 2 has 1 cell, expected 2 (one per column)")
        }
        var table = ReportTable(columns: [Column(key: "a"), Column(key: "a")])
        XCTAssertThrowsError(try table.validate()) { XCTAssertEqual($0 as? ReportsError, .duplicateColumnKey("a")) }
        table.columns = [Column(key: "")]
        XCTAssertThrowsError(try table.validate()) { XCTAssertEqual($0 as? ReportsError, .emptyColumnKey(column: 1)) }
        table.columns = [Column(key: "a")]
        table.provenance = [ProvenanceItem(key: "k", value: "1"), ProvenanceItem(key: "k", value: "2")]
        XCTAssertThrowsError(try table.validate()) { XCTAssertEqual($0 as? ReportsError, .duplicateProvenanceKey("k")) }
        XCTAssertNoThrow(try Fixtures.hostile.validate())
    }

    func testAppendRowChecksTheWidth() throws {
        var table = ReportTable(columns: [Column(key: "a"), Column(key: "b")])
        try table.appendRow(["1", "2"])
        XCTAssertThrowsError(try table.appendRow(["3"])) { error in
            XCTAssertEqual(error as? ReportsError, .rowWidthMismatch(row: 2, expected: 2, found: 1))
        }
        XCTAssertEqual(table.rows.count, 1)
    }

    func testShortRowsArePaddedAndLongRowsCut() {
        var table = small
        table.rows = [[Cell("x")], [Cell("y"), .integer(2), Cell("extra")]]
        XCTAssertEqual(CSVRenderer(lineEnding: .lf, content: .text, trailer: true).render(table), "a,b\nx,\ny,2\n\n# title: Small\n# note: n\n# tool: t\n")
        XCTAssertEqual(CSVRenderer(lineEnding: .lf).render(table), "a,b\nx,\ny,2\n", "no trailer by default")
    }

    func testFormatsKnowTheirExtensions() {
        XCTAssertEqual(ReportFormat.allCases.map(\.fileExtension), ["md", "tex", "csv", "json", "html"])
        for format in ReportFormat.allCases {
            XCTAssertEqual(ReportFormat(fileExtension: format.fileExtension.uppercased()), format)
        }
        XCTAssertNil(ReportFormat(fileExtension: "docx"))
    }

    func testObjectValuesDoNotDependOnDictionaryOrder() {
        var forward: [String: CellValue] = [:]
        var backward: [String: CellValue] = [:]
        let keys = (0..<50).map { "key\($0)" }
        for key in keys { forward[key] = .string(key) }
        for key in keys.reversed() { backward[key] = .string(key) }
        let table = { (object: [String: CellValue]) in
            ReportTable(columns: [Column(key: "o")], rows: [[Cell(text: "o", value: .object(object))]])
        }
        let json = JSONRenderer().render(table(forward))
        XCTAssertEqual(json, JSONRenderer().render(table(backward)))
        XCTAssertLessThan(json.range(of: "\"key10\"")!.lowerBound, json.range(of: "\"key9\"")!.lowerBound)
    }

    // MARK: Markdown

    func testMarkdownTableShape() {
        XCTAssertEqual(MarkdownRenderer().render(small), """
            ## Small

            | A | B |
            | :--- | ---: |
            | x | 1 |
            | y | — |

            Notes:

            - n

            Provenance:

            - tool: t

            """)
    }

    func testMarkdownEscapesOnlyWhatWouldChangeTheReading() {
        XCTAssertEqual(MarkdownRenderer.escapeInline("a|b\nc"), "a\\|b<br>c")
        XCTAssertEqual(MarkdownRenderer.escapeInline("p < 0.001"), "p < 0.001")
        XCTAssertEqual(MarkdownRenderer.escapeInline("<b>&amp; & x"), "\\<b>\\&amp; & x")
        XCTAssertEqual(MarkdownRenderer.escapeInline("*a* _b_ `c` [d] ~e~ $f$ \\"), "\\*a\\* \\_b\\_ \\`c\\` \\[d\\] \\~e\\~ \\$f\\$ \\\\")
        XCTAssertEqual(MarkdownRenderer.escapeListItem("12. x"), "12\\. x")
        XCTAssertEqual(MarkdownRenderer.escapeListItem("- x"), "\\- x")
        XCTAssertEqual(MarkdownRenderer.escapeListItem("2026 was"), "2026 was")
        XCTAssertEqual(MarkdownRenderer.escapeHeading("C# #1\nnext"), "C\\# \\#1 next")
    }

    // MARK: LaTeX

    func testLaTeXEscapesEverySpecialCharacter() {
        XCTAssertEqual(
            LaTeXRenderer.escape("\\{}_&%$#~^<>|", lineBreak: " "),
            "\\textbackslash{}\\{\\}\\_\\&\\%\\$\\#\\textasciitilde{}\\textasciicircum{}\\textless{}\\textgreater{}\\textbar{}"
        )
        XCTAssertEqual(LaTeXRenderer.escape("a--b ,, [c]", lineBreak: " "), "a-{}-b ,{}, {[}c{]}")
        XCTAssertEqual(
            LaTeXRenderer.escape("say \"hi\" it's ('x') `y`", lineBreak: " "),
            "say \\textquotedblleft{}hi\\textquotedblright{} it\\textquoteright{}s (\\textquoteleft{}x\\textquoteright{}) \\textasciigrave{}y\\textasciigrave{}"
        )
        XCTAssertEqual(LaTeXRenderer.escape("a\r\nb\u{0}c", lineBreak: "\\newline "), "a\\newline b c")
        XCTAssertEqual(LaTeXRenderer.escape("café 🔬", lineBreak: " "), "caf\\'{e} \\texttt{[U+1F52C]}")
        XCTAssertEqual(LaTeXRenderer.escapeCell("*x", wraps: false), "{*}x")
        XCTAssertEqual(LaTeXRenderer.escapeCell("-1.5", wraps: false, isNumber: true), "$-$1.5")
        XCTAssertEqual(LaTeXRenderer.escapeCell("-1.5", wraps: false, isNumber: false), "-1.5")
        XCTAssertEqual(LaTeXRenderer.escapeCell("-inf", wraps: false, isNumber: true), "-inf")
    }

    func testLaTeXUsesPlainTabularUnlessAColumnWraps() {
        let plain = LaTeXRenderer().render(small)
        XCTAssertTrue(plain.hasPrefix("% Requires \\usepackage{booktabs};"))
        XCTAssertTrue(plain.contains("\\begin{tabular}{@{}lr@{}}\n\\toprule\nA & B \\\\\n\\midrule\nx & 1 \\\\\ny & --- \\\\\n\\bottomrule\n\\end{tabular}\n"))
        var wrapping = small
        wrapping.columns[0].wraps = true
        let wide = LaTeXRenderer().render(wrapping)
        XCTAssertTrue(wide.contains("\\usepackage{tabularx}"))
        XCTAssertTrue(wide.contains("\\begin{tabularx}{\\linewidth}{@{}>{\\raggedright\\arraybackslash}Xr@{}}"))
        XCTAssertTrue(wide.hasSuffix("% Provenance:\n% tool: t\n"))
    }

    func testLaTeXCommentsCannotLeakOntoLiveLines() {
        var table = small
        table.title = "a\nb\\end{document}"
        table.provenance = [ProvenanceItem(key: "k\r\n", value: "v\n\\bye")]
        let latex = LaTeXRenderer().render(table)
        for line in latex.split(separator: "\n") where line.contains("end{document}") || line.contains("bye") {
            XCTAssertTrue(line.hasPrefix("%"), "live line: \(line)")
        }
    }

    // MARK: CSV

    func testCSVQuotesPerRFC4180AndEndsLinesWithCRLF() {
        XCTAssertEqual(CSVRenderer.field("plain text"), "plain text")
        XCTAssertEqual(CSVRenderer.field("a,b"), "\"a,b\"")
        XCTAssertEqual(CSVRenderer.field("say \"hi\""), "\"say \"\"hi\"\"\"")
        XCTAssertEqual(CSVRenderer.field("a\nb"), "\"a\nb\"")
        XCTAssertEqual(CSVRenderer.field("C#"), "\"C#\"")
        let csv = CSVRenderer().render(ReportTable(columns: [Column(key: "only")], rows: [[.empty], ["x"]]))
        XCTAssertEqual(csv, "only\r\n\"\"\r\nx\r\n")
    }

    func testCSVReadsBackWithAnIndependentParser() {
        let csv = CSVRenderer(content: .text, trailer: true).render(Fixtures.hostile)
        let records = Self.parseCSV(csv)
        let columns = Fixtures.hostile.columns
        XCTAssertEqual(records.first, columns.map(\.key))
        let dataRecords = Array(records.dropFirst().prefix(Fixtures.hostile.rows.count))
        XCTAssertEqual(dataRecords, Fixtures.hostile.rows.map { $0.map(\.text) })
        XCTAssertEqual(records.dropFirst(1 + Fixtures.hostile.rows.count).first, [""])
        XCTAssertEqual(records.last, ["# command: triangulate matrix --format \"latex\" > out.tex # & 100% second line"])
    }

    func testCSVReadsBackWithPandas() throws {
        let csv = CSVRenderer(content: .text, trailer: true).render(Fixtures.hostile)
        let script = """
            import io, json, sys
            import pandas
            frame = pandas.read_csv(io.StringIO(sys.stdin.read(), newline=""), comment="#", dtype=str, keep_default_na=False)
            print(json.dumps({"columns": list(frame.columns), "rows": frame.values.tolist()}))
            """
        let output = try ExternalTool.run("python3", arguments: ["-c", script], input: Data(csv.utf8))
        guard output.status == 0 else {
            throw XCTSkip("python3 with pandas is not usable here: \(String(decoding: output.standardError, as: UTF8.self).suffix(200))")
        }
        let decoded = try XCTUnwrap(JSONSerialization.jsonObject(with: output.standardOutput) as? [String: Any])
        XCTAssertEqual(decoded["columns"] as? [String], Fixtures.hostile.columns.map(\.key))
        XCTAssertEqual(decoded["rows"] as? [[String]], Fixtures.hostile.rows.map { $0.map(\.text) })
    }

    // MARK: JSON

    func testJSONParsesAndKeepsExactValues() throws {
        let json = JSONRenderer().render(Fixtures.hostile)
        let document = try XCTUnwrap(JSONSerialization.jsonObject(with: Data(json.utf8)) as? [String: Any])
        XCTAssertEqual(document["title"] as? String, Fixtures.hostile.title)
        XCTAssertEqual(document["notes"] as? [String], Fixtures.hostile.notes)
        let provenance = try XCTUnwrap(document["provenance"] as? [String: String])
        XCTAssertEqual(provenance["command"], Fixtures.hostile.provenance[3].value)
        let rows = try XCTUnwrap(document["rows"] as? [[String: Any]])
        XCTAssertEqual(rows.count, Fixtures.hostile.rows.count)
        XCTAssertEqual((rows[0]["id"] as? String), "\\section{x} & 100% $5 #1 ~a ^b _c {d}")
        XCTAssertEqual((rows[1]["p"] as? NSNumber)?.doubleValue, 1e-300)
        XCTAssertEqual((rows[2]["value"] as? NSNumber)?.doubleValue, 6.02214076e23)
        XCTAssertEqual((rows[3]["value"] as? NSNumber)?.doubleValue, .leastNonzeroMagnitude)
        XCTAssertEqual((rows[4]["note, \"raw\" #"] as? NSNumber)?.doubleValue, 1e300)
        XCTAssertTrue(rows[1]["note, \"raw\" #"] is NSNull)
        XCTAssertEqual(rows[5]["note, \"raw\" #"] as? String, "-inf", "an infinite value is written as the string -inf")
        let object = try XCTUnwrap(rows[3]["note, \"raw\" #"] as? [String: Any])
        XCTAssertEqual(object["é"] as? String, "line\u{2028}separator")
        XCTAssertTrue(object["a"] is NSNull, "NaN must be written as null")
    }

    func testJSONSpellsNumbersAndStringsStably() {
        let table = ReportTable(
            columns: [Column(key: "v")],
            rows: [[Cell(text: "", value: .number(0.1))], [Cell(text: "", value: .string("\u{0}\u{1F}\t\"\\/"))]]
        )
        XCTAssertEqual(JSONRenderer().render(table), """
            {
              "title": null,
              "columns": [
                {
                  "key": "v",
                  "header": "v",
                  "alignment": "left",
                  "wraps": false
                }
              ],
              "rows": [
                {
                  "v": 0.1
                },
                {
                  "v": "\\u0000\\u001f\\t\\"\\\\/"
                }
              ],
              "notes": [],
              "provenance": {}
            }

            """)
    }

    // MARK: HTML

    func testHTMLEscapesEverything() {
        XCTAssertEqual(HTMLRenderer.escape("<a href=\"x\">'&'</a>\r\nb\u{0}"), "&lt;a href=&quot;x&quot;&gt;&#39;&amp;&#39;&lt;/a&gt;<br/>b\u{FFFD}")
        let html = HTMLRenderer().render(Fixtures.hostile)
        XCTAssertFalse(html.contains("<script"))
        for reference in ["src=", "href=", "<link", "url(", "@import", "<img", "<iframe"] {
            XCTAssertFalse(html.contains(reference), "the document must not load anything (\(reference))")
        }
    }

    #if canImport(FoundationXML) || os(macOS)
    func testHTMLIsWellFormedAndHoldsEveryCellText() throws {
        let html = HTMLRenderer().render(Fixtures.hostile)
        let collector = CellCollector()
        let parser = XMLParser(data: Data(html.utf8))
        parser.delegate = collector
        XCTAssertTrue(parser.parse(), "not well-formed: \(String(describing: parser.parserError))")
        XCTAssertEqual(collector.headers, Fixtures.hostile.columns.map { $0.header.replacingOccurrences(of: "\n", with: "") })
        let expected = Fixtures.hostile.rows.map { row in
            row.map { cell in
                cell.text.isEmpty ? "—" : cell.text.replacingOccurrences(of: "\r\n", with: "").replacingOccurrences(of: "\n", with: "")
                    .replacingOccurrences(of: "\u{07}", with: "\u{FFFD}")
            }
        }
        XCTAssertEqual(collector.rows, expected)
    }
    #endif

    // MARK: Helpers

    /// A small RFC 4180 reader, independent of the renderer, for round-trip checks.
    static func parseCSV(_ text: String) -> [[String]] {
        var records: [[String]] = []
        var record: [String] = []
        var field = String.UnicodeScalarView()
        var inQuotes = false
        let scalars = Array(text.unicodeScalars)
        var index = 0
        while index < scalars.count {
            let scalar = scalars[index]
            if inQuotes {
                if scalar == "\"" {
                    if index + 1 < scalars.count && scalars[index + 1] == "\"" {
                        field.append("\"")
                        index += 1
                    } else {
                        inQuotes = false
                    }
                } else {
                    field.append(scalar)
                }
            } else if scalar == "\"" && field.isEmpty {
                inQuotes = true
            } else if scalar == "," {
                record.append(String(field))
                field = String.UnicodeScalarView()
            } else if scalar == "\r" && index + 1 < scalars.count && scalars[index + 1] == "\n" {
                record.append(String(field))
                records.append(record)
                record = []
                field = String.UnicodeScalarView()
                index += 1
            } else {
                field.append(scalar)
            }
            index += 1
        }
        return records
    }
}

#if canImport(FoundationXML) || os(macOS)
/// Collects the text of `th` and `td` elements, with `<br/>` dropped.
private final class CellCollector: NSObject, XMLParserDelegate {
    var headers: [String] = []
    var rows: [[String]] = []
    private var current: String?

    func parser(_ parser: XMLParser, didStartElement elementName: String, namespaceURI: String?, qualifiedName: String?, attributes: [String: String] = [:]) {
        switch elementName {
        case "tr" where !headers.isEmpty: rows.append([])
        case "th", "td": current = ""
        default: break
        }
    }

    func parser(_ parser: XMLParser, foundCharacters string: String) {
        current? += string
    }

    func parser(_ parser: XMLParser, didEndElement elementName: String, namespaceURI: String?, qualifiedName: String?) {
        guard let text = current, elementName == "th" || elementName == "td" else {
            return
        }
        if elementName == "th" {
            headers.append(text)
        } else {
            rows[rows.count - 1].append(text)
        }
        current = nil
    }
}
#endif

final class IntervalChartTests: XCTestCase {
    func testChartIsStableEscapedAndInTheHTML() throws {
        let chart = IntervalChart(title: "Effects <&>", rows: [
            .init(label: "C1/C1a r", estimate: 0.4, lower: 0.3, upper: 0.5, reference: 0, text: "0.400 [0.300, 0.500]"),
            .init(label: "C2 odds \"ratio\"", estimate: 4, lower: 2, upper: 8, reference: 1, logScale: true, text: "4 [2, 8]"),
        ])
        XCTAssertEqual(chart.svg(), chart.svg())
        XCTAssertTrue(chart.svg().contains("Effects &lt;&amp;&gt;"))
        XCTAssertTrue(chart.svg().contains("C2 odds &quot;ratio&quot;"))
        XCTAssertEqual(chart.svg().components(separatedBy: "<circle").count - 1, 2)
        var table = ReportTable(title: "T", columns: [Column(key: "a")], rows: [[Cell("x")]])
        XCTAssertFalse(HTMLRenderer().render(table).contains("<svg"))
        table.charts = [chart]
        let html = HTMLRenderer().render(table)
        XCTAssertTrue(html.contains("<figure class=\"chart\">\n<svg"))
        XCTAssertEqual(MarkdownRenderer().render(table), MarkdownRenderer().render(ReportTable(title: "T", columns: [Column(key: "a")], rows: [[Cell("x")]])),
                       "only HTML draws charts")
    }
}
