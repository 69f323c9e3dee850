@testable import Statistics
import XCTest

/// The radix sort is the standard library's stable sort by `<`, value for value and position for position.
final class RadixSortTests: XCTestCase {
    private func samples() -> [[Double]] {
        var random = SplitMix64(seed: 17)
        let special: [Double] = [0, -0.0, .infinity, -.infinity, .leastNonzeroMagnitude, -.leastNonzeroMagnitude,
                                 .greatestFiniteMagnitude, -.greatestFiniteMagnitude, 1, -1, 1e-300, 3]
        return [
            (0..<10_000).map { _ in Double.random(in: -1e6...1e6, using: &random) },
            (0..<10_000).map { _ in Double(Int.random(in: 0...20, using: &random)) },  // many ties, as download counts have
            (0..<5_000).map { _ in special[Int.random(in: 0..<special.count, using: &random)] },
            (0..<3_000).map { _ in Double(Int.random(in: -5...5, using: &random)) * 0.1 },
            [Double](repeating: 7, count: 1_000),  // one digit shared by all: no pass moves anything
            (0..<300).map { Double(300 - $0) },
            [3, 1, 2],  // below the radix size: the comparison sort
        ]
    }

    func testOrderIsTheStableComparisonSort() {
        for values in samples() {
            let expected = values.indices.sorted { values[$0] < values[$1] }
            XCTAssertEqual(RadixSort.order(values), expected, "\(values.count) values")
        }
    }

    func testSortedIsTheComparisonSortSignedZerosIncluded() {
        for values in samples() {
            let expected = values.indices.sorted { values[$0] < values[$1] }.map { values[$0] }
            let sorted = RadixSort.sorted(values)
            XCTAssertEqual(sorted, expected)
            XCTAssertEqual(sorted?.map(\.sign), expected.map(\.sign), "−0 and +0 stay where a stable sort puts them")
        }
    }

    func testNaNIsLeftToTheCaller() {
        var values = (0..<1_000).map(Double.init)
        values[500] = .nan
        XCTAssertNil(RadixSort.order(values))
        XCTAssertNil(RadixSort.sorted(values))
        XCTAssertNil(RadixSort.sorted([1, .nan]))
    }
}
