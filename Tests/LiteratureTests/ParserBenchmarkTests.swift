import Foundation
import Literature
import XCTest

/// Throughput of the parsers on 15,000 records; prints the figures and asserts only the counts
/// (timings belong in benchmarks, not in assertions). Run with `swift test -c release --filter ParserBenchmark`.
final class ParserBenchmarkTests: XCTestCase {
    private let count = 15_000

    private func measure(_ label: String, bytes: Int, _ body: () -> Int) {
        let clock = ContinuousClock()
        var parsed = 0
        let elapsed = clock.measure { parsed = body() }
        XCTAssertEqual(parsed, count)
        let seconds = Double(elapsed.components.attoseconds) / 1e18 + Double(elapsed.components.seconds)
        print("benchmark: \(label): \(parsed) records, \(bytes / 1_000_000) MB in \(String(format: "%.3f", seconds)) s")
    }

    func testBibTeXThroughput() {
        var text = "@string{tse = {IEEE Transactions on Software Engineering}}\n"
        for index in 0..<count {
            text += """
                @article{key\(index),
                  author = {M{\\"u}ller, J{\\"o}rg and Garc{\\'\\i}a, Ana and {IEEE Task Force}},
                  title = {An {Empirical} Study of Model Reuse --- Part \(index)},
                  journal = tse,
                  year = \(1990 + index % 35),
                  month = jul,
                  pages = {\(index)--\(index + 10)},
                  doi = {10.1000/example.\(index)},
                  abstract = {Pre-trained models are reused across many projects. We mine a registry
                              and interview practitioners about how they choose, adapt and maintain them.},
                }

                """
        }
        measure("BibTeX", bytes: text.utf8.count) { BibTeXParser().parse(text, file: "bench.bib").records.count }
    }

    func testRISThroughput() {
        var text = ""
        for index in 0..<count {
            text += """
                TY  - JOUR
                TI  - An Empirical Study of Model Reuse, part \(index)
                AU  - Müller, Jörg
                AU  - García, Ana
                PY  - \(1990 + index % 35)
                T2  - Empirical Software Engineering
                SP  - \(index)
                EP  - \(index + 10)
                DO  - 10.1000/example.\(index)
                KW  - reuse
                KW  - mining
                AB  - Pre-trained models are reused across many projects. We mine a registry and interview practitioners.
                ER  - 

                """
        }
        measure("RIS", bytes: text.utf8.count) { RISParser().parse(text, file: "bench.ris").records.count }
    }
}
