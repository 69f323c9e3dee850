import Foundation

/// A guarded, read-only, time-limited connection to a dataset, whatever engine holds it.
///
/// The matrix and `dataset describe|query` use only this, so a metric is evaluated the same way on
/// the embedded SQLite database and on a PostgreSQL server: rows arrive one at a time as
/// ``DataValue``s, never all at once.
public protocol DatasetConnection: AnyObject {
    /// The time limit for each query, in seconds.
    var timeout: TimeInterval { get }
    /// Runs a read-only query and returns at most `maxRows` rows (all when nil).
    func query(_ sql: String, maxRows: Int?) throws -> QueryResult
    /// Streams the rows of a read-only query, handing `columns` the column names before the first
    /// row (so a consumer can check them even when the query returns no rows).
    func stream(_ sql: String, columns: ([String]) throws -> Void, row: ([DataValue]) throws -> Void) throws
    /// The tables and views of the dataset with their columns and row counts, in name order.
    func describe() throws -> [TableDescription]
    /// Per-column statistics of a table or view.
    func profile(table: String) throws -> TableProfile
    /// Closes the connection; further queries fail.
    func close() throws
}

extension QueryConnection: DatasetConnection {}

extension DatasetConnection {
    /// Runs a read-only query and returns all its rows (up to the connection's row limit).
    public func query(_ sql: String) throws -> QueryResult {
        try query(sql, maxRows: nil)
    }
}

// Other engines build the same description types; their memberwise initializers are internal
// to this module, so these factories make them available.

extension TableDescription.Column {
    /// A column and the type its table declares, as another engine reports it.
    public static func described(name: String, declaredType: String) -> Self {
        Self(name: name, declaredType: declaredType)
    }
}

extension TableDescription {
    /// A table or view as another engine reports it.
    public static func described(name: String, kind: String, columns: [Column], rowCount: Int) -> Self {
        Self(name: name, kind: kind, columns: columns, rowCount: rowCount)
    }
}

extension TableProfile {
    /// A table's statistics as another engine computes them.
    public static func profiled(name: String, rowCount: Int, columns: [Column]) -> Self {
        Self(name: name, rowCount: rowCount, columns: columns)
    }
}

extension TableProfile.Column {
    /// One column's statistics from the six values the profile query computes for it — non-null
    /// count, distinct count, numeric min and max, text min and max — on either engine; nil when
    /// the counts are not integers.
    public static func fromStatistics(name: String, declaredType: String, values: ArraySlice<DataValue>, rowCount: Int) -> Self? {
        let values = Array(values)
        guard values.count == 6, case .integer(let nonNull) = values[0], case .integer(let distinct) = values[1] else { return nil }
        func text(_ value: DataValue) -> String? {
            if case .text(let text) = value { return text }
            return nil
        }
        let nulls = rowCount - Int(nonNull)
        return Self(name: name, declaredType: declaredType, nullCount: nulls,
                    nullShare: rowCount == 0 ? 0 : Double(nulls) / Double(rowCount), distinctCount: Int(distinct),
                    minimumNumber: values[2], maximumNumber: values[3], minimumText: text(values[4]), maximumText: text(values[5]))
    }
}
