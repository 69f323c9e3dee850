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

/// Per-column statistics of a table or view, as `dataset describe` shows them.
public struct TableProfile: Sendable, Equatable {
    /// One column's statistics. Numbers and text are ranged separately, because SQLite orders
    /// every number before every text, so a single MIN/MAX over a mixed column would hide one kind.
    public struct Column: Sendable, Equatable {
        public var name: String
        /// The type the table declares (empty when none is declared, as for most view columns).
        public var declaredType: String
        public var nullCount: Int
        /// `nullCount / rowCount`, or 0 for an empty table.
        public var nullShare: Double
        /// Distinct non-NULL values, compared as SQLite compares them (text byte by byte).
        public var distinctCount: Int
        /// The smallest and largest integer or real value; `.null` when the column holds none.
        public var minimumNumber: DataValue
        public var maximumNumber: DataValue
        /// The first and last text value in byte order; nil when the column holds no text.
        public var minimumText: String?
        public var maximumText: String?

        public init(name: String, declaredType: String, nullCount: Int, nullShare: Double, distinctCount: Int,
                    minimumNumber: DataValue, maximumNumber: DataValue, minimumText: String?, maximumText: String?) {
            self.name = name
            self.declaredType = declaredType
            self.nullCount = nullCount
            self.nullShare = nullShare
            self.distinctCount = distinctCount
            self.minimumNumber = minimumNumber
            self.maximumNumber = maximumNumber
            self.minimumText = minimumText
            self.maximumText = maximumText
        }
    }

    public var name: String
    public var rowCount: Int
    /// The columns in the table's order.
    public var columns: [Column]
}
