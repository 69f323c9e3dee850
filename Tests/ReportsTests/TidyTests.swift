import Foundation
@testable import Reports
import XCTest

/// JSON and CSV as data: one numeric field per quantity, the same columns in both.
final class TidyTests: XCTestCase {
    /// Rows shaped like the matrix's tidy fields: a p-value that underflowed, an open interval, an
    /// error row without a result, per-group descriptives and data-only columns.
    static let tidy = ReportTable(
        title: "Tidy",
        columns: [
            Column(key: "id"),
            Column(key: "n", alignment: .right),
            Column(key: "n_per_group", role: .dataOnly),
            Column(key: "groups", role: .dataOnly),
            Column(key: "statistic"),
            Column(key: "effect"),
            Column(key: "p_raw", role: .dataOnly),
            Column(key: "p_adjusted"),
            Column(key: "alpha", role: .dataOnly),
            Column(key: "sided", role: .dataOnly),
            Column(key: "query", role: .dataOnly),
            Column(key: "verdict"),
            Column(key: "error_reason", role: .dataOnly),
        ],
        rows: [
            ["C1/C1a", .integer(74970), Cell(text: "", value: .object(["1": .integer(32111), "0": .integer(42859)])),
             Cell(text: "", value: .object(["1": .object(["median": .number(6), "q1": .number(0), "q3": .number(51), "mean": .number(9873.25)]),
                                            "0": .object(["median": .number(0), "q1": .number(0), "q3": .number(2), "mean": .number(310.5)])])),
             Cell(text: "U = 991287528", value: .object(["name": .string("U"), "value": .number(991287528), "method": .string("normal approximation")])),
             Cell(text: "r = 0.441 [0.434, 0.447]", value: .object(["name": .string("rank-biserial r"), "value": .number(0.441), "lower": .number(0.434), "upper": .number(0.447)])),
             .pValue(0, log10: -523.25), .pValue(0), .number(0.05, digits: 2), Cell("two-sided"),
             "SELECT has_card AS grp, downloads AS value FROM models", "supported", .empty],
            ["C4/C4a", .integer(2118), .empty, .empty,
             Cell(text: "k = 1491", value: .object(["name": .string("k"), "value": .number(1491), "method": .string("exact")])),
             Cell(text: "0.704 [0.684, inf]", value: .object(["name": .string("proportion"), "value": .number(0.704), "lower": .number(0.684), "upper": .number(.infinity)])),
             .pValue(1.5e-80, log10: -79.82), .pValue(1e-79), .number(0.05, digits: 2), Cell("greater"),
             "SELECT has_card AS value FROM models WHERE downloads >= 1000", "supported", .empty],
            ["C9/C9a", .empty, .empty, .empty, .empty, .empty, .empty, .empty, .number(0.01, digits: 2), Cell("two-sided"),
             "SELECT nope FROM models", "error", "no such column: nope"],
        ],
        notes: ["a note"],
        provenance: [ProvenanceItem(key: "tool", value: "t"), ProvenanceItem(key: "dataset hf-2022", value: "sha256:00")]
    )

    func testCSVFlattensValuesIntoOneFieldPerQuantity() {
        let csv = CSVRenderer(lineEnding: .lf).render(Self.tidy)
        let lines = csv.components(separatedBy: "\n")
        XCTAssertEqual(lines[0], "id,n,n_per_group.0,n_per_group.1,groups.0.mean,groups.0.median,groups.0.q1,groups.0.q3,groups.1.mean,groups.1.median,groups.1.q1,groups.1.q3,statistic.method,statistic.name,statistic.value,effect.lower,effect.name,effect.upper,effect.value,p_raw.log10,p_raw.value,p_adjusted,alpha,sided,query,verdict,error_reason")
        XCTAssertEqual(lines[1], "C1/C1a,74970,42859,32111,310.5,0.0,0.0,2.0,9873.25,6.0,0.0,51.0,normal approximation,U,991287528.0,0.434,rank-biserial r,0.447,0.441,-523.25,0.0,0.0,0.05,two-sided,\"SELECT has_card AS grp, downloads AS value FROM models\",supported,")
        XCTAssertTrue(lines[2].contains(",0.684,proportion,inf,0.704,-79.82,1.5e-80,1e-79,"), lines[2])
        XCTAssertTrue(lines[3].hasPrefix("C9/C9a,,,,,,,,,,,,,,,,,,,,,,0.01,"), lines[3])
        XCTAssertEqual(lines.count, 5, "header, three records and the final line break: no trailer")
        XCTAssertFalse(csv.contains("#"))
    }

