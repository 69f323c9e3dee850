import Foundation

extension QueryConnection {
    /// Opens another program's SQLite database (a QualCoder project's `data.qda`, say) with the
    /// same four read-only layers as a metric query: nothing in the file can be changed through it.
    public static func readOnly(_ url: URL, displayPath: String, timeout: TimeInterval = 60) throws -> QueryConnection {
        try QueryConnection(url: url, displayPath: displayPath, timeout: timeout)
    }
}
