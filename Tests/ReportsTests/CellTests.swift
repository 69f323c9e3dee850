import Reports
import XCTest

final class CellTests: XCTestCase {
    func testFixedDecimalRoundsTheShortestSpellingHalfAwayFromZero() {
        XCTAssertEqual(FixedDecimal.format(2.675, digits: 2), "2.68")
        XCTAssertEqual(FixedDecimal.format(-1.005, digits: 2), "-1.01")
        XCTAssertEqual(FixedDecimal.format(0.125, digits: 2), "0.13")
        XCTAssertEqual(FixedDecimal.format(0.1249, digits: 2), "0.12")
        XCTAssertEqual(FixedDecimal.format(1.5, digits: 0), "2")
        XCTAssertEqual(FixedDecimal.format(-2.5, digits: 0), "-3")
        XCTAssertEqual(FixedDecimal.format(3.14159, digits: 4), "3.1416")
    }

    func testFixedDecimalCarriesIntoANewDigit() {
        XCTAssertEqual(FixedDecimal.format(9.9996, digits: 3), "10.000")
        XCTAssertEqual(FixedDecimal.format(-999.95, digits: 1), "-1000.0")
        XCTAssertEqual(FixedDecimal.format(0.0999, digits: 1), "0.1")
    }

    func testFixedDecimalNeverPrintsNegativeZero() {
        XCTAssertEqual(FixedDecimal.format(-0.0, digits: 3), "0.000")
        XCTAssertEqual(FixedDecimal.format(-0.0004, digits: 3), "0.000")
        XCTAssertEqual(FixedDecimal.format(-0.4, digits: 0), "0")
        XCTAssertEqual(FixedDecimal.format(-0.0005, digits: 3), "-0.001")
    }

    func testFixedDecimalPadsAndHandlesExtremes() {
        XCTAssertEqual(FixedDecimal.format(0, digits: 2), "0.00")
        XCTAssertEqual(FixedDecimal.format(42, digits: 3), "42.000")
        XCTAssertEqual(FixedDecimal.format(.leastNonzeroMagnitude, digits: 3), "0.000")
        XCTAssertEqual(FixedDecimal.format(1.5e-7, digits: 7), "0.0000002")
        XCTAssertEqual(FixedDecimal.format(6.02214076e23, digits: 1), "602214076000000000000000.0")
        XCTAssertEqual(FixedDecimal.format(1e16, digits: 0), "10000000000000000")
        XCTAssertEqual(FixedDecimal.format(12.5, digits: -1), "13")
        let huge = FixedDecimal.format(1e300, digits: 0)
        XCTAssertEqual(huge.count, 301)
        XCTAssertTrue(huge.hasPrefix("10000"))
    }

    func testFixedDecimalSpellsNonFiniteValues() {
        XCTAssertEqual(FixedDecimal.format(.nan, digits: 2), "NaN")
        XCTAssertEqual(FixedDecimal.format(.infinity, digits: 2), "inf")
        XCTAssertEqual(FixedDecimal.format(-.infinity, digits: 2), "-inf")
    }

    func testNumberCellKeepsTheExactDouble() {
        let cell = Cell.number(-0.0004, digits: 3)
        XCTAssertEqual(cell.text, "0.000")
        XCTAssertEqual(cell.value, .number(-0.0004))
    }

    func testPValueCells() {
        XCTAssertEqual(Cell.pValue(0), Cell(text: "< 0.001", value: .number(0)))
        XCTAssertEqual(Cell.pValue(1e-300), Cell(text: "< 0.001", value: .number(1e-300)))
        XCTAssertEqual(Cell.pValue(0.000_999_9).text, "< 0.001")
        XCTAssertEqual(Cell.pValue(0.001).text, "0.001")
        XCTAssertEqual(Cell.pValue(0.0499996).text, "0.050")
        XCTAssertEqual(Cell.pValue(1), Cell(text: "1.000", value: .number(1)))
        XCTAssertEqual(Cell.pValue(.nan), Cell.empty)
    }

    func testTextCellsAndTheEmptyCell() {
        XCTAssertEqual(Cell("abc").value, .string("abc"))
        XCTAssertEqual(Cell(""), Cell.empty)
        XCTAssertEqual(Cell.empty.text, "")
        XCTAssertEqual(Cell.empty.value, .null)
        let literal: Cell = "lit"
        XCTAssertEqual(literal, Cell("lit"))
        XCTAssertEqual(Cell.integer(-42), Cell(text: "-42", value: .integer(-42)))
        XCTAssertEqual(Cell.bool(true), Cell(text: "true", value: .bool(true)))
    }
}
