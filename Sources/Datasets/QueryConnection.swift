import Foundation
import GRDB
import GRDBSQLite
import SQLiteHardening

/// The limits a metric query runs under.
public struct QueryLimits: Sendable, Equatable {
    /// The longest `query_timeout` a manifest may ask for: a day. `DispatchTime` counts
    /// nanoseconds in 64 bits, so an unbounded number of seconds would overflow it.
    public static let maximumTimeout: TimeInterval = 86_400
    /// The default cap on the rows one query hands to its caller: 25 million, above the 10
    /// million rows of the scale benchmarks, below what fills the memory of a laptop as samples.
    public static let defaultMaxRows = 25_000_000
    /// The largest string, BLOB or row a query may build (`SQLITE_LIMIT_LENGTH`): 128 MiB, above
    /// the 100 MiB an imported record may have (``ChunkedInput/maximumRecordBytes``), so every
    /// imported row can be read back.
    public static let maxValueBytes: Int32 = 128 << 20
    /// The memory SQLite may hold in this process (`sqlite3_hard_heap_limit64`): 512 MiB. The
    /// limit is process-wide in SQLite, so it also bounds imports and the study index, which
    /// stream and stay far below it; it is only ever lowered, never raised.
    public static let heapLimitBytes: Int64 = 512 << 20
    /// The longest SQL text a query may have (`SQLITE_LIMIT_SQL_LENGTH`): 1 MB.
    public static let maxSQLBytes: Int32 = 1_000_000

    /// Seconds a query may run.
    public var timeout: TimeInterval
    /// Rows a query may hand to its caller before it is stopped with an error.
    public var maxRows: Int

    /// Checks the limits: a timeout between 0 and ``maximumTimeout`` seconds, at least one row.
    public init(timeout: TimeInterval = 60, maxRows: Int = QueryLimits.defaultMaxRows) throws {
        guard timeout.isFinite, timeout > 0, timeout <= Self.maximumTimeout else {
            throw DatasetError.invalidLimit("expected a query time limit above 0 and at most \(Int(Self.maximumTimeout)) seconds, found \(timeout)")
        }
        guard maxRows > 0 else {
            throw DatasetError.invalidLimit("expected a row limit of at least 1, found \(maxRows)")
        }
        self.timeout = timeout
        self.maxRows = maxRows
    }
}

/// A read-only, guarded, time-limited connection for metric queries.
///
/// Five layers stop a query that does anything but read, each catching what the one before
/// might let through:
///
/// 1. **The file is opened read-only** (GRDB's `Configuration.readonly`, that is
///    `SQLITE_OPEN_READONLY`): SQLite itself refuses to write the database file, whatever the
///    SQL says. An attached study database is used in place and never copied.
/// 2. **An authorizer by allow-list** (``QueryAuthorizer``, `sqlite3_set_authorizer`) permits
///    reading and a list of known functions, and denies everything else: writes, CREATE (TEMP
///    included), DROP, ALTER, ATTACH, DETACH, transactions, PRAGMAs other than the schema-reading
///    ones, `fts3_tokenizer`, `load_extension` and any function not on the list. GRDB 7.10 has no
///    public authorizer hook: its own `StatementAuthorizer` (installed when the connection opens,
///    before `prepareDatabase` runs) only records what a statement does for transaction tracking
///    and database observation, and always allows. This connection replaces it in
///    `prepareDatabase`; for the pure reads that get through, GRDB's bookkeeping would have
///    recorded nothing, and a read-only connection has no observers.
/// 3. **The connection is hardened as SQLite's "Defense against the dark arts" advises**:
///    `SQLITE_DBCONFIG_DEFENSIVE` on (no deliberate corruption of the file),
///    `SQLITE_DBCONFIG_TRUSTED_SCHEMA` off (functions and virtual tables used by views and triggers
///    of the database file must be innocuous), the two-argument `fts3_tokenizer` disabled
///    (`SQLITE_DBCONFIG_ENABLE_FTS3_TOKENIZER`), extension loading off, `PRAGMA query_only = 1`
///    (set before the authorizer is installed; no query can turn it off, since PRAGMA is denied),
///    `SQLITE_LIMIT_ATTACHED` 0, and the limits of ``QueryLimits`` on values, SQL text and
///    SQLite's heap.
/// 4. **Each statement is compiled alone** (GRDB refuses several statements in one string) and
///    must be one that SQLite reports as read-only (`sqlite3_stmt_readonly`, GRDB's
///    `Statement.isReadonly`), or it is refused before it runs.
/// 5. **Each metric gets a connection of its own** when it runs through
///    ``DatasetStore/streamMetric(_:sql:columns:row:)``, so nothing one query did to a connection
///    can reach the next, and a query hands its caller at most ``QueryLimits/maxRows`` rows.
///
/// The time limit is enforced with GRDB's `interrupt()`, called from a timer on another queue;
/// SQLite then stops the running statement at its next opcode.
public final class QueryConnection {
    private let queue: DatabaseQueue
    private let authorizer: QueryAuthorizer
    /// The limits every query on this connection runs under.
    public let limits: QueryLimits
    /// The time limit for each query, in seconds.
    public var timeout: TimeInterval { limits.timeout }

