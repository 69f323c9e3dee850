import Datasets
import Foundation

/// Converts PostgreSQL's text-format values to the ``DataValue``s the SQLite path yields, so a
/// metric sees the same values on both engines.
///
/// - `smallint`, `integer`, `bigint`, `oid` → `.integer`; `boolean` → `.integer` 1 or 0 (SQLite
///   has no boolean type and stores 1/0).
/// - `real`, `double precision` → `.real` (the session sets `extra_float_digits = 3`, so the text
///   round-trips exactly); `numeric` → `.integer` when it is a whole number that fits 64 bits
///   (`SUM` of a `bigint` column is `numeric` in PostgreSQL, an integer in SQLite), else `.real`.
/// - `bytea` → `.blob`; every other type (text, dates, JSON, …) → `.text` as the server prints it.
enum PostgresValues {
    static let booleanType: UInt32 = 16
    static let byteaType: UInt32 = 17
    static let integerTypes: Set<UInt32> = [20, 21, 23, 26]
    static let floatTypes: Set<UInt32> = [700, 701]
    static let numericType: UInt32 = 1700

    /// True for the types that convert to numbers.
    static func isNumber(_ type: UInt32) -> Bool {
        integerTypes.contains(type) || floatTypes.contains(type) || type == numericType
    }

    static func value(_ bytes: UnsafeBufferPointer<UInt8>, type: UInt32) -> DataValue {
        switch type {
        case 20, 21, 23, 26:
            return integer(bytes).map { .integer($0) } ?? .text(String(decoding: bytes, as: UTF8.self))
        case booleanType:
            return .integer(bytes.first == UInt8(ascii: "t") ? 1 : 0)
        case 700, 701:
            return Double(String(decoding: bytes, as: UTF8.self)).map { .real($0) } ?? .text(String(decoding: bytes, as: UTF8.self))
        case numericType:
            if let whole = integer(bytes) { return .integer(whole) }
            return Double(String(decoding: bytes, as: UTF8.self)).map { .real($0) } ?? .text(String(decoding: bytes, as: UTF8.self))
        case byteaType:
            return hexBytes(bytes).map { .blob($0) } ?? .text(String(decoding: bytes, as: UTF8.self))
        default:
            return .text(String(decoding: bytes, as: UTF8.self))
        }
    }

    /// An optional minus and decimal digits as a 64-bit integer; nil on anything else or overflow.
    private static func integer(_ bytes: UnsafeBufferPointer<UInt8>) -> Int64? {
        guard !bytes.isEmpty else { return nil }
        let negative = bytes[0] == UInt8(ascii: "-")
        guard bytes.count > (negative ? 1 : 0) else { return nil }
        var value: Int64 = 0
        for byte in bytes.dropFirst(negative ? 1 : 0) {
            let digit = byte &- 48
            guard digit < 10 else { return nil }
            let (shifted, overflow) = value.multipliedReportingOverflow(by: 10)
            let (next, overflow2) = negative ? shifted.subtractingReportingOverflow(Int64(digit)) : shifted.addingReportingOverflow(Int64(digit))
            guard !overflow, !overflow2 else { return nil }
            value = next
        }
        return value
    }

    /// `bytea` in the hex output format (`\x` then two hex digits per byte).
    private static func hexBytes(_ bytes: UnsafeBufferPointer<UInt8>) -> Data? {
        guard bytes.count >= 2, bytes[0] == UInt8(ascii: "\\"), bytes[1] == UInt8(ascii: "x"), bytes.count % 2 == 0 else { return nil }
        var data = Data(capacity: (bytes.count - 2) / 2)
        var index = 2
        while index < bytes.count {
            guard let high = nibble(bytes[index]), let low = nibble(bytes[index + 1]) else { return nil }
            data.append(high << 4 | low)
            index += 2
        }
        return data
    }

    private static func nibble(_ byte: UInt8) -> UInt8? {
        switch byte {
        case 48...57: return byte - 48
        case 97...102: return byte - 87
        case 65...70: return byte - 55
        default: return nil
        }
    }
}

/// A double-quoted SQL identifier, with embedded quotes doubled.
func quoted(_ identifier: String) -> String {
    "\"" + identifier.replacingOccurrences(of: "\"", with: "\"\"") + "\""
}

/// A single-quoted SQL string literal (the session keeps `standard_conforming_strings` on, so
/// backslashes are ordinary characters).
func literal(_ text: String) -> String {
    "'" + text.replacingOccurrences(of: "'", with: "''") + "'"
}
