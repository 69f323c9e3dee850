import Core
import Datasets
import Foundation
import TestSupport
import XCTest

final class TurnoverSQLTests: XCTestCase {
    /// A table small enough to check by eye. Top 2 by downloads:
    /// npm 2023-01 {a, b}, 2023-02 {a, b} (c ties b at 5 and loses on name), 2023-03 {b, d};
    /// hf 2022-06 {x, y}, 2022-10 {z, w} (v has no downloads and ranks last).
    private let handChecked = """
        registry,snapshot,name,downloads
        npm,2023-01,a,10
        npm,2023-01,b,8
        npm,2023-01,c,1
        npm,2023-02,c,5
        npm,2023-02,b,5
        npm,2023-02,a,9
        npm,2023-03,d,50
        npm,2023-03,b,20
        npm,2023-03,a,3
        hf,2022-10,z,100
        hf,2022-10,w,90
        hf,2022-10,v,
        hf,2022-06,x,7
        hf,2022-06,y,6

        """

    func testHandCheckedTopKEverInTopKAndRetention() throws {
        let study = try Study(self)
        try study.write(handChecked, to: "s.csv")
        let (_, connection) = try study.importFile("s.csv")

        let membership = try connection.query(TurnoverSQL.topK(table: "t", k: 2))
        XCTAssertEqual(membership.columns, ["registry", "snapshot", "rank", "name"])
        XCTAssertEqual(membership.rows.map { $0.map(render) }, [
            ["hf", "2022-06", "1", "x"], ["hf", "2022-06", "2", "y"],
            ["hf", "2022-10", "1", "z"], ["hf", "2022-10", "2", "w"],
            ["npm", "2023-01", "1", "a"], ["npm", "2023-01", "2", "b"],
            ["npm", "2023-02", "1", "a"], ["npm", "2023-02", "2", "b"],
            ["npm", "2023-03", "1", "d"], ["npm", "2023-03", "2", "b"],
        ])

        let ever = try connection.query(TurnoverSQL.everInTopK(table: "t", k: 2))
        XCTAssertEqual(ever.columns, ["registry", "snapshots", "ever_in_top_k", "turnover_ratio"])
        XCTAssertEqual(ever.rows, [[.text("hf"), .integer(2), .integer(4), .real(2)],
                                   [.text("npm"), .integer(3), .integer(3), .real(1.5)]])

        let retention = try connection.query(TurnoverSQL.retention(table: "t", k: 2))
        XCTAssertEqual(retention.columns, ["registry", "from_snapshot", "to_snapshot", "from_size", "retained", "retention"])
        XCTAssertEqual(retention.rows, [
            [.text("hf"), .text("2022-06"), .text("2022-10"), .integer(2), .integer(0), .real(0)],
            [.text("npm"), .text("2023-01"), .text("2023-02"), .integer(2), .integer(2), .real(1)],
            [.text("npm"), .text("2023-02"), .text("2023-03"), .integer(2), .integer(1), .real(0.5)],
        ])

        let byName = try connection.query(TurnoverSQL.everInTopK(table: "t", k: 1, orderBy: "name"))
        XCTAssertEqual(byName.rows.map { $0[2] }, [.integer(2), .integer(1)], "k = 1 ranked by name: hf {x, v}, npm {a}")
    }

