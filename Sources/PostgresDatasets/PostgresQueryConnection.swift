import Core
import Datasets
import Foundation

/// A read-only, time-limited connection to a PostgreSQL dataset: the server-side counterpart of
/// ``QueryConnection``, with the same guarantees by other means.
///
/// 1. **The role.** When the connection opens it checks, and refuses otherwise, that the role is
///    not a superuser nor a member of one, is not in `pg_execute_server_program`,
///    `pg_read_server_files` or `pg_write_server_files` (so no `COPY … TO PROGRAM` and no server
///    files), may not create objects in the dataset's schema, and may not insert, update, delete
///    or truncate any of its tables. The README tells the administrator how to make such a role.
/// 2. **The statement.** Only a query that starts with `SELECT`, `WITH`, `VALUES` or `TABLE` is
///    sent, and it is sent as the body of `DECLARE … CURSOR` through the extended protocol, which
///    takes exactly one statement (`SELECT 1; COMMIT; DROP …` is refused by the server) and no
///    data-modifying `WITH`.
/// 3. **The transaction.** Every query runs in its own `BEGIN READ ONLY` transaction (the
///    session's `default_transaction_read_only` is on as well), with `SET LOCAL` limits:
///    `statement_timeout` and `lock_timeout` from `query_timeout`, `search_path` the dataset's
///    schema, and `synchronize_seqscans` off: a scan then starts at the table's first block rather
///    than joining another query's scan midway, so a query without ORDER BY hands over a table
///    loaded by Triangulate in the order of its files, as SQLite does (tests that list groups in
///    the order the rows show them, or sum in row order, then agree to the last digit). It always ends with `ROLLBACK`, so even a setting changed through `set_config` does
///    not outlive it.
/// 4. **The clock.** Besides the server's limit the client enforces the whole query's time
///    (all its FETCHes and the consumer between them): at the deadline it cancels the statement
///    and, when the server does not answer within a few seconds, drops the connection.
///
/// Rows come through the cursor in batches of ``batchSize`` (`FETCH FORWARD`), so the client holds
/// one batch at a time whatever the result's size. As on SQLite, a query that hands its caller
/// more than ``maxRows`` rows (the manifest's `max_rows`) is stopped with an error.
public final class PostgresQueryConnection: DatasetConnection {
    public let dataset: String
    public let schema: String
    /// The time limit for each query, in seconds.
    public let timeout: TimeInterval
    /// The most rows a query may hand to its caller.
    public let maxRows: Int
    let session: PostgresSession

    /// Rows per FETCH: large enough that round trips do not dominate, small enough to stay flat.
    static let batchSize = 4096

    init(dataset: String, connection: ConnectionString, schema: String, timeout: TimeInterval,
         maxRows: Int = QueryLimits.defaultMaxRows, checksRole: Bool = true) throws {
        guard timeout > 0, timeout.isFinite else {
            throw PostgresDatasetError.invalidManifest(SourceLocation(file: dataset), "expected query_timeout as a positive number of seconds, found \(timeout)")
        }
        guard maxRows > 0 else {
            throw PostgresDatasetError.invalidManifest(SourceLocation(file: dataset), "expected max_rows of at least 1, found \(maxRows)")
        }
        self.maxRows = maxRows
        self.dataset = dataset
        self.schema = schema
        self.timeout = timeout
        session = try PostgresSession(connection, dataset: dataset)
        try session.execute("SET default_transaction_read_only = on", deadline: Date().addingTimeInterval(timeout))
        if checksRole { try checkRole() }
        else { try checkSchema() }
    }

    public func close() throws { session.close() }

    /// The server's version as it reports it.
    public var serverVersion: String { session.serverVersion }

    /// The process id of the server backend serving this connection (for `pg_terminate_backend`).
    public var backendPID: Int32 { session.backendPID }

    // MARK: Queries

    public func query(_ sql: String, maxRows: Int? = nil) throws -> QueryResult {
        var names: [String] = []
        var rows: [[DataValue]] = []
        var truncated = false
        try run(sql, columns: { names = $0 }, row: { values in
            if let maxRows, rows.count >= maxRows {
                truncated = true
                return false
            }
            rows.append(values)
            return true
        })
        return QueryResult(columns: names, rows: rows, isTruncated: truncated)
    }