    func testJSONWritesInfinitiesAsStringsAndSnakeCaseProvenance() throws {
        let json = JSONRenderer().render(Self.tidy)
        XCTAssertTrue(json.contains("\"upper\": \"inf\""))
        XCTAssertTrue(json.contains("\"dataset_hf_2022\": \"sha256:00\""))
        XCTAssertTrue(json.contains("\"p_raw\": {\n        \"log10\": -523.25,\n        \"value\": 0.0\n      }"))
        XCTAssertEqual(Self.tidy.keysNotInSnakeCase(), [])
        XCTAssertEqual(Fixtures.hostile.keysNotInSnakeCase(), ["note, \"raw\" #"])
    }

    func testSnakeCase() {
        XCTAssertEqual(SnakeCase.key("dataset hf-2022 sha256"), "dataset_hf_2022_sha256")
        XCTAssertEqual(SnakeCase.key("pValue"), "p_value")
        XCTAssertEqual(SnakeCase.key("  Min Effect!"), "min_effect")
        XCTAssertEqual(SnakeCase.key("n_per_group"), "n_per_group")
        XCTAssertTrue(SnakeCase.isSnakeCase("p_raw"))
        XCTAssertFalse(SnakeCase.isSnakeCase("p-raw"))
    }

    func testPValueWithItsLogarithm() {
        XCTAssertEqual(Cell.pValue(0, log10: -400), Cell(text: "< 0.001", value: .object(["value": .number(0), "log10": .number(-400)])))
        XCTAssertEqual(Cell.pValue(0.2, log10: log10(0.2)).text, "0.200")
        XCTAssertEqual(Cell.pValue(.nan, log10: .nan), .empty)
    }

    func testSidecarHoldsWhatTheCSVLeavesOut() throws {
        let sidecar = CSVRenderer().sidecar(for: Self.tidy)
        let object = try XCTUnwrap(JSONSerialization.jsonObject(with: Data(sidecar.utf8)) as? [String: Any])
        XCTAssertEqual(object["title"] as? String, "Tidy")
        XCTAssertEqual(object["notes"] as? [String], ["a note"])
        XCTAssertEqual(object["provenance"] as? [String: String], ["tool": "t", "dataset_hf_2022": "sha256:00"])
    }

    /// pandas reads the CSV into numeric columns, and `json_normalize` of the JSON rows gives the
    /// same columns with the same numbers: one numeric row per metric either way.
    func testPandasReadsTheSameNumbersFromCSVAndJSON() throws {
        let directory = FileManager.default.temporaryDirectory.appendingPathComponent("reports-tidy-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: directory) }
        try Data(CSVRenderer().render(Self.tidy).utf8).write(to: directory.appendingPathComponent("t.csv"))
        try Data(JSONRenderer().render(Self.tidy).utf8).write(to: directory.appendingPathComponent("t.json"))
        let script = """
            import json, math, sys
            import pandas
            folder = sys.argv[1]
            csv = pandas.read_csv(folder + "/t.csv")
            rows = json.load(open(folder + "/t.json"))["rows"]
            js = pandas.json_normalize(rows)
            numeric = [c for c in csv.columns if str(csv[c].dtype) in ("float64", "int64")]
            def same(a, b):
                if isinstance(b, str) and b in ("inf", "-inf"):
                    b = float(b)
                if a is None or (isinstance(a, float) and math.isnan(a)):
                    return b is None or (isinstance(b, float) and math.isnan(b))
                return float(a) == float(b)
            mismatches = [(c, i) for c in numeric for i in range(len(csv)) if not same(csv[c][i], js[c][i])]
            print(json.dumps({"csv": list(csv.columns), "json": sorted(js.columns), "numeric": numeric, "mismatches": mismatches}))
            """
        let output = try ExternalTool.run("python3", arguments: ["-c", script, directory.path])
        guard output.status == 0 else {
            throw XCTSkip("python3 with pandas is not usable here: \(String(decoding: output.standardError, as: UTF8.self).suffix(300))")
        }
        let decoded = try XCTUnwrap(JSONSerialization.jsonObject(with: output.standardOutput) as? [String: Any])
        let csvColumns = try XCTUnwrap(decoded["csv"] as? [String])
        let jsonColumns = try XCTUnwrap(decoded["json"] as? [String])
        XCTAssertEqual(Set(csvColumns).subtracting(jsonColumns), [], "CSV columns json_normalize does not have")
        XCTAssertEqual(Set(jsonColumns).subtracting(csvColumns), ["effect", "statistic", "n_per_group", "groups", "p_raw"],
                       "json_normalize adds an empty column for a null where others hold objects; the CSV does not")
        let numeric = Set(try XCTUnwrap(decoded["numeric"] as? [String]))
        for column in ["n", "p_raw.log10", "p_raw.value", "p_adjusted", "alpha", "effect.value", "effect.lower", "effect.upper",
                       "statistic.value", "n_per_group.0", "groups.1.median"] {
            XCTAssertTrue(numeric.contains(column), "\(column) is not numeric in pandas")
        }
        XCTAssertEqual((decoded["mismatches"] as? [Any])?.count, 0, "\(decoded["mismatches"] ?? "")")
    }
}
