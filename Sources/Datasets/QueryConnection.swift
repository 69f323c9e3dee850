import Foundation
import GRDB
import GRDBSQLite

/// A read-only, guarded, time-limited connection for metric queries.
///
/// Four layers stop a query that does anything but read, each catching what the one before
/// might let through:
///
/// 1. **The file is opened read-only** (GRDB's `Configuration.readonly`, that is
///    `SQLITE_OPEN_READONLY`): SQLite itself refuses to write the database file, whatever the
///    SQL says. An attached study database is used in place and never copied.
/// 2. **An authorizer** (`sqlite3_set_authorizer`) is consulted by SQLite for every action while
///    a statement compiles, and denies all but reading: INSERT, UPDATE, DELETE, CREATE (TEMP
///    included), DROP, ALTER, ATTACH, DETACH, BEGIN/COMMIT/ROLLBACK/SAVEPOINT, any PRAGMA
///    statement except the schema-reading ones (`table_info`, `table_xinfo`, `index_list`,
///    `index_info`, `index_xinfo`, `foreign_key_list`), and the function `load_extension`. GRDB 7.10
///    has no public authorizer hook: its own `StatementAuthorizer` (installed when the connection
///    opens, before `prepareDatabase` runs) only records what a statement does for transaction
///    tracking and database observation, and always allows. This connection replaces it in
///    `prepareDatabase`; for the pure reads that get through, GRDB's bookkeeping would have
///    recorded nothing, and a read-only connection has no observers.
/// 3. **`PRAGMA query_only = 1`** (set before the authorizer is installed) makes SQLite refuse
///    any change, the temporary database included; no query can turn it off, since PRAGMA is
///    denied. `SQLITE_LIMIT_ATTACHED` is set to 0, so ATTACH fails even without the authorizer.
///    Extension loading stays disabled, as SQLite ships it.
/// 4. **Each statement is compiled alone** (GRDB refuses several statements in one string) and
///    must be one that SQLite reports as read-only (`sqlite3_stmt_readonly`, GRDB's
///    `Statement.isReadonly`), or it is refused before it runs.
///
/// The time limit is enforced with GRDB's `interrupt()`, called from a timer on another queue;
/// SQLite then stops the running statement at its next opcode.
public final class QueryConnection {
    private let queue: DatabaseQueue
    private let authorizer: ReadOnlyAuthorizer
    /// The time limit for each query, in seconds.
    public let timeout: TimeInterval

    init(url: URL, displayPath: String, timeout: TimeInterval) throws {
        guard FileManager.default.fileExists(atPath: url.path) else {
            throw DatasetError.cannotRead(path: displayPath, reason: "no such file")
        }
        self.timeout = timeout
        let authorizer = ReadOnlyAuthorizer()
        self.authorizer = authorizer
        var configuration = Configuration()
        configuration.readonly = true
        configuration.foreignKeysEnabled = false
        configuration.label = "dataset query"
        configuration.prepareDatabase { db in
            try db.execute(sql: "PRAGMA query_only = 1")
            sqlite3_limit(db.sqliteConnection, SQLITE_LIMIT_ATTACHED, 0)
            authorizer.install(on: db.sqliteConnection!)
        }
        do {
            queue = try DatabaseQueue(path: url.path, configuration: configuration)
        } catch let error as DatabaseError {
            throw DatasetError.cannotRead(path: displayPath, reason: "not an SQLite database that can be opened read-only (\(error.message ?? "\(error.resultCode)"))")
        }
    }

    /// Closes the connection; further queries fail.
    public func close() throws {
        try queue.close()
    }

    /// Runs a read-only query and returns at most `maxRows` rows (all when nil).
    public func query(_ sql: String, maxRows: Int? = nil) throws -> QueryResult {
        var rows: [[DataValue]] = []
        var truncated = false
        let columns = try run(sql) { _, cursor in
            while let row = try cursor.next() {
                if let maxRows, rows.count >= maxRows {
                    truncated = true
                    break
                }
                rows.append(Self.values(of: row))
            }
        }
        return QueryResult(columns: columns, rows: rows, isTruncated: truncated)
    }