    public func stream(_ sql: String, columns: ([String]) throws -> Void, row body: ([DataValue]) throws -> Void) throws {
        try run(sql, columns: columns, row: { values in
            try body(values)
            return true
        })
    }

    /// Runs `sql` through a cursor in a read-only transaction; `row` returns false to stop early.
    private func run(_ sql: String, columns: ([String]) throws -> Void, row body: ([DataValue]) throws -> Bool) throws {
        if let refusal = Self.refusal(of: sql) { throw PostgresDatasetError.queryRefused(dataset: dataset, reason: refusal) }
        let deadline = Date().addingTimeInterval(timeout)
        try inReadOnlyTransaction(deadline: deadline) {
            try session.execute("DECLARE triangulate_metric NO SCROLL CURSOR FOR " + sql, parameters: [], deadline: deadline)
            var announced = false
            var buffer: [DataValue] = []
            var handed = 0
            while true {
                if Date() >= deadline { throw PostgresTimeout() }
                let batch = try session.execute("FETCH FORWARD \(Self.batchSize) FROM triangulate_metric", parameters: [],
                                                deadline: deadline)
                let count = batch.columnCount
                let types = (0..<count).map(batch.columnType)
                if !announced {
                    try columns((0..<count).map(batch.columnName))
                    buffer = [DataValue](repeating: .null, count: count)
                    announced = true
                }
                for row in 0..<batch.rowCount {
                    guard handed < maxRows else { throw PostgresDatasetError.tooManyRows(dataset: dataset, limit: maxRows) }
                    handed += 1
                    for column in 0..<count {
                        buffer[column] = batch.isNull(row, column) ? .null
                            : PostgresValues.value(batch.bytes(row, column), type: types[column])
                    }
                    guard try body(buffer) else { return }
                }
                if batch.rowCount < Self.batchSize { return }
            }
        }
    }

    /// Why a statement is refused before it is sent, or nil: it must start (after comments and
    /// parentheses) with SELECT, WITH, VALUES or TABLE.
    static func refusal(of sql: String) -> String? {
        let scalars = Array(sql.unicodeScalars)
        var index = 0
        var depth = 0
        while index < scalars.count {
            let scalar = scalars[index]
            if scalar.properties.isWhitespace || scalar == "(" {
                index += 1
            } else if scalar == "-", index + 1 < scalars.count, scalars[index + 1] == "-" {
                while index < scalars.count, scalars[index] != "\n" { index += 1 }
            } else if scalar == "/", index + 1 < scalars.count, scalars[index + 1] == "*" {
                depth = 1
                index += 2
                while index < scalars.count, depth > 0 {
                    if scalars[index] == "*", index + 1 < scalars.count, scalars[index + 1] == "/" { depth -= 1; index += 2 }
                    else if scalars[index] == "/", index + 1 < scalars.count, scalars[index + 1] == "*" { depth += 1; index += 2 }
                    else { index += 1 }
                }
            } else {
                break
            }
        }
        var word = ""
        while index < scalars.count, scalars[index].properties.isAlphabetic || scalars[index] == "_" {
            word.unicodeScalars.append(scalars[index])
            index += 1
        }
        if ["select", "with", "values", "table"].contains(word.lowercased()) { return nil }
        if word.isEmpty { return "the query is empty or does not start with a keyword" }
        return "the statement starts with \(word.uppercased()), not SELECT"
    }