    /// A generated table with ties and missing downloads, checked against the same numbers
    /// computed here without SQL.
    func testGeneratedSnapshotsAgainstAnIndependentComputation() throws {
        struct Entry { var registry: String; var snapshot: String; var name: String; var downloads: Int? }
        var entries: [Entry] = []
        var state: UInt64 = 0x9E37_79B9_7F4A_7C15
        func next(_ bound: Int) -> Int {
            state = state &* 6_364_136_223_846_793_005 &+ 1_442_695_040_888_963_407
            return Int((state >> 33) % UInt64(bound))
        }
        for registry in ["hf", "npm", "pypi"] {
            let pool = registry == "hf" ? 60 : 35
            for month in 1...5 {
                for index in 0..<pool where next(4) != 0 {
                    let downloads = next(10) == 0 ? nil : next(registry == "pypi" ? 12 : 400)
                    entries.append(Entry(registry: registry, snapshot: "2024-0\(month)", name: "\(registry)-\(index)",
                                         downloads: downloads))
                }
            }
        }
        let csv = "registry,snapshot,name,downloads\n" + entries.map {
            "\($0.registry),\($0.snapshot),\($0.name),\($0.downloads.map(String.init) ?? "")"
        }.joined(separator: "\n")
        let study = try Study(self)
        try study.write(csv, to: "g.csv")
        let (_, connection) = try study.importFile("g.csv")

        for k in [1, 5, 10, 50] {
            var top: [String: [String: Set<String>]] = [:]
            for (key, group) in Dictionary(grouping: entries, by: { "\($0.registry)|\($0.snapshot)" }) {
                let sorted = group.sorted { lhs, rhs in
                    switch (lhs.downloads, rhs.downloads) {
                    case let (l?, r?) where l != r: return l > r
                    case (.some, nil): return true
                    case (nil, .some): return false
                    default: return lhs.name < rhs.name
                    }
                }
                let parts = key.split(separator: "|").map(String.init)
                top[parts[0], default: [:]][parts[1]] = Set(sorted.prefix(k).map(\.name))
            }
            var expectedEver: [[DataValue]] = []
            var expectedRetention: [[DataValue]] = []
            for registry in top.keys.sorted() {
                let snapshots = top[registry]!
                let union = snapshots.values.reduce(into: Set<String>()) { $0.formUnion($1) }
                expectedEver.append([.text(registry), .integer(Int64(snapshots.count)), .integer(Int64(union.count))])
                let ordered = snapshots.keys.sorted()
                for (from, to) in zip(ordered, ordered.dropFirst()) {
                    let earlier = snapshots[from]!, later = snapshots[to]!
                    expectedRetention.append([.text(registry), .text(from), .text(to), .integer(Int64(earlier.count)),
                                              .integer(Int64(earlier.intersection(later).count))])
                }
            }
            let ever = try connection.query(TurnoverSQL.everInTopK(table: "t", k: k))
            XCTAssertEqual(ever.rows.map { Array($0.prefix(3)) }, expectedEver, "k = \(k)")
            for row in ever.rows {
                XCTAssertEqual(try XCTUnwrap(row[3].doubleValue), try XCTUnwrap(row[2].doubleValue) / Double(k), accuracy: 1e-12)
            }
            let retention = try connection.query(TurnoverSQL.retention(table: "t", k: k))
            XCTAssertEqual(retention.rows.map { Array($0.prefix(5)) }, expectedRetention, "k = \(k)")
            var expectedTurnover: [[DataValue]] = []
            for registry in top.keys.sorted() {
                var ever: Set<String> = [], previous: Set<String>?
                for snapshot in top[registry]!.keys.sorted() {
                    let current = top[registry]![snapshot]!
                    let entered = current.subtracting(previous ?? [])
                    let figures = [current.count, entered.subtracting(ever).count, entered.intersection(ever).count,
                                   current.intersection(previous ?? []).count]
                    ever.formUnion(current)
                    expectedTurnover.append([.text(registry), .text(snapshot)] + figures.map { .integer(Int64($0)) }
                                            + [.integer(Int64(ever.count))])
                    previous = current
                }
            }
            let turnover = try connection.query(TurnoverSQL.turnover(table: "t", k: k))
            XCTAssertEqual(turnover.rows.map { [$0[0], $0[2], $0[3], $0[4], $0[5], $0[6], $0[8]] }, expectedTurnover, "k = \(k)")
            for row in retention.rows {
                let share = try XCTUnwrap(row[4].doubleValue) / XCTUnwrap(row[3].doubleValue)
                XCTAssertEqual(try XCTUnwrap(row[5].doubleValue), share, accuracy: 1e-12)
            }
        }
    }
}

