import Core
@testable import Datasets
import Foundation
import TestSupport
import XCTest

/// The interner hands back exactly the strings `String(decoding:as:)` makes, whether it finds a
/// kept value, replaces one, or has stopped looking.
final class TextInternerTests: XCTestCase {
    func strings(_ values: [[UInt8]]) -> [String] {
        var interner = TextInterner()
        return values.map { bytes in bytes.withUnsafeBufferPointer { interner.string($0.baseAddress ?? UnsafePointer(bitPattern: 1)!, count: $0.count) } }
    }

    func testRepeatedFewAndManyDistinctValuesAreTheDecodedStrings() {
        let labels: [[UInt8]] = ["text-classification", "", "fill-mask", "text-generation-inference", "é", "a"].map { Array($0.utf8) }
            + [[0xff, 0xfe], [0x61, 0x80]]  // invalid UTF-8, repaired as decoding repairs it
        var few: [[UInt8]] = []
        for index in 0..<10_000 { few.append(labels[(index * 7) % labels.count]) }
        var many: [[UInt8]] = []
        for index in 0..<10_000 { many.append(Array("title \(index)".utf8)) }
        var mixed: [[UInt8]] = []
        for index in 0..<10_000 { mixed.append(index % 3 == 0 ? labels[index % labels.count] : Array("k\(index % 40)".utf8)) }
        for values in [few, many, mixed] {
            XCTAssertEqual(strings(values), values.map { String(decoding: $0, as: UTF8.self) })
        }
    }

    func testQueriedLabelsAreUnchanged() throws {
        let study = try Study(self)
        var text = "id,label\n"
        for index in 0..<5_000 { text += "\(index),\(index % 5 == 0 ? "label-\(index)" : "group-\(index % 20)")\n" }
        try study.write(text, to: "t.csv")
        let (_, connection) = try study.importFile("t.csv")
        let rows = try connection.query("SELECT id, label FROM t ORDER BY id").rows
        XCTAssertEqual(rows.count, 5_000)
        for (index, row) in rows.enumerated() {
            XCTAssertEqual(row[1], .text(index % 5 == 0 ? "label-\(index)" : "group-\(index % 20)"))
        }
    }
}
