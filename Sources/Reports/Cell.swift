/// A value as data (for JSON) alongside how it reads in a table.
///
/// Objects are written with their keys sorted by Unicode scalar values, so a value built from a
/// dictionary renders the same bytes whatever the dictionary's iteration order.
public indirect enum CellValue: Sendable, Equatable {
    case null
    case bool(Bool)
    case integer(Int)
    case number(Double)
    case string(String)
    case array([CellValue])
    case object([String: CellValue])
}

/// One table cell: the text that Markdown, LaTeX, CSV and HTML show, and the value JSON holds.
///
/// A cell whose `text` is empty is shown by the human-readable formats as their placeholder
/// (an em dash by default, see `MarkdownRenderer.emptyCellText` and its siblings), by CSV as an
/// empty field; JSON always writes `value`.
public struct Cell: Sendable, Equatable {
    /// What Markdown, LaTeX, CSV and HTML show.
    public var text: String
    /// What JSON holds.
    public var value: CellValue
    /// Citation keys (BibTeX keys) the cell refers to, in order: LaTeX shows them as one
    /// `\cite{…}` in place of the text; the other formats show the text.
    public var citations: [String]

    /// A text cell whose JSON value is the same string; the empty string stands for "no value",
    /// so `Cell("")` holds `.null` (the same as `Cell.empty`).
    public init(_ text: String) {
        self.text = text
        self.value = text.isEmpty ? .null : .string(text)
        self.citations = []
    }

    /// A cell whose shown text and JSON value are chosen separately, optionally citing papers.
    public init(text: String, value: CellValue, citations: [String] = []) {
        self.text = text
        self.value = value
        self.citations = citations
    }

    /// A cell with no value: empty text (each human-readable format shows its placeholder, CSV an
    /// empty field) and JSON `null`.
    public static let empty = Cell(text: "", value: .null)

    /// An integer, shown in plain decimal digits without grouping separators.
    public static func integer(_ v: Int) -> Cell {
        Cell(text: String(v), value: .integer(v))
    }

    /// A boolean, shown as `true` or `false`.
    public static func bool(_ v: Bool) -> Cell {
        Cell(text: v ? "true" : "false", value: .bool(v))
    }

    /// A number shown with exactly `digits` decimals; JSON keeps the exact double.
    ///
    /// The text is `FixedDecimal.format(_:digits:)`: locale-free, never "-0.000", and `NaN`,
    /// `inf` or `-inf` for non-finite values (which JSON writes as `null`).
    public static func number(_ v: Double, digits: Int) -> Cell {
        Cell(text: FixedDecimal.format(v, digits: digits), value: .number(v))
    }

    /// A p-value: "< 0.001" below 0.001, otherwise three decimals; JSON keeps the exact double.
    ///
    /// A NaN p-value (a test that could not be computed) is an empty cell, shown as the format's
    /// placeholder and written as JSON `null`.
    public static func pValue(_ p: Double) -> Cell {
        if p.isNaN {
            return .empty
        }
        if p < 0.001 {
            return Cell(text: "< 0.001", value: .number(p))
        }
        return Cell(text: FixedDecimal.format(p, digits: 3), value: .number(p))
    }
}

extension Cell {
    /// A p-value with its base-10 logarithm, for p-values below the smallest double: the text is
    /// as `pValue(_:)` shows it ("< 0.001"), and JSON and CSV hold both numbers,
    /// `{"log10": …, "value": …}` (CSV columns `<key>.log10` and `<key>.value`), so a p-value that
    /// underflowed to 0 still says how small it was. `log10` must be computed in log space by the
    /// test; `-inf` (written "-inf") means it is unknown.
    public static func pValue(_ p: Double, log10: Double) -> Cell {
        if p.isNaN && log10.isNaN {
            return .empty
        }
        var cell = pValue(p.isNaN ? 0 : p)
        cell.value = .object(["value": p.isNaN ? .null : .number(p), "log10": .number(log10)])
        return cell
    }
}

extension Cell: ExpressibleByStringLiteral {
    /// A text cell, as `Cell(_:)`.
    public init(stringLiteral value: String) {
        self.init(value)
    }
}

/// Fixed-decimal formatting of doubles that does not depend on the C library or the locale.
///
/// Swift's `description` of a double is the shortest decimal string that reads back as the same
/// double. Rounding that string, rather than the exact binary expansion `printf("%.3f")` rounds,
/// gives what a reader rounding the printed number by hand expects (2.675 → "2.68", where printf
/// gives "2.67" because the double is 2.67499999…), and it is the same on every platform. Rounding
/// is half away from zero; a result that rounds to zero is never signed.
public enum FixedDecimal {
    /// `v` with exactly `digits` decimals (negative `digits` count as 0); "NaN", "inf" or "-inf"
    /// when `v` is not finite.
    public static func format(_ v: Double, digits: Int) -> String {
        if v.isNaN {
            return "NaN"
        }
        if v.isInfinite {
            return v < 0 ? "-inf" : "inf"
        }
        let decimals = max(0, digits)
        var (digitValues, pointPosition) = decimalDigits(of: v.magnitude)

        // Make sure there is at least one integer digit and `decimals` fractional digits.
        if pointPosition < 1 {
            digitValues.insert(contentsOf: repeatElement(0, count: 1 - pointPosition), at: 0)
            pointPosition = 1
        }
        let kept = pointPosition + decimals
        if digitValues.count < kept {
            digitValues.append(contentsOf: repeatElement(0, count: kept - digitValues.count))
        }
        let roundsUp = digitValues.count > kept && digitValues[kept] >= 5
        digitValues.removeSubrange(kept...)
        if roundsUp {
            var index = kept - 1
            while index >= 0 {
                if digitValues[index] == 9 {
                    digitValues[index] = 0
                    index -= 1
                } else {
                    digitValues[index] += 1
                    break
                }
            }
            if index < 0 {
                digitValues.insert(1, at: 0)
                pointPosition += 1
            }
        }

        var integerDigits = digitValues[..<pointPosition].drop(while: { $0 == 0 })
        if integerDigits.isEmpty {
            integerDigits = [0]
        }
        let fractionDigits = digitValues[pointPosition...]
        let isZero = !digitValues.contains(where: { $0 != 0 })
        var result = (v.sign == .minus && !isZero) ? "-" : ""
        result += integerDigits.map(String.init).joined()
        if decimals > 0 {
            result += "." + fractionDigits.map(String.init).joined()
        }
        return result
    }

    /// The shortest round-trip digits of a finite non-negative double and how many of them stand
    /// before the decimal point (which may be negative or exceed the digit count).
    private static func decimalDigits(of magnitude: Double) -> (digits: [Int], pointPosition: Int) {
        let text = magnitude.description  // "123.45", "1e-05", "1.5e+300", "0.0"
        var mantissa = Substring(text)
        var exponent = 0
        if let e = text.firstIndex(where: { $0 == "e" || $0 == "E" }) {
            mantissa = text[..<e]
            exponent = Int(text[text.index(after: e)...]) ?? 0
        }
        let integerPart: Substring
        let fractionPart: Substring
        if let dot = mantissa.firstIndex(of: ".") {
            integerPart = mantissa[..<dot]
            fractionPart = mantissa[mantissa.index(after: dot)...]
        } else {
            integerPart = mantissa
            fractionPart = ""
        }
        let digits = (integerPart + fractionPart).compactMap { $0.wholeNumberValue }
        return (digits, integerPart.count + exponent)
    }
}