extension TurnoverSQLTests {
    /// The committed demo dataset, imported as the demo study imports it: the SQL templates give
    /// the figures that tools/demo/extract_turnover.py computed with pandas.
    func testDemoDatasetMatchesThePandasReference() throws {
        let root = TestPaths.repositoryRoot
        let manifestURL = root.appendingPathComponent("corpus/datasets/turnover.yaml")
        guard FileManager.default.fileExists(atPath: manifestURL.path) else {
            throw XCTSkip("corpus/datasets/turnover.yaml is absent")
        }
        var manifest = try DatasetManifest.load(from: manifestURL, displayPath: "corpus/datasets/turnover.yaml")
        let recorded = manifest.files?.first
        manifest.files = manifest.files?.map { file in
            var file = file
            file.path = root.appendingPathComponent(file.path).path
            file.outside = true
            return file
        }
        let study = try Study(self)
        let prepared = try study.store.prepare(manifest)
        XCTAssertEqual(prepared.inputs.first?.sha256, recorded?.sha256, "the manifest records the committed file's hash")
        XCTAssertEqual(prepared.inputs.first?.rows, recorded?.rows)
        let connection = try study.store.open(prepared)

        let referenceURL = root.appendingPathComponent("corpus/datasets/turnover/pandas_reference.json")
        let reference = try XCTUnwrap(JSONSerialization.jsonObject(with: Data(contentsOf: referenceURL)) as? [String: Any])
        let design = try XCTUnwrap(reference["four_snapshot_design"] as? [String: [String: Any]])
        let k = try XCTUnwrap(reference["k"] as? Int)

        let ever = try connection.query(TurnoverSQL.everInTopK(table: "snapshots", k: k, orderBy: "rank"))
        XCTAssertEqual(ever.rows.map { render($0[0]) }, design.keys.sorted())
        for row in ever.rows {
            let figures = try XCTUnwrap(design[render(row[0])])
            XCTAssertEqual(row[2], .integer(Int64(try XCTUnwrap(figures["ever_in_top_k"] as? Int))), render(row[0]))
            XCTAssertEqual(row[1], .integer(Int64(try XCTUnwrap(figures["snapshots"] as? [String]).count)))
        }
        let retention = try connection.query(TurnoverSQL.retention(table: "snapshots", k: k, orderBy: "rank"))
        var expected: [[DataValue]] = []
        for registry in design.keys.sorted() {
            for pair in try XCTUnwrap(design[registry]?["retention"] as? [[String: Any]]) {
                expected.append([.text(registry), .text(try XCTUnwrap(pair["from"] as? String)),
                                 .text(try XCTUnwrap(pair["to"] as? String)),
                                 .integer(Int64(try XCTUnwrap(pair["retained"] as? Int)))])
            }
        }
        XCTAssertEqual(retention.rows.map { [$0[0], $0[1], $0[2], $0[4]] }, expected)

        let byDownloads = try connection.query(TurnoverSQL.topK(table: "snapshots", k: k)).rows.filter { $0[0] == .text("hf") }
        let byRank = try connection.query(TurnoverSQL.topK(table: "snapshots", k: k, orderBy: "rank")).rows.filter { $0[0] == .text("hf") }
        XCTAssertEqual(byDownloads.count, 2 * k)
        XCTAssertEqual(byDownloads, byRank, "HF ranks are by downloads, ties by name, as the default ordering")
    }
}

/// A value as plain text, to compare query rows compactly.
private func render(_ value: DataValue) -> String {
    switch value {
    case .null: return "NULL"
    case .integer(let integer): return String(integer)
    case .real(let real): return String(real)
    case .text(let text): return text
    case .blob(let data): return "<\(data.count) bytes>"
    }
}