    /// Runs `body` in a `BEGIN READ ONLY` transaction with the time limits set, always rolled
    /// back, and turns the server's errors into ``PostgresDatasetError``s naming the dataset.
    private func inReadOnlyTransaction(deadline: Date, _ body: () throws -> Void) throws {
        let milliseconds = Int(min(timeout * 1000, Double(Int32.max)).rounded(.up))
        let idle = Int(min(timeout * 1000 + 30_000, Double(Int32.max)))
        do {
            try session.execute("""
                BEGIN READ ONLY ISOLATION LEVEL REPEATABLE READ;
                SET LOCAL statement_timeout = \(milliseconds); SET LOCAL lock_timeout = \(milliseconds);
                SET LOCAL idle_in_transaction_session_timeout = \(idle);
                SET LOCAL synchronize_seqscans = off;
                SET LOCAL search_path = \(quoted(schema))
                """, deadline: deadline)
            defer { _ = try? session.execute("ROLLBACK", deadline: Date().addingTimeInterval(5)) }
            try body()
        } catch is PostgresTimeout {
            throw PostgresDatasetError.queryTimedOut(dataset: dataset, seconds: timeout)
        } catch let error as PostgresServerError {
            throw classify(error)
        }
    }

    private func classify(_ error: PostgresServerError) -> PostgresDatasetError {
        switch error.sqlState {
        case "25001", "25006", "42501", "0A000", "2F003", "2F002":
            return .queryRefused(dataset: dataset, reason: error.message)
        case "42601" where error.message.contains("multiple commands"):
            return .queryRefused(dataset: dataset, reason: "the query holds more than one statement")
        case "42P01":
            return .missingTable(dataset: dataset, schema: schema, reason: error.message,
                                 known: (try? relations().map(\.name)) ?? [])
        case "3F000":
            return .missingSchema(dataset: dataset, schema: schema, known: (try? usableSchemas()) ?? [])
        default:
            return .server(dataset: dataset, sqlState: error.sqlState, message: error.message)
        }
    }

    // MARK: The role and the schema

    private func checkRole() throws {
        let result = try query("""
            SELECT current_user::text,
                   EXISTS (SELECT 1 FROM pg_roles s WHERE s.rolsuper AND pg_has_role(current_user, s.oid, 'MEMBER')),
                   pg_has_role(current_user, 'pg_execute_server_program', 'MEMBER')
                     OR pg_has_role(current_user, 'pg_read_server_files', 'MEMBER')
                     OR pg_has_role(current_user, 'pg_write_server_files', 'MEMBER'),
                   n.oid IS NOT NULL AND has_schema_privilege(n.oid, 'USAGE'),
                   n.oid IS NOT NULL AND has_schema_privilege(n.oid, 'CREATE'),
                   (SELECT string_agg(c.relname::text, ', ' ORDER BY c.relname::text COLLATE "C") FROM pg_class c
                    WHERE c.relnamespace = n.oid AND c.relkind IN ('r', 'p', 'v', 'm', 'f')
                      AND has_table_privilege(c.oid, 'INSERT, UPDATE, DELETE, TRUNCATE'))
            FROM (SELECT 1) AS one LEFT JOIN pg_namespace n ON n.nspname = \(literal(schema))
            """)
        guard let row = result.rows.first, row.count == 6, case .text(let role) = row[0] else {
            throw PostgresDatasetError.server(dataset: dataset, sqlState: "", message: "the role check returned no row")
        }
        if row[1] == .integer(1) {
            throw PostgresDatasetError.unsafeRole(dataset: dataset, role: role, reason: "is a superuser or may become one")
        }
        if row[2] == .integer(1) {
            throw PostgresDatasetError.unsafeRole(dataset: dataset, role: role,
                reason: "may run server programs or read and write server files (pg_execute_server_program, pg_read_server_files, pg_write_server_files)")
        }
        if row[3] != .integer(1) {
            throw PostgresDatasetError.missingSchema(dataset: dataset, schema: schema, known: try usableSchemas())
        }
        if row[4] == .integer(1) {
            throw PostgresDatasetError.unsafeRole(dataset: dataset, role: role, reason: "may create objects in the schema '\(schema)'")
        }
        if case .text(let tables) = row[5] {
            throw PostgresDatasetError.unsafeRole(dataset: dataset, role: role, reason: "may change the tables \(tables) of the schema '\(schema)'")
        }
    }

