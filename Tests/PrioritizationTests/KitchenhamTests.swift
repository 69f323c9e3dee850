import Foundation
import Prioritization
import TestSupport
import XCTest

/// Reads an ASReview-format CSV (RFC 4180: quoted fields may hold commas, newlines and "").
enum ASReviewCSV {
    static func read(_ url: URL) throws -> (documents: [Document], labels: [String: Label]) {
        let rows = parse(try String(contentsOf: url, encoding: .utf8))
        guard let header = rows.first,
              let id = header.firstIndex(of: "record_id"), let title = header.firstIndex(of: "title"),
              let abstract = header.firstIndex(of: "abstract"), let label = header.firstIndex(of: "label_included")
        else {
            throw CocoaError(.fileReadCorruptFile, userInfo: [NSFilePathErrorKey: url.path])
        }
        var documents: [Document] = []
        var labels: [String: Label] = [:]
        for row in rows.dropFirst() where row.count == header.count {
            documents.append(Document(id: row[id], text: row[title] + " " + row[abstract]))
            labels[row[id]] = row[label] == "1" ? .relevant : .irrelevant
        }
        return (documents, labels)
    }

    static func parse(_ text: String) -> [[String]] {
        var rows: [[String]] = []
        var row: [String] = []
        var field = ""
        var quoted = false
        var characters = text.unicodeScalars.makeIterator()
        var pending = characters.next()
        while let c = pending {
            pending = characters.next()
            if quoted {
                if c == "\"" {
                    if pending == "\"" {
                        field.unicodeScalars.append(c)
                        pending = characters.next()
                    } else {
                        quoted = false
                    }
                } else {
                    field.unicodeScalars.append(c)
                }
            } else if c == "\"" {
                quoted = true
            } else if c == "," {
                row.append(field)
                field = ""
            } else if c == "\n" || c == "\r" {
                if c == "\r", pending == "\n" { pending = characters.next() }
                row.append(field)
                rows.append(row)
                row = []
                field = ""
            } else {
                field.unicodeScalars.append(c)
            }
        }
        if !field.isEmpty || !row.isEmpty {
            row.append(field)
            rows.append(row)
        }
        return rows
    }
}

/// Simulates screening Kitchenham et al. (2010)'s tertiary study, whose counts PROVENANCE.md gives.
final class KitchenhamTests: XCTestCase {
    func testSimulationIsDeterministicWellFormedAndBeatsRandom() throws {
        let url = try TestPaths.sharedData("slr/asreview-systematic-review-datasets/Kitchenham_2010.csv")
        let (documents, labels) = try ASReviewCSV.read(url)
        XCTAssertEqual(documents.count, 1_704)
        XCTAssertEqual(labels.values.count { $0 == .relevant }, 45)

        // A batch of 100 keeps this debug-build test short; see Simulation.run for the default.
        var found10 = 0.0
        var random10 = 0.0
        var wss = 0.0
        var randomWSS = 0.0
        for seed: UInt64 in [1, 2] {
            let result = try Simulation.run(documents, labels: labels, seed: seed, batch: 100)
            assertWellFormed(result, documents: 1_704, priors: 2)
            XCTAssertEqual(result.relevant, 44)
            found10 += result.rrf10
            random10 += 0.1
            wss += result.wss95
            randomWSS += randomExpectedWSS(total: result.total, relevant: result.relevant, recall: 0.95)
            if seed == 1 {
                let again = try Simulation.run(documents, labels: labels, seed: seed, batch: 100)
                XCTAssertEqual(again.order, result.order, "same seed, same screening order")
            }
        }
        XCTAssertGreaterThan(wss, randomWSS, "WSS@95 should beat random screening's expectation on average")
        XCTAssertGreaterThan(found10, random10, "more than 10% of relevant records in the first 10%")
    }
}