extension TurnoverSQLTests {
    private static let referenceFolder = URL(fileURLWithPath: #filePath).deletingLastPathComponent().appendingPathComponent("Reference")

    /// The pandas figures of Reference/turnover_reference.py, by registry and snapshot.
    private static func reference(_ key: String, k: String? = nil) throws -> [[String: Any]] {
        let url = referenceFolder.appendingPathComponent("turnover_reference.json")
        let document = try XCTUnwrap(JSONSerialization.jsonObject(with: Data(contentsOf: url)) as? [String: Any])
        if let k {
            return try XCTUnwrap((document[key] as? [String: Any])?[k] as? [[String: Any]])
        }
        return try XCTUnwrap(document[key] as? [[String: Any]])
    }

    /// The query's rows against the pandas rows, field by field.
    private func assertTurnover(_ result: QueryResult, equals expected: [[String: Any]], _ message: String,
                                file: StaticString = #filePath, line: UInt = #line) {
        XCTAssertEqual(result.columns, ["registry", "from_snapshot", "snapshot", "top_k", "newcomers", "returning", "remained", "departed", "ever_in_top_k"],
                       file: file, line: line)
        XCTAssertEqual(result.rows.count, expected.count, message, file: file, line: line)
        for (row, wanted) in zip(result.rows, expected) {
            for (index, column) in result.columns.enumerated() {
                let value = wanted[column]
                let expectedValue: DataValue
                if let text = value as? String {
                    expectedValue = .text(text)
                } else if let number = value as? Int {
                    expectedValue = .integer(Int64(number))
                } else {
                    expectedValue = .null
                }
                XCTAssertEqual(row[index], expectedValue, "\(message): \(render(row[0])) \(render(row[2])) \(column)", file: file, line: line)
            }
        }
    }

    /// Ties, a name listed twice in one snapshot, missing downloads, a row without a name and names
    /// that come back: the SQL gives pandas' figures for K = 1, 2 and 3.
    func testTurnoverMatchesPandasOnTiesDuplicatesAndReturningNames() throws {
        let study = try Study(self)
        try study.write(Data(contentsOf: Self.referenceFolder.appendingPathComponent("turnover_fixture.csv")), to: "f.csv")
        let (_, connection) = try study.importFile("f.csv")
        for k in [1, 2, 3] {
            let result = try connection.query(TurnoverSQL.turnover(table: "t", k: k))
            assertTurnover(result, equals: try Self.reference("fixture", k: String(k)), "k = \(k)")
        }
        let top = try connection.query(TurnoverSQL.topK(table: "t", k: 3)).rows
            .filter { $0[0] == .text("npm") && $0[1] == .text("2023-01") }.map { render($0[3]) }
        XCTAssertEqual(top, ["a", "b", "c"], "b is listed twice (9 and 8) and takes one place; c ties b's second row at 8")
    }

    /// The demo's `turnover` dataset: newcomers, returning and remained per snapshot as pandas
    /// computes them, and the totals corpus/NOTES.md reports (npm 1,094, PyPI 1,123, HF 1,498).
    func testDemoTurnoverMatchesPandasAndTheNotes() throws {
        let root = TestPaths.repositoryRoot
        let csv = root.appendingPathComponent("corpus/datasets/turnover/snapshots.csv")
        guard FileManager.default.fileExists(atPath: csv.path) else {
            throw XCTSkip("corpus/datasets/turnover/snapshots.csv is absent")
        }
        let study = try Study(self)
        try study.write(Data(contentsOf: csv), to: "snapshots.csv")
        let (_, connection) = try study.importFile("snapshots.csv", columns: ["name": .text])
        let result = try connection.query(TurnoverSQL.turnover(table: "t", k: 1000, orderBy: "rank"))
        assertTurnover(result, equals: try Self.reference("demo_k1000_by_rank"), "demo")
        let last = Dictionary(result.rows.map { (render($0[0]), $0[8]) }, uniquingKeysWith: { _, later in later })
        XCTAssertEqual(last, ["npm": .integer(1094), "pypi": .integer(1123), "hf": .integer(1498)])
        let pypiLast = try XCTUnwrap(result.rows.last)
        XCTAssertEqual(pypiLast.map(render), ["pypi", "2023-11-01", "2024-03-01", "1000", "35", "28", "937", "63", "1123"])
    }

    /// PostgreSQL sorts NULL first in a descending order; the default ranking says NULLS LAST so
    /// both databases rank missing downloads last. Checked here on SQLite through the text.
    func testDefaultRankingIsPortable() {
        for sql in [TurnoverSQL.topK(table: "t", k: 5), TurnoverSQL.turnover(table: "t", k: 5), TurnoverSQL.retention(table: "t", k: 5)] {
            XCTAssertTrue(sql.contains("ORDER BY downloads DESC NULLS LAST, name"))
            XCTAssertFalse(sql.contains("IFNULL") || sql.contains("GROUP_CONCAT") || sql.contains("printf"), "SQLite-only function")
        }
    }
}

extension TurnoverSQLTests {
    /// The same templates on PostgreSQL give pandas' figures, when a server is named: set
    /// `TRIANGULATE_TEST_PSQL` to psql connection options, e.g. `-h /tmp/pg -p 55432 -U postgres`
    /// (the test creates and drops its own tables). The statements go through `psql`, not the
    /// Datasets connection, so that the SQL text itself is what is checked.
    func testTurnoverRunsUnchangedOnPostgreSQL() throws {
        guard let options = ProcessInfo.processInfo.environment["TRIANGULATE_TEST_PSQL"], !options.isEmpty else {
            throw XCTSkip("TRIANGULATE_TEST_PSQL is not set; the PostgreSQL run of the turnover SQL was skipped")
        }
        let connection = options.split(separator: " ").map(String.init)
        func psql(_ command: String) throws -> [[String]] {
            let process = Process()
            process.executableURL = URL(fileURLWithPath: "/usr/bin/env")
            process.arguments = ["psql"] + connection + ["-X", "-q", "-A", "-t", "-F", ",", "-v", "ON_ERROR_STOP=1", "-c", command]
            let output = Pipe(), error = Pipe()
            process.standardOutput = output
            process.standardError = error
            try process.run()
            let data = output.fileHandleForReading.readDataToEndOfFile()
            let message = error.fileHandleForReading.readDataToEndOfFile()
            process.waitUntilExit()
            guard process.terminationStatus == 0 else {
                throw XCTSkip("psql failed: \(String(decoding: message, as: UTF8.self).prefix(300))")
            }
            return String(decoding: data, as: UTF8.self).split(separator: "\n").map { $0.split(separator: ",", omittingEmptySubsequences: false).map(String.init) }
        }
        let fixture = Self.referenceFolder.appendingPathComponent("turnover_fixture.csv").path
        _ = try psql("DROP TABLE IF EXISTS triangulate_turnover_fixture")
        _ = try psql("CREATE TABLE triangulate_turnover_fixture (registry text, snapshot text, name text, downloads bigint)")
        defer { _ = try? psql("DROP TABLE IF EXISTS triangulate_turnover_fixture") }
        _ = try psql("\\copy triangulate_turnover_fixture FROM '\(fixture)' CSV HEADER")
        let columns = ["registry", "from_snapshot", "snapshot", "top_k", "newcomers", "returning", "remained", "departed", "ever_in_top_k"]
        for k in [1, 2, 3] {
            let rows = try psql(TurnoverSQL.turnover(table: "triangulate_turnover_fixture", k: k))
            let expected = try Self.reference("fixture", k: String(k)).map { row in
                columns.map { column in row[column].map { $0 is NSNull ? "" : "\($0)" } ?? "" }
            }
            XCTAssertEqual(rows, expected, "k = \(k)")
        }
    }
}
