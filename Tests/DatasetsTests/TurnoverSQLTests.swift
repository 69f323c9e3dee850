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