    /// Streams the rows of a read-only query to `body` and returns the column names.
    @discardableResult
    public func forEachRow(_ sql: String, _ body: ([DataValue]) throws -> Void) throws -> [String] {
        try run(sql) { _, cursor in
            while let row = try cursor.next() { try body(Self.values(of: row)) }
        }
    }

    /// Streams the rows of a read-only query, handing `columns` the column names before the
    /// first row (so a consumer can check them even when the query returns no rows).
    public func stream(_ sql: String, columns: ([String]) throws -> Void, row body: ([DataValue]) throws -> Void) throws {
        // Steps the statement with SQLite's C API and refills one buffer per row: a metric over a
        // million rows would otherwise build a GRDB Row and two arrays for every row.
        _ = try runStatement(sql) { statement in
            try columns(statement.columnNames)
            let handle = statement.sqliteStatement
            let count = Int(sqlite3_column_count(handle))
            var buffer = [DataValue](repeating: .null, count: count)
            while true {
                let code = sqlite3_step(handle)
                if code == SQLITE_DONE { break }
                guard code == SQLITE_ROW else {
                    let message = sqlite3_db_handle(handle).flatMap { sqlite3_errmsg($0) }.map { String(cString: $0) }
                    throw DatabaseError(resultCode: ResultCode(rawValue: code), message: message)
                }
                for column in 0..<count {
                    let index = Int32(column)
                    switch sqlite3_column_type(handle, index) {
                    case SQLITE_INTEGER: buffer[column] = .integer(sqlite3_column_int64(handle, index))
                    case SQLITE_FLOAT: buffer[column] = .real(sqlite3_column_double(handle, index))
                    case SQLITE_TEXT:
                        let length = Int(sqlite3_column_bytes(handle, index))
                        let text = sqlite3_column_text(handle, index).map {
                            String(decoding: UnsafeBufferPointer(start: $0, count: length), as: UTF8.self)
                        } ?? ""
                        buffer[column] = .text(text)
                    case SQLITE_BLOB:
                        let length = Int(sqlite3_column_bytes(handle, index))
                        buffer[column] = .blob(sqlite3_column_blob(handle, index).map { Data(bytes: $0, count: length) } ?? Data())
                    default: buffer[column] = .null
                    }
                }
                try body(buffer)
            }
            sqlite3_reset(handle)
        }
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
                let values = Array(row[(1 + offset * 6)..<(7 + offset * 6)])
                guard case .integer(let nonNull) = values[0], case .integer(let distinct) = values[1] else {
                    throw DatasetError.sqlite("the statistics query for '\(entry)' returned an unexpected row")
                }
                let nulls = rowCount - Int(nonNull)
                profiles.append(TableProfile.Column(
                    name: column.name, declaredType: column.declaredType, nullCount: nulls,
                    nullShare: rowCount == 0 ? 0 : Double(nulls) / Double(rowCount), distinctCount: Int(distinct),
                    minimumNumber: values[2], maximumNumber: values[3],
                    minimumText: Self.text(values[4]), maximumText: Self.text(values[5])))
            }
            index += 200
        } while index < columns.count
        return TableProfile(name: entry, rowCount: rowCount, columns: profiles)
    }

    private static func text(_ value: DataValue) -> String? {
        if case .text(let text) = value { return text }
        return nil
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

    private static func values(of row: Row) -> [DataValue] {
        row.databaseValues.map { value in
            switch value.storage {
            case .null: return .null
            case .int64(let integer): return .integer(integer)
            case .double(let real): return .real(real)
            case .string(let text): return .text(text)
            case .blob(let data): return .blob(data)
            }
        }
    }

    /// Compiles `sql` behind the guard, runs it under the time limit, and hands its rows to `body`.
    private func run(_ sql: String, _ body: ([String], RowCursor) throws -> Void) throws -> [String] {
        try runStatement(sql) { statement in try body(statement.columnNames, try Row.fetchCursor(statement)) }
    }

    /// Compiles `sql` behind the guard and hands the statement to `body` under the time limit.
    private func runStatement(_ sql: String, _ body: (Statement) throws -> Void) throws -> [String] {
        let timer = Timer(queue: queue, seconds: timeout)
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
            throw DatasetError.sqlite(error.message ?? "\(error.resultCode)")
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

/// The SQLite authorizer that allows reading only; see ``QueryConnection``.
final class ReadOnlyAuthorizer: @unchecked Sendable {
    /// Why the last statement was refused, set while it compiled.
    private(set) var refusal: String?

    private static let schemaPragmas: Set<String> = [
        "table_info", "table_xinfo", "index_list", "index_info", "index_xinfo", "foreign_key_list",
    ]

    func reset() { refusal = nil }

    func install(on connection: OpaquePointer) {
        sqlite3_set_authorizer(connection, { context, action, first, second, _, _ in
            Unmanaged<ReadOnlyAuthorizer>.fromOpaque(context!).takeUnretainedValue()
                .authorize(action, first.map { String(cString: $0) }, second.map { String(cString: $0) })
        }, Unmanaged.passUnretained(self).toOpaque())
    }

    /// SQLite reports a CREATE or DROP first as a write to its schema table, then as itself: the
    /// schema-table write is let through so that the CREATE or DROP is denied with a precise
    /// reason. A direct write to `sqlite_master` still fails: SQLite forbids it without
    /// `writable_schema`, and the read-only file, `query_only` and the statement check stop it too.
    private func authorize(_ action: Int32, _ first: String?, _ second: String?) -> Int32 {
        switch action {
        case SQLITE_SELECT, SQLITE_READ, SQLITE_RECURSIVE:
            return SQLITE_OK
        case SQLITE_FUNCTION:
            if let name = second, name.lowercased() == "load_extension" {
                return deny("the function load_extension loads code into SQLite")
            }
            return SQLITE_OK
        case SQLITE_PRAGMA:
            if let name = first?.lowercased(), Self.schemaPragmas.contains(name) { return SQLITE_OK }
            return deny("PRAGMA \(first ?? "") can change the connection's settings (only the schema-reading PRAGMAs such as table_info are allowed)")
        case SQLITE_TRANSACTION, SQLITE_SAVEPOINT:
            return deny("\(first ?? "transaction control") controls transactions")
        case SQLITE_ATTACH:
            return deny("ATTACH opens another database")
        case SQLITE_DETACH:
            return deny("DETACH closes a database")
        case SQLITE_INSERT, SQLITE_UPDATE, SQLITE_DELETE:
            if let table = first, table == "sqlite_master" || table == "sqlite_temp_master" {
                return SQLITE_OK
            }
            let verb = action == SQLITE_INSERT ? "inserts into" : action == SQLITE_UPDATE ? "updates" : "deletes from"
            return deny("the statement \(verb) the table '\(first ?? "")'")
        case SQLITE_CREATE_TEMP_TABLE, SQLITE_CREATE_TEMP_INDEX, SQLITE_CREATE_TEMP_VIEW, SQLITE_CREATE_TEMP_TRIGGER:
            return deny("CREATE TEMP creates a temporary object '\(first ?? "")'")
        case SQLITE_CREATE_TABLE, SQLITE_CREATE_INDEX, SQLITE_CREATE_VIEW, SQLITE_CREATE_TRIGGER, SQLITE_CREATE_VTABLE:
            return deny("CREATE creates '\(first ?? "")'")
        case SQLITE_DROP_TABLE, SQLITE_DROP_INDEX, SQLITE_DROP_VIEW, SQLITE_DROP_TRIGGER, SQLITE_DROP_VTABLE,
             SQLITE_DROP_TEMP_TABLE, SQLITE_DROP_TEMP_INDEX, SQLITE_DROP_TEMP_VIEW, SQLITE_DROP_TEMP_TRIGGER:
            return deny("DROP removes '\(first ?? "")'")
        default:
            return deny("the statement changes the database (SQLite action \(action))")
        }
    }

    private func deny(_ reason: String) -> Int32 {
        if refusal == nil { refusal = reason }
        return SQLITE_DENY
    }
}