    private func checkSchema() throws {
        let result = try query("SELECT has_schema_privilege(oid, 'USAGE') FROM pg_namespace WHERE nspname = \(literal(schema))")
        if result.rows.first?.first != .integer(1) {
            throw PostgresDatasetError.missingSchema(dataset: dataset, schema: schema, known: try usableSchemas())
        }
    }

    /// The schemas the role may use, leaving out PostgreSQL's own.
    private func usableSchemas() throws -> [String] {
        try query("""
            SELECT nspname::text FROM pg_namespace
            WHERE has_schema_privilege(oid, 'USAGE') AND nspname NOT LIKE 'pg\\_%' AND nspname <> 'information_schema'
            ORDER BY nspname::text COLLATE "C"
            """).rows.compactMap { row -> String? in
                if case .text(let name)? = row.first { return name }
                return nil
            }
    }

    // MARK: Describe and profile

    /// Tables and views of the schema, leaving out Triangulate's own, in byte order of their names.
    private func relations() throws -> [(name: String, kind: String)] {
        try query("""
            SELECT c.relname::text, CASE WHEN c.relkind IN ('v', 'm') THEN 'view' ELSE 'table' END
            FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace
            WHERE n.nspname = \(literal(schema)) AND c.relkind IN ('r', 'p', 'v', 'm', 'f')
              AND c.relname NOT LIKE '\\_triangulate\\_%'
            ORDER BY c.relname::text COLLATE "C"
            """).rows.compactMap { row in
            guard case .text(let name) = row[0], case .text(let kind) = row[1] else { return nil }
            return (name, kind)
        }
    }

    /// A relation's columns: name, declared type as PostgreSQL prints it, and type OID.
    private func columns(of relation: String) throws -> [(name: String, type: String, oid: UInt32)] {
        try query("""
            SELECT a.attname::text, format_type(a.atttypid, a.atttypmod), a.atttypid::bigint
            FROM pg_attribute a
            WHERE a.attrelid = \(literal(quoted(schema) + "." + quoted(relation)))::regclass AND a.attnum > 0 AND NOT a.attisdropped
            ORDER BY a.attnum
            """).rows.compactMap { row in
            guard case .text(let name) = row[0], case .text(let type) = row[1], case .integer(let oid) = row[2],
                  let typeOID = UInt32(exactly: oid) else { return nil }
            return (name, type, typeOID)
        }
    }

    public func describe() throws -> [TableDescription] {
        try relations().map { relation in
            let columns = try columns(of: relation.name).map { TableDescription.Column.described(name: $0.name, declaredType: $0.type) }
            let count = try query("SELECT COUNT(*) FROM \(quoted(relation.name))").rows.first?.first
            guard case .integer(let rows) = count, let rowCount = Int(exactly: rows) else {
                throw PostgresDatasetError.server(dataset: dataset, sqlState: "", message: "COUNT(*) returned no integer")
            }
            return TableDescription.described(name: relation.name, kind: relation.kind, columns: columns, rowCount: rowCount)
        }
    }