    convenience init(url: URL, displayPath: String, timeout: TimeInterval) throws {
        try self.init(url: url, displayPath: displayPath, limits: QueryLimits(timeout: timeout))
    }

    init(url: URL, displayPath: String, limits: QueryLimits) throws {
        guard FileManager.default.fileExists(atPath: url.path) else {
            throw DatasetError.cannotRead(path: displayPath, reason: "no such file")
        }
        self.limits = limits
        let authorizer = QueryAuthorizer()
        self.authorizer = authorizer
        Self.lowerHeapLimit()
        var configuration = Configuration()
        configuration.readonly = true
        configuration.foreignKeysEnabled = false
        configuration.label = "dataset query"
        configuration.prepareDatabase { db in
            let connection = db.sqliteConnection!
            for (option, value, name) in [(SQLITE_DBCONFIG_DEFENSIVE, 1, "defensive mode"),
                                          (SQLITE_DBCONFIG_TRUSTED_SCHEMA, 0, "untrusted schema"),
                                          (SQLITE_DBCONFIG_ENABLE_FTS3_TOKENIZER, 0, "no fts3_tokenizer"),
                                          (SQLITE_DBCONFIG_ENABLE_LOAD_EXTENSION, 0, "no extension loading")] {
                var result: Int32 = -1
                let code = triangulate_sqlite3_db_config_int(UnsafeMutableRawPointer(connection), option, Int32(value), &result)
                guard code == SQLITE_OK, result == Int32(value) else {
                    throw DatasetError.sqlite("this SQLite cannot be hardened for untrusted queries (\(name) failed with code \(code))")
                }
            }
            try db.execute(sql: "PRAGMA query_only = 1")
            sqlite3_limit(connection, SQLITE_LIMIT_ATTACHED, 0)
            sqlite3_limit(connection, SQLITE_LIMIT_LENGTH, QueryLimits.maxValueBytes)
            sqlite3_limit(connection, SQLITE_LIMIT_SQL_LENGTH, QueryLimits.maxSQLBytes)
            authorizer.install(on: connection)
        }
        do {
            queue = try DatabaseQueue(path: url.path, configuration: configuration)
        } catch let error as DatabaseError {
            throw DatasetError.cannotRead(path: displayPath, reason: "not an SQLite database that can be opened read-only (\(error.message ?? "\(error.resultCode)"))")
        }
    }

    /// Sets SQLite's process-wide heap limit to ``QueryLimits/heapLimitBytes`` unless a lower
    /// one is already set.
    private static func lowerHeapLimit() {
        let current = sqlite3_hard_heap_limit64(-1)
        if current == 0 || current > QueryLimits.heapLimitBytes {
            sqlite3_hard_heap_limit64(QueryLimits.heapLimitBytes)
        }
    }

    /// Closes the connection; further queries fail.
    public func close() throws {
        try queue.close()
    }

    /// Runs a read-only query and returns at most `maxRows` rows (all when nil, up to the
    /// connection's row limit, past which the query fails).
    public func query(_ sql: String, maxRows: Int? = nil) throws -> QueryResult {
        var rows: [[DataValue]] = []
        var truncated = false
        var names: [String] = []
        try step(sql, columns: { names = $0 }, row: { values in
            if let maxRows, rows.count >= maxRows {
                truncated = true
                return false
            }
            rows.append(values)
            return true
        })
        return QueryResult(columns: names, rows: rows, isTruncated: truncated)
    }

    /// Streams the rows of a read-only query to `body` and returns the column names.
    @discardableResult
    public func forEachRow(_ sql: String, _ body: ([DataValue]) throws -> Void) throws -> [String] {
        var names: [String] = []
        try step(sql, columns: { names = $0 }, row: { try body($0); return true })
        return names
    }

    /// Streams the rows of a read-only query, handing `columns` the column names before the
    /// first row (so a consumer can check them even when the query returns no rows).
    public func stream(_ sql: String, columns: ([String]) throws -> Void, row body: ([DataValue]) throws -> Void) throws {
        try step(sql, columns: columns, row: { try body($0); return true })
    }

