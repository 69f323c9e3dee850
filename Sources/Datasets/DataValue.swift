import Foundation

/// One SQLite value read back from a query.
public enum DataValue: Sendable, Equatable, Hashable {
    case null
    case integer(Int64)
    case real(Double)
    case text(String)
    case blob(Data)

    /// The value as a number: integers and reals as themselves, text that parses as a finite
    /// number as that number; null, blobs and other text give nil.
    public var doubleValue: Double? {
        switch self {
        case .null, .blob: return nil
        case .integer(let value): return Double(value)
        case .real(let value): return value
        case .text(let text):
            guard let value = Double(text.trimmingCharacters(in: .whitespaces)), value.isFinite else { return nil }
            return value
        }
    }
}

/// The columns and rows a query returned.
public struct QueryResult: Sendable, Equatable {
    public var columns: [String]
    public var rows: [[DataValue]]
    /// True when the query had more rows than the `maxRows` it was given.
    public var isTruncated: Bool

    public init(columns: [String], rows: [[DataValue]], isTruncated: Bool = false) {
        self.columns = columns
        self.rows = rows
        self.isTruncated = isTruncated
    }
}

/// A table or view of a dataset, as `dataset describe` shows it.
public struct TableDescription: Sendable, Equatable {
    /// A column and the type its table declares (empty when none is declared).
    public struct Column: Sendable, Equatable {
        public var name: String
        public var declaredType: String
    }

    public var name: String
    /// `table` or `view`.
    public var kind: String
    public var columns: [Column]
    public var rowCount: Int
}