    /// Statistics for every column, as ``QueryConnection/profile(table:)`` gives them: one scan per
    /// 200 columns. Numbers are ranged for the numeric types (booleans as 0/1), text for the
    /// others, compared byte by byte (`COLLATE "C"`, as SQLite compares text) and as PostgreSQL
    /// prints them (dates, JSON).
    public func profile(table: String) throws -> TableProfile {
        let names = try relations().map(\.name)
        guard let entry = names.first(where: { $0 == table }) ?? names.first(where: { $0.lowercased() == table.lowercased() }) else {
            throw PostgresDatasetError.missingTable(dataset: dataset, schema: schema, reason: "no table or view named '\(table)'", known: names)
        }
        let columns = try columns(of: entry)
        var profiles: [TableProfile.Column] = []
        var rowCount = 0
        var index = 0
        repeat {
            let group = columns[index..<min(index + 200, columns.count)]
            var select = ["COUNT(*)"]
            for column in group {
                let name = quoted(column.name)
                let isNumber = PostgresValues.isNumber(column.oid)
                let isBoolean = column.oid == PostgresValues.booleanType
                let distinct = isNumber || isBoolean ? name : "\(name)::text"
                let number = isNumber ? name : isBoolean ? "\(name)::integer" : "NULL::bigint"
                let text = isNumber || isBoolean ? "NULL::text" : "\(name)::text COLLATE \"C\""
                select.append(contentsOf: ["COUNT(\(name))", "COUNT(DISTINCT \(distinct))",
                                           "MIN(\(number))", "MAX(\(number))", "MIN(\(text))", "MAX(\(text))"])
            }
            let row = try query("SELECT \(select.joined(separator: ", ")) FROM \(quoted(entry))").rows.first ?? []
            guard row.count == select.count, case .integer(let count) = row[0], let total = Int(exactly: count) else {
                throw PostgresDatasetError.server(dataset: dataset, sqlState: "", message: "the statistics query for '\(entry)' returned an unexpected row")
            }
            rowCount = total
            for (offset, column) in group.enumerated() {
                guard let profile = TableProfile.Column.fromStatistics(
                    name: column.name, declaredType: column.type, values: row[(1 + offset * 6)..<(7 + offset * 6)], rowCount: rowCount) else {
                    throw PostgresDatasetError.server(dataset: dataset, sqlState: "", message: "the statistics query for '\(entry)' returned an unexpected row")
                }
                profiles.append(profile)
            }
            index += 200
        } while index < columns.count
        return TableProfile.profiled(name: entry, rowCount: rowCount, columns: profiles)
    }


    // MARK: Provenance

    /// What the matrix's provenance records about this dataset: the server's version, a
    /// fingerprint of the schema's columns, and the files its tables were loaded from.
    public func provenance() throws -> PostgresProvenance {
        let columns = try query("""
            SELECT table_name::text, column_name::text, ordinal_position::bigint, data_type::text, is_nullable::text
            FROM information_schema.columns WHERE table_schema = \(literal(schema))
            ORDER BY table_name::text COLLATE "C", ordinal_position
            """)
        let lines = columns.rows.map { row in
            row.map { value -> String in
                switch value {
                case .text(let text): return text
                case .integer(let number): return String(number)
                default: return ""
                }
            }.joined(separator: "\t")
        }
        let fingerprint = ContentHash.sha256(Data(lines.joined(separator: "\n").utf8))
        return PostgresProvenance(serverVersion: serverVersion, schema: schema, schemaFingerprint: fingerprint,
                                  inputs: try loadedInputs())
    }

    /// The files the schema's tables were loaded from, as `dataset import --into postgres`
    /// recorded them in `_triangulate_inputs`; empty for a schema loaded by other means.
    func loadedInputs() throws -> [LoadedInput] {
        let exists = try query("SELECT to_regclass(\(literal(quoted(schema) + "._triangulate_inputs"))) IS NOT NULL")
        guard exists.rows.first?.first == .integer(1) else { return [] }
        return try query("SELECT path, sha256, rows FROM _triangulate_inputs ORDER BY path COLLATE \"C\"").rows.compactMap { row in
            guard case .text(let path) = row[0], case .text(let sha256) = row[1], case .integer(let rows) = row[2] else { return nil }
            return LoadedInput(path: path, sha256: sha256, rows: Int(exactly: rows) ?? 0)
        }
    }
}

/// The provenance of a PostgreSQL dataset.
public struct PostgresProvenance: Sendable, Equatable {
    /// The server's version as it reports it, e.g. `15.20 (Debian 15.20-0+deb12u1)`.
    public var serverVersion: String
    public var schema: String
    /// SHA-256 of the schema's columns in `information_schema.columns` (table, column, position,
    /// type, nullability; one line each, in byte order of table name then position).
    public var schemaFingerprint: String
    /// The files the tables were loaded from, with their SHA-256 and rows.
    public var inputs: [LoadedInput]
}

/// A file a table was loaded from: its path as the manifest gives it, its SHA-256 and its rows.
public struct LoadedInput: Sendable, Equatable {
    public var path: String
    public var sha256: String
    public var rows: Int

    public init(path: String, sha256: String, rows: Int) {
        self.path = path
        self.sha256 = sha256
        self.rows = rows
    }
}