    /// Steps a statement with SQLite's C API and refills one buffer per row (a metric over a
    /// million rows would otherwise build a GRDB Row and two arrays for every row); `body`
    /// returns false to stop early. More rows than the connection's row limit is an error.
    private func step(_ sql: String, columns: ([String]) throws -> Void, row body: ([DataValue]) throws -> Bool) throws {
        _ = try runStatement(sql) { statement in
            try columns(statement.columnNames)
            let handle = statement.sqliteStatement
            defer { sqlite3_reset(handle) }
            let count = Int(sqlite3_column_count(handle))
            var buffer = [DataValue](repeating: .null, count: count)
            var interners = [TextInterner](repeating: TextInterner(), count: count)
            let cap = limits.maxRows
            var rows = 0
            while true {
                let code = sqlite3_step(handle)
                if code == SQLITE_DONE { break }
                guard code == SQLITE_ROW else {
                    let message = sqlite3_db_handle(handle).flatMap { sqlite3_errmsg($0) }.map { String(cString: $0) }
                    throw DatabaseError(resultCode: ResultCode(rawValue: code), message: message)
                }
                guard rows < cap else { throw DatasetError.tooManyRows(limit: cap) }
                rows += 1
                for column in 0..<count {
                    let index = Int32(column)
                    switch sqlite3_column_type(handle, index) {
                    case SQLITE_INTEGER: buffer[column] = .integer(sqlite3_column_int64(handle, index))
                    case SQLITE_FLOAT: buffer[column] = .real(sqlite3_column_double(handle, index))
                    case SQLITE_TEXT:
                        // The pointer first, then its length, as SQLite asks; a NULL pointer for a
                        // value is SQLite failing to allocate it (a zeroblob expanded past the heap).
                        guard let pointer = sqlite3_column_text(handle, index) else {
                            try Self.checkColumnAllocation(handle)
                            buffer[column] = .text("")
                            continue
                        }
                        let length = Int(sqlite3_column_bytes(handle, index))
                        buffer[column] = .text(interners[column].string(pointer, count: length))
                    case SQLITE_BLOB:
                        guard let pointer = sqlite3_column_blob(handle, index) else {
                            try Self.checkColumnAllocation(handle)
                            buffer[column] = .blob(Data())
                            continue
                        }
                        buffer[column] = .blob(Data(bytes: pointer, count: Int(sqlite3_column_bytes(handle, index))))
                    default: buffer[column] = .null
                    }
                }
                if try !body(buffer) { break }
            }
        }
    }

    /// Throws when a column value came back NULL because SQLite ran out of its heap.
    private static func checkColumnAllocation(_ handle: OpaquePointer) throws {
        guard let connection = sqlite3_db_handle(handle), sqlite3_errcode(connection) == SQLITE_NOMEM else { return }
        throw DatabaseError(resultCode: .SQLITE_NOMEM, message: "out of memory")
    }

    /// The tables and views of the dataset (leaving out SQLite's and Triangulate's own), with
    /// their columns, declared types and row counts, in name order.
    public func describe() throws -> [TableDescription] {
        let tables = try query("""
            SELECT name, type FROM sqlite_master
            WHERE type IN ('table', 'view') AND name NOT LIKE 'sqlite\\_%' ESCAPE '\\'
              AND name NOT LIKE '\\_triangulate\\_%' ESCAPE '\\'
            ORDER BY name
            """).rows
        return try tables.map { row in
            guard case .text(let name) = row[0], case .text(let kind) = row[1] else {
                throw DatasetError.sqlite("unexpected row in sqlite_master")
            }
            let columns = try tableColumns(name)
            let count = try query("SELECT COUNT(*) FROM \(quoteIdentifier(name))").rows.first?.first
            guard case .integer(let rowCount) = count else { throw DatasetError.sqlite("COUNT(*) returned no integer") }
            return TableDescription(name: name, kind: kind, columns: columns, rowCount: Int(rowCount))
        }
    }

    /// Statistics for every column of a table or view: declared type, NULL count and share,
    /// distinct count, and the numeric and text ranges.
    ///
    /// All columns are aggregated by one `SELECT` over the table, so SQLite reads it once (each
    /// `COUNT(DISTINCT …)` keeps its own temporary index during that scan); only tables wider than
    /// 200 columns take one scan per 200 columns, to stay within SQLite's limit on result columns.
    /// The query runs behind the same guard and time limit as any metric query.
    public func profile(table: String) throws -> TableProfile {
        let names = try describeNames()
        guard let entry = names.first(where: { $0 == table }) ?? names.first(where: { $0.lowercased() == table.lowercased() }) else {
            let known = names.isEmpty ? "it has none" : "it has \(names.joined(separator: ", "))"
            throw DatasetError.sqlite("no table or view named '\(table)' in this dataset; \(known)")
        }
        let columns = try tableColumns(entry)
        let quotedTable = quoteIdentifier(entry)
        var profiles: [TableProfile.Column] = []
        var rowCount = 0
        var index = 0
        repeat {
            let group = columns[index..<min(index + 200, columns.count)]
            var select = ["COUNT(*)"]
            for column in group {
                let name = quoteIdentifier(column.name)
                select.append("COUNT(\(name))")
                select.append("COUNT(DISTINCT \(name))")
                let number = "CASE WHEN typeof(\(name)) IN ('integer', 'real') THEN \(name) END"
                let text = "CASE WHEN typeof(\(name)) = 'text' THEN \(name) END"
                select.append(contentsOf: ["MIN(\(number))", "MAX(\(number))", "MIN(\(text))", "MAX(\(text))"])
            }
            let row = try query("SELECT \(select.joined(separator: ", ")) FROM \(quotedTable)").rows.first ?? []
            guard row.count == select.count, case .integer(let count) = row[0] else {
                throw DatasetError.sqlite("the statistics query for '\(entry)' returned an unexpected row")
            }
            rowCount = Int(count)
            for (offset, column) in group.enumerated() {
                guard let profile = TableProfile.Column.fromStatistics(
                    name: column.name, declaredType: column.declaredType, values: row[(1 + offset * 6)..<(7 + offset * 6)], rowCount: rowCount) else {
                    throw DatasetError.sqlite("the statistics query for '\(entry)' returned an unexpected row")
                }
                profiles.append(profile)
            }
            index += 200
        } while index < columns.count
        return TableProfile(name: entry, rowCount: rowCount, columns: profiles)
    }

    /// Table and view names, as ``describe()`` lists them.
    private func describeNames() throws -> [String] {
        try query("""
            SELECT name FROM sqlite_master
            WHERE type IN ('table', 'view') AND name NOT LIKE 'sqlite\\_%' ESCAPE '\\'
              AND name NOT LIKE '\\_triangulate\\_%' ESCAPE '\\'
            ORDER BY name
            """).rows.compactMap { row in
            if case .text(let name) = row[0] { return name }
            return nil
        }
    }

    private func tableColumns(_ name: String) throws -> [TableDescription.Column] {
        let literal = "'" + name.replacingOccurrences(of: "'", with: "''") + "'"
        return try query("PRAGMA table_info(\(literal))").rows.map { column in
            guard case .text(let columnName) = column[1] else { throw DatasetError.sqlite("unexpected row in table_info") }
            if case .text(let type) = column[2] { return TableDescription.Column(name: columnName, declaredType: type) }
            return TableDescription.Column(name: columnName, declaredType: "")
        }
    }

    /// Compiles `sql` behind the guard and hands the statement to `body` under the time limit.
    private func runStatement(_ sql: String, _ body: (Statement) throws -> Void) throws -> [String] {
        let timer = Timer(queue: queue, seconds: limits.timeout)
        defer { timer.cancel() }
        do {
            return try queue.inDatabase { db in
                authorizer.reset()
                let statement = try db.makeStatement(sql: sql)
                guard statement.isReadonly else {
                    throw DatasetError.queryRefused("the statement would change the database")
                }
                try body(statement)
                return statement.columnNames
            }
        } catch let error as DatabaseError {
            if error.resultCode == .SQLITE_INTERRUPT, timer.fired {
                throw DatasetError.queryTimedOut(seconds: timeout)
            }
            if let refusal = authorizer.refusal {
                throw DatasetError.queryRefused(refusal)
            }
            switch error.resultCode.primaryResultCode {
            case .SQLITE_NOMEM:
                throw DatasetError.queryResourceLimit("the query needed more than the \(QueryLimits.heapLimitBytes >> 20) MiB of memory SQLite may use")
            case .SQLITE_TOOBIG:
                throw DatasetError.queryResourceLimit("the query built a string, BLOB or row larger than \(QueryLimits.maxValueBytes >> 20) MiB (or SQL text longer than \(QueryLimits.maxSQLBytes) bytes)")
            default:
                throw DatasetError.sqlite(error.message ?? "\(error.resultCode)")
            }
        }
    }

    /// Interrupts the connection's running statement when the time limit passes.
    private final class Timer: @unchecked Sendable {
        private let lock = NSLock()
        private var didFire = false
        private let item: DispatchWorkItem

        init(queue: DatabaseQueue, seconds: TimeInterval) {
            var fire: (() -> Void)?
            item = DispatchWorkItem { fire?() }
            fire = { [unowned self] in
                self.lock.withLock { self.didFire = true }
                queue.interrupt()
            }
            DispatchQueue.global().asyncAfter(deadline: .now() + seconds, execute: item)
        }

        var fired: Bool { lock.withLock { didFire } }

        func cancel() { item.cancel() }
    }
}
